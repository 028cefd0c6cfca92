#include "firmnet/serve/model_config.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>

namespace firmnet::serve {
namespace {

// Collects the parser's messages with their positions (lines and columns counted from 1).
class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
  }
  void AddWarning(int /*line*/, int /*column*/, const std::string& /*message*/) override {}
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

std::string ModelPrefix(const std::string& model) { return "model '" + model + "': "; }

std::string DimsText(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

template <typename Dims>
std::vector<int64_t> ToVector(const Dims& d) {
  return {d.begin(), d.end()};
}

// The config's dims against the model's shape: equal, with -1 standing for any size. A
// `reshape` gives the model's shape when the client's differs.
template <typename Tensor>
Status CheckDims(const Tensor& t, const ir::Shape& model, const std::string& what,
                 std::vector<int64_t>* dims_out) {
  std::vector<int64_t> dims = ToVector(t.dims());
  const bool reshaped = t.has_reshape();
  const std::vector<int64_t> target = reshaped ? ToVector(t.reshape().shape()) : dims;
  bool ok = target.size() == model.size();
  for (size_t i = 0; ok && i < target.size(); ++i) {
    ok = target[i] == model[i] || (!reshaped && target[i] == -1);
  }
  if (!ok) {
    return InvalidArgument(what + " has dims " + DimsText(target) + (reshaped ? " (reshape)" : "") +
                           "; the model's is " + ir::FormatShape(model));
  }
  if (reshaped) {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    if (n != ir::NumElements(model)) {
      return InvalidArgument(what + " has dims " + DimsText(dims) + ", " + std::to_string(n) +
                             " elements; its reshape to " + ir::FormatShape(model) + " needs " +
                             std::to_string(ir::NumElements(model)));
    }
  } else {
    dims = model;  // -1 resolved: the model's shapes are fixed
  }
  *dims_out = dims;
  return OkStatus();
}

// Finds the graph tensor a config name refers to: the source name or firmnet's name.
int FindIndex(const std::string& name, const std::vector<std::string>& source,
              const std::vector<std::string>& firmnet) {
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == name || firmnet[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Known(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "'" : ", '") + n + "'";
  return s.empty() ? "none" : s;
}

}  // namespace

StatusOr<inference::ModelConfig> ParseModelConfig(const std::string& text,
                                                  const std::string& path) {
  google::protobuf::TextFormat::Parser parser;
  Collector errors;
  parser.RecordErrorsTo(&errors);
  inference::ModelConfig config;
  if (!parser.ParseFromString(text, &config)) {
    return InvalidArgument(path + ":" + errors.first());
  }
  return config;
}

StatusOr<ServingSpec> CheckConfig(const inference::ModelConfig& config,
                                  const std::string& model_name) {
  const std::string at = ModelPrefix(model_name);
  ServingSpec spec;
  spec.name = model_name;
  if (!config.name().empty() && config.name() != model_name) {
    return InvalidArgument(at + "config.pbtxt names the model '" + config.name() +
                           "'; it must match its folder name");
  }
  if (!config.backend().empty() && config.backend() != "firmnet") {
    return InvalidArgument(at + "backend '" + config.backend() +
                           "' is not firmnet's; write backend: \"firmnet\"");
  }
  if (config.backend().empty() && !config.platform().empty() && config.platform() != "firmnet") {
    return InvalidArgument(at + "platform '" + config.platform() +
                           "' is not firmnet's; write backend: \"firmnet\"");
  }
  if (config.max_batch_size() < 0) {
    return InvalidArgument(at + "max_batch_size is " + std::to_string(config.max_batch_size()) +
                           "; it must be 0 (no batching) or more");
  }
  spec.max_batch_size = config.max_batch_size();
  if (config.has_sequence_batching() || config.has_ensemble_scheduling()) {
    return Unimplemented(
        at + (config.has_sequence_batching() ? "sequence_batching" : "ensemble_scheduling") +
        " is not supported by firmnet; use dynamic_batching or none");
  }
  if (config.has_dynamic_batching()) {
    const auto& d = config.dynamic_batching();
    if (spec.max_batch_size == 0) {
      return InvalidArgument(at + "dynamic_batching needs max_batch_size > 0");
    }
    spec.dynamic_batching = true;
    spec.max_queue_delay_us = d.max_queue_delay_microseconds();
    for (int p : d.preferred_batch_size()) {
      if (p <= 0 || p > spec.max_batch_size) {
        return InvalidArgument(at + "dynamic_batching.preferred_batch_size " + std::to_string(p) +
                               " is outside 1.." + std::to_string(spec.max_batch_size));
      }
      spec.preferred_batch_sizes.push_back(p);
    }
    std::sort(spec.preferred_batch_sizes.begin(), spec.preferred_batch_sizes.end());
    if (d.has_default_queue_policy())
      spec.max_queue_size = d.default_queue_policy().max_queue_size();
  }
  int instances = 0;
  for (const auto& g : config.instance_group()) {
    if (g.count() < 0) {
      return InvalidArgument(at + "instance_group '" + g.name() + "' has count " +
                             std::to_string(g.count()));
    }
    // Triton's default count is 1; firmnet runs every kind (CPU, GPU, AUTO) as CPU workers.
    instances += g.count() == 0 ? 1 : g.count();
  }
  spec.instances = std::max(1, instances);
  for (const auto& [key, value] : config.parameters()) {
    const std::string& v = value.string_value();
    if (key == "config") {
      if (v.empty()) return InvalidArgument(at + "parameters 'config' is empty; name a YAML file");
      spec.precision_config = v;
    } else if (key == "float") {
      if (v != "true" && v != "false") {
        return InvalidArgument(at + "parameters 'float' is '" + v +
                               "'; write \"true\" or \"false\"");
      }
      spec.float_reference = v == "true";
    }
    // Other parameters belong to other tools (Triton passes them to backends); firmnet keeps them
    // in the config it returns.
  }
  return spec;
}

Status BindToGraph(inference::ModelConfig& config, const ir::Graph& graph,
                   const ModelIoNames& names, ServingSpec& spec) {
  const std::string at = ModelPrefix(spec.name);
  const std::vector<const ir::Node*> graph_inputs = graph.Inputs();
  std::vector<std::string> firmnet_in, firmnet_out;
  for (const ir::Node* n : graph_inputs) firmnet_in.push_back(n->name);
  for (const ir::TensorRef& o : graph.outputs) {
    firmnet_out.push_back(o.port == 0 ? o.node : o.node + ":" + std::to_string(o.port));
  }
  const std::vector<std::string>& source_in = names.inputs.empty() ? firmnet_in : names.inputs;
  const std::vector<std::string>& source_out = names.outputs.empty() ? firmnet_out : names.outputs;
  if (config.name().empty()) config.set_name(spec.name);
  if (config.backend().empty() && config.platform().empty()) config.set_backend("firmnet");

  // Inputs: every model input exactly once.
  if (config.input_size() == 0) {
    for (size_t i = 0; i < graph_inputs.size(); ++i) {
      auto* in = config.add_input();
      in->set_name(source_in[i]);
      in->set_data_type(static_cast<inference::DataType>(DataTypeConfigEnum(DataType::kFp32)));
      for (int64_t d : graph_inputs[i]->shape) in->add_dims(d);
    }
  }
  if (static_cast<size_t>(config.input_size()) != graph_inputs.size()) {
    return InvalidArgument(at + "config.pbtxt declares " + std::to_string(config.input_size()) +
                           " input(s); the model has " + std::to_string(graph_inputs.size()) +
                           " (" + Known(source_in) + ")");
  }
  std::vector<bool> seen(graph_inputs.size(), false);
  spec.inputs.clear();
  for (const auto& in : config.input()) {
    const int k = FindIndex(in.name(), source_in, firmnet_in);
    const std::string what = at + "input '" + in.name() + "'";
    if (k < 0) {
      return InvalidArgument(what + " is not an input of the model; its inputs are " +
                             Known(source_in));
    }
    if (seen[k]) return InvalidArgument(what + " is declared twice");
    seen[k] = true;
    const auto type = DataTypeFromConfigEnum(in.data_type());
    if (!type || !IsNumeric(*type)) {
      return InvalidArgument(what + " has data_type " + inference::DataType_Name(in.data_type()) +
                             "; firmnet takes numeric tensors (TYPE_FP32, TYPE_INT16, ...)");
    }
    TensorSpec t;
    t.name = in.name();
    t.type = *type;
    t.graph_index = k;
    FIRMNET_RETURN_IF_ERROR(CheckDims(in, graph_inputs[k]->shape, what, &t.dims));
    t.elements = ir::NumElements(graph_inputs[k]->shape);
    spec.inputs.push_back(std::move(t));
  }

  // Outputs: a subset of the model's, each at most once (Triton serves the declared ones).
  if (config.output_size() == 0) {
    for (size_t i = 0; i < graph.outputs.size(); ++i) {
      const ir::Node* node = graph.Find(graph.outputs[i].node);
      DataType type = DataType::kFp64;
      if (!spec.float_reference && ExactIn(node->Precision("result"), DataType::kFp32).ok()) {
        type = DataType::kFp32;
      }
      auto* out = config.add_output();
      out->set_name(source_out[i]);
      out->set_data_type(static_cast<inference::DataType>(DataTypeConfigEnum(type)));
      for (int64_t d : *graph.TensorShape(graph.outputs[i])) out->add_dims(d);
    }
  }
  std::vector<bool> seen_out(graph.outputs.size(), false);
  spec.outputs.clear();
  for (const auto& out : config.output()) {
    const int k = FindIndex(out.name(), source_out, firmnet_out);
    const std::string what = at + "output '" + out.name() + "'";
    if (k < 0) {
      return InvalidArgument(what + " is not an output of the model; its outputs are " +
                             Known(source_out));
    }
    if (seen_out[k]) return InvalidArgument(what + " is declared twice");
    seen_out[k] = true;
    const auto type = DataTypeFromConfigEnum(out.data_type());
    if (!type || !IsNumeric(*type)) {
      return InvalidArgument(what + " has data_type " + inference::DataType_Name(out.data_type()) +
                             "; firmnet returns numeric tensors (TYPE_FP32, TYPE_FP64, ...)");
    }
    if (spec.float_reference) {
      if (*type != DataType::kFp64) {
        return InvalidArgument(what + " is " + std::string(DataTypeConfigName(*type)) +
                               "; the float reference (parameters 'float') gives float64 values: "
                               "declare TYPE_FP64");
      }
    } else {
      const ir::Node* node = graph.Find(graph.outputs[k].node);
      const Status exact = ExactIn(node->Precision("result"), *type);
      if (!exact.ok()) {
        return InvalidArgument(
            what + " is " + std::string(DataTypeConfigName(*type)) +
            ", which cannot hold every value the model gives: " + exact.message() +
            "; declare a wider type (TYPE_FP64 holds up to " + "53 bits)");
      }
    }
    TensorSpec t;
    t.name = out.name();
    t.type = *type;
    t.graph_index = k;
    const ir::Shape& shape = *graph.TensorShape(graph.outputs[k]);
    FIRMNET_RETURN_IF_ERROR(CheckDims(out, shape, what, &t.dims));
    t.elements = ir::NumElements(shape);
    spec.outputs.push_back(std::move(t));
  }
  if (spec.outputs.empty()) return InvalidArgument(at + "config.pbtxt declares no output");
  return OkStatus();
}

}  // namespace firmnet::serve
