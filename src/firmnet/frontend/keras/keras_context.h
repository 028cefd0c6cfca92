// What a layer folder's Keras import rules see (layers/<id>/<id>_keras.cc).
//
// A folder that imports Keras layer classes defines, in <id>_keras.cc,
//   std::vector<firmnet::keras::KerasRule> KerasRules_<id>();
// listing the classes it claims and one handler each. CMake lists the folders that have such a
// file (the generated all_layers_keras.def); the importer asks them all, so adding a Keras class
// touches only its layer's folder. A handler reads the layer's config through the context, loads
// its weights, and emits IR nodes; shapes come from the layers' own inference when a node is
// emitted, and every error names the model file, the Keras layer and its class.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::keras {

class H5File;

// Hostile JSON must not make us allocate without bound: a real layer is far smaller.
inline constexpr int64_t kMaxDim = int64_t{1} << 24;

// One Keras layer of the model's config.
struct KerasLayer {
  std::string name;
  std::string class_name;
  const nlohmann::json* config = nullptr;  // the layer's "config" object
  std::vector<std::string> inbound;        // the producing layers (Functional models)
};

class KerasContext {
 public:
  KerasContext(const std::string& model_file, const H5File& weights,
               const std::string& weights_root, const KerasLayer& layer, ir::Graph& graph,
               std::set<std::string>& names, std::vector<std::string> inputs);

  const KerasLayer& layer() const { return layer_; }
  // The IR tensors the layer reads (its inbound layers' outputs), and their shapes.
  size_t num_inputs() const { return inputs_.size(); }
  const std::string& input(size_t i = 0) const { return inputs_.at(i); }
  const ir::Shape& input_shape(size_t i = 0) const;
  // The IR node that produces input `i`, or null (the node of a later output port).
  ir::Node* input_node(size_t i = 0) { return graph_.Find(inputs_.at(i)); }

  // "model.json: layer 'fc1' (Dense): <what>", as InvalidArgument.
  Status Error(const std::string& what) const;
  // "<file> layer 'fc1' (Dense)": a node's origin.
  std::string Origin() const;

  // Config access; a wrong type is an error naming the key and the value.
  const nlohmann::json* Find(std::string_view key) const;
  StatusOr<double> Number(const char* key, double default_value) const;
  StatusOr<int64_t> Integer(const char* key) const;
  StatusOr<bool> Bool(const char* key, bool default_value) const;
  StatusOr<std::string> String(const char* key, const std::string& default_value) const;
  // An integer or a list of `n` integers (Keras writes kernel_size as 3 or [3, 3]); each must
  // be in [min_value, kMaxDim].
  StatusOr<std::vector<int64_t>> Ints(const char* key, size_t n, int64_t min_value) const;
  // The `activation` key ("linear" when absent); an unsupported name is an error.
  StatusOr<std::string> ActivationName() const;

  // The layer's weights: `keys` (e.g. "kernel", "bias") map to tensors; a key in `required` that
  // is absent is an error naming the weights file and the layer.
  StatusOr<std::map<std::string, ir::Tensor>> LoadWeights(const std::vector<std::string>& keys,
                                                          const std::set<std::string>& required);
  // An error naming the weights file when `t` does not have shape `expected`.
  Status CheckShape(const std::string& key, const ir::Tensor& t, const ir::Shape& expected) const;

  // A node name not used yet, from `base`.
  std::string UniqueName(const std::string& base);
  // Appends `node` (reading the layer's inputs when node.inputs is empty), infers its shape with
  // its layer's rule (an error names this Keras layer) and makes it the layer's output. Returns
  // the node's name.
  StatusOr<std::string> Emit(ir::Node node);
  // Appends the activation `activation` (a Keras name) reading `input`, named `name`.
  StatusOr<std::string> EmitActivation(const std::string& activation, const std::string& name,
                                       const std::string& input);
  // Emit, then the layer's `activation=` (if any, not "linear") as "<layer>_<activation>".
  Status EmitWithActivation(ir::Node node);
  // The layer is the identity (Dropout): its output is input `i`.
  void PassThrough(size_t i = 0) { output_ = inputs_.at(i); }

  const std::string& output() const { return output_; }

 private:
  const std::string& model_file_;
  const H5File& weights_;
  const std::string& weights_root_;
  const KerasLayer& layer_;
  ir::Graph& graph_;
  std::set<std::string>& names_;
  std::vector<std::string> inputs_;
  std::string output_;
};

using KerasHandler = Status (*)(KerasContext&);
struct KerasRule {
  std::string_view class_name;
  KerasHandler handler;
};

// Keras activation names and the layer kind each becomes (with its attributes).
struct KerasActivation {
  std::string_view name;
  LayerKind kind;
};
const std::vector<KerasActivation>& KerasActivations();

// The rules of every layer folder with an <id>_keras.cc.
#define FIRMNET_KERAS_FACET(id) std::vector<KerasRule> KerasRules_##id();
#include "firmnet/layers/all_layers_keras.def"
#undef FIRMNET_KERAS_FACET

}  // namespace firmnet::keras
