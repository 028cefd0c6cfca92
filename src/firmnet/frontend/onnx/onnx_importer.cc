#include "firmnet/frontend/onnx/onnx_importer.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "firmnet/frontend/onnx/onnx_tensor.h"
#include "firmnet/ir/printer.h"
#include "firmnet/layers/batchnorm/batchnorm_fold.h"
#include "firmnet/layers/layer.h"
#include "firmnet/layers/selu/selu.h"

namespace firmnet::frontend {
namespace {

using ::onnx::AttributeProto;
using ::onnx::ModelProto;
using ::onnx::NodeProto;
using ::onnx::TensorProto;

constexpr int64_t kMinOpset = 6;
constexpr int64_t kMaxOpset = 17;

// A layer output as the importer tracks it: the IR node and its feature shape (batch dropped)
// as the ONNX graph sees it. Layout-only ONNX ops map their output to the same node, so unit
// dimensions they add or remove are not part of `shape`, and transposes only change `perm`.
// The IR tensor holds the values in the order `perm`: ir_shape[i] == shape[perm[i]] (empty:
// the identity). Feature maps live channels-last inside firmnet (docs/layouts.md): a conv's
// output is ONNX [C, H, W] with perm [1, 2, 0].
struct Value {
  std::string node;
  ir::Shape shape;
  std::vector<int64_t> perm = {};
};

std::vector<int64_t> Identity(size_t n) {
  std::vector<int64_t> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<int64_t>(i);
  return p;
}
std::vector<int64_t> PermOf(const Value& v) {
  return v.perm.empty() ? Identity(v.shape.size()) : v.perm;
}
// [1, 2, ..., r-1, 0]: ONNX [C, spatial...] held channels-last.
std::vector<int64_t> ChannelsLast(size_t rank) {
  std::vector<int64_t> p;
  for (size_t i = 1; i < rank; ++i) p.push_back(static_cast<int64_t>(i));
  p.push_back(0);
  return p;
}

std::string Join(const std::vector<int64_t>& v) { return ir::FormatShape(v); }

// Defaults of float attributes are float32 in ONNX; a runtime computes with the float32 value,
// so the IR gets exactly that value, as it would when the attribute is written out explicitly.
constexpr double F32(float f) { return static_cast<double>(f); }

class Importer {
 public:
  Importer(const ModelProto& model, std::string path) : model_(model), path_(std::move(path)) {}

  StatusOr<ir::Graph> Run();

  using Handler = Status (Importer::*)(const NodeProto&);
  static const std::map<std::string, Handler, std::less<>>& Handlers();

 private:
  // --- messages -------------------------------------------------------------------------------
  std::string NodeLabel(const NodeProto& n, int index) const;
  Status Err(StatusCode code, const std::string& msg) const;

  // --- graph-level steps ----------------------------------------------------------------------
  Status CheckModel();
  Status CollectConstants();
  Status CheckOps();
  Status AddGraphInputs();
  Status SetOutputs();

  // --- node inputs, outputs and attributes ----------------------------------------------------
  static bool HasInput(const NodeProto& n, int i) {
    return i < n.input_size() && !n.input(i).empty();
  }
  Status NeedInput(const NodeProto& n, int i) const;
  StatusOr<Value> LayerIn(const NodeProto& n, int i) const;
  StatusOr<const TensorProto*> ConstProto(const NodeProto& n, int i, std::string_view role) const;
  StatusOr<ir::Tensor> ConstIn(const NodeProto& n, int i, std::string_view role,
                               bool require_finite = true) const;
  StatusOr<double> ScalarIn(const NodeProto& n, int i, std::string_view role) const;
  const AttributeProto* FindAttr(const NodeProto& n, std::string_view name) const;
  StatusOr<double> AttrFloat(const NodeProto& n, std::string_view name, double dflt) const;
  StatusOr<int64_t> AttrInt(const NodeProto& n, std::string_view name, int64_t dflt) const;
  StatusOr<std::optional<std::vector<int64_t>>> AttrInts(const NodeProto& n,
                                                         std::string_view name) const;
  // Maps output 0 of `n` to `v`; other outputs must be unused.
  Status Define(const NodeProto& n, const Value& v);
  std::string UniqueName(const std::string& base, LayerKind kind);
  // Appends a layer reading `in` and maps output 0 of `n` to it.
  StatusOr<ir::Node*> AddLayer(const NodeProto& n, LayerKind kind, const Value& in,
                               const ir::Shape& shape, std::vector<int64_t> perm = {});
  Status CheckDenseInput(const NodeProto& n, const Value& a, int64_t n_in) const;
  StatusOr<std::vector<double>> BroadcastBias(const ir::Tensor& c, int64_t n_out,
                                              std::string_view role) const;
  Status Alias(const NodeProto& n);
  Status SimpleActivation(const NodeProto& n, LayerKind kind);

  // --- op handlers ----------------------------------------------------------------------------
  Status OnGemm(const NodeProto& n);
  Status OnMatMul(const NodeProto& n);
  Status OnAdd(const NodeProto& n);
  Status OnBatchNorm(const NodeProto& n);
  Status OnRelu(const NodeProto& n) { return SimpleActivation(n, LayerKind::kRelu); }
  Status OnSigmoid(const NodeProto& n) { return SimpleActivation(n, LayerKind::kSigmoid); }
  Status OnTanh(const NodeProto& n) { return SimpleActivation(n, LayerKind::kTanh); }
  Status OnSoftsign(const NodeProto& n) { return SimpleActivation(n, LayerKind::kSoftsign); }
  Status OnSoftplus(const NodeProto& n) { return SimpleActivation(n, LayerKind::kSoftplus); }
  Status OnLeakyRelu(const NodeProto& n);
  Status OnElu(const NodeProto& n);
  Status OnSelu(const NodeProto& n);
  Status OnHardSigmoid(const NodeProto& n);
  Status OnClip(const NodeProto& n);
  Status OnSoftmax(const NodeProto& n);
  Status OnFlatten(const NodeProto& n);
  Status OnReshape(const NodeProto& n);
  Status OnTranspose(const NodeProto& n);
  Status OnLayoutOnly(const NodeProto& n) { return Alias(n); }
  Status OnDropout(const NodeProto& n);
  Status OnConstant(const NodeProto& n);
  Status Reshaped(const NodeProto& n, const Value& x, const ir::Shape& target);
  // Convolutional and graph ops (feature maps, merges).
  Status OnConv(const NodeProto& n);
  Status OnPool(const NodeProto& n);
  Status OnGlobalPool(const NodeProto& n);
  Status OnReduce(const NodeProto& n);
  Status OnPad(const NodeProto& n);
  Status OnResize(const NodeProto& n);
  Status OnMerge(const NodeProto& n);
  Status OnConcat(const NodeProto& n);
  // `x` with its IR tensor in the order `want` (a transpose node when it is not yet, made once
  // per value and order).
  StatusOr<Value> InLayout(const NodeProto& n, const Value& x, const std::vector<int64_t>& want);
  // A feature map input: ONNX [C, spatial...] with `spatial` spatial dims, held channels-last.
  StatusOr<Value> FeatureMapIn(const NodeProto& n, int i, size_t spatial);
  // Appends a layer of `kind` reading `inputs`, shape from its layer's inference, and maps
  // output 0 of `n` to it with ONNX shape `onnx_shape` and order `perm`.
  StatusOr<ir::Node*> AddInferred(const NodeProto& n, LayerKind kind,
                                  const std::vector<Value>& inputs,
                                  std::map<std::string, ir::AttrValue> attrs,
                                  std::map<std::string, ir::Tensor> weights, ir::Shape onnx_shape,
                                  std::vector<int64_t> perm);
  std::string Origin(const NodeProto& n) const;
  std::map<std::pair<std::string, std::vector<int64_t>>, std::string> relayouts_;

  const ModelProto& model_;
  std::string path_;
  int64_t opset_ = 0;
  ir::Graph graph_;

  // Current node, for messages.
  const NodeProto* cur_ = nullptr;
  int cur_index_ = 0;

  std::map<std::string, const TensorProto*> constants_;  // initializers and Constant outputs
  std::deque<TensorProto> owned_;                        // values of Constant nodes
  std::map<std::string, Value> values_;                  // ONNX tensor -> layer output
  std::map<std::string, int> uses_;                      // ONNX tensor -> number of readers
  std::set<std::string> names_;                          // IR node names taken
  std::map<std::string, size_t> index_;                  // IR node name -> position
  // Dense nodes from a MatMul (or a Gemm without C) whose zero bias may still take an Add.
  std::set<std::string> bias_free_;
  std::optional<int64_t> batch_size_;  // the first input's batch dimension, when fixed
};

const std::map<std::string, Importer::Handler, std::less<>>& Importer::Handlers() {
  static const auto* const kHandlers = new std::map<std::string, Handler, std::less<>>{
      {"Add", &Importer::OnAdd},
      {"AveragePool", &Importer::OnPool},
      {"BatchNormalization", &Importer::OnBatchNorm},
      {"Clip", &Importer::OnClip},
      {"Concat", &Importer::OnConcat},
      {"Constant", &Importer::OnConstant},
      {"Conv", &Importer::OnConv},
      {"Dropout", &Importer::OnDropout},
      {"Elu", &Importer::OnElu},
      {"Selu", &Importer::OnSelu},
      {"Flatten", &Importer::OnFlatten},
      {"Gemm", &Importer::OnGemm},
      {"GlobalAveragePool", &Importer::OnGlobalPool},
      {"GlobalMaxPool", &Importer::OnGlobalPool},
      {"Max", &Importer::OnMerge},
      {"MaxPool", &Importer::OnPool},
      {"Mean", &Importer::OnMerge},
      {"Min", &Importer::OnMerge},
      {"Mul", &Importer::OnMerge},
      {"Pad", &Importer::OnPad},
      {"ReduceMax", &Importer::OnReduce},
      {"ReduceMean", &Importer::OnReduce},
      {"Resize", &Importer::OnResize},
      {"Sub", &Importer::OnMerge},
      {"Sum", &Importer::OnMerge},
      {"Upsample", &Importer::OnResize},
      {"HardSigmoid", &Importer::OnHardSigmoid},
      {"Identity", &Importer::OnLayoutOnly},
      {"LeakyRelu", &Importer::OnLeakyRelu},
      {"MatMul", &Importer::OnMatMul},
      {"Relu", &Importer::OnRelu},
      {"Reshape", &Importer::OnReshape},
      {"Sigmoid", &Importer::OnSigmoid},
      {"Softmax", &Importer::OnSoftmax},
      {"Softplus", &Importer::OnSoftplus},
      {"Softsign", &Importer::OnSoftsign},
      {"Squeeze", &Importer::OnLayoutOnly},
      {"Tanh", &Importer::OnTanh},
      {"Transpose", &Importer::OnTranspose},
      {"Unsqueeze", &Importer::OnLayoutOnly},
  };
  return *kHandlers;
}

// ---------------------------------------------------------------------------------------------
// Messages

std::string Importer::NodeLabel(const NodeProto& n, int index) const {
  if (!n.name().empty()) return "node '" + n.name() + "'";
  std::string label = "node #" + std::to_string(index);
  if (n.output_size() > 0) label += " (output '" + n.output(0) + "')";
  return label;
}

Status Importer::Err(StatusCode code, const std::string& msg) const {
  std::string where = path_ + ": ";
  if (cur_ != nullptr) where += NodeLabel(*cur_, cur_index_) + " (" + cur_->op_type() + "): ";
  return Status(code, where + msg);
}

// ---------------------------------------------------------------------------------------------
// Graph-level steps

Status Importer::CheckModel() {
  if (!model_.has_graph()) {
    return Err(StatusCode::kInvalidArgument,
               "not an ONNX model: it has no graph (is this an .onnx file?)");
  }
  bool found = false;
  for (const auto& op : model_.opset_import()) {
    if (op.domain().empty() || op.domain() == "ai.onnx") {
      opset_ = op.version();
      found = true;
    }
  }
  if (!found) {
    return Err(StatusCode::kInvalidArgument,
               "the model declares no opset for the default ONNX domain (opset_import is missing; "
               "the file may be truncated)");
  }
  if (opset_ < kMinOpset || opset_ > kMaxOpset) {
    return Err(StatusCode::kUnimplemented,
               "the model uses ONNX opset " + std::to_string(opset_) + "; firmnet imports opsets " +
                   std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) +
                   " (convert it with onnx.version_converter)");
  }
  if (model_.graph().node_size() == 0) {
    return Err(StatusCode::kInvalidArgument, "the graph has no nodes");
  }
  return OkStatus();
}

Status Importer::CollectConstants() {
  for (const auto& t : model_.graph().initializer()) {
    if (t.name().empty()) {
      return Err(StatusCode::kInvalidArgument, "the graph has an initializer without a name");
    }
    constants_[t.name()] = &t;
  }
  for (const auto& n : model_.graph().node()) {
    for (const auto& in : n.input()) {
      if (!in.empty()) ++uses_[in];
    }
  }
  for (const auto& out : model_.graph().output()) ++uses_[out.name()];
  return OkStatus();
}

Status Importer::CheckOps() {
  const auto& handlers = Handlers();
  const auto& nodes = model_.graph().node();
  for (int i = 0; i < nodes.size(); ++i) {
    const NodeProto& n = nodes[i];
    const bool default_domain = n.domain().empty() || n.domain() == "ai.onnx";
    if (default_domain && handlers.count(n.op_type()) > 0) continue;
    std::string op = n.op_type();
    if (!default_domain) op = n.domain() + "." + op;
    return Err(StatusCode::kUnimplemented,
               NodeLabel(n, i) + " has op type '" + op +
                   "', which firmnet cannot import; supported ONNX ops: " +
                   std::string(SupportedOnnxOps()));
  }
  return OkStatus();
}

Status Importer::AddGraphInputs() {
  for (const auto& in : model_.graph().input()) {
    // IR versions < 4 list every initializer as a graph input too; those are weights.
    if (constants_.count(in.name()) > 0) continue;
    const std::string what = "graph input '" + in.name() + "'";
    if (in.name().empty()) return Err(StatusCode::kInvalidArgument, "a graph input has no name");
    if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape()) {
      return Err(StatusCode::kInvalidArgument, what + " has no tensor shape");
    }
    const auto& dims = in.type().tensor_type().shape().dim();
    if (dims.size() < 2) {
      return Err(StatusCode::kUnimplemented,
                 what + " has rank " + std::to_string(dims.size()) +
                     "; firmnet expects [batch, features...] (rank 2 or more)");
    }
    ir::Shape shape;
    for (int d = 1; d < dims.size(); ++d) {
      if (!dims[d].has_dim_value() || dims[d].dim_value() <= 0) {
        return Err(StatusCode::kInvalidArgument,
                   what + ": dimension " + std::to_string(d) +
                       " is not a fixed positive size; only the batch dimension (0) may be "
                       "symbolic");
      }
      if (dims[d].dim_value() > kMaxOnnxTensorElements) {
        return Err(StatusCode::kInvalidArgument,
                   what + ": dimension " + std::to_string(d) + " is too large");
      }
      shape.push_back(dims[d].dim_value());
    }
    if (ir::NumElements(shape) > kMaxOnnxTensorElements) {
      return Err(StatusCode::kInvalidArgument, what + " has too many features");
    }
    if (dims[0].has_dim_value() && !batch_size_) batch_size_ = dims[0].dim_value();
    ir::Node node;
    node.name = UniqueName(in.name(), LayerKind::kInput);
    node.kind = LayerKind::kInput;
    node.shape = shape;
    index_[node.name] = graph_.nodes.size();
    values_[in.name()] = Value{node.name, shape};
    graph_.AddNode(std::move(node));
  }
  if (graph_.nodes.empty()) {
    return Err(StatusCode::kInvalidArgument,
               "the graph has no input other than its initializers (weights)");
  }
  return OkStatus();
}

Status Importer::SetOutputs() {
  if (model_.graph().output_size() == 0) {
    return Err(StatusCode::kInvalidArgument, "the graph has no outputs");
  }
  for (const auto& out : model_.graph().output()) {
    auto it = values_.find(out.name());
    if (it == values_.end()) {
      const char* why = constants_.count(out.name()) > 0 ? "is a constant, not a layer output"
                                                         : "is not produced by any node";
      return Err(StatusCode::kInvalidArgument, "graph output '" + out.name() + "' " + why);
    }
    // The user gets outputs in the model's own layout.
    NodeProto pseudo;
    pseudo.set_name(out.name());
    pseudo.set_op_type("output");
    FIRMNET_ASSIGN_OR_RETURN(Value v,
                             InLayout(pseudo, it->second, Identity(it->second.shape.size())));
    const std::string& node = v.node;
    if (std::find(graph_.outputs.begin(), graph_.outputs.end(), node) == graph_.outputs.end()) {
      graph_.outputs.push_back(node);
    }
  }
  return OkStatus();
}

StatusOr<ir::Graph> Importer::Run() {
  FIRMNET_RETURN_IF_ERROR(CheckModel());
  FIRMNET_RETURN_IF_ERROR(CollectConstants());
  FIRMNET_RETURN_IF_ERROR(CheckOps());
  graph_.name = std::filesystem::path(path_).stem().string();
  if (graph_.name.empty()) graph_.name = "model";
  FIRMNET_RETURN_IF_ERROR(AddGraphInputs());
  const auto& handlers = Handlers();
  const auto& nodes = model_.graph().node();
  for (int i = 0; i < nodes.size(); ++i) {
    cur_ = &nodes[i];
    cur_index_ = i;
    if (cur_->output_size() < 1 || cur_->output(0).empty()) {
      return Err(StatusCode::kInvalidArgument, "the node has no output");
    }
    auto it = handlers.find(cur_->op_type());
    FIRMNET_CHECK(it != handlers.end()) << "CheckOps let '" << cur_->op_type() << "' through";
    FIRMNET_RETURN_IF_ERROR((this->*(it->second))(*cur_));
  }
  cur_ = nullptr;
  FIRMNET_RETURN_IF_ERROR(SetOutputs());
  return std::move(graph_);
}

// ---------------------------------------------------------------------------------------------
// Node inputs, outputs and attributes

Status Importer::NeedInput(const NodeProto& n, int i) const {
  if (HasInput(n, i)) return OkStatus();
  return Err(StatusCode::kInvalidArgument, "has " + std::to_string(n.input_size()) +
                                               " inputs, but input " + std::to_string(i) +
                                               " is required");
}

StatusOr<Value> Importer::LayerIn(const NodeProto& n, int i) const {
  FIRMNET_RETURN_IF_ERROR(NeedInput(n, i));
  const std::string& name = n.input(i);
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  if (constants_.count(name) > 0) {
    return Err(StatusCode::kUnimplemented,
               "input " + std::to_string(i) + " '" + name +
                   "' is a constant, but firmnet needs a layer output here");
  }
  return Err(
      StatusCode::kInvalidArgument,
      "input '" + name + "' is dangling: no graph input, initializer or earlier node produces it");
}

StatusOr<const TensorProto*> Importer::ConstProto(const NodeProto& n, int i,
                                                  std::string_view role) const {
  FIRMNET_RETURN_IF_ERROR(NeedInput(n, i));
  const std::string& name = n.input(i);
  if (auto it = constants_.find(name); it != constants_.end()) return it->second;
  if (values_.count(name) > 0) {
    return Err(StatusCode::kUnimplemented,
               std::string(role) + " input '" + name +
                   "' is computed by the graph; firmnet needs a constant (initializer) here");
  }
  return Err(StatusCode::kInvalidArgument,
             std::string(role) + " input '" + name +
                 "' is dangling: no initializer, Constant node or earlier node produces it");
}

StatusOr<ir::Tensor> Importer::ConstIn(const NodeProto& n, int i, std::string_view role,
                                       bool require_finite) const {
  FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ConstProto(n, i, role));
  StatusOr<ir::Tensor> t = DecodeOnnxTensor(*proto);
  if (!t.ok()) return Err(t.status().code(), std::string(role) + ": " + t.status().message());
  if (require_finite) {
    for (size_t k = 0; k < t->data.size(); ++k) {
      if (!std::isfinite(t->data[k])) {
        return Err(StatusCode::kInvalidArgument, std::string(role) + " '" + n.input(i) +
                                                     "' holds a non-finite value at index " +
                                                     std::to_string(k));
      }
    }
  }
  return t;
}

StatusOr<double> Importer::ScalarIn(const NodeProto& n, int i, std::string_view role) const {
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor t, ConstIn(n, i, role, /*require_finite=*/false));
  if (t.data.size() != 1) {
    return Err(StatusCode::kInvalidArgument, std::string(role) + " '" + n.input(i) +
                                                 "' has shape " + Join(t.shape) +
                                                 "; expected a scalar");
  }
  return t.data[0];
}

const AttributeProto* Importer::FindAttr(const NodeProto& n, std::string_view name) const {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

StatusOr<double> Importer::AttrFloat(const NodeProto& n, std::string_view name, double dflt) const {
  const AttributeProto* a = FindAttr(n, name);
  if (a == nullptr) return dflt;
  if (a->type() == AttributeProto::FLOAT ||
      (a->type() == AttributeProto::UNDEFINED && a->has_f())) {
    return static_cast<double>(a->f());
  }
  return Err(StatusCode::kInvalidArgument, "attribute '" + std::string(name) + "' has type " +
                                               AttributeProto::AttributeType_Name(a->type()) +
                                               ", expected FLOAT");
}

StatusOr<int64_t> Importer::AttrInt(const NodeProto& n, std::string_view name, int64_t dflt) const {
  const AttributeProto* a = FindAttr(n, name);
  if (a == nullptr) return dflt;
  if (a->type() == AttributeProto::INT || (a->type() == AttributeProto::UNDEFINED && a->has_i())) {
    return a->i();
  }
  return Err(StatusCode::kInvalidArgument, "attribute '" + std::string(name) + "' has type " +
                                               AttributeProto::AttributeType_Name(a->type()) +
                                               ", expected INT");
}

StatusOr<std::optional<std::vector<int64_t>>> Importer::AttrInts(const NodeProto& n,
                                                                 std::string_view name) const {
  const AttributeProto* a = FindAttr(n, name);
  if (a == nullptr) return std::optional<std::vector<int64_t>>();
  if (a->type() == AttributeProto::INTS ||
      (a->type() == AttributeProto::UNDEFINED && a->ints_size() > 0)) {
    return std::optional<std::vector<int64_t>>(
        std::vector<int64_t>(a->ints().begin(), a->ints().end()));
  }
  return Err(StatusCode::kInvalidArgument, "attribute '" + std::string(name) + "' has type " +
                                               AttributeProto::AttributeType_Name(a->type()) +
                                               ", expected INTS");
}

Status Importer::Define(const NodeProto& n, const Value& v) {
  const std::string& out = n.output(0);
  if (values_.count(out) > 0 || constants_.count(out) > 0) {
    return Err(StatusCode::kInvalidArgument,
               "output '" + out + "' is already produced by an earlier node or initializer");
  }
  for (int k = 1; k < n.output_size(); ++k) {
    if (!n.output(k).empty() && uses_.count(n.output(k)) > 0) {
      return Err(StatusCode::kUnimplemented,
                 "output " + std::to_string(k) + " '" + n.output(k) +
                     "' is used, but firmnet imports only the inference output (output 0)");
    }
  }
  values_[out] = v;
  return OkStatus();
}

std::string Importer::UniqueName(const std::string& base, LayerKind kind) {
  std::string s;
  for (char c : base) {
    s += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') ? c : '_';
  }
  if (s.empty()) {
    s = std::string(LayerKindId(kind));
  } else if (std::isdigit(static_cast<unsigned char>(s[0])) != 0) {
    s = std::string(LayerKindId(kind)) + "_" + s;
  }
  std::string name = s;
  for (int k = 2; names_.count(name) > 0; ++k) name = s + "_" + std::to_string(k);
  names_.insert(name);
  return name;
}

StatusOr<ir::Node*> Importer::AddLayer(const NodeProto& n, LayerKind kind, const Value& in,
                                       const ir::Shape& shape, std::vector<int64_t> perm) {
  ir::Node node;
  node.name = UniqueName(n.name().empty() ? n.output(0) : n.name(), kind);
  node.kind = kind;
  node.inputs = {in.node};
  node.origin = Origin(n);
  for (size_t i = 0; i < shape.size(); ++i) {
    node.shape.push_back(shape[perm.empty() ? i : static_cast<size_t>(perm[i])]);
  }
  FIRMNET_RETURN_IF_ERROR(Define(n, Value{node.name, shape, std::move(perm)}));
  index_[node.name] = graph_.nodes.size();
  return &graph_.AddNode(std::move(node));
}

Status Importer::CheckDenseInput(const NodeProto& n, const Value& a, int64_t n_in) const {
  if (a.shape.size() != 1) {
    return Err(StatusCode::kUnimplemented,
               "input '" + n.input(0) + "' has feature shape " + Join(a.shape) +
                   "; a dense layer needs a 1-D input (add a Flatten before it)");
  }
  if (a.shape[0] != n_in) {
    return Err(StatusCode::kInvalidArgument,
               "input '" + n.input(0) + "' has " + std::to_string(a.shape[0]) +
                   " features, but weight '" + n.input(1) + "' expects " + std::to_string(n_in));
  }
  return OkStatus();
}

StatusOr<std::vector<double>> Importer::BroadcastBias(const ir::Tensor& c, int64_t n_out,
                                                      std::string_view role) const {
  // Accepted: a scalar (any rank with one element), or n_out values along the last axis with
  // every other dimension 1 ([n_out], [1, n_out]).
  const int64_t count = ir::NumElements(c.shape);
  if (count == 1) return std::vector<double>(static_cast<size_t>(n_out), c.data[0]);
  if (!c.shape.empty() && c.shape.back() == n_out && count == n_out) return c.data;
  return Err(StatusCode::kInvalidArgument, std::string(role) + " has shape " + Join(c.shape) +
                                               ", expected [" + std::to_string(n_out) +
                                               "] or a scalar");
}

Status Importer::Alias(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  return Define(n, x);
}

Status Importer::SimpleActivation(const NodeProto& n, LayerKind kind) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, kind, x, x.shape, x.perm));
  (void)node;
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Dense: Gemm, MatMul, Add

namespace {

Status CheckRank2(const ir::Tensor& w) {
  if (w.shape.size() != 2) {
    return InvalidArgument("has shape " + ir::FormatShape(w.shape) + " (rank " +
                           std::to_string(w.shape.size()) + "), expected a rank-2 matrix");
  }
  if (w.shape[0] == 0 || w.shape[1] == 0) {
    return InvalidArgument("has an empty dimension " + ir::FormatShape(w.shape));
  }
  return OkStatus();
}

}  // namespace

Status Importer::OnGemm(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value a, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(int64_t trans_a, AttrInt(n, "transA", 0));
  FIRMNET_ASSIGN_OR_RETURN(int64_t trans_b, AttrInt(n, "transB", 0));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, AttrFloat(n, "alpha", 1.0));
  FIRMNET_ASSIGN_OR_RETURN(double beta, AttrFloat(n, "beta", 1.0));
  if (trans_a != 0) {
    return Err(StatusCode::kUnimplemented,
               "transA=" + std::to_string(trans_a) +
                   " (a transposed layer input) is not supported; only transA=0");
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor b, ConstIn(n, 1, "weight"));
  if (Status s = CheckRank2(b); !s.ok()) {
    return Err(StatusCode::kInvalidArgument, "weight '" + n.input(1) + "' " + s.message());
  }
  const int64_t n_in = trans_b != 0 ? b.shape[1] : b.shape[0];
  const int64_t n_out = trans_b != 0 ? b.shape[0] : b.shape[1];
  FIRMNET_RETURN_IF_ERROR(CheckDenseInput(n, a, n_in));
  ir::Tensor weight{{n_in, n_out}, std::vector<double>(static_cast<size_t>(n_in * n_out))};
  for (int64_t i = 0; i < n_in; ++i) {
    for (int64_t j = 0; j < n_out; ++j) {
      const double w = trans_b != 0 ? b.data[j * n_in + i] : b.data[i * n_out + j];
      // Skip the multiply for alpha == 1 so that the stored value is bit-identical.
      weight.data[i * n_out + j] = alpha == 1.0 ? w : alpha * w;
    }
  }
  if (alpha == 1.0) weight.dtype = b.dtype;
  ir::Tensor bias{{n_out}, std::vector<double>(static_cast<size_t>(n_out), 0.0)};
  const bool has_c = HasInput(n, 2);
  if (has_c) {
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor c, ConstIn(n, 2, "bias"));
    FIRMNET_ASSIGN_OR_RETURN(bias.data, BroadcastBias(c, n_out, "bias '" + n.input(2) + "'"));
    if (beta != 1.0) {
      for (double& v : bias.data) v *= beta;
    } else {
      bias.dtype = c.dtype;
    }
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kDense, a, {n_out}));
  node->weights["weight"] = std::move(weight);
  node->weights["bias"] = std::move(bias);
  if (!has_c) bias_free_.insert(node->name);
  return OkStatus();
}

Status Importer::OnMatMul(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value a, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor b, ConstIn(n, 1, "weight"));
  if (Status s = CheckRank2(b); !s.ok()) {
    return Err(StatusCode::kInvalidArgument, "weight '" + n.input(1) + "' " + s.message());
  }
  const int64_t n_in = b.shape[0];
  const int64_t n_out = b.shape[1];
  FIRMNET_RETURN_IF_ERROR(CheckDenseInput(n, a, n_in));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kDense, a, {n_out}));
  node->weights["weight"] = std::move(b);
  node->weights["bias"] = ir::Tensor{{n_out}, std::vector<double>(static_cast<size_t>(n_out), 0.0)};
  bias_free_.insert(node->name);
  return OkStatus();
}

Status Importer::OnAdd(const NodeProto& n) {
  FIRMNET_RETURN_IF_ERROR(NeedInput(n, 0));
  FIRMNET_RETURN_IF_ERROR(NeedInput(n, 1));
  // Two layer outputs: a merge (residual add).
  if (values_.count(n.input(0)) > 0 && values_.count(n.input(1)) > 0) return OnMerge(n);
  int layer_side = -1;
  for (int i = 0; i < 2; ++i) {
    if (values_.count(n.input(i)) > 0 && constants_.count(n.input(1 - i)) > 0) layer_side = i;
  }
  if (layer_side < 0) {
    // Name the dangling input when there is one; otherwise the shape of the Add is unsupported.
    for (int i = 0; i < 2; ++i) {
      if (values_.count(n.input(i)) == 0 && constants_.count(n.input(i)) == 0) {
        FIRMNET_RETURN_IF_ERROR(LayerIn(n, i).status());
      }
    }
    return Err(StatusCode::kUnimplemented,
               "Add of two constants is not supported: firmnet imports Add as the bias of a "
               "MatMul or Gemm (a layer output plus a constant) or as a merge of layer outputs");
  }
  const std::string& in_name = n.input(layer_side);
  const Value x = values_.at(in_name);
  const auto idx = index_.find(x.node);
  const bool fusable = bias_free_.count(x.node) > 0 && uses_[in_name] == 1 && idx != index_.end() &&
                       graph_.nodes[idx->second].kind == LayerKind::kDense;
  if (!fusable) {
    return Err(StatusCode::kUnimplemented,
               "Add of a constant is supported only directly after a MatMul or a Gemm without "
               "bias whose result has no other use; input '" +
                   in_name + "' is not");
  }
  ir::Node& dense = graph_.nodes[idx->second];
  const int64_t n_out = dense.shape.at(0);
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor c, ConstIn(n, 1 - layer_side, "bias"));
  FIRMNET_ASSIGN_OR_RETURN(dense.weights["bias"].data,
                           BroadcastBias(c, n_out, "bias '" + n.input(1 - layer_side) + "'"));
  dense.weights["bias"].dtype = c.dtype;
  bias_free_.erase(x.node);
  return Define(n, x);
}

// ---------------------------------------------------------------------------------------------
// BatchNormalization

Status Importer::OnBatchNorm(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(int64_t training, AttrInt(n, "training_mode", 0));
  if (training != 0) {
    return Err(StatusCode::kUnimplemented,
               "training_mode=1 is not supported; export the model in inference mode");
  }
  FIRMNET_ASSIGN_OR_RETURN(double eps, AttrFloat(n, "epsilon", F32(1e-5f)));
  // On a feature map ONNX's channel axis is 1: firmnet holds it last.
  if (x.shape.size() > 1) {
    FIRMNET_ASSIGN_OR_RETURN(x, FeatureMapIn(n, 0, x.shape.size() - 1));
  }
  const int64_t c = x.shape[0];
  static constexpr std::array<std::string_view, 4> kRoles = {"scale", "bias", "mean", "var"};
  std::array<ir::Tensor, 4> p;
  for (int k = 0; k < 4; ++k) {
    FIRMNET_ASSIGN_OR_RETURN(p[k], ConstIn(n, k + 1, kRoles[k]));
    if (p[k].shape.size() != 1 || p[k].shape[0] != c) {
      return Err(StatusCode::kInvalidArgument, std::string(kRoles[k]) + " '" + n.input(k + 1) +
                                                   "' has shape " + Join(p[k].shape) +
                                                   ", expected [" + std::to_string(c) +
                                                   "] (one value per feature)");
    }
  }
  layers::BatchNormFold fold = layers::FoldBatchNorm(&p[0], &p[1], p[2], p[3], eps);
  if (fold.bad_feature) {
    return Err(StatusCode::kInvalidArgument,
               "var + epsilon is not positive for feature " + std::to_string(*fold.bad_feature));
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kBatchNorm, x, x.shape, x.perm));
  node->weights["scale"] = std::move(fold.scale);
  node->weights["bias"] = std::move(fold.bias);
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Parametrized activations

Status Importer::OnLeakyRelu(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, AttrFloat(n, "alpha", F32(0.01f)));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kLeakyRelu, x, x.shape, x.perm));
  node->attrs["alpha"] = alpha;
  return OkStatus();
}

Status Importer::OnElu(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, AttrFloat(n, "alpha", 1.0));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kElu, x, x.shape, x.perm));
  node->attrs["alpha"] = alpha;
  return OkStatus();
}

Status Importer::OnSelu(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  // ONNX's defaults are float32 constants.
  FIRMNET_ASSIGN_OR_RETURN(double alpha, AttrFloat(n, "alpha", F32(1.67326319217681884765625f)));
  FIRMNET_ASSIGN_OR_RETURN(double gamma, AttrFloat(n, "gamma", F32(1.05070102214813232421875f)));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kSelu, x, x.shape, x.perm));
  node->attrs["alpha"] = alpha;
  node->attrs["gamma"] = gamma;
  return OkStatus();
}

Status Importer::OnHardSigmoid(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, AttrFloat(n, "alpha", F32(0.2f)));
  FIRMNET_ASSIGN_OR_RETURN(double beta, AttrFloat(n, "beta", 0.5));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node,
                           AddLayer(n, LayerKind::kHardSigmoid, x, x.shape, x.perm));
  node->attrs["alpha"] = alpha;
  node->attrs["beta"] = beta;
  return OkStatus();
}

Status Importer::OnClip(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  // ONNX's defaults: the float32 range (an unbounded side).
  double lo = std::numeric_limits<float>::lowest();
  double hi = std::numeric_limits<float>::max();
  if (opset_ < 11) {
    FIRMNET_ASSIGN_OR_RETURN(lo, AttrFloat(n, "min", lo));
    FIRMNET_ASSIGN_OR_RETURN(hi, AttrFloat(n, "max", hi));
  } else {
    if (HasInput(n, 1)) {
      FIRMNET_ASSIGN_OR_RETURN(lo, ScalarIn(n, 1, "min"));
    }
    if (HasInput(n, 2)) {
      FIRMNET_ASSIGN_OR_RETURN(hi, ScalarIn(n, 2, "max"));
    }
  }
  if (std::isnan(lo) || std::isnan(hi)) {
    return Err(StatusCode::kInvalidArgument, "min or max is NaN");
  }
  // An infinite bound means no bound; keep the attribute finite for the text IR and backends.
  lo = std::max(lo, static_cast<double>(std::numeric_limits<float>::lowest()));
  hi = std::min(hi, static_cast<double>(std::numeric_limits<float>::max()));
  if (lo > hi) {
    return Err(StatusCode::kInvalidArgument,
               "min " + std::to_string(lo) + " is greater than max " + std::to_string(hi));
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kClip, x, x.shape, x.perm));
  node->attrs["min"] = lo;
  node->attrs["max"] = hi;
  return OkStatus();
}

Status Importer::OnSoftmax(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  // Before opset 13, Softmax flattened the input to 2-D around `axis` (default 1); from 13 on it
  // works along `axis` (default -1). For a [batch, features] tensor both mean "the features".
  FIRMNET_ASSIGN_OR_RETURN(int64_t axis, AttrInt(n, "axis", opset_ < 13 ? 1 : -1));
  const auto rank = static_cast<int64_t>(x.shape.size()) + 1;
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) {
    return Err(StatusCode::kInvalidArgument, "axis " + std::to_string(axis) +
                                                 " is out of range for a rank-" +
                                                 std::to_string(rank) + " tensor");
  }
  if (x.shape.size() != 1 || a != 1) {
    return Err(StatusCode::kUnimplemented,
               "softmax along axis " + std::to_string(axis) + " of a tensor with feature shape " +
                   Join(x.shape) +
                   " is not supported; only the last axis of a 1-D feature "
                   "vector");
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kSoftmax, x, x.shape));
  node->attrs["axis"] = int64_t{-1};
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Shape and layout ops

Status Importer::Reshaped(const NodeProto& n, const Value& x, const ir::Shape& target) {
  if (ir::NumElements(target) != ir::NumElements(x.shape)) {
    return Err(StatusCode::kInvalidArgument, "cannot reshape feature shape " + Join(x.shape) +
                                                 " (" + std::to_string(ir::NumElements(x.shape)) +
                                                 " values) to " + Join(target));
  }
  // A reshape that keeps the shape, or keeps a 1-D feature vector 1-D, is layout only.
  if (target == x.shape) return Define(n, x);
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, LayerKind::kReshape, x, target));
  node->attrs["target_shape"] = target;
  return OkStatus();
}

Status Importer::OnFlatten(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  // ONNX flattens in its own order: a channels-last feature map is transposed back first.
  FIRMNET_ASSIGN_OR_RETURN(x, InLayout(n, x, Identity(x.shape.size())));
  FIRMNET_ASSIGN_OR_RETURN(int64_t axis, AttrInt(n, "axis", 1));
  const auto rank = static_cast<int64_t>(x.shape.size()) + 1;
  const int64_t a = axis < 0 ? axis + rank : axis;
  // axis 0 flattens the batch in too ([1, batch*features]); exporters use it with batch size 1,
  // where it is the same as axis 1.
  if (a != 0 && a != 1) {
    return Err(StatusCode::kUnimplemented,
               "axis " + std::to_string(axis) + " of a tensor with feature shape " + Join(x.shape) +
                   " would fold features into the batch; only axis 0 or 1 is supported");
  }
  return Reshaped(n, x, {ir::NumElements(x.shape)});
}

Status Importer::OnReshape(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(x, InLayout(n, x, Identity(x.shape.size())));
  FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ConstProto(n, 1, "shape"));
  StatusOr<std::vector<int64_t>> decoded = DecodeOnnxIntTensor(*proto);
  if (!decoded.ok()) {
    return Err(decoded.status().code(), "shape: " + decoded.status().message());
  }
  const std::vector<int64_t>& shape = *decoded;
  FIRMNET_ASSIGN_OR_RETURN(int64_t allow_zero, AttrInt(n, "allowzero", 0));
  if (shape.size() < 2) {
    return Err(StatusCode::kUnimplemented,
               "target shape " + Join(shape) +
                   " does not keep a separate batch dimension; firmnet needs [batch, ...]");
  }
  // The first entry is the batch: copied (0), inferred (-1), or the batch size itself.
  const int64_t b = shape[0];
  const bool batch_ok = (b == 0 && allow_zero == 0) || b == -1 || b == 1 ||
                        (batch_size_.has_value() && b == *batch_size_);
  if (!batch_ok) {
    return Err(StatusCode::kUnimplemented,
               "target shape " + Join(shape) + " changes the batch dimension");
  }
  ir::Shape target;
  int infer_at = -1;
  for (size_t i = 1; i < shape.size(); ++i) {
    int64_t d = shape[i];
    if (d == 0 && allow_zero == 0) {
      if (i - 1 >= x.shape.size()) {
        return Err(StatusCode::kInvalidArgument,
                   "target shape " + Join(shape) + " copies dimension " + std::to_string(i) +
                       ", which the input (feature shape " + Join(x.shape) + ") does not have");
      }
      d = x.shape[i - 1];
    } else if (d == -1) {
      if (infer_at >= 0 || b == -1) {
        return Err(StatusCode::kInvalidArgument,
                   "target shape " + Join(shape) + " has more than one -1");
      }
      infer_at = static_cast<int>(target.size());
      d = 1;
    } else if (d <= 0 || d > kMaxOnnxTensorElements) {
      return Err(StatusCode::kInvalidArgument,
                 "target shape " + Join(shape) + " has an invalid dimension " + std::to_string(d));
    }
    target.push_back(d);
  }
  const int64_t total = ir::NumElements(x.shape);
  int64_t known = 1;
  for (int64_t d : target) {
    if (known > total) break;  // stops before the product can overflow; the check below fails
    known *= d;
  }
  if (infer_at >= 0) {
    if (known == 0 || total % known != 0) {
      return Err(StatusCode::kInvalidArgument,
                 "cannot reshape feature shape " + Join(x.shape) + " to " + Join(shape));
    }
    target[static_cast<size_t>(infer_at)] = total / known;
  } else if (known != total) {
    return Err(StatusCode::kInvalidArgument, "cannot reshape feature shape " + Join(x.shape) +
                                                 " (" + std::to_string(total) + " values) to " +
                                                 Join(shape));
  }
  return Reshaped(n, x, target);
}

Status Importer::OnTranspose(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(std::optional<std::vector<int64_t>> perm, AttrInts(n, "perm"));
  const size_t r = x.shape.size();
  std::vector<int64_t> p;  // over the feature axes
  // With at most one dimension larger than 1, a transpose moves no value: it is layout only
  // (exporters wrap BatchNormalization of feature vectors in such transposes, and unit axes
  // that layout-only ops dropped may still appear in perm).
  int64_t big = 0;
  for (int64_t d : x.shape) big += d > 1 ? 1 : 0;
  if (big <= 1) return Define(n, x);
  if (!perm) {
    // ONNX's default reverses every axis, the batch included.
    return Err(StatusCode::kUnimplemented, "Transpose without 'perm' moves the batch axis");
  }
  if (perm->size() != r + 1 || (*perm)[0] != 0) {
    return Err(StatusCode::kUnimplemented,
               "Transpose with perm " + Join(*perm) + " of a tensor with feature shape " +
                   Join(x.shape) + " moves the batch axis or does not match the tensor's rank");
  }
  std::vector<bool> seen(r, false);
  for (size_t i = 1; i <= r; ++i) {
    const int64_t a = (*perm)[i] - 1;
    if (a < 0 || a >= static_cast<int64_t>(r) || seen[a]) {
      return Err(StatusCode::kInvalidArgument, "perm " + Join(*perm) + " is not a permutation");
    }
    seen[a] = true;
    p.push_back(a);
  }
  // The values stay where they are: only the ONNX view changes. New view s'[i] = s[p[i]]; the IR
  // axis i held s[old[i]] = s'[pinv[old[i]]].
  std::vector<int64_t> pinv(r);
  for (size_t i = 0; i < r; ++i) pinv[p[i]] = static_cast<int64_t>(i);
  const std::vector<int64_t> old = PermOf(x);
  Value y{x.node, {}, {}};
  for (size_t i = 0; i < r; ++i) y.shape.push_back(x.shape[p[i]]);
  for (size_t i = 0; i < r; ++i) y.perm.push_back(pinv[old[i]]);
  if (y.perm == Identity(r)) y.perm.clear();
  return Define(n, y);
}

Status Importer::OnDropout(const NodeProto& n) {
  // Inference: Dropout passes its input through; Define rejects a used mask output.
  return Alias(n);
}

Status Importer::OnConstant(const NodeProto& n) {
  if (n.attribute_size() != 1) {
    return Err(StatusCode::kInvalidArgument,
               "has " + std::to_string(n.attribute_size()) + " attributes, expected exactly one");
  }
  const AttributeProto& a = n.attribute(0);
  TensorProto t;
  if (a.name() == "value" && a.has_t()) {
    t = a.t();
  } else if (a.name() == "value_float") {
    t.set_data_type(TensorProto::FLOAT);
    t.add_float_data(a.f());
  } else if (a.name() == "value_floats") {
    t.set_data_type(TensorProto::FLOAT);
    t.add_dims(a.floats_size());
    *t.mutable_float_data() = a.floats();
  } else if (a.name() == "value_int") {
    t.set_data_type(TensorProto::INT64);
    t.add_int64_data(a.i());
  } else if (a.name() == "value_ints") {
    t.set_data_type(TensorProto::INT64);
    t.add_dims(a.ints_size());
    *t.mutable_int64_data() = a.ints();
  } else {
    return Err(
        StatusCode::kUnimplemented,
        "attribute '" + a.name() + "' is not supported; use value, value_float(s) or value_int(s)");
  }
  const std::string& out = n.output(0);
  if (values_.count(out) > 0 || constants_.count(out) > 0) {
    return Err(StatusCode::kInvalidArgument,
               "output '" + out + "' is already produced by an earlier node or initializer");
  }
  t.set_name(out);
  owned_.push_back(std::move(t));
  constants_[out] = &owned_.back();
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Layouts, feature maps and merges

std::string Importer::Origin(const NodeProto& n) const {
  return path_ + " node '" +
         (n.name().empty() ? n.output_size() > 0 ? n.output(0) : "" : n.name()) + "' (" +
         n.op_type() + ")";
}

StatusOr<Value> Importer::InLayout(const NodeProto& n, const Value& x,
                                   const std::vector<int64_t>& want) {
  const std::vector<int64_t> cur = PermOf(x);
  if (cur == want) return x;
  const size_t r = x.shape.size();
  std::vector<int64_t> inv(r);
  for (size_t i = 0; i < r; ++i) inv[cur[i]] = static_cast<int64_t>(i);
  std::vector<int64_t> t(r);  // out[j] = in[t[j]]
  for (size_t j = 0; j < r; ++j) t[j] = inv[want[j]];
  Value y{x.node, x.shape, want == Identity(r) ? std::vector<int64_t>{} : want};
  const auto key = std::make_pair(x.node, want);
  if (auto it = relayouts_.find(key); it != relayouts_.end()) {
    y.node = it->second;
    return y;
  }
  ir::Node node;
  node.name = UniqueName(x.node + "_to_" + (want == Identity(r) ? "onnx" : "channels_last"),
                         LayerKind::kTranspose);
  node.kind = LayerKind::kTranspose;
  node.inputs = {x.node};
  node.attrs["perm"] = t;
  node.origin = Origin(n) + ", layout change";
  const ir::Node* in = graph_.Find(x.node);
  FIRMNET_CHECK(in != nullptr) << x.node;
  if (Status st = layers::InferShape(node, {in}); !st.ok()) {
    return Err(StatusCode::kInternal, "layout change: " + st.message());
  }
  relayouts_[key] = node.name;
  y.node = node.name;
  index_[node.name] = graph_.nodes.size();
  graph_.AddNode(std::move(node));
  return y;
}

StatusOr<Value> Importer::FeatureMapIn(const NodeProto& n, int i, size_t spatial) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, i));
  if (x.shape.size() != spatial + 1) {
    return Err(StatusCode::kUnimplemented, "input '" + n.input(i) + "' has feature shape " +
                                               Join(x.shape) + "; expected [C" +
                                               (spatial == 1   ? ", L]"
                                                : spatial == 2 ? ", H, W]"
                                                               : ", ...]") +
                                               " (" + std::to_string(spatial) + "-D feature map)");
  }
  return InLayout(n, x, ChannelsLast(spatial + 1));
}

StatusOr<ir::Node*> Importer::AddInferred(const NodeProto& n, LayerKind kind,
                                          const std::vector<Value>& inputs,
                                          std::map<std::string, ir::AttrValue> attrs,
                                          std::map<std::string, ir::Tensor> weights,
                                          ir::Shape onnx_shape, std::vector<int64_t> perm) {
  ir::Node node;
  node.name = UniqueName(n.name().empty() ? n.output(0) : n.name(), kind);
  node.kind = kind;
  node.attrs = std::move(attrs);
  node.weights = std::move(weights);
  node.origin = Origin(n);
  layers::NodeInputs ins;
  for (const Value& v : inputs) {
    node.inputs.push_back(v.node);
    ins.push_back(graph_.Find(v.node));
    FIRMNET_CHECK(ins.back() != nullptr) << v.node;
  }
  if (Status st = layers::InferShape(node, ins); !st.ok()) {
    return Err(StatusCode::kInvalidArgument, st.message());
  }
  if (onnx_shape.empty()) {
    // The ONNX view of the result: the IR shape read back through `perm`.
    onnx_shape.resize(node.shape.size());
    for (size_t i = 0; i < node.shape.size(); ++i) {
      onnx_shape[perm.empty() ? i : static_cast<size_t>(perm[i])] = node.shape[i];
    }
  }
  FIRMNET_RETURN_IF_ERROR(Define(n, Value{node.name, onnx_shape, std::move(perm)}));
  index_[node.name] = graph_.nodes.size();
  return &graph_.AddNode(std::move(node));
}

namespace {

// ONNX's `auto_pad` for a window op: explicit pads [begin..., end...] from SAME_UPPER (the larger
// half at the end, as TensorFlow's "same"), SAME_LOWER (at the beginning) or VALID.
StatusOr<std::vector<int64_t>> AutoPads(const std::string& mode, const ir::Shape& spatial,
                                        const std::vector<int64_t>& kernel,
                                        const std::vector<int64_t>& strides,
                                        const std::vector<int64_t>& dilations) {
  const size_t n = spatial.size();
  std::vector<int64_t> pads(2 * n, 0);
  if (mode == "VALID") return pads;
  for (size_t i = 0; i < n; ++i) {
    const int64_t out = (spatial[i] + strides[i] - 1) / strides[i];
    const int64_t total = std::max<int64_t>(
        (out - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - spatial[i], 0);
    const int64_t small = total / 2;
    pads[i] = mode == "SAME_LOWER" ? total - small : small;
    pads[n + i] = total - pads[i];
  }
  return pads;
}

}  // namespace

Status Importer::OnConv(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  if (spatial != 1 && spatial != 2) {
    return Err(StatusCode::kUnimplemented, "input '" + n.input(0) + "' has feature shape " +
                                               Join(x0.shape) +
                                               "; Conv is supported on 1-D and 2-D feature maps");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, FeatureMapIn(n, 0, spatial));
  const int64_t c_in = x.shape[0];
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor w, ConstIn(n, 1, "weight"));
  if (w.shape.size() != spatial + 2) {
    return Err(StatusCode::kInvalidArgument, "weight '" + n.input(1) + "' has shape " +
                                                 Join(w.shape) + ", expected rank " +
                                                 std::to_string(spatial + 2));
  }
  const int64_t c_out = w.shape[0];
  FIRMNET_ASSIGN_OR_RETURN(int64_t group, AttrInt(n, "group", 1));
  std::vector<int64_t> kernel(w.shape.begin() + 2, w.shape.end());
  if (auto ks = AttrInts(n, "kernel_shape"); ks.ok() && ks->has_value() && **ks != kernel) {
    return Err(StatusCode::kInvalidArgument,
               "kernel_shape " + Join(**ks) + " does not match the weight shape " + Join(w.shape));
  }
  const bool depthwise = group > 1 && group == c_in && w.shape[1] == 1 && c_out % c_in == 0;
  if (group != 1 && !depthwise) {
    return Err(StatusCode::kUnimplemented,
               "group=" + std::to_string(group) + " with " + std::to_string(c_in) +
                   " input channels and weight " + Join(w.shape) +
                   " is not supported; hls4ml builds group=1 (Conv) and group=channels "
                   "(depthwise) only");
  }
  if (!depthwise && w.shape[1] != c_in) {
    return Err(StatusCode::kInvalidArgument, "weight '" + n.input(1) + "' has shape " +
                                                 Join(w.shape) + " but the input has " +
                                                 std::to_string(c_in) + " channels");
  }
  FIRMNET_ASSIGN_OR_RETURN(auto strides_opt, AttrInts(n, "strides"));
  FIRMNET_ASSIGN_OR_RETURN(auto dil_opt, AttrInts(n, "dilations"));
  FIRMNET_ASSIGN_OR_RETURN(auto pads_opt, AttrInts(n, "pads"));
  std::vector<int64_t> strides = strides_opt.value_or(std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> dilations = dil_opt.value_or(std::vector<int64_t>(spatial, 1));
  if (strides.size() != spatial || dilations.size() != spatial) {
    return Err(StatusCode::kInvalidArgument,
               "strides/dilations must have " + std::to_string(spatial) + " entries");
  }
  const ir::Shape sp(x.shape.begin() + 1, x.shape.end());
  std::string auto_pad = "NOTSET";
  if (const AttributeProto* a = FindAttr(n, "auto_pad"); a != nullptr) auto_pad = a->s();
  std::vector<int64_t> pads;
  if (auto_pad == "NOTSET") {
    pads = pads_opt.value_or(std::vector<int64_t>(2 * spatial, 0));
  } else if (auto_pad == "VALID" || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (int64_t s : strides) {
      if (s < 1) return Err(StatusCode::kInvalidArgument, "strides " + Join(strides) + " < 1");
    }
    FIRMNET_ASSIGN_OR_RETURN(pads, AutoPads(auto_pad, sp, kernel, strides, dilations));
  } else {
    return Err(StatusCode::kInvalidArgument, "auto_pad '" + auto_pad + "' is not valid");
  }
  // Weight to the IR's Keras layout: conv [k..., C_in, C_out], depthwise [k..., C_in, M].
  const int64_t m = depthwise ? c_out / c_in : 0;
  const int64_t k_elems = ir::NumElements(kernel);
  const int64_t ci_w = depthwise ? 1 : c_in;
  ir::Tensor wk;
  wk.dtype = w.dtype;
  wk.shape = kernel;
  wk.shape.push_back(c_in);
  wk.shape.push_back(depthwise ? m : c_out);
  wk.data.resize(w.data.size());
  for (int64_t o = 0; o < c_out; ++o) {
    for (int64_t ci = 0; ci < ci_w; ++ci) {
      for (int64_t k = 0; k < k_elems; ++k) {
        const double v = w.data[(o * ci_w + ci) * k_elems + k];
        if (depthwise) {
          wk.data[(k * c_in + o / m) * m + o % m] = v;
        } else {
          wk.data[(k * c_in + ci) * c_out + o] = v;
        }
      }
    }
  }
  ir::Tensor bias{{c_out}, std::vector<double>(static_cast<size_t>(c_out), 0.0)};
  if (HasInput(n, 2)) {
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor b, ConstIn(n, 2, "bias"));
    FIRMNET_ASSIGN_OR_RETURN(bias.data, BroadcastBias(b, c_out, "bias '" + n.input(2) + "'"));
    bias.dtype = b.dtype;
  }
  const LayerKind kind =
      depthwise ? (spatial == 1 ? LayerKind::kDepthwiseConv1D : LayerKind::kDepthwiseConv2D)
                : (spatial == 1 ? LayerKind::kConv1D : LayerKind::kConv2D);
  std::map<std::string, ir::AttrValue> attrs = {
      {"strides", strides}, {"pads", pads}, {"dilations", dilations}};
  return AddInferred(n, kind, {x}, std::move(attrs), {{"weight", wk}, {"bias", bias}}, {},
                     ChannelsLast(spatial + 1))
      .status();
}

Status Importer::OnPool(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  if (spatial != 1 && spatial != 2) {
    return Err(StatusCode::kUnimplemented, "input '" + n.input(0) + "' has feature shape " +
                                               Join(x0.shape) +
                                               "; pooling is supported on 1-D and 2-D maps");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, FeatureMapIn(n, 0, spatial));
  FIRMNET_ASSIGN_OR_RETURN(auto ks, AttrInts(n, "kernel_shape"));
  if (!ks || ks->size() != spatial) {
    return Err(StatusCode::kInvalidArgument,
               "kernel_shape must have " + std::to_string(spatial) + " entries");
  }
  FIRMNET_ASSIGN_OR_RETURN(int64_t ceil_mode, AttrInt(n, "ceil_mode", 0));
  if (ceil_mode != 0) {
    return Err(StatusCode::kUnimplemented, "ceil_mode=1 is not supported (hls4ml floors)");
  }
  FIRMNET_ASSIGN_OR_RETURN(auto dil, AttrInts(n, "dilations"));
  if (dil && *dil != std::vector<int64_t>(spatial, 1)) {
    return Err(StatusCode::kUnimplemented, "dilations " + Join(*dil) + " are not supported");
  }
  FIRMNET_ASSIGN_OR_RETURN(auto strides_opt, AttrInts(n, "strides"));
  FIRMNET_ASSIGN_OR_RETURN(auto pads_opt, AttrInts(n, "pads"));
  std::vector<int64_t> strides = strides_opt.value_or(std::vector<int64_t>(spatial, 1));
  std::string auto_pad = "NOTSET";
  if (const AttributeProto* a = FindAttr(n, "auto_pad"); a != nullptr) auto_pad = a->s();
  std::vector<int64_t> pads = pads_opt.value_or(std::vector<int64_t>(2 * spatial, 0));
  if (auto_pad != "NOTSET") {
    if (strides.size() != spatial) {
      return Err(StatusCode::kInvalidArgument,
                 "strides must have " + std::to_string(spatial) + " entries");
    }
    FIRMNET_ASSIGN_OR_RETURN(pads, AutoPads(auto_pad, ir::Shape(x.shape.begin() + 1, x.shape.end()),
                                            *ks, strides, std::vector<int64_t>(spatial, 1)));
  }
  const bool avg = n.op_type() == "AveragePool";
  std::map<std::string, ir::AttrValue> attrs = {
      {"pool_size", *ks}, {"strides", strides}, {"pads", pads}};
  if (avg) {
    FIRMNET_ASSIGN_OR_RETURN(int64_t cip, AttrInt(n, "count_include_pad", 0));
    attrs["count_include_pad"] = cip;
  }
  const LayerKind kind = avg ? (spatial == 1 ? LayerKind::kAvgPool1D : LayerKind::kAvgPool2D)
                             : (spatial == 1 ? LayerKind::kMaxPool1D : LayerKind::kMaxPool2D);
  return AddInferred(n, kind, {x}, std::move(attrs), {}, {}, ChannelsLast(spatial + 1)).status();
}

Status Importer::OnGlobalPool(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  if (spatial != 1 && spatial != 2) {
    return Err(StatusCode::kUnimplemented, "input '" + n.input(0) + "' has feature shape " +
                                               Join(x0.shape) +
                                               "; global pooling of 1-D and 2-D maps only");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, FeatureMapIn(n, 0, spatial));
  const bool avg = n.op_type() == "GlobalAveragePool" || n.op_type() == "ReduceMean";
  const LayerKind kind =
      avg ? (spatial == 1 ? LayerKind::kGlobalAvgPool1D : LayerKind::kGlobalAvgPool2D)
          : (spatial == 1 ? LayerKind::kGlobalMaxPool1D : LayerKind::kGlobalMaxPool2D);
  // ONNX keeps [C, 1, 1]; the unit axes are layout only ([C]).
  return AddInferred(n, kind, {x}, {}, {}, {x.shape[0]}, {}).status();
}

Status Importer::OnReduce(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(auto axes, AttrInts(n, "axes"));
  std::vector<int64_t> a = axes.value_or(std::vector<int64_t>{});
  if (!axes && HasInput(n, 1)) {
    FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ConstProto(n, 1, "axes"));
    FIRMNET_ASSIGN_OR_RETURN(a, DecodeOnnxIntTensor(*proto));
  }
  const int64_t rank = static_cast<int64_t>(x.shape.size()) + 1;
  std::vector<int64_t> want;
  for (int64_t i = 2; i < rank; ++i) want.push_back(i);
  for (int64_t& v : a) v = v < 0 ? v + rank : v;
  std::sort(a.begin(), a.end());
  if (a != want || want.empty()) {
    return Err(StatusCode::kUnimplemented,
               "reducing axes " + Join(a) + " of a rank-" + std::to_string(rank) +
                   " tensor is not supported; only every spatial axis (a global pool)");
  }
  return OnGlobalPool(n);
}

Status Importer::OnPad(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  std::string mode = "constant";
  if (const AttributeProto* a = FindAttr(n, "mode"); a != nullptr) mode = a->s();
  if (mode != "constant") {
    return Err(StatusCode::kUnimplemented, "mode '" + mode + "' is not supported (constant 0)");
  }
  std::vector<int64_t> pads;
  double value = 0;
  if (opset_ < 11) {
    FIRMNET_ASSIGN_OR_RETURN(auto p, AttrInts(n, "pads"));
    pads = p.value_or(std::vector<int64_t>{});
    FIRMNET_ASSIGN_OR_RETURN(value, AttrFloat(n, "value", 0.0));
  } else {
    FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ConstProto(n, 1, "pads"));
    FIRMNET_ASSIGN_OR_RETURN(pads, DecodeOnnxIntTensor(*proto));
    if (HasInput(n, 2)) {
      FIRMNET_ASSIGN_OR_RETURN(value, ScalarIn(n, 2, "constant_value"));
    }
    if (HasInput(n, 3)) return Err(StatusCode::kUnimplemented, "the 'axes' input is not supported");
  }
  if (value != 0) {
    return Err(StatusCode::kUnimplemented,
               "padding with " + std::to_string(value) + " is not supported (zero padding only)");
  }
  const size_t r = spatial + 2;  // with batch and channel
  if (pads.size() != 2 * r || (spatial != 1 && spatial != 2)) {
    return Err(StatusCode::kUnimplemented, "pads " + Join(pads) + " for feature shape " +
                                               Join(x0.shape) +
                                               ": zero padding of 1-D or 2-D feature maps only");
  }
  if (pads[0] != 0 || pads[1] != 0 || pads[r] != 0 || pads[r + 1] != 0) {
    return Err(StatusCode::kUnimplemented,
               "pads " + Join(pads) + " pad the batch or channel axis; only spatial padding");
  }
  std::vector<int64_t> ir_pads;
  for (size_t i = 2; i < r; ++i) ir_pads.push_back(pads[i]);
  for (size_t i = 2; i < r; ++i) ir_pads.push_back(pads[r + i]);
  for (int64_t p : ir_pads) {
    if (p < 0) return Err(StatusCode::kUnimplemented, "negative pads (cropping) are not supported");
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, FeatureMapIn(n, 0, spatial));
  return AddInferred(n, spatial == 1 ? LayerKind::kZeroPad1D : LayerKind::kZeroPad2D, {x},
                     {{"pads", ir_pads}}, {}, {}, ChannelsLast(spatial + 1))
      .status();
}

Status Importer::OnResize(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x0, LayerIn(n, 0));
  const size_t spatial = x0.shape.size() - 1;
  if (spatial != 1 && spatial != 2) {
    return Err(StatusCode::kUnimplemented, "input '" + n.input(0) + "' has feature shape " +
                                               Join(x0.shape) +
                                               "; resizing of 1-D and 2-D maps only");
  }
  std::string mode = "nearest";
  if (const AttributeProto* a = FindAttr(n, "mode"); a != nullptr) mode = a->s();
  if (mode != "nearest") {
    return Err(StatusCode::kUnimplemented, "mode '" + mode + "' is not supported (nearest only)");
  }
  if (n.op_type() == "Resize") {
    std::string ctm = "half_pixel";
    if (const AttributeProto* a = FindAttr(n, "coordinate_transformation_mode"); a != nullptr) {
      ctm = a->s();
    }
    std::string nm = "round_prefer_floor";
    if (const AttributeProto* a = FindAttr(n, "nearest_mode"); a != nullptr) nm = a->s();
    // With an integer factor these modes all repeat each value factor times.
    const bool ok = (ctm == "asymmetric" && nm == "floor") ||
                    ((ctm == "half_pixel" || ctm == "pytorch_half_pixel") &&
                     (nm == "round_prefer_floor" || nm == "round_prefer_ceil"));
    if (!ok) {
      return Err(StatusCode::kUnimplemented, "coordinate_transformation_mode '" + ctm +
                                                 "' with nearest_mode '" + nm +
                                                 "' is not supported (it is not plain repetition)");
    }
  }
  // Scales: Upsample's attribute (opset < 9) or input 1; Resize's input 2, or sizes (input 3).
  std::vector<double> scales;
  const int scale_input = n.op_type() == "Resize" ? (opset_ >= 11 ? 2 : 1) : 1;
  if (n.op_type() == "Upsample" && opset_ < 9) {
    const AttributeProto* a = FindAttr(n, "scales");
    if (a != nullptr) scales.assign(a->floats().begin(), a->floats().end());
  } else if (HasInput(n, scale_input)) {
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor s, ConstIn(n, scale_input, "scales"));
    scales = s.data;
  }
  const size_t r = spatial + 2;
  if (scales.empty() && n.op_type() == "Resize" && HasInput(n, 3)) {
    FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ConstProto(n, 3, "sizes"));
    FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, DecodeOnnxIntTensor(*proto));
    if (sizes.size() != r) {
      return Err(StatusCode::kInvalidArgument,
                 "sizes " + Join(sizes) + " must have " + std::to_string(r) + " entries");
    }
    scales.push_back(1.0);
    for (size_t i = 1; i < r; ++i) {
      scales.push_back(static_cast<double>(sizes[i]) / static_cast<double>(x0.shape[i - 1]));
    }
  }
  if (scales.size() != r) {
    return Err(StatusCode::kInvalidArgument,
               "expected " + std::to_string(r) + " scales (batch, channel, spatial)");
  }
  std::vector<int64_t> size;
  for (size_t i = 0; i < r; ++i) {
    const double s = scales[i];
    if (!(s >= 1) || s != std::floor(s) || s > kMaxOnnxTensorElements) {
      std::string list;
      for (double v : scales) list += (list.empty() ? "" : ", ") + ir::FormatDoubleShortest(v);
      return Err(StatusCode::kUnimplemented,
                 "scales [" + list +
                     "] are not all positive integers; nearest upsampling by "
                     "integer factors only");
    }
    if (i < 2 && s != 1) {
      return Err(StatusCode::kUnimplemented, "scaling the batch or channel axis is not supported");
    }
    if (i >= 2) size.push_back(static_cast<int64_t>(s));
  }
  FIRMNET_ASSIGN_OR_RETURN(Value x, FeatureMapIn(n, 0, spatial));
  return AddInferred(n, spatial == 1 ? LayerKind::kUpSampling1D : LayerKind::kUpSampling2D, {x},
                     {{"size", size}}, {}, {}, ChannelsLast(spatial + 1))
      .status();
}

Status Importer::OnMerge(const NodeProto& n) {
  const std::string& op = n.op_type();
  const LayerKind kind = op == "Add" || op == "Sum" ? LayerKind::kAdd
                         : op == "Sub"              ? LayerKind::kSubtract
                         : op == "Mul"              ? LayerKind::kMultiply
                         : op == "Mean"             ? LayerKind::kAverage
                         : op == "Max"              ? LayerKind::kMaximum
                                                    : LayerKind::kMinimum;
  std::vector<Value> ins;
  for (int i = 0; i < n.input_size(); ++i) {
    if (values_.count(n.input(i)) == 0) {
      FIRMNET_RETURN_IF_ERROR(LayerIn(n, i).status());  // names a constant or a dangling input
    }
    FIRMNET_ASSIGN_OR_RETURN(Value v, LayerIn(n, i));
    if (!ins.empty()) {
      if (v.shape != ins[0].shape) {
        return Err(StatusCode::kInvalidArgument,
                   "inputs '" + n.input(0) + "' " + Join(ins[0].shape) + " and '" + n.input(i) +
                       "' " + Join(v.shape) + " differ in shape; broadcasting is not supported");
      }
      FIRMNET_ASSIGN_OR_RETURN(v, InLayout(n, v, PermOf(ins[0])));
    }
    ins.push_back(v);
  }
  if (ins.size() < 2) return Err(StatusCode::kInvalidArgument, "needs at least two inputs");
  const ir::Shape shape = ins[0].shape;
  std::vector<int64_t> perm = ins[0].perm;
  return AddInferred(n, kind, ins, {}, {}, shape, perm).status();
}

Status Importer::OnConcat(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t axis, AttrInt(n, "axis", 1));
  std::vector<Value> ins;
  for (int i = 0; i < n.input_size(); ++i) {
    FIRMNET_ASSIGN_OR_RETURN(Value v, LayerIn(n, i));
    if (!ins.empty()) {
      if (v.shape.size() != ins[0].shape.size()) {
        return Err(StatusCode::kInvalidArgument, "inputs '" + n.input(0) + "' " +
                                                     Join(ins[0].shape) + " and '" + n.input(i) +
                                                     "' " + Join(v.shape) + " differ in rank");
      }
      FIRMNET_ASSIGN_OR_RETURN(v, InLayout(n, v, PermOf(ins[0])));
    }
    ins.push_back(v);
  }
  if (ins.size() < 2) return Err(StatusCode::kInvalidArgument, "needs at least two inputs");
  const int64_t rank = static_cast<int64_t>(ins[0].shape.size()) + 1;
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a <= 0 || a >= rank) {
    return Err(StatusCode::kInvalidArgument, "axis " + std::to_string(axis) +
                                                 " is the batch axis or out of range for rank " +
                                                 std::to_string(rank));
  }
  // The IR axis that holds ONNX feature axis a-1.
  const std::vector<int64_t> perm = PermOf(ins[0]);
  int64_t ir_axis = 0;
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] == a - 1) ir_axis = static_cast<int64_t>(i);
  }
  ir::Shape shape = ins[0].shape;
  shape[a - 1] = 0;
  for (const Value& v : ins) shape[a - 1] += v.shape[a - 1];
  return AddInferred(n, LayerKind::kConcatenate, ins, {{"axis", ir_axis}}, {}, shape, ins[0].perm)
      .status();
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    return NotFound(path + ": the ONNX model file does not exist");
  }
  if (std::filesystem::is_directory(st)) {
    return InvalidArgument(path + ": is a directory, expected an ONNX model file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path + ": cannot open the ONNX model file for reading");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return IoError(path + ": reading the ONNX model file failed");
  return std::move(buf).str();
}

}  // namespace

std::string_view SupportedOnnxOps() {
  static const std::string* const kList = [] {
    auto* s = new std::string;
    for (const auto& [op, handler] : Importer::Handlers()) *s += (s->empty() ? "" : ", ") + op;
    return s;
  }();
  return *kList;
}

StatusOr<ir::Graph> ImportOnnxFromBytes(std::string_view bytes, const std::string& path) {
  if (bytes.empty()) return InvalidArgument(path + ": the ONNX model file is empty");
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    return InvalidArgument(path +
                           ": the ONNX model file is larger than 2 GiB, which protobuf "
                           "cannot parse; store the weights as external data");
  }
  // Protobuf and the importer may throw (std::bad_alloc on absurd sizes); nothing crosses the API.
  try {
    ModelProto model;
    if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return InvalidArgument(path +
                             ": not a valid ONNX model (protobuf parsing failed; the file is "
                             "truncated, corrupt or not an .onnx file)");
    }
    return Importer(model, path).Run();
  } catch (const std::exception& e) {
    return Internal(path + ": importing the ONNX model failed: " + e.what());
  }
}

StatusOr<ir::Graph> ImportOnnx(const std::string& path) {
  FIRMNET_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  return ImportOnnxFromBytes(bytes, path);
}

}  // namespace firmnet::frontend
