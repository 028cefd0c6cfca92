#include "firmnet/driver/pipeline.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "firmnet/config/config.h"
#include "firmnet/frontend/keras/keras_importer.h"
#include "firmnet/frontend/onnx/onnx_importer.h"
#include "firmnet/ir/parser.h"
#include "firmnet/ir/verifier.h"
#include "firmnet/passes/pass_manager.h"
#include "firmnet/passes/pass_registry.h"

namespace firmnet::driver {
namespace fs = std::filesystem;

namespace {

std::string Extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

StatusOr<ir::Graph> ReadTextIr(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ir::ParseGraph(ss.str(), path);
}

bool IsResolved(const ir::Graph& g) { return ir::VerifyGraph(g, ir::VerifyLevel::kResolved).ok(); }

// Runs `pipeline` with the --dump-after names that belong to it (the caller checked them all).
Status RunPipeline(ir::Graph& graph, std::string_view pipeline, const PrepareOptions& options) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<std::string> passes, passes::GetPipeline(pipeline));
  passes::PassManagerOptions pm;
  pm.verify = true;
  for (const std::string& name : options.dump_after) {
    if (std::find(passes.begin(), passes.end(), name) != passes.end()) pm.dump_after.insert(name);
  }
  pm.dump = options.dump;
  passes::PassManager manager(pm);
  return manager.Run(graph, passes).status();
}

// Every --dump-after name must be a pass that this load runs.
Status CheckDumpAfter(const PrepareOptions& options,
                      const std::vector<std::string_view>& pipelines) {
  std::vector<std::string> all;
  for (std::string_view p : pipelines) {
    FIRMNET_ASSIGN_OR_RETURN(std::vector<std::string> passes, passes::GetPipeline(p));
    all.insert(all.end(), passes.begin(), passes.end());
  }
  for (const std::string& name : options.dump_after) {
    if (std::find(all.begin(), all.end(), name) != all.end()) continue;
    std::string run;
    for (const std::string& p : all) run += (run.empty() ? "" : ", ") + p;
    return NotFound("--dump-after: pass '" + name + "' is not part of this run (" + run + ")");
  }
  return OkStatus();
}

}  // namespace

StatusOr<ir::Graph> ImportModel(const ModelSource& source) {
  const std::string& path = source.model_path;
  if (!fs::exists(path)) return NotFound(path + ": no such model file");
  const std::string ext = Extension(path);
  if (ext == ".onnx") {
    if (!source.weights_path.empty()) {
      return InvalidArgument("--weights is for Keras .json models; '" + path +
                             "' is an ONNX model that carries its weights");
    }
    return frontend::ImportOnnx(path);
  }
  if (ext == ".json") {
    std::string weights = source.weights_path;
    if (weights.empty()) {
      // hls4ml's naming: KERAS_3layer.json next to KERAS_3layer_weights.h5.
      const fs::path guess =
          fs::path(path).parent_path() / (fs::path(path).stem().string() + "_weights.h5");
      if (!fs::exists(guess)) {
        return InvalidArgument(path +
                               ": a Keras .json model needs its weights: pass --weights "
                               "FILE.h5 (looked for " +
                               guess.string() + ")");
      }
      weights = guess.string();
    }
    return keras::ImportKeras(path, weights);
  }
  if (ext == ".h5" || ext == ".hdf5" || ext == ".keras") {
    return keras::ImportKeras(path, source.weights_path);
  }
  if (ext == ".fnir") return ReadTextIr(path);
  return InvalidArgument(path + ": unknown model format '" + ext +
                         "' (expected .onnx, .json with --weights, .h5, or .fnir)");
}

StatusOr<ir::Graph> LoadShapedGraph(const ModelSource& source, const PrepareOptions& options) {
  FIRMNET_RETURN_IF_ERROR(CheckDumpAfter(options, {"default"}));
  FIRMNET_ASSIGN_OR_RETURN(ir::Graph graph, ImportModel(source));
  FIRMNET_RETURN_IF_ERROR(RunPipeline(graph, "default", options));
  return graph;
}

StatusOr<ir::Graph> LoadResolvedGraph(const ModelSource& source, const PrepareOptions& options) {
  FIRMNET_RETURN_IF_ERROR(CheckDumpAfter(options, {"default", "resolve"}));
  FIRMNET_ASSIGN_OR_RETURN(ir::Graph graph, ImportModel(source));
  const bool text_ir = Extension(source.model_path) == ".fnir";
  if (!source.config_path.empty() && !source.config_text.empty()) {
    return InvalidArgument(source.config_path +
                           ": a config file and a config text were both given");
  }
  const bool has_config = !source.config_path.empty() || !source.config_text.empty();
  if (text_ir && !has_config && IsResolved(graph)) return graph;
  FIRMNET_RETURN_IF_ERROR(RunPipeline(graph, "default", options));
  config::Config cfg;
  if (!source.config_path.empty()) {
    FIRMNET_ASSIGN_OR_RETURN(cfg, config::LoadConfigFile(source.config_path));
  } else if (!source.config_text.empty()) {
    FIRMNET_ASSIGN_OR_RETURN(cfg, config::ParseConfig(source.config_text, source.config_name));
  }
  FIRMNET_RETURN_IF_ERROR(config::ApplyConfig(cfg, graph));
  FIRMNET_RETURN_IF_ERROR(RunPipeline(graph, "resolve", options));
  Status verified = ir::VerifyGraph(graph, ir::VerifyLevel::kResolved);
  if (!verified.ok()) return verified.WithContext(source.model_path);
  return graph;
}

}  // namespace firmnet::driver
