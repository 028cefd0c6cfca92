#include "firmnet/frontend/keras/keras_importer.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "firmnet/frontend/keras/h5_reader.h"
#include "firmnet/layers/batchnorm/batchnorm_fold.h"

namespace firmnet::keras {
namespace {

using json = nlohmann::json;

// Hostile JSON must not make us allocate without bound: a real MLP layer is far smaller.
constexpr int64_t kMaxDim = int64_t{1} << 24;
constexpr uint64_t kMaxJsonBytes = uint64_t{256} << 20;

// ---------------------------------------------------------------------------------------------
// JSON access that never throws and never reads a missing key.

const json* Find(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string Dump(const json& v) {
  std::string s = v.dump(-1, ' ', true, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) return NotFound(path + ": no such file");
  if (std::filesystem::is_directory(st)) return InvalidArgument(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path + ": cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError(path + ": read error");
  std::string text = ss.str();
  if (text.size() > kMaxJsonBytes) return InvalidArgument(path + ": too large for a model JSON");
  return text;
}

// ---------------------------------------------------------------------------------------------
// One Keras layer in chain order, with what the converter needs to name it in errors.

struct KerasLayer {
  std::string name;
  std::string class_name;
  const json* config = nullptr;        // the layer's "config" object
  std::optional<std::string> inbound;  // the producing layer (Functional models)
};

class Converter;
using LayerHandler = Status (Converter::*)(const KerasLayer&);

struct LayerRule {
  std::string_view class_name;
  LayerHandler handler;
};

struct ActivationRule {
  std::string_view name;
  LayerKind kind;
};

// Keras 2 defaults: hard_sigmoid is clip(0.2*x + 0.5, 0, 1); elu's alpha is 1.
constexpr ActivationRule kActivations[] = {
    {"linear", LayerKind::kLinear},
    {"relu", LayerKind::kRelu},
    {"sigmoid", LayerKind::kSigmoid},
    {"tanh", LayerKind::kTanh},
    {"softmax", LayerKind::kSoftmax},
    {"softsign", LayerKind::kSoftsign},
    {"softplus", LayerKind::kSoftplus},
    {"elu", LayerKind::kElu},
    {"hard_sigmoid", LayerKind::kHardSigmoid},
    {"relu6", LayerKind::kClip},
};

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) s += ", ";
    s += names[i];
  }
  return s;
}

// ---------------------------------------------------------------------------------------------

class Converter {
 public:
  Converter(std::string model_file, const H5File& weights, std::string weights_root)
      : model_file_(std::move(model_file)),
        weights_(weights),
        weights_root_(std::move(weights_root)) {}

  StatusOr<ir::Graph> Run(const json& model);

  Status Input(const KerasLayer& l);
  Status Dense(const KerasLayer& l);
  Status Activation(const KerasLayer& l);
  Status Relu(const KerasLayer& l);
  Status LeakyRelu(const KerasLayer& l);
  Status Elu(const KerasLayer& l);
  Status Softmax(const KerasLayer& l);
  Status BatchNorm(const KerasLayer& l);
  Status Dropout(const KerasLayer& l);
  Status Flatten(const KerasLayer& l);
  Status Reshape(const KerasLayer& l);

  static const std::vector<LayerRule>& Rules();

 private:
  std::string Prefix(const KerasLayer& l) const {
    return model_file_ + ": layer '" + l.name + "' (" + l.class_name + "): ";
  }
  Status Error(const KerasLayer& l, const std::string& what) const {
    return InvalidArgument(Prefix(l) + what);
  }

  StatusOr<std::vector<KerasLayer>> CollectLayers(const json& model, std::string* graph_name);
  Status CheckChain(const json& config, const std::vector<KerasLayer>& layers);
  Status AddImplicitInput(const KerasLayer& first, const json& model_config);

  StatusOr<double> Number(const KerasLayer& l, const char* key, double default_value) const;
  StatusOr<int64_t> Integer(const KerasLayer& l, const char* key) const;
  StatusOr<bool> Bool(const KerasLayer& l, const char* key, bool default_value) const;
  StatusOr<ir::Shape> InputShape(const KerasLayer& l, const json& batch_shape) const;
  StatusOr<int64_t> LastAxis(const KerasLayer& l, int64_t default_axis) const;

  // Appends a node reading the current chain tail; it becomes the new tail.
  void Append(ir::Node node);
  std::string UniqueName(const std::string& base);
  Status AddActivation(const KerasLayer& l, const std::string& activation, const std::string& name);
  Status RequireInput(const KerasLayer& l) const;

  // Reads the weights of layer `l`: `keys` (e.g. "kernel", "bias") map to tensors; a key in
  // `required` that is absent is an error naming the weights file and the layer.
  StatusOr<std::map<std::string, ir::Tensor>> LoadWeights(const KerasLayer& l,
                                                          const std::vector<std::string>& keys,
                                                          const std::set<std::string>& required);
  Status CheckShape(const KerasLayer& l, const std::string& key, const ir::Tensor& t,
                    const ir::Shape& expected) const;

  std::string model_file_;
  const H5File& weights_;
  std::string weights_root_;
  ir::Graph graph_;
  std::set<std::string> names_;  // every name in use (Keras layer names and generated ones)
  std::string tail_;             // the IR node whose tensor the next layer reads
  ir::Shape shape_;              // that tensor's shape
};

const std::vector<LayerRule>& Converter::Rules() {
  static const std::vector<LayerRule> kRules = {
      {"InputLayer", &Converter::Input},      {"Dense", &Converter::Dense},
      {"Activation", &Converter::Activation}, {"ReLU", &Converter::Relu},
      {"LeakyReLU", &Converter::LeakyRelu},   {"ELU", &Converter::Elu},
      {"Softmax", &Converter::Softmax},       {"BatchNormalization", &Converter::BatchNorm},
      {"Dropout", &Converter::Dropout},       {"Flatten", &Converter::Flatten},
      {"Reshape", &Converter::Reshape},
  };
  return kRules;
}

StatusOr<double> Converter::Number(const KerasLayer& l, const char* key,
                                   double default_value) const {
  const json* v = Find(*l.config, key);
  if (v == nullptr || v->is_null()) return default_value;
  if (!v->is_number())
    return Error(l, std::string("'") + key + "' must be a number, got " + Dump(*v));
  double d = v->get<double>();
  if (!std::isfinite(d)) return Error(l, std::string("'") + key + "' is not finite");
  return d;
}

StatusOr<int64_t> Converter::Integer(const KerasLayer& l, const char* key) const {
  const json* v = Find(*l.config, key);
  if (v == nullptr || v->is_null()) return Error(l, std::string("missing '") + key + "'");
  if (!v->is_number_integer()) {
    return Error(l, std::string("'") + key + "' must be an integer, got " + Dump(*v));
  }
  return v->get<int64_t>();
}

StatusOr<bool> Converter::Bool(const KerasLayer& l, const char* key, bool default_value) const {
  const json* v = Find(*l.config, key);
  if (v == nullptr || v->is_null()) return default_value;
  if (!v->is_boolean())
    return Error(l, std::string("'") + key + "' must be true or false, got " + Dump(*v));
  return v->get<bool>();
}

StatusOr<ir::Shape> Converter::InputShape(const KerasLayer& l, const json& batch_shape) const {
  if (!batch_shape.is_array() || batch_shape.empty()) {
    return Error(l, "input shape must be a list [batch, dims...], got " + Dump(batch_shape));
  }
  ir::Shape shape;
  for (size_t i = 1; i < batch_shape.size(); ++i) {
    const json& d = batch_shape[i];
    if (!d.is_number_integer() || d.get<int64_t>() <= 0 || d.get<int64_t>() > kMaxDim) {
      return Error(l, "input dimension " + std::to_string(i) + " is " + Dump(d) +
                          "; every dimension except the batch must be a known positive size");
    }
    shape.push_back(d.get<int64_t>());
    // Capping the element count keeps every later product of dimensions far from overflow.
    if (ir::NumElements(shape) > kMaxDim) {
      return Error(l, "input shape " + Dump(batch_shape) + " has more than " +
                          std::to_string(kMaxDim) + " elements");
    }
  }
  if (shape.empty()) return Error(l, "input has no feature dimensions");
  return shape;
}

// Keras's `axis` for BatchNormalization and Softmax: only the last (feature) axis is supported.
StatusOr<int64_t> Converter::LastAxis(const KerasLayer& l, int64_t default_axis) const {
  const json* v = Find(*l.config, "axis");
  int64_t axis = default_axis;
  if (v != nullptr && !v->is_null()) {
    const json* a = v;
    if (v->is_array() && v->size() == 1) a = &(*v)[0];
    if (!a->is_number_integer()) return Error(l, "'axis' must be an integer, got " + Dump(*v));
    axis = a->get<int64_t>();
  }
  const int64_t rank = static_cast<int64_t>(shape_.size());  // without the batch axis
  if (axis != -1 && axis != rank) {
    return Error(l,
                 "axis " + std::to_string(axis) + " is not supported; only the last axis (-1) is");
  }
  return int64_t{-1};
}

std::string Converter::UniqueName(const std::string& base) {
  std::string name = base;
  for (int i = 1; names_.count(name); ++i) name = base + "_" + std::to_string(i);
  names_.insert(name);
  return name;
}

void Converter::Append(ir::Node node) {
  if (!tail_.empty()) node.inputs = {tail_};
  tail_ = node.name;
  shape_ = node.shape;
  graph_.AddNode(std::move(node));
}

Status Converter::RequireInput(const KerasLayer& l) const {
  if (tail_.empty()) {
    return Error(l,
                 "comes before any input; the model needs an InputLayer or a "
                 "'batch_input_shape' on its first layer");
  }
  return OkStatus();
}

Status Converter::AddActivation(const KerasLayer& l, const std::string& activation,
                                const std::string& name) {
  const ActivationRule* rule = nullptr;
  for (const auto& r : kActivations) {
    if (r.name == activation) rule = &r;
  }
  if (rule == nullptr) {
    return Error(l, "unsupported activation '" + activation +
                        "'; supported activations: " + JoinNames(SupportedKerasActivations()));
  }
  ir::Node node;
  node.name = name;
  node.kind = rule->kind;
  node.shape = shape_;
  if (activation == "softmax") {
    node.attrs["axis"] = int64_t{-1};
  } else if (activation == "elu") {
    node.attrs["alpha"] = 1.0;
  } else if (activation == "hard_sigmoid") {
    node.attrs["alpha"] = 0.2;
    node.attrs["beta"] = 0.5;
  } else if (activation == "relu6") {
    node.attrs["min"] = 0.0;
    node.attrs["max"] = 6.0;
  }
  Append(std::move(node));
  return OkStatus();
}

StatusOr<std::map<std::string, ir::Tensor>> Converter::LoadWeights(
    const KerasLayer& l, const std::vector<std::string>& keys,
    const std::set<std::string>& required) {
  const std::string group = weights_root_ + "/" + l.name;
  const std::string where = weights_.path() + ": layer '" + l.name + "' (" + l.class_name + ")";
  if (!weights_.Exists(group)) {
    return NotFound(where + ": no weights (group '" + group +
                    "' is missing); does the weights file "
                    "belong to " +
                    model_file_ + "?");
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

Status Converter::CheckShape(const KerasLayer& l, const std::string& key, const ir::Tensor& t,
                             const ir::Shape& expected) const {
  if (t.shape != expected) {
    return InvalidArgument(weights_.path() + ": layer '" + l.name + "' (" + l.class_name +
                           "): weight '" + key + "' has shape " + ir::FormatShape(t.shape) +
                           " but the architecture in " + model_file_ + " needs " +
                           ir::FormatShape(expected));
  }
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Layer handlers.

Status Converter::Input(const KerasLayer& l) {
  if (!tail_.empty()) {
    return Error(l, "a second input; firmnet imports single-input models only");
  }
  const json* bs = Find(*l.config, "batch_input_shape");
  if (bs == nullptr) bs = Find(*l.config, "batch_shape");  // Keras 3 spelling
  if (bs == nullptr) return Error(l, "missing 'batch_input_shape'");
  FIRMNET_ASSIGN_OR_RETURN(ir::Shape shape, InputShape(l, *bs));
  ir::Node node;
  node.name = l.name;
  node.kind = LayerKind::kInput;
  node.shape = shape;
  Append(std::move(node));
  return OkStatus();
}

Status Converter::Dense(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  if (shape_.size() != 1) {
    return Error(l, "input has shape " + ir::FormatShape(shape_) +
                        "; Dense needs a 1-D input (add a Flatten before it)");
  }
  FIRMNET_ASSIGN_OR_RETURN(int64_t units, Integer(l, "units"));
  if (units <= 0 || units > kMaxDim)
    return Error(l, "'units' must be positive, got " + std::to_string(units));
  FIRMNET_ASSIGN_OR_RETURN(bool use_bias, Bool(l, "use_bias", true));
  std::string activation = "linear";
  if (const json* a = Find(*l.config, "activation"); a != nullptr && !a->is_null()) {
    if (!a->is_string()) return Error(l, "'activation' must be a name, got " + Dump(*a));
    activation = a->get<std::string>();
  }
  // Check the activation before reading weights so that the error names the real problem.
  if (activation != "linear") {
    bool known = false;
    for (const auto& r : kActivations) known = known || r.name == activation;
    if (!known) {
      return Error(l, "unsupported activation '" + activation +
                          "'; supported activations: " + JoinNames(SupportedKerasActivations()));
    }
  }
  const int64_t n_in = shape_[0];
  std::set<std::string> required = {"kernel"};
  if (use_bias) required.insert("bias");
  FIRMNET_ASSIGN_OR_RETURN(auto w, LoadWeights(l, {"kernel", "bias"}, required));
  ir::Tensor& kernel = w["kernel"];
  FIRMNET_RETURN_IF_ERROR(CheckShape(l, "kernel", kernel, {n_in, units}));
  ir::Tensor bias;
  if (use_bias) {
    bias = std::move(w["bias"]);
    FIRMNET_RETURN_IF_ERROR(CheckShape(l, "bias", bias, {units}));
  } else {
    bias.shape = {units};
    bias.data.assign(static_cast<size_t>(units), 0.0);
  }
  ir::Node node;
  node.name = l.name;
  node.kind = LayerKind::kDense;
  node.shape = {units};
  node.weights["weight"] = std::move(kernel);
  node.weights["bias"] = std::move(bias);
  Append(std::move(node));
  if (activation == "linear") return OkStatus();
  return AddActivation(l, activation, UniqueName(l.name + "_" + activation));
}

Status Converter::Activation(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  const json* a = Find(*l.config, "activation");
  if (a == nullptr || !a->is_string()) {
    return Error(l, "'activation' must be a name, got " + (a ? Dump(*a) : std::string("nothing")));
  }
  return AddActivation(l, a->get<std::string>(), l.name);
}

Status Converter::Relu(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  FIRMNET_ASSIGN_OR_RETURN(double threshold, Number(l, "threshold", 0.0));
  FIRMNET_ASSIGN_OR_RETURN(double slope, Number(l, "negative_slope", 0.0));
  const json* mv = Find(*l.config, "max_value");
  std::optional<double> max_value;
  if (mv != nullptr && !mv->is_null()) {
    FIRMNET_ASSIGN_OR_RETURN(double m, Number(l, "max_value", 0.0));
    max_value = m;
  }
  if (threshold != 0.0) return Error(l, "a non-zero 'threshold' is not supported");
  ir::Node node;
  node.name = l.name;
  node.shape = shape_;
  if (max_value.has_value()) {
    if (slope != 0.0)
      return Error(l, "'max_value' together with 'negative_slope' is not supported");
    if (*max_value <= 0.0) return Error(l, "'max_value' must be positive");
    node.kind = LayerKind::kClip;
    node.attrs["min"] = 0.0;
    node.attrs["max"] = *max_value;
  } else if (slope != 0.0) {
    node.kind = LayerKind::kLeakyRelu;
    node.attrs["alpha"] = slope;
  } else {
    node.kind = LayerKind::kRelu;
  }
  Append(std::move(node));
  return OkStatus();
}

Status Converter::LeakyRelu(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  // Keras 2 calls the slope `alpha` (default 0.3); Keras 3 calls it `negative_slope`.
  double alpha = 0.3;
  if (Find(*l.config, "alpha") != nullptr) {
    FIRMNET_ASSIGN_OR_RETURN(alpha, Number(l, "alpha", 0.3));
  } else {
    FIRMNET_ASSIGN_OR_RETURN(alpha, Number(l, "negative_slope", 0.3));
  }
  ir::Node node;
  node.name = l.name;
  node.kind = LayerKind::kLeakyRelu;
  node.shape = shape_;
  node.attrs["alpha"] = alpha;
  Append(std::move(node));
  return OkStatus();
}

Status Converter::Elu(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  FIRMNET_ASSIGN_OR_RETURN(double alpha, Number(l, "alpha", 1.0));
  ir::Node node;
  node.name = l.name;
  node.kind = LayerKind::kElu;
  node.shape = shape_;
  node.attrs["alpha"] = alpha;
  Append(std::move(node));
  return OkStatus();
}

Status Converter::Softmax(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  FIRMNET_ASSIGN_OR_RETURN(int64_t axis, LastAxis(l, -1));
  ir::Node node;
  node.name = l.name;
  node.kind = LayerKind::kSoftmax;
  node.shape = shape_;
  node.attrs["axis"] = axis;
  Append(std::move(node));
  return OkStatus();
}

Status Converter::BatchNorm(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  FIRMNET_RETURN_IF_ERROR(LastAxis(l, -1).status());
  FIRMNET_ASSIGN_OR_RETURN(bool center, Bool(l, "center", true));
  FIRMNET_ASSIGN_OR_RETURN(bool scale, Bool(l, "scale", true));
  FIRMNET_ASSIGN_OR_RETURN(double epsilon, Number(l, "epsilon", 1e-3));
  if (epsilon < 0) return Error(l, "'epsilon' must not be negative");
  const int64_t n = shape_.back();
  std::set<std::string> required = {"moving_mean", "moving_variance"};
  if (center) required.insert("beta");
  if (scale) required.insert("gamma");
  FIRMNET_ASSIGN_OR_RETURN(
      auto w, LoadWeights(l, {"gamma", "beta", "moving_mean", "moving_variance"}, required));
  for (const auto& [key, t] : w) {
    if (required.count(key)) FIRMNET_RETURN_IF_ERROR(CheckShape(l, key, t, {n}));
  }
  layers::BatchNormFold fold =
      layers::FoldBatchNorm(scale ? &w["gamma"] : nullptr, center ? &w["beta"] : nullptr,
                            w["moving_mean"], w["moving_variance"], epsilon);
  if (fold.bad_feature) {
    return InvalidArgument(weights_.path() + ": layer '" + l.name + "' (" + l.class_name +
                           "): moving_variance[" + std::to_string(*fold.bad_feature) +
                           "] + epsilon is not positive");
  }
  ir::Node node;
  node.name = l.name;
  node.kind = LayerKind::kBatchNorm;
  node.shape = shape_;
  node.weights["scale"] = std::move(fold.scale);
  node.weights["bias"] = std::move(fold.bias);
  Append(std::move(node));
  return OkStatus();
}

Status Converter::Dropout(const KerasLayer& l) {
  // Dropout is the identity at inference: the layer disappears and its consumers read its input.
  return RequireInput(l);
}

Status Converter::Flatten(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  ir::Node node;
  node.name = l.name;
  node.kind = LayerKind::kReshape;
  node.shape = {ir::NumElements(shape_)};
  node.attrs["target_shape"] = node.shape;
  Append(std::move(node));
  return OkStatus();
}

Status Converter::Reshape(const KerasLayer& l) {
  FIRMNET_RETURN_IF_ERROR(RequireInput(l));
  const json* ts = Find(*l.config, "target_shape");
  if (ts == nullptr || !ts->is_array() || ts->empty()) {
    return Error(l, "'target_shape' must be a non-empty list, got " +
                        (ts ? Dump(*ts) : std::string("nothing")));
  }
  const int64_t total = ir::NumElements(shape_);
  ir::Shape target;
  int unknown = -1;
  int64_t known = 1;
  for (size_t i = 0; i < ts->size(); ++i) {
    const json& d = (*ts)[i];
    if (!d.is_number_integer())
      return Error(l, "'target_shape' holds " + Dump(d) + ", not an integer");
    int64_t v = d.get<int64_t>();
    if (v == -1 && unknown < 0) {
      unknown = static_cast<int>(i);
    } else if (v <= 0 || v > kMaxDim) {
      return Error(l, "'target_shape' dimension " + std::to_string(v) + " is not valid");
    } else {
      known *= v;
      if (known > total) break;
    }
    target.push_back(v);
  }
  if (unknown >= 0 && known > 0 && total % known == 0)
    target[static_cast<size_t>(unknown)] = total / known;
  if (target.size() != ts->size() || ir::NumElements(target) != total) {
    return Error(l, "cannot reshape " + ir::FormatShape(shape_) + " to " + Dump(*ts));
  }
  ir::Node node;
  node.name = l.name;
  node.kind = LayerKind::kReshape;
  node.shape = target;
  node.attrs["target_shape"] = target;
  Append(std::move(node));
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Model structure.

// The single producing layer named by a Functional layer's `inbound_nodes`, or nullopt for none.
// Keras 2 writes [[["producer", 0, 0, {}]]]; Keras 3 writes
// [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["producer", 0,
// 0]}}]}].
StatusOr<std::optional<std::string>> InboundOf(const std::string& file, const std::string& name,
                                               const std::string& cls, const json& layer) {
  const std::string where = file + ": layer '" + name + "' (" + cls + "): ";
  const json* inbound = Find(layer, "inbound_nodes");
  if (inbound == nullptr || inbound->is_null()) return std::optional<std::string>();
  if (!inbound->is_array()) return InvalidArgument(where + "'inbound_nodes' is not a list");
  if (inbound->empty()) return std::optional<std::string>();
  if (inbound->size() > 1) {
    return InvalidArgument(where + "is shared (called " + std::to_string(inbound->size()) +
                           " times); firmnet imports single-chain models only");
  }
  const json& call = (*inbound)[0];
  std::vector<std::string> producers;
  if (call.is_array()) {
    for (const json& t : call) {
      if (!t.is_array() || t.empty() || !t[0].is_string()) {
        return InvalidArgument(where + "malformed 'inbound_nodes' entry " + Dump(t));
      }
      producers.push_back(t[0].get<std::string>());
    }
  } else if (const json* args = Find(call, "args"); args != nullptr && args->is_array()) {
    for (const json& a : *args) {
      const json* cfg = Find(a, "config");
      const json* hist = cfg ? Find(*cfg, "keras_history") : nullptr;
      if (hist == nullptr || !hist->is_array() || hist->empty() || !(*hist)[0].is_string()) {
        return InvalidArgument(where + "unsupported 'inbound_nodes' argument " + Dump(a) +
                               "; firmnet imports single-chain models only");
      }
      producers.push_back((*hist)[0].get<std::string>());
    }
  } else {
    return InvalidArgument(where + "malformed 'inbound_nodes' " + Dump(call));
  }
  if (producers.size() != 1) {
    std::string list;
    for (const auto& p : producers) list += (list.empty() ? "'" : ", '") + p + "'";
    return InvalidArgument(where + "has " + std::to_string(producers.size()) + " inputs (" + list +
                           "); firmnet imports single-chain models only (no branches or merges)");
  }
  return std::optional<std::string>(producers[0]);
}

// The names in a Functional model's `input_layers` / `output_layers` ([["name", 0, 0], ...]).
std::vector<std::string> EndpointNames(const json& config, const char* key) {
  std::vector<std::string> out;
  const json* v = Find(config, key);
  if (v == nullptr || !v->is_array()) return out;
  // A single endpoint may also be written flat: ["name", 0, 0].
  if (!v->empty() && (*v)[0].is_string()) {
    out.push_back((*v)[0].get<std::string>());
    return out;
  }
  for (const json& e : *v) {
    if (e.is_array() && !e.empty() && e[0].is_string()) out.push_back(e[0].get<std::string>());
  }
  return out;
}

StatusOr<std::vector<KerasLayer>> Converter::CollectLayers(const json& model,
                                                           std::string* graph_name) {
  const json* cls = Find(model, "class_name");
  const json* config = Find(model, "config");
  if (cls == nullptr || !cls->is_string() || config == nullptr) {
    return InvalidArgument(model_file_ +
                           ": not a Keras model (expected a JSON object with "
                           "'class_name' and 'config', as written by model.to_json())");
  }
  const std::string model_class = cls->get<std::string>();
  const bool sequential = model_class == "Sequential";
  if (!sequential && model_class != "Model" && model_class != "Functional") {
    return InvalidArgument(model_file_ + ": not a Keras model: class_name is '" + model_class +
                           "', expected Sequential, Model or Functional");
  }
  const json* layers = config;  // Keras < 2.2.3 Sequential: config is the list of layers
  if (config->is_object()) {
    layers = Find(*config, "layers");
    if (const json* n = Find(*config, "name");
        n != nullptr && n->is_string() && !n->get<std::string>().empty()) {
      *graph_name = n->get<std::string>();
    }
  }
  if (layers == nullptr || !layers->is_array()) {
    return InvalidArgument(model_file_ + ": not a Keras model: " + model_class +
                           " config has no 'layers' list");
  }
  if (layers->empty()) return InvalidArgument(model_file_ + ": the model has no layers");
  std::vector<KerasLayer> out;
  for (size_t i = 0; i < layers->size(); ++i) {
    const json& lj = (*layers)[i];
    const json* lcls = Find(lj, "class_name");
    const json* lcfg = Find(lj, "config");
    if (lcls == nullptr || !lcls->is_string() || lcfg == nullptr || !lcfg->is_object()) {
      return InvalidArgument(model_file_ + ": layer #" + std::to_string(i) +
                             " is not a Keras layer (needs 'class_name' and a 'config' object)");
    }
    KerasLayer l;
    l.class_name = lcls->get<std::string>();
    l.config = lcfg;
    const json* name = Find(*lcfg, "name");
    if (name == nullptr || !name->is_string()) name = Find(lj, "name");
    if (name == nullptr || !name->is_string() || name->get<std::string>().empty()) {
      return InvalidArgument(model_file_ + ": layer #" + std::to_string(i) + " (" + l.class_name +
                             ") has no name");
    }
    l.name = name->get<std::string>();
    if (l.name.find('/') != std::string::npos) {
      return InvalidArgument(model_file_ + ": layer '" + l.name + "' (" + l.class_name +
                             "): a name with '/' cannot be looked up in the weights file");
    }
    if (!sequential) {
      FIRMNET_ASSIGN_OR_RETURN(l.inbound, InboundOf(model_file_, l.name, l.class_name, lj));
    }
    for (const auto& prev : out) {
      if (prev.name == l.name) {
        return InvalidArgument(model_file_ + ": two layers are named '" + l.name + "'");
      }
    }
    out.push_back(std::move(l));
  }
  if (!sequential) FIRMNET_RETURN_IF_ERROR(CheckChain(*config, out));
  return out;
}

// A Functional model must be one chain: one input, each layer reading the one before it, and
// the last layer as the only output.
Status Converter::CheckChain(const json& config, const std::vector<KerasLayer>& layers) {
  auto inputs = EndpointNames(config, "input_layers");
  auto outputs = EndpointNames(config, "output_layers");
  if (inputs.size() > 1) {
    return InvalidArgument(model_file_ + ": the model has " + std::to_string(inputs.size()) +
                           " inputs; firmnet imports single-input, single-chain models only");
  }
  if (outputs.size() > 1) {
    return InvalidArgument(model_file_ + ": the model has " + std::to_string(outputs.size()) +
                           " outputs; firmnet imports single-output, single-chain models only");
  }
  std::map<std::string, std::string> consumer;
  for (size_t i = 0; i < layers.size(); ++i) {
    const KerasLayer& l = layers[i];
    if (!l.inbound.has_value()) {
      if (l.class_name != "InputLayer") {
        return Error(l, "has no inbound layer; only an InputLayer may start the chain");
      }
      if (i != 0) {
        return Error(l, "a second input; firmnet imports single-input, single-chain models only");
      }
      continue;
    }
    if (i == 0) return Error(l, "reads '" + *l.inbound + "', which is not defined before it");
    auto [it, inserted] = consumer.emplace(*l.inbound, l.name);
    if (!inserted) {
      return Error(l, "reads '" + *l.inbound + "', which layer '" + it->second +
                          "' also reads; firmnet imports single-chain models only (no branches)");
    }
    if (*l.inbound != layers[i - 1].name) {
      return Error(l, "reads '" + *l.inbound + "' instead of the layer before it ('" +
                          layers[i - 1].name + "'); firmnet imports single-chain models only");
    }
  }
  if (!outputs.empty() && outputs[0] != layers.back().name) {
    return InvalidArgument(model_file_ + ": the model output is '" + outputs[0] +
                           "', not the last layer of the chain ('" + layers.back().name +
                           "'); firmnet imports single-chain models only");
  }
  return OkStatus();
}

// Sequential models without an InputLayer carry the input shape on their first layer (or, from
// Keras 2.3, as the model's `build_input_shape`); Keras names that input "<first layer>_input".
Status Converter::AddImplicitInput(const KerasLayer& first, const json& model_config) {
  const json* bs = Find(*first.config, "batch_input_shape");
  if (bs == nullptr) bs = Find(model_config, "build_input_shape");
  if (bs == nullptr || bs->is_null()) {
    return Error(first,
                 "the model has no InputLayer and no 'batch_input_shape' on its first layer");
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Shape shape, InputShape(first, *bs));
  ir::Node node;
  node.name = UniqueName(first.name + "_input");
  node.kind = LayerKind::kInput;
  node.shape = shape;
  Append(std::move(node));
  return OkStatus();
}

StatusOr<ir::Graph> Converter::Run(const json& model) {
  std::string graph_name = "model";
  FIRMNET_ASSIGN_OR_RETURN(auto layers, CollectLayers(model, &graph_name));
  graph_.name = graph_name;
  for (const auto& l : layers) names_.insert(l.name);
  const json* config = Find(model, "config");
  if (layers.front().class_name != "InputLayer") {
    FIRMNET_RETURN_IF_ERROR(AddImplicitInput(layers.front(), *config));
  }
  for (const auto& l : layers) {
    const LayerRule* rule = nullptr;
    for (const auto& r : Rules()) {
      if (r.class_name == l.class_name) rule = &r;
    }
    if (rule == nullptr) {
      return Unimplemented(Prefix(l) + "unsupported layer class '" + l.class_name +
                           "'; supported layers: " + JoinNames(SupportedKerasLayers()));
    }
    FIRMNET_RETURN_IF_ERROR((this->*(rule->handler))(l));
  }
  graph_.outputs = {tail_};
  return std::move(graph_);
}

StatusOr<ir::Graph> ImportImpl(const std::string& model_path, const std::string& weights_path) {
  const std::string lower = ToLower(model_path);
  if (EndsWith(lower, ".keras")) {
    return Unimplemented(model_path +
                         ": the Keras 3 '.keras' (zip) format is not supported; save "
                         "the model with model.save('model.h5') or export to_json() plus weights");
  }
  const bool is_json = EndsWith(lower, ".json");
  std::string text;
  std::optional<H5File> model_h5;
  if (is_json) {
    FIRMNET_ASSIGN_OR_RETURN(text, ReadTextFile(model_path));
    if (weights_path.empty()) {
      return InvalidArgument(model_path +
                             ": a Keras JSON architecture needs its weights file "
                             "(.h5); pass it as the weights path");
    }
  } else {
    FIRMNET_ASSIGN_OR_RETURN(H5File f, H5File::Open(model_path));
    if (!f.HasAttribute("/", "model_config")) {
      return InvalidArgument(model_path +
                             ": no 'model_config' attribute, so this is not a full "
                             "Keras model; if it holds only weights, pass the .json architecture "
                             "as the model and this file as the weights");
    }
    FIRMNET_ASSIGN_OR_RETURN(auto cfg, f.ReadStringAttribute("/", "model_config"));
    if (cfg.size() != 1) {
      return InvalidArgument(model_path + ": 'model_config' must be one string, found " +
                             std::to_string(cfg.size()));
    }
    text = std::move(cfg[0]);
    model_h5.emplace(std::move(f));
  }

  json model = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (model.is_discarded()) {
    return InvalidArgument(model_path + (is_json ? "" : ": attribute 'model_config'") +
                           ": not valid JSON");
  }

  std::optional<H5File> weights_h5;
  const H5File* weights = nullptr;
  if (!weights_path.empty()) {
    FIRMNET_ASSIGN_OR_RETURN(H5File f, H5File::Open(weights_path));
    weights_h5.emplace(std::move(f));
    weights = &*weights_h5;
  } else {
    weights = &*model_h5;
  }
  // model.save() nests the weights under /model_weights; save_weights() puts them at the root.
  std::string root = weights->Exists("model_weights") ? "/model_weights" : "";
  if (root.empty() && !is_json && weights_path.empty()) {
    return InvalidArgument(model_path + ": full Keras model without a '/model_weights' group");
  }
  Converter converter(model_path, *weights, root);
  return converter.Run(model);
}

}  // namespace

std::vector<std::string_view> SupportedKerasLayers() {
  std::vector<std::string_view> out;
  for (const auto& r : Converter::Rules()) out.push_back(r.class_name);
  return out;
}

std::vector<std::string_view> SupportedKerasActivations() {
  std::vector<std::string_view> out;
  for (const auto& a : kActivations) out.push_back(a.name);
  return out;
}

StatusOr<ir::Graph> ImportKeras(const std::string& model_path, const std::string& weights_path) {
  // Third-party code (nlohmann::json, the standard library) may throw; nothing crosses our API.
  try {
    return ImportImpl(model_path, weights_path);
  } catch (const std::bad_alloc&) {
    return InvalidArgument(model_path + ": out of memory while importing; is the model damaged?");
  } catch (const std::exception& e) {
    return Internal(model_path + ": unexpected error while importing: " + e.what());
  }
}

}  // namespace firmnet::keras
