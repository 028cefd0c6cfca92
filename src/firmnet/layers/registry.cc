#include "firmnet/layers/registry.h"

#include <array>

#include "firmnet/common/check.h"
// Every layer folder's header, generated from layers.def (CMakeLists.txt).
#include "firmnet/layers/all_layers.h"

namespace firmnet {
namespace {

template <LayerKind K>
LayerInfo Make() {
  LayerInfo info;
  static_cast<LayerSchema&>(info) = layers::LayerImpl<K>::Schema();
  info.kind = K;
  info.id = LayerKindId(K);
  info.config_name = LayerKindConfigName(K);
  FIRMNET_CHECK(!info.slots.empty() && info.slots[0].name == "result")
      << "layers/" << info.id << ": the first precision slot must be \"result\"";
  return info;
}

}  // namespace

bool HasHls4mlTableStyle(LayerKind k) { return GetLayerInfo(k).default_table_size > 0; }

std::vector<PrecisionSlot> ResultAnd(std::initializer_list<PrecisionSlot> extra) {
  std::vector<PrecisionSlot> s = {{"result", false, kDefaultPrecision}};
  s.insert(s.end(), extra.begin(), extra.end());
  return s;
}

std::string_view AttrTypeName(AttrType t) {
  switch (t) {
    case AttrType::kDouble:
      return "double";
    case AttrType::kInt:
      return "int";
    case AttrType::kInts:
      return "ints";
    case AttrType::kDoubles:
      return "doubles";
    case AttrType::kString:
      return "string";
  }
  return "?";
}

const LayerInfo& GetLayerInfo(LayerKind kind) {
  static const auto* const kTable = new std::array<LayerInfo, kNumLayerKinds>{
#define FIRMNET_LAYER(Enum, id, config_name) Make<LayerKind::Enum>(),
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
  };
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
