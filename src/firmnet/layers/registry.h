// The layer registry: what every layer kind needs from the rest of firmnet, in one table built
// from layers.def. Config resolution, the text IR, the emulator and the backends ask it; nobody
// keeps a per-layer list of their own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "firmnet/fixed/fixed_type.h"
#include "firmnet/layers/layer_kind.h"

namespace firmnet {

// One precision slot of a layer ("result", "weight", "accum", "table", ...).
struct PrecisionSlot {
  std::string_view name;
  // Table slots ("table", "exp_table", "inv_table") keep their own defaults when a config gives
  // Precision as one string; every other slot takes that string (hls4ml's rule).
  bool is_table;
  // The slot's built-in default, as a type string.
  std::string_view default_type;
};

struct LayerInfo {
  LayerKind kind;
  std::string_view id;
  std::string_view config_name;
  // Extra hls4ml LayerType names that select this layer in a config (e.g. "Activation").
  std::vector<std::string_view> config_aliases;
  std::vector<PrecisionSlot> slots;  // always starts with "result"
  bool has_weights;                  // ReuseFactor applies (dense)
  int default_table_size;            // 0: the layer has no table (TableSize is an error)
  bool has_products;                 // the Verilog backend multiplies: Multiplier applies
};

const LayerInfo& GetLayerInfo(LayerKind kind);
// Every LayerType name a config may use, with the kinds it selects.
std::vector<std::pair<std::string_view, std::vector<LayerKind>>> ConfigLayerTypeNames();

// The model-wide default type when the config names none: ap_fixed<16,6>.
inline constexpr std::string_view kDefaultPrecision = "ap_fixed<16,6>";

}  // namespace firmnet
