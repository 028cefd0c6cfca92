// LayerKind: generated from layers.def, the one list of layers.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace firmnet {

enum class LayerKind : int {
#define FIRMNET_LAYER(Enum, id, config_name) Enum,
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
};

inline constexpr int kNumLayerKinds = 0
// NOLINTNEXTLINE(bugprone-macro-parentheses): each entry adds "+1" to the sum "0 +1 +1 ...".
#define FIRMNET_LAYER(Enum, id, config_name) +1
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
    ;

inline constexpr std::array<LayerKind, kNumLayerKinds> kAllLayerKinds = {
#define FIRMNET_LAYER(Enum, id, config_name) LayerKind::Enum,
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
};

// "dense", "relu", ... (the text IR spelling).
std::string_view LayerKindId(LayerKind kind);
// "Dense", "ReLU", ... (the hls4ml-style LayerType name).
std::string_view LayerKindConfigName(LayerKind kind);
std::optional<LayerKind> LayerKindFromId(std::string_view id);

}  // namespace firmnet
