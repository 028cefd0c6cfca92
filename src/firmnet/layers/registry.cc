#include "firmnet/layers/registry.h"

#include <array>

#include "firmnet/common/check.h"

namespace firmnet {
namespace {

constexpr std::string_view kD = kDefaultPrecision;

std::vector<PrecisionSlot> Slots(std::initializer_list<PrecisionSlot> extra) {
  std::vector<PrecisionSlot> s = {{"result", false, kD}};
  s.insert(s.end(), extra.begin(), extra.end());
  return s;
}

// Table defaults are chosen for accuracy (docs/semantics.md, "Lookup tables"): 18 bits with
// round-to-nearest entries.
constexpr std::string_view kTableDefault = "ap_fixed<18,8,AP_RND,AP_SAT>";
// Tables whose entries lie in [0, 1] (softmax exp and reciprocal, softsign reciprocal) spend
// all but one bit on the fraction.
constexpr std::string_view kUnitTableDefault = "ap_ufixed<18,1,AP_RND,AP_SAT>";

LayerInfo Make(LayerKind kind) {
  LayerInfo info{kind, LayerKindId(kind), LayerKindConfigName(kind), {}, Slots({}), false, 0,
                 false};
  switch (kind) {
    case LayerKind::kInput:
      info.config_aliases = {"InputLayer"};
      break;
    case LayerKind::kDense:
      info.slots = Slots({{"weight", false, kD}, {"bias", false, kD}, {"accum", false, kD}});
      info.has_weights = true;
      info.has_products = true;
      break;
    case LayerKind::kBatchNorm:
      info.slots = Slots({{"scale", false, kD}, {"bias", false, kD}});
      info.has_products = true;
      break;
    case LayerKind::kLinear:
    case LayerKind::kRelu:
      info.config_aliases = {"Activation"};
      break;
    case LayerKind::kSoftsign:
      // x / (1 + |x|) = x * (1/(1 + |x|)); the reciprocal comes from a normalized inverse table
      // whose entries lie in [0.5, 1] (docs/tables.md).
      info.config_aliases = {"Activation"};
      info.slots = Slots({{"table", true, kUnitTableDefault}});
      info.default_table_size = 1024;
      info.has_products = true;
      break;
    case LayerKind::kLeakyRelu:
    case LayerKind::kElu:
      info.config_aliases = {"ParametrizedActivation", "Activation"};
      info.slots = Slots({{"param", false, kD}});
      info.has_products = kind == LayerKind::kLeakyRelu;  // x * alpha
      if (kind == LayerKind::kElu) {
        info.slots.push_back({"table", true, kTableDefault});
        info.default_table_size = 1024;
      }
      break;
    case LayerKind::kClip:
    case LayerKind::kHardSigmoid:
      info.config_aliases = {"HardActivation", "Activation"};
      info.slots = Slots({{"param", false, kD}});
      info.has_products = kind == LayerKind::kHardSigmoid;  // x * alpha
      break;
    case LayerKind::kSigmoid:
    case LayerKind::kTanh:
    case LayerKind::kSoftplus:
      info.config_aliases = {"Activation"};
      info.slots = Slots({{"table", true, kTableDefault}});
      info.default_table_size = 1024;
      break;
    case LayerKind::kSoftmax:
      // Defaults chosen so that every row sums to 1 within 2^-8 (docs/tables.md): exp and
      // reciprocal entries lie in [0, 1] and get 17 fractional bits; the accumulator keeps all of
      // them (sums of up to 127 classes exactly); the result rounds to 14 fractional bits.
      info.config_aliases = {"Activation"};
      info.slots = Slots({{"exp_table", true, kUnitTableDefault},
                          {"inv_table", true, kUnitTableDefault},
                          {"accum", true, "ap_ufixed<24,7,AP_RND,AP_SAT>"}});
      info.slots[0].default_type = "ap_fixed<16,2,AP_RND,AP_SAT>";
      info.default_table_size = 1024;
      info.has_products = true;  // E_j * 1/S
      break;
    case LayerKind::kReshape:
      info.config_aliases = {"Flatten"};
      break;
  }
  return info;
}

}  // namespace

const LayerInfo& GetLayerInfo(LayerKind kind) {
  static const auto* const kTable = [] {
    auto* t = new std::array<LayerInfo, kNumLayerKinds>();
    for (int i = 0; i < kNumLayerKinds; ++i) (*t)[i] = Make(static_cast<LayerKind>(i));
    return t;
  }();
  const int i = static_cast<int>(kind);
  FIRMNET_CHECK(i >= 0 && i < kNumLayerKinds) << "bad LayerKind " << i;
  return (*kTable)[i];
}

std::vector<std::pair<std::string_view, std::vector<LayerKind>>> ConfigLayerTypeNames() {
  std::vector<std::pair<std::string_view, std::vector<LayerKind>>> out;
  auto add = [&](std::string_view name, LayerKind k) {
    for (auto& [n, kinds] : out) {
      if (n == name) {
        kinds.push_back(k);
        return;
      }
    }
    out.push_back({name, {k}});
  };
  for (LayerKind k : kAllLayerKinds) {
    const LayerInfo& info = GetLayerInfo(k);
    add(info.config_name, k);
    for (auto alias : info.config_aliases) add(alias, k);
  }
  return out;
}

}  // namespace firmnet
