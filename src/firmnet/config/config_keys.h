// The keys a config may contain, in one place: the parser checks against these tables, and
// docs/config.md describes each entry. Internal to the config module.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace firmnet::config {

// Top-level keys with a meaning in firmnet.
inline constexpr std::array<std::string_view, 9> kTopLevelKeys = {
    "ProjectName", "Part",  "XilinxPart", "ClockPeriod", "IOType",
    "HLSConfig",   "Model", "LayerType",  "LayerName"};

// Top-level keys that hls4ml config files commonly contain and that firmnet ignores by design:
// they name files or tools that the firmnet command line names itself.
inline constexpr std::array<std::string_view, 8> kIgnoredTopLevelKeys = {
    "OutputDir",  "Backend",   "KerasJson", "KerasH5",
    "KerasModel", "OnnxModel", "InputData", "OutputPredictions"};

enum class SectionKeyKind {
  kPrecision,       // Precision: <type> | {slot: <type>}
  kSlotAlias,       // hls4ml's older per-slot keys (table_t, ...) = Precision.<slot>
  kReuseFactor,     // int >= 1
  kStrategy,        // Latency | Resource
  kTableSize,       // power of two >= 2
  kMultiplier,      // auto | lut | dsp (Verilog backend)
  kTableStyle,      // hls4ml | firmnet (table activations)
  kImplementation,  // stable | latency (softmax, hls4ml style)
  kIgnoredBool,     // hls4ml keys for features firmnet does not have; the value is still checked
  kIgnoredInt,
  kConvImplementation,  // LineBuffer | Encoded (hls4ml's io_stream convolution; same numbers)
  kSoftmaxSkip,         // false only: firmnet does not skip a softmax
  kBitExact,            // Model only: true | false (hls4ml's BitExact; docs/config.md)
};

struct SectionKey {
  std::string_view name;
  SectionKeyKind kind;
  std::string_view slot;  // for kSlotAlias
};

// Keys allowed in Model, LayerType.<T> and LayerName.<name>.
inline constexpr std::array<SectionKey, 22> kSectionKeys = {{
    {"Precision", SectionKeyKind::kPrecision, ""},
    {"ReuseFactor", SectionKeyKind::kReuseFactor, ""},
    {"Strategy", SectionKeyKind::kStrategy, ""},
    {"Multiplier", SectionKeyKind::kMultiplier, ""},
    {"TableSize", SectionKeyKind::kTableSize, ""},
    {"TableStyle", SectionKeyKind::kTableStyle, ""},
    {"Implementation", SectionKeyKind::kImplementation, ""},
    // hls4ml's own spelling of the softmax implementation.
    {"implementation", SectionKeyKind::kImplementation, ""},
    // hls4ml writes the table size and table types of activations in lower case.
    {"table_size", SectionKeyKind::kTableSize, ""},
    {"table_t", SectionKeyKind::kSlotAlias, "table"},
    {"exp_table_t", SectionKeyKind::kSlotAlias, "exp_table"},
    {"inv_table_t", SectionKeyKind::kSlotAlias, "inv_table"},
    // Tracing: firmnet's `predict --trace` traces every layer, so per-layer switches are moot.
    {"Trace", SectionKeyKind::kIgnoredBool, ""},
    {"TraceOutput", SectionKeyKind::kIgnoredBool, ""},
    // Resource-only hints of hls4ml's Vivado backend: they never change the numbers.
    {"Compression", SectionKeyKind::kIgnoredBool, ""},
    {"BramFactor", SectionKeyKind::kIgnoredInt, ""},
    // hls4ml 1.x writes these from its Vivado/Vitis backends' layer attributes: resource and
    // scheduling choices that never change the numbers.
    {"ParallelizationFactor", SectionKeyKind::kIgnoredInt, ""},
    {"DepthwiseReuseFactor", SectionKeyKind::kIgnoredInt, ""},
    {"PointwiseReuseFactor", SectionKeyKind::kIgnoredInt, ""},
    {"ConvImplementation", SectionKeyKind::kConvImplementation, ""},
    // The softmax's `skip` (hls4ml 1.x): false, as hls4ml writes it, is the only value taken.
    {"Skip", SectionKeyKind::kSoftmaxSkip, ""},
    // hls4ml's bit-exact precision derivation, on by default for HGQ models.
    {"BitExact", SectionKeyKind::kBitExact, ""},
}};

inline const SectionKey* FindSectionKey(std::string_view name) {
  for (const auto& k : kSectionKeys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

// Every precision slot name of any layer kind, in registry order.
std::vector<std::string> AllSlotNames();
// LayerType names (own names) of the layers that have a lookup table.
std::vector<std::string> TableLayerTypeNames();

}  // namespace firmnet::config
