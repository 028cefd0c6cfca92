// A model's config.pbtxt (Triton's text-format ModelConfig): parsing, the checks that need no
// model, and the serving specification that results from checking it against the loaded graph
// (completing what the file leaves out, as Triton's auto-complete does).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"
#include "firmnet/serve/datatype.h"
#include "model_config.pb.h"

namespace firmnet::serve {

// Parses config.pbtxt text. Errors name `path`, the line and the column.
StatusOr<inference::ModelConfig> ParseModelConfig(const std::string& text, const std::string& path);

// The I/O names of the model file, in graph order (graph.Inputs(), graph.outputs): what the
// source format calls them (the ONNX graph's input and output names) where it names them, else
// firmnet's node names ("dense_2", "split:1").
struct ModelIoNames {
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
};

// One input or output as clients see it.
struct TensorSpec {
  std::string name;
  DataType type = DataType::kFp32;
  std::vector<int64_t> dims;  // without the batch dimension
  int64_t elements = 0;       // per sample
  int graph_index = 0;        // index into graph.Inputs() or graph.outputs
};

struct ServingSpec {
  std::string name;
  int64_t max_batch_size = 0;  // 0: requests carry no batch dimension, one sample each
  bool dynamic_batching = false;
  uint64_t max_queue_delay_us = 0;
  std::vector<int64_t> preferred_batch_sizes;
  uint64_t max_queue_size = 0;  // 0: unbounded
  int instances = 1;
  bool float_reference = false;  // parameters { key: "float" }: the float64 reference path
  std::string precision_config;  // parameters { key: "config" }: YAML, relative to the version dir
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
};

// The checks that need only the file (backend, scheduling, batch size, instance counts,
// parameters); the spec's tensors are left empty. Errors name the model and the field.
StatusOr<ServingSpec> CheckConfig(const inference::ModelConfig& config,
                                  const std::string& model_name);

// Checks the config's inputs and outputs against the resolved graph and fills the spec's
// tensors; a config without inputs or outputs gets them from the model (and `config` is completed
// with them, so that ModelConfig returns what is served). Output data types must hold every value
// the model can produce exactly. Errors name the model and the tensor.
Status BindToGraph(inference::ModelConfig& config, const ir::Graph& graph,
                   const ModelIoNames& names, ServingSpec& spec);

}  // namespace firmnet::serve
