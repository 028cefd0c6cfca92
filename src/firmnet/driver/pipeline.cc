#include "firmnet/driver/pipeline.h"

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

StatusOr<ir::Graph> Shape(ir::Graph graph, const PrepareOptions& options) {
  passes::PassManagerOptions pm;
  pm.verify = true;
  pm.dump_after = std::set<std::string>(options.dump_after.begin(), options.dump_after.end());
  pm.dump = options.dump;
  passes::PassManager manager(pm);
  auto changed = manager.RunPipeline(graph, "default");
  if (!changed.ok()) return changed.status();
  return graph;
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
  FIRMNET_ASSIGN_OR_RETURN(ir::Graph graph, ImportModel(source));
  return Shape(std::move(graph), options);
}

StatusOr<ir::Graph> LoadResolvedGraph(const ModelSource& source, const PrepareOptions& options) {
  FIRMNET_ASSIGN_OR_RETURN(ir::Graph graph, ImportModel(source));
  const bool text_ir = Extension(source.model_path) == ".fnir";
  if (text_ir && source.config_path.empty() && IsResolved(graph)) return graph;
  FIRMNET_ASSIGN_OR_RETURN(graph, Shape(std::move(graph), options));
  config::Config cfg;
  if (!source.config_path.empty()) {
    FIRMNET_ASSIGN_OR_RETURN(cfg, config::LoadConfigFile(source.config_path));
  }
  FIRMNET_RETURN_IF_ERROR(config::ApplyConfig(cfg, graph));
  Status verified = ir::VerifyGraph(graph, ir::VerifyLevel::kResolved);
  if (!verified.ok()) return verified.WithContext(source.model_path);
  return graph;
}

}  // namespace firmnet::driver
