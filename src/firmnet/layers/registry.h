// The layer registry: what every layer kind needs from the rest of firmnet, in one table built
// from layers.def and the layer folders' own declarations. Config resolution, the text IR, the
// verifier, the emulator and the backends ask it; nobody keeps a per-layer list of their own.
//
// Each layer folder states its facts once, in `LayerImpl<K>::Schema()` (layers/<id>/<id>.h): its
// precision slots with their defaults, its attributes with their types, its weights with their
// ranks, how many inputs it reads, its config aliases. registry.cc turns those into LayerInfo.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/layers/layer_kind.h"

namespace firmnet {

namespace ir {
struct Node;
}

// The model-wide default type when the config names none: ap_fixed<16,6>.
inline constexpr std::string_view kDefaultPrecision = "ap_fixed<16,6>";
// Table defaults are chosen for accuracy (docs/semantics.md, "Lookup tables"): 18 bits with
// round-to-nearest entries.
inline constexpr std::string_view kTableDefault = "ap_fixed<18,8,AP_RND,AP_SAT>";
// hls4ml's Activation table_t: FixedPrecisionType(18, 8), truncating and wrapping.
inline constexpr std::string_view kHls4mlTableDefault = "ap_fixed<18,8>";
// Tables whose entries lie in [0, 1] (softmax exp and reciprocal, softsign reciprocal) spend
// all but one bit on the fraction.
inline constexpr std::string_view kUnitTableDefault = "ap_ufixed<18,1,AP_RND,AP_SAT>";

// One precision slot of a layer ("result", "weight", "accum", "table", ...).
struct PrecisionSlot {
  std::string_view name;
  // Table slots ("table", "exp_table", "inv_table") keep their own defaults when a config gives
  // Precision as one string; every other slot takes that string (hls4ml's rule).
  bool is_table;
  // The slot's built-in default, as a type string.
  std::string_view default_type;
  // The default and the table rule under `TableStyle: hls4ml` when they differ from the above
  // (empty / -1: the same): hls4ml's own defaults for the table activations.
  std::string_view hls4ml_default = {};
  int hls4ml_is_table = -1;
  // A slot that graphs written before it existed may leave out (the layer then uses
  // default_type): the verifier does not require it.
  bool optional = false;
};

// The layers with a table style (TableStyle: hls4ml, their default, or firmnet): every layer
// with a lookup table (sigmoid, tanh, softmax, softplus, softsign, elu, selu).
bool HasHls4mlTableStyle(LayerKind k);

// The slot's default and table rule under the hls4ml (true) or firmnet table style.
inline std::string_view SlotDefault(const PrecisionSlot& s, bool hls4ml) {
  return hls4ml && !s.hls4ml_default.empty() ? s.hls4ml_default : s.default_type;
}
inline bool SlotIsTable(const PrecisionSlot& s, bool hls4ml) {
  return hls4ml && s.hls4ml_is_table >= 0 ? s.hls4ml_is_table == 1 : s.is_table;
}

// The slots of a layer: "result" (the default type) first, then `extra`.
std::vector<PrecisionSlot> ResultAnd(std::initializer_list<PrecisionSlot> extra = {});

enum class AttrType : uint8_t { kDouble, kInt, kInts, kDoubles, kString };
std::string_view AttrTypeName(AttrType t);  // "double", "int", "ints", "doubles", "string"

struct AttrSpec {
  std::string_view key;
  AttrType type;
  bool optional = false;  // may be absent (the layer documents its default)
};

struct WeightSpec {
  std::string_view key;
  size_t rank;
  bool optional = false;
};

// What a layer folder declares about its kind.
struct LayerSchema {
  // Extra hls4ml LayerType names that select this layer in a config (e.g. "Activation").
  std::vector<std::string_view> config_aliases = {};
  std::vector<PrecisionSlot> slots = ResultAnd();  // always starts with "result"
  std::vector<AttrSpec> attrs = {};
  std::vector<WeightSpec> weights = {};
  int min_inputs = 1;
  int max_inputs = 1;  // kAnyInputs: no limit
  // The layer may have several output ports (its InferShape fills node.extra_outputs; its
  // kernels write the ports one after another into their output buffer).
  bool multi_output = false;
  bool has_weights = false;    // ReuseFactor applies (dense, conv)
  int default_table_size = 0;  // 0: the layer has no table (TableSize is an error)
  bool has_products = false;   // the Verilog backend multiplies: Multiplier applies
  // hls4ml gives the layer its input's type whatever the config's Model and LayerType sections
  // say (padding, cropping, resize, transpose, an in-place reshape): the "result" slot is `auto`
  // (the input's type, by the layer's InferPrecision) unless a LayerName section names a type.
  bool result_is_input_type = false;
  // Checks between attributes and weights beyond types and ranks (e.g. clip's min <= max; a bias
  // as long as the kernel's output channels). Errors say what is wrong; the verifier adds the
  // layer's name. Null: nothing to check.
  Status (*check)(const ir::Node& node) = nullptr;
};
inline constexpr int kAnyInputs = -1;

struct LayerInfo : LayerSchema {
  LayerKind kind = LayerKind::kInput;
  std::string_view id;
  std::string_view config_name;
};

const LayerInfo& GetLayerInfo(LayerKind kind);
// Every LayerType name a config may use, with the kinds it selects.
std::vector<std::pair<std::string_view, std::vector<LayerKind>>> ConfigLayerTypeNames();

}  // namespace firmnet
