// PassManager: runs a list of passes (usually a named pipeline) over a graph.
//
// It is where the pass discipline lives: with `verify` on (tests always turn it on), the graph is
// checked with VerifyGraph(kStructure) before the first pass and after every pass, so a pass that
// breaks the IR is named at once instead of confusing a later stage. A dump callback sees the
// graph after the passes named in `dump_after` (the CLI's --dump-after prints PrintGraph there).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"
#include "firmnet/passes/pass.h"

namespace firmnet::passes {

struct PassManagerOptions {
  bool verify = true;
  // Pass names after which `dump` is called; each must be a pass of the run.
  std::set<std::string> dump_after;
  std::function<void(std::string_view pass_name, const ir::Graph& g)> dump;
};

class PassManager {
 public:
  explicit PassManager(PassManagerOptions options = {}) : options_(std::move(options)) {}

  // Runs `passes` in order; returns whether any changed the graph. Errors name the pass.
  StatusOr<bool> Run(ir::Graph& g, const std::vector<std::string>& passes) const;
  // Runs the pipeline called `pipeline` (pass_registry.h).
  StatusOr<bool> RunPipeline(ir::Graph& g, std::string_view pipeline) const;
  // Runs pass instances that need not be registered (tests use it for deliberately broken ones).
  StatusOr<bool> RunPasses(ir::Graph& g, const std::vector<Pass*>& passes) const;

 private:
  PassManagerOptions options_;
};

}  // namespace firmnet::passes
