#include "firmnet/frontend/onnx/onnx_importer.h"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "firmnet/frontend/onnx/onnx_context.h"
#include "firmnet/frontend/onnx/onnx_fold.h"

namespace firmnet::onnx {

namespace {

Status ImportAlias(OnnxContext& ctx, const NodeProto& n) { return ctx.Alias(n); }

// Constant: a weight like an initializer.
Status ImportConstant(OnnxContext& ctx, const NodeProto& n) {
  if (n.attribute_size() != 1) {
    return ctx.Err(StatusCode::kInvalidArgument, "has " + std::to_string(n.attribute_size()) +
                                                     " attributes, expected exactly one");
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
    return ctx.Err(
        StatusCode::kUnimplemented,
        "attribute '" + a.name() + "' is not supported; use value, value_float(s) or value_int(s)");
  }
  return ctx.DefineConstant(n, std::move(t));
}

}  // namespace

namespace {

bool IsChannelsLastOp(const NodeProto& n) {
  return RuleKey(n).rfind(std::string(kQonnxChannelsLastDomain) + ".", 0) == 0;
}

}  // namespace

std::string RuleKey(const NodeProto& n) {
  const std::string& d = n.domain();
  if (d.empty() || d == "ai.onnx") return n.op_type();
  // Brevitas exports its quantizers in its own domain, older QONNX files in FINN's; the ops are
  // QONNX's.
  if (d == "onnx.brevitas" || d == "finn.custom_op.general") {
    return std::string(kQonnxDomain) + "." + n.op_type();
  }
  if (d == "finn.custom_op.channels_last") {
    return std::string(kQonnxChannelsLastDomain) + "." + n.op_type();
  }
  return d + "." + n.op_type();
}

const std::vector<OnnxRule>& OnnxRules() {
  static const std::vector<OnnxRule> kRules = [] {
    // The graph-structural ops, which make no layer: Identity, and Squeeze/Unsqueeze (unit axes
    // are layout only), Dropout (the identity at inference; Define rejects a used mask output)
    // and Constant.
    std::vector<OnnxRule> r = {
        {"Constant", &ImportConstant}, {"Dropout", &ImportAlias},   {"Identity", &ImportAlias},
        {"Squeeze", &ImportAlias},     {"Unsqueeze", &ImportAlias},
    };
    auto add = [&](std::vector<OnnxRule> more) { r.insert(r.end(), more.begin(), more.end()); };
    add(OnnxFoldRules());  // ops that are folded on constants and make no layer
#define FIRMNET_ONNX_FACET(id) add(OnnxRules_##id());
#include "firmnet/layers/all_layers_onnx.def"
#undef FIRMNET_ONNX_FACET
    return r;
  }();
  return kRules;
}

namespace {

// The op table: op type -> handler (sorted, as SupportedOnnxOps lists it). An op type claimed
// by two rules is a bug in the rules, not in the model.
const std::map<std::string_view, OnnxHandler, std::less<>>& Handlers() {
  static const auto* const kHandlers = [] {
    auto* m = new std::map<std::string_view, OnnxHandler, std::less<>>;
    for (const OnnxRule& r : OnnxRules()) {
      FIRMNET_CHECK(m->emplace(r.op_type, r.handler).second)
          << "ONNX op type '" << r.op_type << "' is claimed by two rules";
    }
    return m;
  }();
  return *kHandlers;
}

// The importer: the graph-level steps around the rules (inputs, constants, outputs).
class Importer : public OnnxContext {
 public:
  using OnnxContext::OnnxContext;
  StatusOr<ir::Graph> Run();

 private:
  Status CheckModel();
  Status CollectConstants();
  Status CheckOps();
  Status AddGraphInputs();
  Status SetOutputs();
};

constexpr int64_t kMinOpset = 6;
constexpr int64_t kMaxOpset = 17;

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
    if (handlers.count(RuleKey(n)) > 0) continue;
    std::string op = n.op_type();
    if (!n.domain().empty() && n.domain() != "ai.onnx") op = n.domain() + "." + op;
    return Err(StatusCode::kUnimplemented,
               NodeLabel(n, i) + " has op type '" + op +
                   "', which firmnet cannot import; supported ONNX ops: " +
                   std::string(frontend::SupportedOnnxOps()));
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
    // A value defined for the graph output itself (DefineGraphOutput) comes first.
    auto it = graph_output_values_.find(out.name());
    const Value* found = it != graph_output_values_.end() ? &it->second : nullptr;
    if (found == nullptr) {
      auto v = values_.find(out.name());
      if (v != values_.end()) found = &v->second;
    }
    if (found == nullptr) {
      const char* why = constants_.count(out.name()) > 0 ? "is a constant, not a layer output"
                                                         : "is not produced by any node";
      return Err(StatusCode::kInvalidArgument, "graph output '" + out.name() + "' " + why);
    }
    // The user gets outputs in the model's own layout.
    NodeProto pseudo;
    pseudo.set_name(out.name());
    pseudo.set_op_type("output");
    FIRMNET_ASSIGN_OR_RETURN(Value v, InLayout(pseudo, *found, Identity(found->shape.size())));
    if (std::find(graph_.outputs.begin(), graph_.outputs.end(), v.node) == graph_.outputs.end()) {
      graph_.outputs.push_back(v.node);
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
  model_channels_last_ = std::any_of(nodes.begin(), nodes.end(), IsChannelsLastOp);
  for (int i = 0; i < nodes.size(); ++i) {
    cur_ = &nodes[i];
    cur_index_ = i;
    cur_channels_last_ = IsChannelsLastOp(*cur_);
    if (cur_->output_size() < 1 || cur_->output(0).empty()) {
      return Err(StatusCode::kInvalidArgument, "the node has no output");
    }
    auto it = handlers.find(RuleKey(*cur_));
    FIRMNET_CHECK(it != handlers.end()) << "CheckOps let '" << cur_->op_type() << "' through";
    // An op on constants only (a shape computation, a transposed weight) becomes a constant.
    FIRMNET_ASSIGN_OR_RETURN(bool folded, TryFoldConstant(*this, *cur_));
    if (folded) continue;
    FIRMNET_RETURN_IF_ERROR(it->second(*this, *cur_));
  }
  cur_ = nullptr;
  cur_channels_last_ = false;
  FIRMNET_RETURN_IF_ERROR(SetOutputs());
  return std::move(graph_);
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
}  // namespace firmnet::onnx

namespace firmnet::frontend {

using onnx::ModelProto;
using onnx::ReadFile;

std::string_view SupportedOnnxOps() {
  static const std::string* const kList = [] {
    auto* s = new std::string;
    for (const auto& [op, handler] : onnx::Handlers()) {
      *s += (s->empty() ? "" : ", ") + std::string(op);
    }
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
    return onnx::Importer(model, path).Run();
  } catch (const std::exception& e) {
    return Internal(path + ": importing the ONNX model failed: " + e.what());
  }
}

StatusOr<ir::Graph> ImportOnnx(const std::string& path) {
  FIRMNET_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  return ImportOnnxFromBytes(bytes, path);
}

}  // namespace firmnet::frontend
