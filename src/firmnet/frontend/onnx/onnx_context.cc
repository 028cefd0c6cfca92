#include "firmnet/frontend/onnx/onnx_context.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "firmnet/ir/printer.h"
#include "firmnet/layers/layer.h"

namespace firmnet::onnx {

std::vector<int64_t> Identity(size_t n) {
  std::vector<int64_t> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<int64_t>(i);
  return p;
}

std::vector<int64_t> PermOf(const Value& v) {
  return v.perm.empty() ? Identity(v.shape.size()) : v.perm;
}

std::vector<int64_t> ChannelsLast(size_t rank) {
  std::vector<int64_t> p;
  for (size_t i = 1; i < rank; ++i) p.push_back(static_cast<int64_t>(i));
  p.push_back(0);
  return p;
}

std::string Join(const std::vector<int64_t>& v) { return ir::FormatShape(v); }

// ---------------------------------------------------------------------------------------------
// Messages and node inputs

std::string OnnxContext::NodeLabel(const NodeProto& n, int index) const {
  if (!n.name().empty()) return "node '" + n.name() + "'";
  std::string label = "node #" + std::to_string(index);
  if (n.output_size() > 0) label += " (output '" + n.output(0) + "')";
  return label;
}

Status OnnxContext::Err(StatusCode code, const std::string& msg) const {
  std::string where = path_ + ": ";
  if (cur_ != nullptr) where += NodeLabel(*cur_, cur_index_) + " (" + cur_->op_type() + "): ";
  return Status(code, where + msg);
}

std::string OnnxContext::Origin(const NodeProto& n) const {
  return path_ + " node '" +
         (n.name().empty() ? n.output_size() > 0 ? n.output(0) : "" : n.name()) + "' (" +
         n.op_type() + ")";
}

Status OnnxContext::NeedInput(const NodeProto& n, int i) const {
  if (HasInput(n, i)) return OkStatus();
  return Err(StatusCode::kInvalidArgument, "has " + std::to_string(n.input_size()) +
                                               " inputs, but input " + std::to_string(i) +
                                               " is required");
}

StatusOr<Value> OnnxContext::LayerIn(const NodeProto& n, int i) const {
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

StatusOr<const TensorProto*> OnnxContext::ConstProto(const NodeProto& n, int i,
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

StatusOr<ir::Tensor> OnnxContext::ConstIn(const NodeProto& n, int i, std::string_view role,
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

StatusOr<double> OnnxContext::ScalarIn(const NodeProto& n, int i, std::string_view role) const {
  FIRMNET_ASSIGN_OR_RETURN(ir::Tensor t, ConstIn(n, i, role, /*require_finite=*/false));
  if (t.data.size() != 1) {
    return Err(StatusCode::kInvalidArgument, std::string(role) + " '" + n.input(i) +
                                                 "' has shape " + Join(t.shape) +
                                                 "; expected a scalar");
  }
  return t.data[0];
}

const AttributeProto* OnnxContext::FindAttr(const NodeProto& n, std::string_view name) const {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

StatusOr<double> OnnxContext::AttrFloat(const NodeProto& n, std::string_view name,
                                        double dflt) const {
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

StatusOr<int64_t> OnnxContext::AttrInt(const NodeProto& n, std::string_view name,
                                       int64_t dflt) const {
  const AttributeProto* a = FindAttr(n, name);
  if (a == nullptr) return dflt;
  if (a->type() == AttributeProto::INT || (a->type() == AttributeProto::UNDEFINED && a->has_i())) {
    return a->i();
  }
  return Err(StatusCode::kInvalidArgument, "attribute '" + std::string(name) + "' has type " +
                                               AttributeProto::AttributeType_Name(a->type()) +
                                               ", expected INT");
}

StatusOr<std::optional<std::vector<int64_t>>> OnnxContext::AttrInts(const NodeProto& n,
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

std::string OnnxContext::AttrString(const NodeProto& n, std::string_view name,
                                    const std::string& dflt) const {
  const AttributeProto* a = FindAttr(n, name);
  return a != nullptr ? a->s() : dflt;
}

int OnnxContext::Uses(const std::string& name) const {
  auto it = uses_.find(name);
  return it == uses_.end() ? 0 : it->second;
}

bool OnnxContext::IsGraphOutput(const std::string& name) const {
  const auto& outs = model_.graph().output();
  return std::any_of(outs.begin(), outs.end(), [&](const auto& o) { return o.name() == name; });
}

StatusOr<std::vector<double>> OnnxContext::BroadcastBias(const ir::Tensor& c, int64_t n_out,
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

// ---------------------------------------------------------------------------------------------
// Outputs and layouts

Status OnnxContext::Define(const NodeProto& n, const Value& v) { return DefinePorts(n, {v}); }

Status OnnxContext::DefinePorts(const NodeProto& n, const std::vector<Value>& given) {
  std::vector<Value> ports = given;
  if (cur_channels_last_) {
    // The handler's [C, spatial...] view back to the node's [spatial..., C]: view axis j is
    // axis (j + 1) % r of the handler's, so IR axis i (handler axis p[i]) is view axis p[i] - 1.
    for (Value& v : ports) {
      const size_t r = v.shape.size();
      if (r < 2) continue;
      const std::vector<int64_t> p = PermOf(v);
      ir::Shape shape(r);
      std::vector<int64_t> perm(r);
      for (size_t j = 0; j < r; ++j) shape[j] = v.shape[(j + 1) % r];
      for (size_t i = 0; i < r; ++i) perm[i] = (p[i] + static_cast<int64_t>(r) - 1) % r;
      v.shape = std::move(shape);
      v.perm = perm == Identity(r) ? std::vector<int64_t>{} : std::move(perm);
    }
  }
  for (size_t k = 0; k < ports.size(); ++k) {
    const std::string& out = n.output(static_cast<int>(k));
    if (out.empty()) continue;  // an optional output left out
    if (values_.count(out) > 0 || constants_.count(out) > 0) {
      return Err(StatusCode::kInvalidArgument,
                 "output '" + out + "' is already produced by an earlier node or initializer");
    }
  }
  for (int k = static_cast<int>(ports.size()); k < n.output_size(); ++k) {
    if (!n.output(k).empty() && uses_.count(n.output(k)) > 0) {
      return Err(StatusCode::kUnimplemented,
                 "output " + std::to_string(k) + " '" + n.output(k) + "' is used, but firmnet " +
                     (ports.size() == 1
                          ? "imports only the inference output (output 0)"
                          : "imports only the first " + std::to_string(ports.size()) + " outputs"));
    }
  }
  for (size_t k = 0; k < ports.size(); ++k) {
    const std::string& out = n.output(static_cast<int>(k));
    if (!out.empty()) values_[out] = ports[k];
  }
  return OkStatus();
}

Status OnnxContext::Alias(const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  return Define(n, x);
}

std::string OnnxContext::UniqueName(const std::string& base, LayerKind kind) {
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

StatusOr<ir::Node*> OnnxContext::AddLayer(const NodeProto& n, LayerKind kind, const Value& in,
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

StatusOr<std::pair<ir::Node*, Value>> OnnxContext::AddStep(const NodeProto& n, LayerKind kind,
                                                           const Value& in,
                                                           const std::string& suffix) {
  ir::Node node;
  node.name = UniqueName((n.name().empty() ? n.output(0) : n.name()) + suffix, kind);
  node.kind = kind;
  node.inputs = {in.node};
  node.origin = Origin(n);
  for (size_t i = 0; i < in.shape.size(); ++i) {
    node.shape.push_back(in.shape[in.perm.empty() ? i : static_cast<size_t>(in.perm[i])]);
  }
  Value out{node.name, in.shape, in.perm};
  index_[node.name] = graph_.nodes.size();
  return std::make_pair(&graph_.AddNode(std::move(node)), std::move(out));
}

Status OnnxContext::SimpleActivation(const NodeProto& n, LayerKind kind) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, AddLayer(n, kind, x, x.shape, x.perm));
  (void)node;
  return OkStatus();
}

StatusOr<Value> OnnxContext::InLayout(const NodeProto& n, const Value& x,
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
  node.name = UniqueName(x.node.node + (x.node.port == 0 ? "" : "_" + std::to_string(x.node.port)) +
                             "_to_" + (want == Identity(r) ? "onnx" : "channels_last"),
                         LayerKind::kTranspose);
  node.kind = LayerKind::kTranspose;
  node.inputs = {x.node};
  node.attrs["perm"] = t;
  node.origin = Origin(n) + ", layout change";
  auto in = layers::ResolveInputs(graph_, node);
  FIRMNET_CHECK(in.ok()) << in.status().message();
  if (Status st = layers::InferShape(node, in->nodes); !st.ok()) {
    return Err(StatusCode::kInternal, "layout change: " + st.message());
  }
  relayouts_[key] = node.name;
  y.node = node.name;
  index_[node.name] = graph_.nodes.size();
  graph_.AddNode(std::move(node));
  return y;
}

StatusOr<Value> OnnxContext::FeatureMapIn(const NodeProto& n, int i, size_t spatial) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, LayerIn(n, i));
  if (x.shape.size() != spatial + 1) {
    return Err(StatusCode::kUnimplemented, "input '" + n.input(i) + "' has feature shape " +
                                               Join(x.shape) + "; expected [C" +
                                               (spatial == 1   ? ", L]"
                                                : spatial == 2 ? ", H, W]"
                                                               : ", ...]") +
                                               " (" + std::to_string(spatial) + "-D feature map)");
  }
  if (cur_channels_last_) {
    // The node's [spatial..., C] held as it is, handed over as the [C, spatial...] view.
    FIRMNET_ASSIGN_OR_RETURN(x, InLayout(n, x, Identity(spatial + 1)));
    ir::Shape view = {x.shape.back()};
    view.insert(view.end(), x.shape.begin(), x.shape.end() - 1);
    return Value{x.node, view, ChannelsLast(spatial + 1)};
  }
  return InLayout(n, x, ChannelsLast(spatial + 1));
}

StatusOr<ir::Node*> OnnxContext::AddInferred(const NodeProto& n, LayerKind kind,
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
  for (const Value& v : inputs) node.inputs.push_back(v.node);
  auto ins = layers::ResolveInputs(graph_, node);
  FIRMNET_CHECK(ins.ok()) << ins.status().message();
  if (Status st = layers::InferShape(node, ins->nodes); !st.ok()) {
    return Err(StatusCode::kInvalidArgument, st.message());
  }
  // The ONNX view of a result: the IR shape read back through `perm`.
  auto onnx_view = [&](const ir::Shape& ir_shape) {
    ir::Shape v(ir_shape.size());
    for (size_t i = 0; i < ir_shape.size(); ++i) {
      v[perm.empty() ? i : static_cast<size_t>(perm[i])] = ir_shape[i];
    }
    return v;
  };
  if (onnx_shape.empty()) onnx_shape = onnx_view(node.shape);
  std::vector<Value> ports = {Value{node.name, onnx_shape, perm}};
  for (int p = 1; p < node.NumOutputs(); ++p) {
    ports.push_back(Value{ir::TensorRef(node.name, p), onnx_view(node.OutputShape(p)), perm});
  }
  FIRMNET_RETURN_IF_ERROR(DefinePorts(n, ports));
  index_[node.name] = graph_.nodes.size();
  return &graph_.AddNode(std::move(node));
}

Status OnnxContext::DefineConstant(const NodeProto& n, TensorProto t) {
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

Status OnnxContext::DefineQuantizedConstant(const NodeProto& n, const ir::Tensor& t, ConstQuant q) {
  TensorProto proto;
  proto.set_data_type(TensorProto::DOUBLE);
  for (int64_t d : t.shape) proto.add_dims(d);
  for (double v : t.data) proto.add_double_data(v);
  FIRMNET_RETURN_IF_ERROR(DefineConstant(n, std::move(proto)));
  const_quant_[n.output(0)] = q;
  return OkStatus();
}

const OnnxContext::ConstQuant* OnnxContext::ConstQuantOf(const NodeProto& n, int i) const {
  if (!HasInput(n, i)) return nullptr;
  auto it = const_quant_.find(n.input(i));
  return it == const_quant_.end() ? nullptr : &it->second;
}

void OnnxContext::ApplyConstQuant(const NodeProto& n, int i, ir::Node& node,
                                  const std::string& slot) const {
  const ConstQuant* q = ConstQuantOf(n, i);
  if (q == nullptr) return;
  node.model_precision[slot] = q->type;
  // hls4ml's XNOR kernel (-1/+1 held as 0/1): a binary weight, no precision inference.
  if (q->xnor && slot == "weight") node.attrs["weight_quantizer"] = std::string("xnor");
}

ir::Node* OnnxContext::FindNode(const std::string& name) {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &graph_.nodes[it->second];
}

}  // namespace firmnet::onnx
