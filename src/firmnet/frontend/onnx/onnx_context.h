// What a layer folder's ONNX import rules see (layers/<id>/<id>_onnx.cc).
//
// A folder that imports ONNX op types defines, in <id>_onnx.cc,
//   std::vector<firmnet::onnx::OnnxRule> OnnxRules_<id>();
// listing the op types it claims and one handler each. CMake lists the folders that have such a
// file (the generated all_layers_onnx.def); the importer asks them all (plus its own
// graph-structural ops: Identity, Squeeze, Unsqueeze, Dropout, Constant), so adding an ONNX op
// touches only its layer's folder. An op type is claimed by exactly one rule (a test checks it);
// an op that becomes several layer kinds (Conv: conv1d/conv2d/depthwise) lives in one folder.
//
// A handler reads the node's inputs and attributes through the context and appends IR nodes.
// Every error goes through Err, which names the file, the node and its op. Feature maps are ONNX
// [C, spatial...] but held channels-last in the IR (docs/ir.md, "Layouts"): a `Value` records
// the ONNX view of an IR node, and FeatureMapIn / InLayout / AddInferred keep the two in step.
// Shared rules (merges, pools, auto pads) are in onnx_spatial.h.
#pragma once

#include <onnx/onnx_pb.h>

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/frontend/onnx/onnx_tensor.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/layer_kind.h"

namespace firmnet::onnx {

using AttributeProto = ::onnx::AttributeProto;
using ModelProto = ::onnx::ModelProto;
using NodeProto = ::onnx::NodeProto;
using TensorProto = ::onnx::TensorProto;
using frontend::DecodeOnnxIntTensor;
using frontend::DecodeOnnxTensor;
using frontend::kMaxOnnxTensorElements;

// A layer output as the importer tracks it: the IR node and its feature shape (batch dropped)
// as the ONNX graph sees it. Layout-only ONNX ops map their output to the same node, so unit
// dimensions they add or remove are not part of `shape`, and transposes only change `perm`.
// The IR tensor holds the values in the order `perm`: ir_shape[i] == shape[perm[i]] (empty:
// the identity). Feature maps live channels-last inside firmnet (docs/layouts.md): a conv's
// output is ONNX [C, H, W] with perm [1, 2, 0].
struct Value {
  ir::TensorRef node;  // the IR tensor: a layer's output port
  ir::Shape shape;
  std::vector<int64_t> perm = {};
};

// [0, 1, ..., n-1].
std::vector<int64_t> Identity(size_t n);
// The order of `v`'s IR tensor (Identity when v.perm is empty).
std::vector<int64_t> PermOf(const Value& v);
// [1, 2, ..., r-1, 0]: ONNX [C, spatial...] held channels-last.
std::vector<int64_t> ChannelsLast(size_t rank);
// "[2, 3]", as shapes are written in messages.
std::string Join(const std::vector<int64_t>& v);

// Defaults of float attributes are float32 in ONNX; a runtime computes with the float32 value,
// so the IR gets exactly that value, as it would when the attribute is written out explicitly.
constexpr double F32(float f) { return static_cast<double>(f); }

class OnnxContext {
 public:
  OnnxContext(const ModelProto& model, std::string path) : model_(model), path_(std::move(path)) {}

  // --- messages -------------------------------------------------------------------------------
  // "node 'fc1'" or "node #3 (output 'y')".
  std::string NodeLabel(const NodeProto& n, int index) const;
  // "<file>: <node label> (<op>): <msg>" for the node being imported.
  Status Err(StatusCode code, const std::string& msg) const;
  // "<file> node 'fc1' (Gemm)": an IR node's origin.
  std::string Origin(const NodeProto& n) const;

  // The model's opset for the default domain.
  int64_t opset() const { return opset_; }

  // --- QONNX channels-last graphs ---------------------------------------------------------------
  // The node being imported sees feature maps as [spatial..., C] (an op of QONNX's channels-last
  // domain, or a default-domain op that a channels-last graph applies to such maps, as hls4ml
  // reads a Resize there). Its handler still works on the [C, spatial...] view: FeatureMapIn
  // hands it that view of the input, and Define turns its outputs back into [spatial..., C].
  bool channels_last() const { return cur_channels_last_; }
  void SetChannelsLast() { cur_channels_last_ = true; }
  // Whether any node of the graph is in QONNX's channels-last domain.
  bool model_channels_last() const { return model_channels_last_; }

  // --- QONNX quantized constants ----------------------------------------------------------------
  // A constant that a Quant or BipolarQuant node quantized: the type its values fit (the weight
  // type hls4ml gives the layer that reads it), or XNOR weights (-1/+1, BipolarQuant).
  struct ConstQuant {
    FixedType type;
    bool xnor = false;
  };
  // Output 0 of `n` is the constant `t` (values already quantized) of type `q`.
  Status DefineQuantizedConstant(const NodeProto& n, const ir::Tensor& t, ConstQuant q);
  // The quantization of constant input `i` of `n`, when a Quant made it.
  const ConstQuant* ConstQuantOf(const NodeProto& n, int i) const;
  // Sets `node`'s `slot` type (and a binary kernel's attributes) from constant input `i`.
  void ApplyConstQuant(const NodeProto& n, int i, ir::Node& node, const std::string& slot) const;
  // The first graph input's batch dimension, when fixed.
  std::optional<int64_t> batch_size() const { return batch_size_; }

  // --- node inputs and attributes -------------------------------------------------------------
  static bool HasInput(const NodeProto& n, int i) {
    return i < n.input_size() && !n.input(i).empty();
  }
  Status NeedInput(const NodeProto& n, int i) const;
  // Input `i` as a layer output (an error when it is a constant or dangling).
  StatusOr<Value> LayerIn(const NodeProto& n, int i) const;
  // Input `i` as a constant (initializer or Constant node); `role` names it in errors.
  StatusOr<const TensorProto*> ConstProto(const NodeProto& n, int i, std::string_view role) const;
  StatusOr<ir::Tensor> ConstIn(const NodeProto& n, int i, std::string_view role,
                               bool require_finite = true) const;
  StatusOr<double> ScalarIn(const NodeProto& n, int i, std::string_view role) const;
  const AttributeProto* FindAttr(const NodeProto& n, std::string_view name) const;
  StatusOr<double> AttrFloat(const NodeProto& n, std::string_view name, double dflt) const;
  StatusOr<int64_t> AttrInt(const NodeProto& n, std::string_view name, int64_t dflt) const;
  StatusOr<std::optional<std::vector<int64_t>>> AttrInts(const NodeProto& n,
                                                         std::string_view name) const;
  // A string attribute (`dflt` when absent).
  std::string AttrString(const NodeProto& n, std::string_view name, const std::string& dflt) const;
  // The ONNX tensor `name` is a layer output / a constant.
  bool IsLayerOutput(const std::string& name) const { return values_.count(name) > 0; }
  bool IsConstant(const std::string& name) const { return constants_.count(name) > 0; }
  // The constant `name` (an initializer, a Constant node's value or a folded result), or null.
  const TensorProto* FindConstant(const std::string& name) const {
    auto it = constants_.find(name);
    return it == constants_.end() ? nullptr : it->second;
  }
  const Value& ValueOf(const std::string& name) const { return values_.at(name); }
  // How many nodes (and graph outputs) read the ONNX tensor `name`.
  int Uses(const std::string& name) const;
  // The ONNX tensor `name` is one of the graph's outputs.
  bool IsGraphOutput(const std::string& name) const;
  // Accepted: a scalar (any rank with one element), or n_out values along the last axis with
  // every other dimension 1 ([n_out], [1, n_out]).
  StatusOr<std::vector<double>> BroadcastBias(const ir::Tensor& c, int64_t n_out,
                                              std::string_view role) const;

  // --- outputs --------------------------------------------------------------------------------
  // Maps output 0 of `n` to `v`; other outputs must be unused.
  Status Define(const NodeProto& n, const Value& v);
  // Output k of `n` is ports[k] (a multi-output layer); outputs beyond them must be unused.
  Status DefinePorts(const NodeProto& n, const std::vector<Value>& ports);
  // The graph output of output 0 of `n` is `v` rather than what Define maps for the model's
  // own readers (a value that the model's outputs encode differently, e.g. hls4ml's XNOR bits).
  void DefineGraphOutput(const NodeProto& n, const Value& v) {
    graph_output_values_[n.output(0)] = v;
  }
  // Output 0 of `n` is the identity of input 0.
  Status Alias(const NodeProto& n);
  // Output 0 of `n` is the constant `t` (a Constant node).
  Status DefineConstant(const NodeProto& n, TensorProto t);
  // An IR node name not used yet, made from `base` (an identifier; `kind`'s id when empty).
  std::string UniqueName(const std::string& base, LayerKind kind);
  // Appends a layer reading `in` and maps output 0 of `n` to it.
  StatusOr<ir::Node*> AddLayer(const NodeProto& n, LayerKind kind, const Value& in,
                               const ir::Shape& shape, std::vector<int64_t> perm = {});
  // Appends a layer of `kind` reading `in`, with its shape and layout, named from `n` (with
  // `suffix`), and maps no ONNX output to it: one step of a chain that a handler builds (Define
  // maps the last). The pointer is valid until the next layer is added.
  StatusOr<std::pair<ir::Node*, Value>> AddStep(const NodeProto& n, LayerKind kind, const Value& in,
                                                const std::string& suffix);
  // An elementwise activation of `kind` on input 0, in its layout.
  Status SimpleActivation(const NodeProto& n, LayerKind kind);
  // `x` with its IR tensor in the order `want` (a transpose node when it is not yet, made once
  // per value and order).
  StatusOr<Value> InLayout(const NodeProto& n, const Value& x, const std::vector<int64_t>& want);
  // A feature map input: ONNX [C, spatial...] with `spatial` spatial dims, held channels-last.
  StatusOr<Value> FeatureMapIn(const NodeProto& n, int i, size_t spatial);
  // Appends a layer of `kind` reading `inputs`, shape from its layer's inference, and maps
  // output 0 of `n` to it with ONNX shape `onnx_shape` (empty: the IR shape read through
  // `perm`) and order `perm`; a multi-output layer's port k >= 1 becomes output k of `n` (its IR
  // shape read through `perm`).
  StatusOr<ir::Node*> AddInferred(const NodeProto& n, LayerKind kind,
                                  const std::vector<Value>& inputs,
                                  std::map<std::string, ir::AttrValue> attrs,
                                  std::map<std::string, ir::Tensor> weights, ir::Shape onnx_shape,
                                  std::vector<int64_t> perm);
  // The IR node named `name`, or null.
  ir::Node* FindNode(const std::string& name);

  // Dense nodes from a MatMul (or a Gemm without C) whose zero bias may still take an Add.
  void MarkBiasFree(const std::string& node) { bias_free_.insert(node); }
  bool IsBiasFree(const std::string& node) const { return bias_free_.count(node) > 0; }
  void ClearBiasFree(const std::string& node) { bias_free_.erase(node); }

 protected:
  const ModelProto& model_;
  std::string path_;
  int64_t opset_ = 0;
  ir::Graph graph_;

  // Current node, for messages.
  const NodeProto* cur_ = nullptr;
  int cur_index_ = 0;
  bool cur_channels_last_ = false;
  bool model_channels_last_ = false;
  std::map<std::string, ConstQuant> const_quant_;  // constant name -> its Quant's type

  std::map<std::string, const TensorProto*> constants_;  // initializers and Constant outputs
  std::deque<TensorProto> owned_;                        // values of Constant nodes
  std::map<std::string, Value> values_;                  // ONNX tensor -> layer output
  std::map<std::string, Value> graph_output_values_;     // DefineGraphOutput
  std::map<std::string, int> uses_;                      // ONNX tensor -> number of readers
  std::set<std::string> names_;                          // IR node names taken
  std::map<std::string, size_t> index_;                  // IR node name -> position
  std::set<std::string> bias_free_;
  std::optional<int64_t> batch_size_;  // the first input's batch dimension, when fixed
  std::map<std::pair<ir::TensorRef, std::vector<int64_t>>, std::string> relayouts_;
};

using OnnxHandler = Status (*)(OnnxContext&, const NodeProto&);
// The QONNX domains: quantizers (Quant, BipolarQuant, Trunc) and the channels-last forms of
// the spatial ops that QONNX's channels-last conversion writes.
inline constexpr std::string_view kQonnxDomain = "qonnx.custom_op.general";
inline constexpr std::string_view kQonnxChannelsLastDomain = "qonnx.custom_op.channels_last";
struct OnnxRule {
  // The op type; an op of another domain than ONNX's default as "<domain>.<op type>".
  std::string_view op_type;
  OnnxHandler handler;
};

// The rule an ONNX node is imported by: its op type, qualified by its domain when that is not
// ONNX's default (the domains Brevitas and FINN write for QONNX's ops count as QONNX's).
std::string RuleKey(const NodeProto& n);

// Every rule: the importer's own ops and every layer folder's, in that order (an op type that
// appears twice is a bug; onnx_rules_test checks).
const std::vector<OnnxRule>& OnnxRules();

// The rules of every layer folder with an <id>_onnx.cc.
#define FIRMNET_ONNX_FACET(id) std::vector<OnnxRule> OnnxRules_##id();
#include "firmnet/layers/all_layers_onnx.def"
#undef FIRMNET_ONNX_FACET

}  // namespace firmnet::onnx
