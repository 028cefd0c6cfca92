// Config + graph -> resolved precisions and settings on every node (hls4ml's precedence), and the
// `auto` precision rules.
#include <algorithm>
#include <cmath>
#include <vector>

#include "firmnet/config/config.h"
#include "firmnet/config/config_keys.h"
#include "firmnet/fixed/fixed_value.h"
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

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out;
}

std::string Describe(const ir::Node& node) {
  return "layer '" + node.name + "' (" + std::string(LayerKindId(node.kind)) + ")";
}

BigInt Abs(const BigInt& v) { return v.IsNegative() ? -v : v; }

// Number of bits of a non-negative value (0 for 0).
int BitLength(const BigInt& v) {
  if (v.IsZero()) return 0;
  for (int b = 1; b < BigInt::kBits; ++b) {
    if (v.FitsUnsigned(b)) return b;
  }
  return BigInt::kBits;
}

FixedType DefaultType(const PrecisionSlot& slot) {
  auto t = ParseFixedType(slot.default_type);
  FIRMNET_CHECK(t.ok()) << "bad registry default type " << slot.default_type;
  return *t;
}

// Slots for which an `auto` rule exists (docs/config.md, "auto").
bool HasAutoRule(LayerKind kind, std::string_view slot) {
  switch (kind) {
    case LayerKind::kDense:
      return slot == "accum" || slot == "result";
    case LayerKind::kLinear:
    case LayerKind::kRelu:
    case LayerKind::kReshape:
      return slot == "result";
    default:
      return false;
  }
}

std::vector<std::string> AutoSlots(LayerKind kind) {
  std::vector<std::string> out;
  for (const auto& s : GetLayerInfo(kind).slots) {
    if (HasAutoRule(kind, s.name)) out.emplace_back(s.name);
  }
  return out;
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
  StatusOr<FixedType> InputType(const ir::Node& node, const TypeSpec& spec,
                                const std::map<std::string, FixedType>& result_of) const;

  const Config& config_;
  ir::Graph& graph_;
  std::string source_;
};

Status Applier::ApplySection(const Section& s, bool is_layer_name, const ir::Node& node,
                             std::map<std::string, TypeSpec>& spec,
                             ir::LayerSettings& settings) const {
  const LayerInfo& info = GetLayerInfo(node.kind);
  if (s.precision_all) {
    bool any = false;
    for (const auto& slot : info.slots) {
      if (slot.is_table) continue;
      if (s.precision_all->is_auto && !HasAutoRule(node.kind, slot.name)) continue;
      spec[std::string(slot.name)] = *s.precision_all;
      any = true;
    }
    if (!any && is_layer_name && s.precision_all->is_auto) {
      return Error(s.precision_all->path,
                   "'auto' has no rule for any slot of " + Describe(node) +
                       "; auto is supported for dense accum/result and linear/relu/reshape result");
    }
  }
  for (const auto& [slot, ts] : s.precision) {
    auto it = std::find_if(info.slots.begin(), info.slots.end(),
                           [&](const PrecisionSlot& p) { return p.name == slot; });
    if (it == info.slots.end()) {
      if (!is_layer_name) continue;  // a broad section's slot of some other layer kind
      std::vector<std::string> names;
      for (const auto& p : info.slots) names.emplace_back(p.name);
      return Error(ts.path, "unknown precision slot '" + slot + "' for " + Describe(node) +
                                "; expected one of " + Join(names));
    }
    if (ts.is_auto && !HasAutoRule(node.kind, slot)) {
      if (!is_layer_name) continue;  // broad sections give `auto` only where a rule exists
      const auto rule_slots = AutoSlots(node.kind);
      return Error(ts.path,
                   "'auto' is not supported for slot '" + slot + "' of " + Describe(node) +
                       (rule_slots.empty() ? "; this layer has no slot with an auto rule"
                                           : "; it is supported for: " + Join(rule_slots)));
    }
    spec[slot] = ts;
  }
  if (s.reuse_factor) settings.reuse_factor = s.reuse_factor->value;
  if (s.strategy) settings.strategy = s.strategy->value;
  if (s.multiplier) settings.multiplier = s.multiplier->value;
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

StatusOr<FixedType> Applier::InputType(const ir::Node& node, const TypeSpec& spec,
                                       const std::map<std::string, FixedType>& result_of) const {
  if (node.inputs.size() != 1) {
    return Error(spec.path, "'auto' for " + Describe(node) + " needs exactly one input, got " +
                                std::to_string(node.inputs.size()));
  }
  auto it = result_of.find(node.inputs[0]);
  if (it == result_of.end()) {
    return Error(spec.path, "'auto' for " + Describe(node) + " needs the type of its input '" +
                                node.inputs[0] + "', which is not an earlier layer");
  }
  return it->second;
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

  struct Resolved {
    std::map<std::string, FixedType> precision;
    ir::LayerSettings settings;
  };
  std::vector<Resolved> resolved(graph_.nodes.size());
  std::map<std::string, FixedType> result_of;  // resolved result type by node name

  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    const ir::Node& node = graph_.nodes[i];
    const LayerInfo& info = GetLayerInfo(node.kind);
    std::map<std::string, TypeSpec> spec;
    for (const auto& slot : info.slots) {
      spec[std::string(slot.name)] = TypeSpec{false, DefaultType(slot), "built-in default"};
    }
    ir::LayerSettings settings;
    settings.table_size = info.default_table_size;

    if (config_.model)
      FIRMNET_RETURN_IF_ERROR(ApplySection(*config_.model, false, node, spec, settings));
    for (const Section* s : LayerTypeSections(config_, node.kind)) {
      FIRMNET_RETURN_IF_ERROR(ApplySection(*s, false, node, spec, settings));
    }
    auto by_name = config_.layer_names.find(node.name);
    if (by_name != config_.layer_names.end()) {
      FIRMNET_RETURN_IF_ERROR(ApplySection(by_name->second, true, node, spec, settings));
    }

    auto& prec = resolved[i].precision;
    for (const auto& [slot, ts] : spec) {
      if (!ts.is_auto) prec[slot] = ts.type;
    }
    // `auto` slots, in dependency order: a dense result copies the (possibly auto) accum.
    if (node.kind == LayerKind::kDense && spec["accum"].is_auto) {
      FIRMNET_ASSIGN_OR_RETURN(FixedType in, InputType(node, spec["accum"], result_of));
      const PrecisionSlot* accum_slot = nullptr;
      for (const auto& s : info.slots) {
        if (s.name == "accum") accum_slot = &s;
      }
      FIRMNET_CHECK(accum_slot != nullptr);
      auto t = DenseAutoAccumType(node, in, prec.at("weight"), prec.at("bias"),
                                  DefaultType(*accum_slot));
      if (!t.ok()) return Error(spec["accum"].path, t.status().message());
      prec["accum"] = *t;
    }
    if (spec["result"].is_auto) {
      if (node.kind == LayerKind::kDense) {
        prec["result"] = prec.at("accum");
      } else {
        FIRMNET_ASSIGN_OR_RETURN(FixedType in, InputType(node, spec["result"], result_of));
        prec["result"] = in;
      }
    }
    FIRMNET_CHECK(prec.size() == info.slots.size()) << "unresolved slot in " << node.name;
    resolved[i].settings = settings;
    result_of[node.name] = prec.at("result");
  }

  // Commit only when every layer resolved, so that an error leaves the graph as it was.
  graph_.settings = ms;
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    graph_.nodes[i].precision = std::move(resolved[i].precision);
    graph_.nodes[i].settings = resolved[i].settings;
  }
  return OkStatus();
}

}  // namespace

StatusOr<FixedType> DenseAutoAccumType(const ir::Node& dense, const FixedType& input_type,
                                       const FixedType& weight_type, const FixedType& bias_type,
                                       const FixedType& modes_from) {
  const std::string who = Describe(dense);
  const ir::Tensor* w = dense.Weight("weight");
  const ir::Tensor* b = dense.Weight("bias");
  if (w == nullptr || w->shape.size() != 2 ||
      static_cast<int64_t>(w->data.size()) != ir::NumElements(w->shape)) {
    return InvalidArgument("'auto' accum for " + who +
                           " needs a 'weight' tensor of shape [n_in,n_out]");
  }
  const int64_t n_in = w->shape[0];
  const int64_t n_out = w->shape[1];
  if (b == nullptr || b->shape != ir::Shape{n_out} ||
      static_cast<int64_t>(b->data.size()) != n_out) {
    return InvalidArgument("'auto' accum for " + who + " needs a 'bias' tensor of shape [" +
                           std::to_string(n_out) + "]");
  }
  for (double v : w->data) {
    if (!std::isfinite(v)) return InvalidArgument(who + ": weight has a non-finite value");
  }
  for (double v : b->data) {
    if (!std::isfinite(v)) return InvalidArgument(who + ": bias has a non-finite value");
  }

  // Products x*w are exact with fx+fw fractional bits; everything below counts in units of
  // 2^-(fx+fw), so each product's raw value is raw_x * raw_w.
  const int frac = input_type.frac_bits() + weight_type.frac_bits();
  const BigInt max_x = input_type.is_signed ? BigInt::PowerOfTwo(input_type.width - 1)
                                            : BigInt::PowerOfTwo(input_type.width) - BigInt(1);
  std::vector<BigInt> sum_w(static_cast<size_t>(n_out));
  for (int64_t i = 0; i < n_in; ++i) {
    for (int64_t j = 0; j < n_out; ++j) {
      const BigInt rw = QuantizeDouble(w->data[static_cast<size_t>(i * n_out + j)], weight_type);
      sum_w[static_cast<size_t>(j)] = sum_w[static_cast<size_t>(j)] + Abs(rw);
    }
  }
  // The bias as the accumulator holds it: (accum_t)bias, with the accumulator's rounding.
  const int shift = frac - bias_type.frac_bits();
  const FixedType wide{FixedType::kMaxWidth,
                       FixedType::kMaxWidth - frac,
                       true,
                       modes_from.rounding,
                       Overflow::kSat,
                       0};
  BigInt worst;
  for (int64_t j = 0; j < n_out; ++j) {
    const BigInt rb = QuantizeDouble(b->data[static_cast<size_t>(j)], bias_type);
    BigInt units;
    if (rb.IsZero()) {
      units = BigInt(0);
    } else if (shift > 2 * FixedType::kMaxWidth) {
      return InvalidArgument("'auto' accum for " + who + " would need more than " +
                             std::to_string(FixedType::kMaxWidth) + " bits (the bias has " +
                             std::to_string(-shift) + " fewer fractional bits than the products)");
    } else if (shift >= 0) {
      units = rb << shift;
    } else if (-shift > 2 * FixedType::kMaxWidth) {
      units = BigInt(1);  // |bias| < 2^-128 units: any rounding gives 0 or +-1
    } else {
      units = Cast(rb, bias_type.lsb_exponent(), wide);
    }
    const BigInt s = Abs(units) + sum_w[static_cast<size_t>(j)] * max_x;
    if (s > worst) worst = s;
  }
  const int width = BitLength(worst) + 1;
  if (width > FixedType::kMaxWidth) {
    return InvalidArgument("'auto' accum for " + who + " needs " + std::to_string(width) +
                           " bits, more than the maximum of " +
                           std::to_string(FixedType::kMaxWidth) + "; give an explicit type");
  }
  return MakeFixedType(width, width - frac, true, modes_from.rounding, modes_from.overflow,
                       modes_from.sat_bits);
}

Status ApplyConfig(const Config& config, ir::Graph& graph) {
  Applier applier(config, graph);
  return applier.Run();
}

}  // namespace firmnet::config
