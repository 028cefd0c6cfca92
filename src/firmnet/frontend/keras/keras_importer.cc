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
#include "firmnet/frontend/keras/keras_context.h"
#include "firmnet/frontend/keras/keras_shapes.h"
#include "firmnet/frontend/keras/qkeras_layers.h"

namespace firmnet::keras {
namespace {

using json = nlohmann::json;

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
// Rules: every layer folder's <id>_keras.cc, plus the classes that are not one layer kind.

// Activation: the kind its `activation` names.
Status ImportActivation(KerasContext& ctx) {
  const json* a = ctx.Find("activation");
  if (a == nullptr || !a->is_string()) {
    return ctx.Error("'activation' must be a name, got " + (a ? Dump(*a) : std::string("nothing")));
  }
  return ctx.EmitActivation(a->get<std::string>(), ctx.layer().name, ctx.input()).status();
}

// Dropout and friends are the identity at inference: the layer disappears and its consumers
// read its input.
Status ImportIdentity(KerasContext& ctx) {
  ctx.PassThrough();
  return OkStatus();
}

const std::vector<KerasRule>& Rules() {
  static const std::vector<KerasRule> kRules = [] {
    std::vector<KerasRule> r = {
        {"Activation", &ImportActivation},     {"QActivation", &ImportQActivation},
        {"Dropout", &ImportIdentity},          {"SpatialDropout1D", &ImportIdentity},
        {"SpatialDropout2D", &ImportIdentity}, {"GaussianNoise", &ImportIdentity},
        {"GaussianDropout", &ImportIdentity},  {"AlphaDropout", &ImportIdentity}};
    auto add = [&](std::vector<KerasRule> more) { r.insert(r.end(), more.begin(), more.end()); };
#define FIRMNET_KERAS_FACET(id) add(KerasRules_##id());
#include "firmnet/layers/all_layers_keras.def"
#undef FIRMNET_KERAS_FACET
    return r;
  }();
  return kRules;
}

const KerasRule* FindRule(const std::string& class_name) {
  for (const auto& r : Rules()) {
    if (r.class_name == class_name) return &r;
  }
  return nullptr;
}

std::string SupportedList() {
  std::vector<std::string_view> names;
  for (const auto& r : Rules()) names.push_back(r.class_name);
  std::sort(names.begin(), names.end());
  std::string s;
  for (auto n : names) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Model structure.

// The single producing layer named by a Functional layer's `inbound_nodes`, or nullopt for none.
// Keras 2 writes [[["producer", 0, 0, {}]]]; Keras 3 writes
// [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["producer", 0,
// 0]}}]}].
StatusOr<std::vector<std::string>> InboundOf(const std::string& file, const std::string& name,
                                             const std::string& cls, const json& layer) {
  const std::string where = file + ": layer '" + name + "' (" + cls + "): ";
  const json* inbound = Find(layer, "inbound_nodes");
  if (inbound == nullptr || inbound->is_null()) return std::vector<std::string>();
  if (!inbound->is_array()) return InvalidArgument(where + "'inbound_nodes' is not a list");
  if (inbound->empty()) return std::vector<std::string>();
  if (inbound->size() > 1) {
    return InvalidArgument(where + "is shared (called " + std::to_string(inbound->size()) +
                           " times); firmnet does not import shared layers");
  }
  const json& call = (*inbound)[0];
  std::vector<std::string> producers;
  if (call.is_array()) {
    for (const json& t : call) {
      if (!t.is_array() || t.empty() || !t[0].is_string()) {
        return InvalidArgument(where + "malformed 'inbound_nodes' entry " + Dump(t));
      }
      if (t.size() >= 3 && t[2].is_number_integer() && t[2].get<int64_t>() != 0) {
        return InvalidArgument(where + "reads output " + Dump(t[2]) + " of '" +
                               t[0].get<std::string>() +
                               "'; firmnet imports layers with one output only");
      }
      producers.push_back(t[0].get<std::string>());
    }
  } else if (const json* args = Find(call, "args");
             args != nullptr && args->is_array() && args->size() == 1 && (*args)[0].is_array()) {
    // Keras 3 merges: one argument, the list of input tensors.
    for (const json& a : (*args)[0]) {
      const json* cfg = Find(a, "config");
      const json* hist = cfg ? Find(*cfg, "keras_history") : nullptr;
      if (hist == nullptr || !hist->is_array() || hist->empty() || !(*hist)[0].is_string()) {
        return InvalidArgument(where + "unsupported 'inbound_nodes' argument " + Dump(a));
      }
      producers.push_back((*hist)[0].get<std::string>());
    }
  } else if (const json* args = Find(call, "args"); args != nullptr && args->is_array()) {
    for (const json& a : *args) {
      const json* cfg = Find(a, "config");
      const json* hist = cfg ? Find(*cfg, "keras_history") : nullptr;
      if (hist == nullptr || !hist->is_array() || hist->empty() || !(*hist)[0].is_string()) {
        return InvalidArgument(where + "unsupported 'inbound_nodes' argument " + Dump(a));
      }
      producers.push_back((*hist)[0].get<std::string>());
    }
  } else {
    return InvalidArgument(where + "malformed 'inbound_nodes' " + Dump(call));
  }
  if (producers.empty()) return InvalidArgument(where + "'inbound_nodes' names no input");
  return producers;
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

class Converter {
 public:
  Converter(std::string model_file, const H5File& weights, std::string weights_root)
      : model_file_(std::move(model_file)),
        weights_(weights),
        weights_root_(std::move(weights_root)) {}

  StatusOr<ir::Graph> Run(const json& model);

 private:
  StatusOr<std::vector<KerasLayer>> CollectLayers(const json& model, std::string* graph_name);
  Status AddImplicitInput(const KerasLayer& first, const json& model_config);
  Status Error(const KerasLayer& l, const std::string& what) const {
    return InvalidArgument(model_file_ + ": layer '" + l.name + "' (" + l.class_name +
                           "): " + what);
  }

  std::string model_file_;
  const H5File& weights_;
  std::string weights_root_;
  ir::Graph graph_;
  std::set<std::string> names_;                 // every name in use
  std::map<std::string, std::string> outputs_;  // Keras layer -> the IR tensor it outputs
};

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
  return out;
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
  KerasContext ctx(model_file_, weights_, weights_root_, first, graph_, names_, {});
  FIRMNET_ASSIGN_OR_RETURN(ir::Shape shape, BatchShape(ctx, *bs));
  ir::Node node;
  node.name = ctx.UniqueName(first.name + "_input");
  node.kind = LayerKind::kInput;
  node.shape = shape;
  FIRMNET_ASSIGN_OR_RETURN(std::string name, ctx.Emit(std::move(node)));
  outputs_[""] = name;
  return OkStatus();
}

StatusOr<ir::Graph> Converter::Run(const json& model) {
  std::string graph_name = "model";
  FIRMNET_ASSIGN_OR_RETURN(auto layers, CollectLayers(model, &graph_name));
  graph_.name = graph_name;
  for (const auto& l : layers) names_.insert(l.name);
  const json* config = Find(model, "config");
  const bool sequential = Find(model, "class_name")->get<std::string>() == "Sequential";
  std::string previous;  // Sequential: the tensor the next layer reads
  if (sequential && layers.front().class_name != "InputLayer") {
    FIRMNET_RETURN_IF_ERROR(AddImplicitInput(layers.front(), *config));
    previous = outputs_[""];
  }
  for (const auto& l : layers) {
    const KerasRule* rule = FindRule(l.class_name);
    if (rule == nullptr) {
      return Unimplemented(model_file_ + ": layer '" + l.name + "' (" + l.class_name +
                           "): unsupported: " + l.class_name +
                           "; supported layers: " + SupportedList());
    }
    std::vector<std::string> inputs;
    if (sequential) {
      if (!previous.empty()) inputs.push_back(previous);
    } else {
      for (const std::string& p : l.inbound) {
        auto it = outputs_.find(p);
        if (it == outputs_.end()) {
          return Error(l, "reads '" + p + "', which is not a layer defined before it");
        }
        inputs.push_back(it->second);
      }
    }
    if (inputs.empty() && l.class_name != "InputLayer") {
      return Error(l, sequential ? "comes before any input; the model needs an InputLayer or a "
                                   "'batch_input_shape' on its first layer"
                                 : "has no inbound layer; only an InputLayer may start the graph");
    }
    if (!inputs.empty() && l.class_name == "InputLayer") {
      return Error(l, "an InputLayer after other layers");
    }
    KerasContext ctx(model_file_, weights_, weights_root_, l, graph_, names_, inputs);
    FIRMNET_RETURN_IF_ERROR(rule->handler(ctx));
    FIRMNET_CHECK(!ctx.output().empty()) << "rule for " << l.class_name << " set no output";
    outputs_[l.name] = ctx.output();
    previous = ctx.output();
  }
  if (sequential) {
    graph_.outputs = {previous};
  } else {
    std::vector<std::string> outs = EndpointNames(*config, "output_layers");
    if (outs.empty()) outs.push_back(layers.back().name);
    for (const std::string& o : outs) {
      auto it = outputs_.find(o);
      if (it == outputs_.end()) {
        return InvalidArgument(model_file_ + ": output layer '" + o + "' is not a layer");
      }
      graph_.outputs.push_back(it->second);
    }
  }
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
  for (const auto& r : Rules()) out.push_back(r.class_name);
  return out;
}

std::vector<std::string_view> SupportedKerasActivations() {
  std::vector<std::string_view> out;
  for (const auto& a : KerasActivations()) out.push_back(a.name);
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
