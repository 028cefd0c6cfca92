// The hls4ml-style YAML config: parse it, validate it, and apply it to a graph.
//
// A config says, per layer, which fixed-point types (precision slots), ReuseFactor, Strategy and
// TableSize to use, plus the model-wide Part, ClockPeriod, IOType and ProjectName. Sections
// Model < LayerType.<T> < LayerName.<name> are applied in that order, the most specific winning per
// slot and per setting, exactly as in hls4ml, so that a config copied from hls4ml computes the
// same numbers here. docs/config.md lists every key, the precedence rules, the `auto` rule and the
// differences from hls4ml.
//
// Parsing (ParseConfig / LoadConfigFile) checks everything that does not need the model: keys,
// value types, type strings, LayerType names. ApplyConfig checks the rest (LayerName names, slots
// of a named layer) and marks `auto` slots, which the passes after it resolve
// (fuse_batchnorm asks for them, infer_precision derives them). Every error names the source file
// and the YAML path, e.g. "cfg.yml: LayerName.fc1.Precision.acum: unknown precision slot 'acum'
// ...".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/ir/graph.h"

namespace firmnet::config {

// A value read from the config together with its YAML path, so that errors found later (when the
// graph is known) can still point at the key that caused them.
template <typename T>
struct Located {
  T value;
  std::string path;  // e.g. "HLSConfig.LayerName.fc1.ReuseFactor"
};

// One precision as written in the config: a fixed-point type, or `auto` (inferred as hls4ml
// infers it; docs/config.md, "auto").
struct TypeSpec {
  bool is_auto = false;
  FixedType type;  // meaningful when !is_auto
  std::string path;
};

// The contents of one Model, LayerType.<T> or LayerName.<name> section. Unset values keep what a
// less specific section (or the built-in default) gave.
struct Section {
  std::string path;  // "Model", "HLSConfig.LayerType.Dense", "LayerName.fc1", ...
  // `Precision: <type>` (or `default:` in a Precision dict): every non-table slot.
  std::optional<TypeSpec> precision_all;
  // `Precision: {slot: type}`; applied after precision_all of the same section.
  std::map<std::string, TypeSpec> precision;
  // `Precision: {maximum: <type>}` (Model only): bounds the widths `auto` infers, as in hls4ml.
  std::optional<TypeSpec> maximum;
  std::optional<Located<int>> reuse_factor;
  std::optional<Located<ir::Strategy>> strategy;
  std::optional<Located<int>> table_size;
  std::optional<Located<ir::Multiplier>> multiplier;
  std::optional<Located<ir::TableStyle>> table_style;
  std::optional<Located<ir::SoftmaxImpl>> softmax_impl;
  // `BitExact: true|false` (Model only): hls4ml's bit-exact flow, which leaves every result and
  // accumulator type to lossless inference; unset, it is on for models with HGQ quantizers.
  std::optional<Located<bool>> bit_exact;
};

// A parsed, validated user config. A default-constructed Config gives the built-in defaults.
struct Config {
  std::string source_name;  // the file name used in messages
  std::optional<Located<std::string>> project_name;
  std::optional<Located<std::string>> part;
  std::optional<Located<double>> clock_period_ns;
  std::optional<Located<ir::IoType>> io_type;
  std::optional<Section> model;
  std::map<std::string, Section> layer_types;  // by LayerType name ("Dense", "Activation", ...)
  std::map<std::string, Section> layer_names;  // by node name
};

StatusOr<Config> LoadConfigFile(const std::string& path);
StatusOr<Config> ParseConfig(std::string_view yaml_text, const std::string& source_name);

// Fills every node's precision slots (all slots of GetLayerInfo(kind).slots: a type in
// node.precision, or the slot's name in node.auto_precision), its settings (reuse_factor,
// strategy, table_size: the layer's default table size, or 0 when it has no table) and
// graph.settings (with Model.Precision's default and maximum for inference). On error the graph
// is left unchanged.
Status ApplyConfig(const Config& config, ir::Graph& graph);

// A complete config with the built-in defaults, listing every layer and every slot (like hls4ml's
// config_from_*_model with granularity='name'). Valid input to ParseConfig; deterministic.
std::string DefaultConfigYaml(const ir::Graph& graph);

// The config a graph was resolved with (after ApplyConfig): model settings and every slot and
// setting of every layer spelled out. Also valid input to ParseConfig, and applying it again gives
// the same graph.
std::string ResolvedConfigYaml(const ir::Graph& graph);

}  // namespace firmnet::config
