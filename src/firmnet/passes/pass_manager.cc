#include "firmnet/passes/pass_manager.h"

#include <algorithm>

#include "firmnet/ir/verifier.h"
#include "firmnet/passes/pass_registry.h"

namespace firmnet::passes {

StatusOr<bool> PassManager::Run(ir::Graph& g, const std::vector<std::string>& passes) const {
  // Resolve every name first, so that a typo fails before any pass has changed the graph.
  std::vector<std::unique_ptr<Pass>> instances;
  std::vector<Pass*> pointers;
  for (const std::string& name : passes) {
    FIRMNET_ASSIGN_OR_RETURN(auto pass, CreatePass(name));
    pointers.push_back(pass.get());
    instances.push_back(std::move(pass));
  }
  for (const std::string& name : options_.dump_after) {
    FIRMNET_RETURN_IF_ERROR(CreatePass(name).status().WithContext("--dump-after"));
  }
  return RunPasses(g, pointers);
}

StatusOr<bool> PassManager::RunPasses(ir::Graph& g, const std::vector<Pass*>& passes) const {
  for (const std::string& name : options_.dump_after) {
    const bool in_run =
        std::any_of(passes.begin(), passes.end(), [&](const Pass* p) { return p->Name() == name; });
    if (!in_run) {
      std::string run;
      for (const Pass* p : passes) run += (run.empty() ? "" : ", ") + std::string(p->Name());
      return NotFound("--dump-after: pass '" + name + "' is not part of this run (" +
                      (run.empty() ? std::string("no passes") : run) + ")");
    }
  }
  if (options_.verify) {
    FIRMNET_RETURN_IF_ERROR(
        ir::VerifyGraph(g, ir::VerifyLevel::kStructure).WithContext("before the first pass"));
  }
  bool changed = false;
  for (Pass* pass : passes) {
    const std::string name(pass->Name());
    auto result = pass->Run(g);
    if (!result.ok()) return result.status().WithContext("pass " + name);
    changed = changed || *result;
    if (options_.verify) {
      Status st = ir::VerifyGraph(g, ir::VerifyLevel::kStructure);
      if (!st.ok()) {
        // The input verified, so this is the pass's fault, not the user's.
        return Internal("pass " + name + " produced an invalid graph: " + st.message());
      }
    }
    if (options_.dump && options_.dump_after.count(name)) options_.dump(name, g);
  }
  return changed;
}

StatusOr<bool> PassManager::RunPipeline(ir::Graph& g, std::string_view pipeline) const {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<std::string> passes, GetPipeline(pipeline));
  return Run(g, passes);
}

}  // namespace firmnet::passes
