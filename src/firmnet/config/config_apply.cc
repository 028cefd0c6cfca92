// Config + graph -> resolved precisions and settings on every node (hls4ml's precedence), and the
// `auto` precision rules.
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "firmnet/config/config.h"
#include "firmnet/config/config_keys.h"
#include "firmnet/layers/registry.h"

namespace firmnet::config {

std::vector<std::string> AllSlotNames() {
  std::vector<std::string> out;
  for (LayerKind k : kAllLayerKinds) {
    for (const auto& s : GetLayerInfo(k).slots) {
      if (std::find(out.begin(), out.end(), s.name) == out.end()) out.emplace_back(s.name);
    }
  }
  return out;
}

std::vector<std::string> TableLayerTypeNames() {
  std::vector<std::string> out;
  for (LayerKind k : kAllLayerKinds) {
    if (GetLayerInfo(k).default_table_size > 0) out.emplace_back(GetLayerInfo(k).config_name);
  }
  return out;
}

namespace {

// The narrowest fixed-point type that holds every value exactly (hls4ml's minimal kif): the
// fewest fractional bits that make each value an integer, the integer bits of the largest
// magnitude, signed when a value is negative; ap_uint<1> for all zeros. Values that no type of at
// most 64 bits holds get ap_fixed<64,32> (the weight cast then reports the loss).
FixedType MinimalExactType(const std::vector<double>& values) {
  int f = -64;
  double lo = 0, hi = 0;
  for (double v : values) {
    if (!std::isfinite(v)) return *MakeFixedType(64, 32, true);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (v == 0) continue;
    // The smallest f with v * 2^f an integer: the lowest set bit of the mantissa.
    int k = -64;
    while (k < 64 && std::ldexp(v, k) != std::trunc(std::ldexp(v, k))) ++k;
    f = std::max(f, k);
  }
  if (lo == 0 && hi == 0) return *MakeFixedType(1, 1, false);
  const bool k = lo < 0;
  const double top = std::max(hi + std::ldexp(1.0, -f), -lo);
  const int i = static_cast<int>(std::ceil(std::log2(top)));
  auto t = MakeFixedType(static_cast<int>(k) + i + f, static_cast<int>(k) + i, k);
  return t.ok() && t->width <= 64 ? *t : *MakeFixedType(64, 32, true);
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out;
}

std::string Describe(const ir::Node& node) {
  return "layer '" + node.name + "' (" + std::string(LayerKindId(node.kind)) + ")";
}

FixedType DefaultType(const PrecisionSlot& slot, bool hls4ml) {
  auto t = ParseFixedType(SlotDefault(slot, hls4ml));
  FIRMNET_CHECK(t.ok()) << "bad registry default type " << SlotDefault(slot, hls4ml);
  return *t;
}

// The LayerType sections that select `kind`, least specific first: aliases selecting many
// kinds ("Activation") before narrower ones ("ParametrizedActivation"), the kind's own name last.
std::vector<const Section*> LayerTypeSections(const Config& config, LayerKind kind) {
  struct Match {
    bool own;
    size_t breadth;
    std::string_view name;
    const Section* section;
  };
  std::vector<Match> matches;
  for (const auto& [name, kinds] : ConfigLayerTypeNames()) {
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
    auto it = config.layer_types.find(std::string(name));
    if (it == config.layer_types.end()) continue;
    matches.push_back({name == GetLayerInfo(kind).config_name, kinds.size(), name, &it->second});
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    if (a.own != b.own) return !a.own;
    if (a.breadth != b.breadth) return a.breadth > b.breadth;
    return a.name < b.name;
  });
  std::vector<const Section*> out;
  out.reserve(matches.size());
  for (const auto& m : matches) out.push_back(m.section);
  return out;
}

class Applier {
 public:
  Applier(const Config& config, ir::Graph& graph)
      : config_(config),
        graph_(graph),
        source_(config.source_name.empty() ? "<config>" : config.source_name) {}

  Status Run();

 private:
  Status Error(const std::string& path, const std::string& message) const {
    return InvalidArgument(source_ + ": " + path + ": " + message);
  }
  Status ApplySection(const Section& s, bool is_layer_name, const ir::Node& node,
                      std::map<std::string, TypeSpec>& spec, ir::LayerSettings& settings) const;

  const Config& config_;
  ir::Graph& graph_;
  std::string source_;
};

Status Applier::ApplySection(const Section& s, bool is_layer_name, const ir::Node& node,
                             std::map<std::string, TypeSpec>& spec,
                             ir::LayerSettings& settings) const {
  const LayerInfo& info = GetLayerInfo(node.kind);
  // A layer that takes its input's type keeps `auto` unless its own LayerName section says.
  auto sets = [&](std::string_view slot) {
    return is_layer_name || !info.result_is_input_type || slot != "result";
  };
  if (s.precision_all) {
    for (const auto& slot : info.slots) {
      if (!SlotIsTable(slot, settings.table_style == ir::TableStyle::kHls4ml) && sets(slot.name)) {
        spec[std::string(slot.name)] = *s.precision_all;
      }
    }
  }
  for (const auto& [slot, ts] : s.precision) {
    if (!sets(slot)) continue;
    // The structured binding is captured explicitly: clang before 16 cannot capture one.
    auto it = std::find_if(info.slots.begin(), info.slots.end(),
                           [&slot = slot](const PrecisionSlot& p) { return p.name == slot; });
    if (it == info.slots.end()) {
      if (!is_layer_name) continue;  // a broad section's slot of some other layer kind
      std::vector<std::string> names;
      for (const auto& p : info.slots) names.emplace_back(p.name);
      return Error(ts.path, "unknown precision slot '" + slot + "' for " + Describe(node) +
                                "; expected one of " + Join(names));
    }
    spec[slot] = ts;
  }
  if (s.reuse_factor) settings.reuse_factor = s.reuse_factor->value;
  if (s.strategy) settings.strategy = s.strategy->value;
  if (s.multiplier) settings.multiplier = s.multiplier->value;
  if (s.table_style) {
    if (info.default_table_size > 0) {
      settings.table_style = s.table_style->value;
    } else if (is_layer_name) {
      return Error(s.table_style->path, Describe(node) +
                                            " has no lookup table; TableStyle applies only to " +
                                            Join(TableLayerTypeNames()));
    }
  }
  if (s.softmax_impl) {
    if (node.kind == LayerKind::kSoftmax) {
      settings.softmax_impl = s.softmax_impl->value;
    } else if (is_layer_name) {
      return Error(s.softmax_impl->path,
                   Describe(node) + " is not a softmax; Implementation applies only to Softmax");
    }
  }
  if (s.table_size) {
    if (info.default_table_size > 0) {
      settings.table_size = s.table_size->value;
    } else if (is_layer_name) {
      return Error(s.table_size->path, Describe(node) +
                                           " has no lookup table; TableSize applies only to " +
                                           Join(TableLayerTypeNames()));
    }
  }
  return OkStatus();
}

Status Applier::Run() {
  std::vector<std::string> node_names;
  for (const auto& n : graph_.nodes) node_names.push_back(n.name);
  for (const auto& [name, section] : config_.layer_names) {
    if (graph_.Find(name) == nullptr) {
      return NotFound(source_ + ": " + section.path + ": no layer named '" + name +
                      "' in the model; its layers are: " + Join(node_names));
    }
  }

  ir::ModelSettings ms;
  if (config_.project_name) ms.project_name = config_.project_name->value;
  if (config_.part) ms.part = config_.part->value;
  if (config_.clock_period_ns) ms.clock_period_ns = config_.clock_period_ns->value;
  if (config_.io_type) ms.io_type = config_.io_type->value;
  if (config_.model && config_.model->precision_all && !config_.model->precision_all->is_auto) {
    ms.default_precision = config_.model->precision_all->type;
  }
  if (config_.model && config_.model->maximum) ms.max_precision = config_.model->maximum->type;
  ms.bit_exact = std::any_of(graph_.nodes.begin(), graph_.nodes.end(), [](const ir::Node& n) {
    return n.kind == LayerKind::kFixedPointQuantizer ||
           (n.kind == LayerKind::kLinear && n.GetIntOr("quant", 0) == 2);
  });
  if (config_.model && config_.model->bit_exact) ms.bit_exact = config_.model->bit_exact->value;
  const bool qonnx = std::any_of(graph_.nodes.begin(), graph_.nodes.end(), [](const ir::Node& n) {
    return n.kind == LayerKind::kLinear && n.GetIntOr("quant", 0) == 1;
  });

  struct Resolved {
    std::map<std::string, FixedType> precision;
    std::set<std::string> auto_precision;
    ir::LayerSettings settings;
  };
  std::vector<Resolved> resolved(graph_.nodes.size());
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    const ir::Node& node = graph_.nodes[i];
    const LayerInfo& info = GetLayerInfo(node.kind);
    std::map<std::string, TypeSpec> spec;
    ir::LayerSettings settings;
    settings.table_size = info.default_table_size;
    // The style decides the slots' defaults and which of them Precision: <type> reaches, so it
    // is resolved first (the most specific section that names it wins).
    if (HasHls4mlTableStyle(node.kind)) {
      if (config_.model && config_.model->table_style) {
        settings.table_style = config_.model->table_style->value;
      }
      for (const Section* s : LayerTypeSections(config_, node.kind)) {
        if (s->table_style) settings.table_style = s->table_style->value;
      }
      auto named = config_.layer_names.find(node.name);
      if (named != config_.layer_names.end() && named->second.table_style) {
        settings.table_style = named->second.table_style->value;
      }
    }
    const bool hls4ml = settings.table_style == ir::TableStyle::kHls4ml;
    for (const auto& slot : info.slots) {
      spec[std::string(slot.name)] = TypeSpec{false, DefaultType(slot, hls4ml), "built-in default"};
    }
    if (info.result_is_input_type) spec["result"] = TypeSpec{true, {}, "built-in default"};

    if (config_.model) {
      FIRMNET_RETURN_IF_ERROR(ApplySection(*config_.model, false, node, spec, settings));
    }
    // Types the model fixes (quantizers), as hls4ml applies them: a result type stands in for
    // the Model default and yields to LayerType/LayerName keys; a weight-like slot's type is
    // the quantizer's and no config key changes it.
    const auto from_model = [&node](std::string_view slot) {
      return TypeSpec{false, node.model_precision.at(std::string(slot)), "the model's quantizer"};
    };
    if (node.model_precision.count("result")) spec["result"] = from_model("result");
    // A QONNX graph: what hls4ml's config_from_onnx_model writes for every layer (granularity
    // 'name', its default): results and accumulators `auto`, which LayerType/LayerName keys
    // may still set; the Quant casts then fold into the layers before them.
    if (qonnx && node.kind != LayerKind::kInput) {
      for (const char* slot : {"result", "accum"}) {
        if (spec.count(slot) && !node.model_precision.count(slot)) {
          spec[slot] = TypeSpec{true, {}, "QONNX's per-layer default"};
        }
      }
    }
    for (const Section* s : LayerTypeSections(config_, node.kind)) {
      FIRMNET_RETURN_IF_ERROR(ApplySection(*s, false, node, spec, settings));
    }
    auto by_name = config_.layer_names.find(node.name);
    if (by_name != config_.layer_names.end()) {
      FIRMNET_RETURN_IF_ERROR(ApplySection(by_name->second, true, node, spec, settings));
    }
    for (const auto& [slot, type] : node.model_precision) {
      if (slot != "result") spec[slot] = from_model(slot);
    }
    // A QONNX Quant cast is its type, whatever the config says (hls4ml writes the Quant's type
    // into the config of the activation it makes).
    if (node.model_precision.count("result") && node.GetIntOr("quant", 0) != 0) {
      spec["result"] = from_model("result");
    }
    // hls4ml's bit-exact flow derives every result and accumulator itself (the config's types
    // for them are ignored), except where the model fixes them (quantizers, the input).
    if (ms.bit_exact) {
      for (const char* slot : {"result", "accum"}) {
        if (spec.count(slot) && !node.model_precision.count(slot) &&
            node.kind != LayerKind::kInput) {
          spec[slot] = TypeSpec{true, {}, "the bit-exact flow"};
        }
      }
      // Weights and biases the model stores quantized: the narrowest type that holds them.
      for (const char* slot : {"weight", "bias"}) {
        const ir::Tensor* t = node.Weight(slot);
        if (spec.count(slot) && t != nullptr && !node.model_precision.count(slot)) {
          spec[slot] = TypeSpec{false, MinimalExactType(t->data), "the bit-exact flow"};
        }
      }
    }
    // `auto` slots are left to the passes: batchnorm fusion asks whether a result is auto, and
    // infer_precision derives the types (passes/infer_precision.h).
    for (const auto& [slot, ts] : spec) {
      if (ts.is_auto) {
        resolved[i].auto_precision.insert(slot);
      } else {
        resolved[i].precision[slot] = ts.type;
      }
    }
    resolved[i].settings = settings;
  }

  // Commit only when every layer resolved, so that an error leaves the graph as it was.
  graph_.settings = ms;
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    graph_.nodes[i].precision = std::move(resolved[i].precision);
    graph_.nodes[i].auto_precision = std::move(resolved[i].auto_precision);
    graph_.nodes[i].settings = resolved[i].settings;
  }
  return OkStatus();
}

}  // namespace

Status ApplyConfig(const Config& config, ir::Graph& graph) {
  Applier applier(config, graph);
  return applier.Run();
}

}  // namespace firmnet::config
