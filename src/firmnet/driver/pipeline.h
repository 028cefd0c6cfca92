// The driver: from model files and a config to a resolved graph, the one path every CLI
// subcommand (and later the Python module and the server) takes.
//
//   import (ONNX / Keras JSON+H5 / Keras .h5 / firmnet text IR)
//   -> the "default" pass pipeline (shape inference)
//   -> config resolution (hls4ml-style YAML, or the built-in defaults; `auto` slots marked)
//   -> the "resolve" pass pipeline (batchnorm fusion under hls4ml's rule, precision inference,
//      no-op batchnorm removal)
//   -> VerifyGraph(kResolved)
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::driver {

struct ModelSource {
  std::string model_path;    // .onnx, .json (+ weights), .h5, or .fnir (firmnet text IR)
  std::string weights_path;  // Keras weights .h5 for a .json model
  std::string config_path;   // optional YAML config
  // Or the config's text (the Python module's dicts, as JSON, which YAML reads), named in
  // messages as config_name. Not both.
  std::string config_text = {};
  std::string config_name = "config";
};

struct PrepareOptions {
  // Called with the graph after each pass named in dump_after (for --dump-after).
  std::vector<std::string> dump_after;
  std::function<void(std::string_view pass, const ir::Graph& g)> dump;
};

// Reads the model file into an unresolved graph.
StatusOr<ir::Graph> ImportModel(const ModelSource& source);

// Imports, runs the default pipeline, applies the config, runs the resolve pipeline and verifies
// the result. A .fnir model that is already resolved is used as it is unless a config is given.
StatusOr<ir::Graph> LoadResolvedGraph(const ModelSource& source,
                                      const PrepareOptions& options = {});

// Imports and runs the default pipeline, without config (for `firmnet config`): every layer of
// the model is there, batchnorms included.
StatusOr<ir::Graph> LoadShapedGraph(const ModelSource& source, const PrepareOptions& options = {});

}  // namespace firmnet::driver
