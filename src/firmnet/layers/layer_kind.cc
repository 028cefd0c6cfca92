#include "firmnet/layers/layer_kind.h"

namespace firmnet {
namespace {

struct KindNames {
  std::string_view id;
  std::string_view config_name;
};

constexpr std::array<KindNames, kNumLayerKinds> kNames = {{
#define FIRMNET_LAYER(Enum, id, config_name) {#id, config_name},
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
}};

}  // namespace

std::string_view LayerKindId(LayerKind kind) { return kNames[static_cast<int>(kind)].id; }

std::string_view LayerKindConfigName(LayerKind kind) {
  return kNames[static_cast<int>(kind)].config_name;
}

std::optional<LayerKind> LayerKindFromId(std::string_view id) {
  for (int i = 0; i < kNumLayerKinds; ++i) {
    if (kNames[i].id == id) return static_cast<LayerKind>(i);
  }
  return std::nullopt;
}

}  // namespace firmnet
