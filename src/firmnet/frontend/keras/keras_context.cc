#include "firmnet/frontend/keras/keras_context.h"

#include <cmath>

#include "firmnet/frontend/keras/h5_reader.h"
#include "firmnet/frontend/keras/qkeras_layers.h"
#include "firmnet/frontend/keras/qkeras_quantizer.h"
#include "firmnet/layers/layer.h"
#include "firmnet/layers/selu/selu.h"

namespace firmnet::keras {
namespace {

using json = nlohmann::json;

std::string Dump(const json& v) {
  std::string s = v.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

}  // namespace

const std::vector<KerasActivation>& KerasActivations() {
  // Keras 2 defaults: hard_sigmoid is clip(0.2*x + 0.5, 0, 1); elu's alpha is 1.
  static const std::vector<KerasActivation> kList = {
      {"linear", LayerKind::kLinear},
      {"relu", LayerKind::kRelu},
      {"sigmoid", LayerKind::kSigmoid},
      {"tanh", LayerKind::kTanh},
      {"softmax", LayerKind::kSoftmax},
      {"softsign", LayerKind::kSoftsign},
      {"softplus", LayerKind::kSoftplus},
      {"elu", LayerKind::kElu},
      {"selu", LayerKind::kSelu},
      {"hard_sigmoid", LayerKind::kHardSigmoid},
      {"relu6", LayerKind::kClip},
      {"relu1", LayerKind::kClip},
      {"binary_tanh", LayerKind::kBinaryTanh},
      {"ternary_tanh", LayerKind::kTernaryTanh},
  };
  return kList;
}

KerasContext::KerasContext(const std::string& model_file, const H5File& weights,
                           const std::string& weights_root, const KerasLayer& layer,
                           ir::Graph& graph, std::set<std::string>& names,
                           std::vector<std::string> inputs)
    : model_file_(model_file),
      weights_(weights),
      weights_root_(weights_root),
      layer_(layer),
      graph_(graph),
      names_(names),
      inputs_(std::move(inputs)) {}

const ir::Shape& KerasContext::input_shape(size_t i) const {
  const ir::Node* n = graph_.Find(inputs_.at(i));
  FIRMNET_CHECK(n != nullptr) << "input " << inputs_.at(i) << " of " << layer_.name;
  return n->shape;
}

Status KerasContext::Error(const std::string& what) const {
  return InvalidArgument(model_file_ + ": layer '" + layer_.name + "' (" + layer_.class_name +
                         "): " + what);
}

std::string KerasContext::Origin() const {
  return model_file_ + " layer '" + layer_.name + "' (" + layer_.class_name + ")";
}

const json* KerasContext::Find(std::string_view key) const {
  if (layer_.config == nullptr || !layer_.config->is_object()) return nullptr;
  auto it = layer_.config->find(key);
  return it == layer_.config->end() ? nullptr : &*it;
}

StatusOr<double> KerasContext::Number(const char* key, double default_value) const {
  const json* v = Find(key);
  if (v == nullptr || v->is_null()) return default_value;
  if (!v->is_number()) return Error(std::string("'") + key + "' must be a number, got " + Dump(*v));
  const double d = v->get<double>();
  if (!std::isfinite(d)) return Error(std::string("'") + key + "' is not finite");
  return d;
}

StatusOr<int64_t> KerasContext::Integer(const char* key) const {
  const json* v = Find(key);
  if (v == nullptr || v->is_null()) return Error(std::string("missing '") + key + "'");
  if (!v->is_number_integer()) {
    return Error(std::string("'") + key + "' must be an integer, got " + Dump(*v));
  }
  return v->get<int64_t>();
}

StatusOr<bool> KerasContext::Bool(const char* key, bool default_value) const {
  const json* v = Find(key);
  if (v == nullptr || v->is_null()) return default_value;
  if (!v->is_boolean()) {
    return Error(std::string("'") + key + "' must be true or false, got " + Dump(*v));
  }
  return v->get<bool>();
}

StatusOr<std::string> KerasContext::String(const char* key,
                                           const std::string& default_value) const {
  const json* v = Find(key);
  if (v == nullptr || v->is_null()) return default_value;
  if (!v->is_string()) return Error(std::string("'") + key + "' must be a string, got " + Dump(*v));
  return v->get<std::string>();
}

StatusOr<std::vector<int64_t>> KerasContext::Ints(const char* key, size_t n,
                                                  int64_t min_value) const {
  const json* v = Find(key);
  if (v == nullptr || v->is_null()) return Error(std::string("missing '") + key + "'");
  std::vector<int64_t> out;
  auto bad = [&] {
    return Error(std::string("'") + key + "' must be " + std::to_string(n) +
                 " integer(s) of at least " + std::to_string(min_value) + ", got " + Dump(*v));
  };
  if (v->is_number_integer()) {
    out.assign(n, v->get<int64_t>());
  } else if (v->is_array() && v->size() == n) {
    for (const json& e : *v) {
      if (!e.is_number_integer()) return bad();
      out.push_back(e.get<int64_t>());
    }
  } else {
    return bad();
  }
  for (int64_t x : out) {
    if (x < min_value || x > kMaxDim) return bad();
  }
  return out;
}

StatusOr<std::string> KerasContext::ActivationName() const {
  const json* a = Find("activation");
  if (a == nullptr || a->is_null()) return std::string("linear");
  if (IsQKerasActivation(*a)) {
    // A QKeras quantizer as the activation: its class name, once it parses.
    const std::string where = Error("").message() + "activation";
    FIRMNET_ASSIGN_OR_RETURN(QKerasQuantizer q, ParseQKerasQuantizer(*a, where));
    return q.class_name;
  }
  if (!a->is_string()) return Error("'activation' must be a name, got " + Dump(*a));
  std::string name = a->get<std::string>();
  for (const auto& r : KerasActivations()) {
    if (r.name == name) return name;
  }
  std::string list;
  for (const auto& r : KerasActivations()) list += (list.empty() ? "" : ", ") + std::string(r.name);
  return Error("unsupported activation '" + name + "'; supported activations: " + list);
}

StatusOr<std::map<std::string, ir::Tensor>> KerasContext::LoadWeights(
    const std::vector<std::string>& keys, const std::set<std::string>& required) {
  const KerasLayer& l = layer_;
  const std::string group = weights_root_ + "/" + l.name;
  const std::string where = weights_.path() + ": layer '" + l.name + "' (" + l.class_name + ")";
  if (!weights_.Exists(group)) {
    return NotFound(where + ": no weights (group '" + group +
                    "' is missing); does the weights file belong to " + model_file_ + "?");
  }
  // `weight_names` lists the datasets relative to the layer group (e.g. "fc1/kernel:0"); it is
  // the robust way to find them, since their paths vary between Keras versions.
  std::map<std::string, std::string> found;  // key -> dataset path
  if (weights_.HasAttribute(group, "weight_names")) {
    FIRMNET_ASSIGN_OR_RETURN(auto names, weights_.ReadStringAttribute(group, "weight_names"));
    for (const auto& wn : names) {
      std::string base = wn.substr(wn.rfind('/') == std::string::npos ? 0 : wn.rfind('/') + 1);
      std::string key = base.substr(0, base.find(':'));
      std::string path = group + "/" + wn;
      if (!weights_.Exists(path)) path = group + "/" + l.name + "/" + base;
      if (!weights_.Exists(path)) {
        return NotFound(where + ": weight '" + wn +
                        "' is listed in 'weight_names' but no dataset '" + group + "/" + wn +
                        "' exists");
      }
      found.emplace(key, path);
    }
  } else {
    for (const auto& key : keys) {
      std::string path = group + "/" + l.name + "/" + key + ":0";
      if (weights_.Exists(path)) found.emplace(key, path);
    }
  }
  std::map<std::string, ir::Tensor> out;
  for (const auto& key : keys) {
    auto it = found.find(key);
    if (it == found.end()) {
      if (required.count(key)) {
        return NotFound(where + ": weight '" + key + "' is missing from the weights file");
      }
      continue;
    }
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor t, weights_.ReadTensor(it->second));
    for (double v : t.data) {
      if (!std::isfinite(v)) {
        return InvalidArgument(where + ": weight '" + key + "' ('" + it->second +
                               "') holds a NaN or infinite value");
      }
    }
    out.emplace(key, std::move(t));
  }
  return out;
}

Status KerasContext::CheckShape(const std::string& key, const ir::Tensor& t,
                                const ir::Shape& expected) const {
  if (t.shape == expected) return OkStatus();
  return InvalidArgument(weights_.path() + ": layer '" + layer_.name + "' (" + layer_.class_name +
                         "): weight '" + key + "' has shape " + ir::FormatShape(t.shape) +
                         " but the architecture in " + model_file_ + " needs " +
                         ir::FormatShape(expected));
}

std::string KerasContext::UniqueName(const std::string& base) {
  std::string name = base;
  for (int i = 1; names_.count(name); ++i) name = base + "_" + std::to_string(i);
  names_.insert(name);
  return name;
}

StatusOr<std::string> KerasContext::Emit(ir::Node node) {
  if (node.inputs.empty() && node.kind != LayerKind::kInput) {
    node.inputs.assign(inputs_.begin(), inputs_.end());
  }
  node.origin = Origin();
  names_.insert(node.name);
  auto resolved = layers::ResolveInputs(graph_, node);
  FIRMNET_CHECK(resolved.ok()) << resolved.status().message();
  const layers::NodeInputs& ins = resolved->nodes;
  const LayerInfo& info = GetLayerInfo(node.kind);
  const int n = static_cast<int>(ins.size());
  if (n < info.min_inputs || (info.max_inputs != kAnyInputs && n > info.max_inputs)) {
    std::string names;
    // The Keras layers the user wrote, where this node reads them all.
    std::vector<std::string> shown = layer_.inbound;
    if (shown.size() != node.inputs.size()) {
      shown.clear();
      for (const ir::TensorRef& in : node.inputs) shown.push_back(in.ToString());
    }
    for (const std::string& in : shown) names += (names.empty() ? "'" : ", '") + in + "'";
    return Error("has " + std::to_string(n) + " inputs (" + names + "); a " + std::string(info.id) +
                 " layer takes " +
                 (info.min_inputs == info.max_inputs
                      ? std::to_string(info.min_inputs)
                      : "at least " + std::to_string(info.min_inputs)));
  }
  if (node.kind != LayerKind::kInput) {
    if (Status st = layers::InferShape(node, ins); !st.ok()) return Error(st.message());
  }
  output_ = node.name;
  graph_.AddNode(std::move(node));
  return output_;
}

StatusOr<std::string> KerasContext::EmitActivation(const std::string& activation,
                                                   const std::string& name,
                                                   const std::string& input) {
  const KerasActivation* rule = nullptr;
  for (const auto& r : KerasActivations()) {
    if (r.name == activation) rule = &r;
  }
  if (rule == nullptr) {
    std::string list;
    for (const auto& r : KerasActivations()) {
      list += (list.empty() ? "" : ", ") + std::string(r.name);
    }
    return Error("unsupported activation '" + activation + "'; supported activations: " + list);
  }
  ir::Node node;
  node.name = name;
  node.kind = rule->kind;
  node.inputs = {input};
  if (activation == "softmax") {
    node.attrs["axis"] = int64_t{-1};
  } else if (activation == "elu") {
    node.attrs["alpha"] = 1.0;
  } else if (activation == "selu") {
    node.attrs["alpha"] = layers::kSeluAlpha;
    node.attrs["gamma"] = layers::kSeluGamma;
  } else if (activation == "hard_sigmoid") {
    node.attrs["alpha"] = 0.2;
    node.attrs["beta"] = 0.5;
  } else if (activation == "relu6" || activation == "relu1") {
    node.attrs["min"] = 0.0;
    node.attrs["max"] = activation == "relu6" ? 6.0 : 1.0;
  }
  return Emit(std::move(node));
}

Status KerasContext::EmitWithActivation(ir::Node node) {
  FIRMNET_ASSIGN_OR_RETURN(std::string activation, ActivationName());
  const std::string base = node.name;
  FIRMNET_ASSIGN_OR_RETURN(std::string out, Emit(std::move(node)));
  if (activation == "linear") return OkStatus();
  if (const json* a = Find("activation"); a != nullptr && IsQKerasActivation(*a)) {
    return EmitQKerasActivation(*this, *a, UniqueName(base + "_" + activation), out).status();
  }
  return EmitActivation(activation, UniqueName(base + "_" + activation), out).status();
}

}  // namespace firmnet::keras
