// YAML text -> Config. Everything that can be checked without the model is checked here, so that
// a misspelled key or value never falls back silently to a default.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "firmnet/config/config.h"
#include "firmnet/config/config_keys.h"
#include "firmnet/layers/registry.h"

namespace firmnet::config {
namespace {

using Entries = std::vector<std::pair<std::string, YAML::Node>>;

std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Edit distance, for "did you mean" hints on misspelled keys.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                                std::tolower(static_cast<unsigned char>(b[j - 1]))
                                            ? 0
                                            : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Hint(std::string_view key, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, key.size() / 3) + 1;
  for (const auto& c : candidates) {
    const size_t d = EditDistance(key, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

std::string Join(std::string_view a, std::string_view b) {
  return a.empty() ? std::string(b) : std::string(a) + "." + std::string(b);
}

std::string NodeKindName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "'" + n.Scalar() + "'";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

class Parser {
 public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  StatusOr<Config> Parse(const YAML::Node& root);

 private:
  Status Error(const std::string& path, const std::string& message) const {
    return InvalidArgument(source_ + ": " + (path.empty() ? "" : path + ": ") + message);
  }

  // The entries of a map, checking that keys are scalars and unique. A null node (an empty
  // section such as "Model:") is an empty map.
  StatusOr<Entries> MapEntries(const YAML::Node& n, const std::string& path) const;
  StatusOr<std::string> Scalar(const YAML::Node& n, const std::string& path,
                               std::string_view expected) const;
  StatusOr<int64_t> Int(const YAML::Node& n, const std::string& path) const;
  StatusOr<double> Double(const YAML::Node& n, const std::string& path) const;
  StatusOr<bool> Bool(const YAML::Node& n, const std::string& path) const;
  StatusOr<TypeSpec> Type(const YAML::Node& n, const std::string& path) const;

  // Parses a Model / LayerType.<T> / LayerName.<name> section. `slots` are the precision slot
  // names valid there (empty: checked later, against the graph); `table_ok` says whether
  // TableSize applies to at least one layer selected (checked later when `slots` is empty).
  StatusOr<Section> ParseSection(const YAML::Node& n, const std::string& path,
                                 const std::vector<std::string>& slots, bool check_table,
                                 bool table_ok, bool is_model) const;
  Status ParseHlsSections(const Entries& entries, const std::string& prefix, Config& config,
                          std::set<std::string>& seen);

  std::string source_;
};

StatusOr<Entries> Parser::MapEntries(const YAML::Node& n, const std::string& path) const {
  Entries out;
  if (n.IsNull()) return out;
  if (!n.IsMap()) {
    return Error(path, "expected a map of keys, got " + NodeKindName(n));
  }
  std::map<std::string, int> first_line;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) {
      return Error(path, "keys must be plain names, got " + NodeKindName(it->first) + " at line " +
                             std::to_string(it->first.Mark().line + 1));
    }
    const std::string key = it->first.Scalar();
    auto [pos, inserted] = first_line.emplace(key, it->first.Mark().line + 1);
    if (!inserted) {
      return Error(Join(path, key),
                   "duplicate key (line " + std::to_string(it->first.Mark().line + 1) +
                       ", first given at line " + std::to_string(pos->second) + ")");
    }
    out.emplace_back(key, it->second);
  }
  return out;
}

StatusOr<std::string> Parser::Scalar(const YAML::Node& n, const std::string& path,
                                     std::string_view expected) const {
  if (!n.IsScalar()) {
    return Error(path, "expected " + std::string(expected) + ", got " + NodeKindName(n));
  }
  return n.Scalar();
}

StatusOr<int64_t> Parser::Int(const YAML::Node& n, const std::string& path) const {
  FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(n, path, "an integer"));
  std::string_view v = s;
  if (v.starts_with('+')) v.remove_prefix(1);
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) {
    return Error(path, "expected an integer, got '" + s + "'");
  }
  return out;
}

StatusOr<double> Parser::Double(const YAML::Node& n, const std::string& path) const {
  FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(n, path, "a number"));
  std::string_view v = s;
  if (v.starts_with('+')) v.remove_prefix(1);
  double out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(out)) {
    return Error(path, "expected a number, got '" + s + "'");
  }
  return out;
}

StatusOr<bool> Parser::Bool(const YAML::Node& n, const std::string& path) const {
  FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(n, path, "true or false"));
  const std::string l = Lower(s);
  if (l == "true") return true;
  if (l == "false") return false;
  return Error(path, "expected true or false, got '" + s + "'");
}

StatusOr<TypeSpec> Parser::Type(const YAML::Node& n, const std::string& path) const {
  FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(n, path, "a type string such as ap_fixed<16,6>"));
  TypeSpec spec;
  spec.path = path;
  if (s == "auto") {
    spec.is_auto = true;
    return spec;
  }
  auto parsed = ParseFixedType(s);
  if (!parsed.ok()) {
    std::string hint;
    if (s.find('<') != std::string::npos && s.find('>') == std::string::npos) {
      hint = " (inside {...} a comma ends a YAML value: quote the type, e.g. 'ap_fixed<16,6>')";
    }
    return Error(path, parsed.status().message() + hint);
  }
  spec.type = *parsed;
  return spec;
}

StatusOr<Section> Parser::ParseSection(const YAML::Node& n, const std::string& path,
                                       const std::vector<std::string>& slots, bool check_table,
                                       bool table_ok, bool is_model) const {
  Section section;
  section.path = path;
  FIRMNET_ASSIGN_OR_RETURN(Entries entries, MapEntries(n, path));
  std::vector<std::string> known;
  known.reserve(kSectionKeys.size());
  for (const auto& k : kSectionKeys) known.emplace_back(k.name);
  // A slot named twice (Precision.table and table_t) would make the winner depend on key order.
  std::map<std::string, std::string> slot_source;
  auto set_slot = [&](const std::string& slot, TypeSpec spec) -> Status {
    if (!slots.empty() && std::find(slots.begin(), slots.end(), slot) == slots.end()) {
      return Error(spec.path, "unknown precision slot '" + slot + "' here; expected one of " +
                                  Join(slots) + Hint(slot, slots));
    }
    auto [it, inserted] = slot_source.emplace(slot, spec.path);
    if (!inserted) {
      return Error(spec.path, "precision slot '" + slot + "' is also set by " + it->second);
    }
    section.precision[slot] = std::move(spec);
    return OkStatus();
  };

  for (const auto& [key, value] : entries) {
    const std::string kpath = Join(path, key);
    const SectionKey* sk = FindSectionKey(key);
    if (sk == nullptr) {
      return Error(kpath,
                   "unknown key '" + key + "'; expected one of " + Join(known) + Hint(key, known));
    }
    switch (sk->kind) {
      case SectionKeyKind::kPrecision: {
        if (value.IsMap()) {
          FIRMNET_ASSIGN_OR_RETURN(Entries pe, MapEntries(value, kpath));
          for (const auto& [slot, tv] : pe) {
            FIRMNET_ASSIGN_OR_RETURN(TypeSpec spec, Type(tv, Join(kpath, slot)));
            if (slot == "default") {
              section.precision_all = std::move(spec);
            } else if (slot == "maximum") {
              // hls4ml's Model.Precision.maximum: a bound on the widths `auto` infers.
              if (!is_model) {
                return Error(spec.path, "'maximum' is only valid under Model.Precision");
              }
              if (spec.is_auto) return Error(spec.path, "'maximum' must be a type, not auto");
              section.maximum = std::move(spec);
            } else {
              FIRMNET_RETURN_IF_ERROR(set_slot(slot, std::move(spec)));
            }
          }
        } else {
          FIRMNET_ASSIGN_OR_RETURN(TypeSpec spec, Type(value, kpath));
          section.precision_all = std::move(spec);
        }
        break;
      }
      case SectionKeyKind::kSlotAlias: {
        FIRMNET_ASSIGN_OR_RETURN(TypeSpec spec, Type(value, kpath));
        FIRMNET_RETURN_IF_ERROR(set_slot(std::string(sk->slot), std::move(spec)));
        break;
      }
      case SectionKeyKind::kReuseFactor: {
        FIRMNET_ASSIGN_OR_RETURN(int64_t v, Int(value, kpath));
        if (v < 1 || v > (1 << 24)) {
          return Error(kpath, "ReuseFactor must be an integer >= 1, got " + std::to_string(v));
        }
        section.reuse_factor = Located<int>{static_cast<int>(v), kpath};
        break;
      }
      case SectionKeyKind::kStrategy: {
        FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(value, kpath, "Latency or Resource"));
        const std::string l = Lower(s);
        if (l == "latency") {
          section.strategy = Located<ir::Strategy>{ir::Strategy::kLatency, kpath};
        } else if (l == "resource") {
          section.strategy = Located<ir::Strategy>{ir::Strategy::kResource, kpath};
        } else {
          return Error(kpath, "unknown Strategy '" + s + "'; expected Latency or Resource");
        }
        break;
      }
      case SectionKeyKind::kMultiplier: {
        FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(value, kpath, "auto, lut or dsp"));
        const std::optional<ir::Multiplier> m = ir::ParseMultiplier(s);
        if (!m) return Error(kpath, "unknown Multiplier '" + s + "'; expected auto, lut or dsp");
        section.multiplier = Located<ir::Multiplier>{*m, kpath};
        break;
      }
      case SectionKeyKind::kTableStyle: {
        FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(value, kpath, "hls4ml or firmnet"));
        const std::optional<ir::TableStyle> t = ir::ParseTableStyle(s);
        if (!t) return Error(kpath, "unknown TableStyle '" + s + "'; expected hls4ml or firmnet");
        if (check_table && !table_ok) {
          return Error(kpath, "TableStyle applies only to layers with a lookup table (" +
                                  Join(TableLayerTypeNames()) + ")");
        }
        section.table_style = Located<ir::TableStyle>{*t, kpath};
        break;
      }
      case SectionKeyKind::kBitExact: {
        if (!is_model) return Error(kpath, "BitExact is only valid in the Model section");
        FIRMNET_ASSIGN_OR_RETURN(bool v, Bool(value, kpath));
        section.bit_exact = Located<bool>{v, kpath};
        break;
      }
      case SectionKeyKind::kImplementation: {
        if (section.softmax_impl) {
          return Error(kpath, "Implementation is also set by " + section.softmax_impl->path);
        }
        FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(value, kpath, "stable, latency or legacy"));
        const std::optional<ir::SoftmaxImpl> t = ir::ParseSoftmaxImpl(s);
        if (!t) {
          return Error(kpath, "Implementation '" + s +
                                  "' is not supported; expected stable, latency or legacy "
                                  "(hls4ml's softmax implementations that firmnet reproduces)");
        }
        section.softmax_impl = Located<ir::SoftmaxImpl>{*t, kpath};
        break;
      }
      case SectionKeyKind::kTableSize: {
        if (section.table_size) {
          return Error(kpath, "TableSize is also set by " + section.table_size->path);
        }
        FIRMNET_ASSIGN_OR_RETURN(int64_t v, Int(value, kpath));
        if (v < 2 || v > (1 << 24) || (v & (v - 1)) != 0) {
          return Error(kpath, "TableSize must be a power of two between 2 and 16777216, got " +
                                  std::to_string(v));
        }
        if (check_table && !table_ok) {
          return Error(kpath, "TableSize applies only to layers with a lookup table (" +
                                  Join(TableLayerTypeNames()) + ")");
        }
        section.table_size = Located<int>{static_cast<int>(v), kpath};
        break;
      }
      case SectionKeyKind::kIgnoredBool: {
        FIRMNET_ASSIGN_OR_RETURN(bool ignored, Bool(value, kpath));
        (void)ignored;
        break;
      }
      case SectionKeyKind::kIgnoredInt: {
        FIRMNET_ASSIGN_OR_RETURN(int64_t ignored, Int(value, kpath));
        if (ignored < 1)
          return Error(kpath, key + " must be 1 or more, got " + std::to_string(ignored));
        break;
      }
      case SectionKeyKind::kConvImplementation: {
        FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(value, kpath, "LineBuffer or Encoded"));
        if (s != "LineBuffer" && s != "Encoded") {
          return Error(kpath,
                       "unknown ConvImplementation '" + s + "'; expected LineBuffer or Encoded");
        }
        break;
      }
      case SectionKeyKind::kSoftmaxSkip: {
        FIRMNET_ASSIGN_OR_RETURN(bool skip, Bool(value, kpath));
        if (skip) {
          return Error(kpath,
                       "Skip: true (hls4ml leaves the softmax out) is not supported; remove the "
                       "softmax from the model, or set Skip: false");
        }
        break;
      }
    }
  }
  return section;
}

Status Parser::ParseHlsSections(const Entries& entries, const std::string& prefix, Config& config,
                                std::set<std::string>& seen) {
  for (const auto& [key, value] : entries) {
    if (key != "Model" && key != "LayerType" && key != "LayerName") continue;
    const std::string path = Join(prefix, key);
    if (!seen.insert(key).second) {
      return Error(path, key + " is given both at the top level and under HLSConfig; keep one");
    }
    if (key == "Model") {
      FIRMNET_ASSIGN_OR_RETURN(Section s,
                               ParseSection(value, path, AllSlotNames(), false, true, true));
      config.model = std::move(s);
    } else if (key == "LayerType") {
      FIRMNET_ASSIGN_OR_RETURN(Entries types, MapEntries(value, path));
      const auto names = ConfigLayerTypeNames();
      std::vector<std::string> valid;
      valid.reserve(names.size());
      for (const auto& [n, kinds] : names) valid.emplace_back(n);
      for (const auto& [type_name, section] : types) {
        const std::string tpath = Join(path, type_name);
        const std::vector<LayerKind>* kinds = nullptr;
        for (const auto& [n, k] : names) {
          if (n == type_name) kinds = &k;
        }
        if (kinds == nullptr) {
          return Error(tpath, "unknown LayerType '" + type_name + "'; expected one of " +
                                  Join(valid) + Hint(type_name, valid));
        }
        std::vector<std::string> slots;
        bool table_ok = false;
        for (LayerKind k : *kinds) {
          const LayerInfo& info = GetLayerInfo(k);
          if (info.default_table_size > 0) table_ok = true;
          for (const auto& s : info.slots) {
            if (std::find(slots.begin(), slots.end(), s.name) == slots.end()) {
              slots.emplace_back(s.name);
            }
          }
        }
        FIRMNET_ASSIGN_OR_RETURN(Section s,
                                 ParseSection(section, tpath, slots, true, table_ok, false));
        config.layer_types[type_name] = std::move(s);
      }
    } else {
      FIRMNET_ASSIGN_OR_RETURN(Entries layers, MapEntries(value, path));
      for (const auto& [layer_name, section] : layers) {
        FIRMNET_ASSIGN_OR_RETURN(
            Section s, ParseSection(section, Join(path, layer_name), {}, false, true, false));
        config.layer_names[layer_name] = std::move(s);
      }
    }
  }
  return OkStatus();
}

bool IsCIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool IsPartName(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

StatusOr<Config> Parser::Parse(const YAML::Node& root) {
  Config config;
  config.source_name = source_;
  FIRMNET_ASSIGN_OR_RETURN(Entries top, MapEntries(root, ""));
  std::vector<std::string> known;
  known.reserve(kTopLevelKeys.size() + kIgnoredTopLevelKeys.size());
  for (auto k : kTopLevelKeys) known.emplace_back(k);
  for (auto k : kIgnoredTopLevelKeys) known.emplace_back(k);
  std::set<std::string> seen_sections;
  for (const auto& [key, value] : top) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return Error(key, "unknown top-level key '" + key + "'; expected one of " + Join(known) +
                            Hint(key, known));
    }
    if (key == "Part" || key == "XilinxPart") {
      FIRMNET_ASSIGN_OR_RETURN(std::string part, Scalar(value, key, "an FPGA part name"));
      if (!IsPartName(part)) {
        return Error(key, "'" + part +
                              "' is not an FPGA part name (letters, digits, '-', '_', '.'), "
                              "e.g. xcku115-flvb2104-2-i");
      }
      if (config.part && config.part->value != part) {
        return Error(key, "'" + part + "' disagrees with " + config.part->path + " '" +
                              config.part->value + "'");
      }
      config.part = Located<std::string>{part, key};
    } else if (key == "ClockPeriod") {
      FIRMNET_ASSIGN_OR_RETURN(double v, Double(value, key));
      if (!(v > 0)) return Error(key, "ClockPeriod (ns) must be > 0, got " + value.Scalar());
      config.clock_period_ns = Located<double>{v, key};
    } else if (key == "IOType") {
      FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(value, key, "io_parallel or io_stream"));
      if (s == "io_parallel") {
        config.io_type = Located<ir::IoType>{ir::IoType::kParallel, key};
      } else if (s == "io_stream") {
        config.io_type = Located<ir::IoType>{ir::IoType::kStream, key};
      } else {
        return Error(key, "unknown IOType '" + s + "'; expected io_parallel or io_stream");
      }
    } else if (key == "ProjectName") {
      FIRMNET_ASSIGN_OR_RETURN(std::string s, Scalar(value, key, "a project name"));
      if (!IsCIdentifier(s)) {
        return Error(key, "'" + s +
                              "' is not a C identifier (letters, digits and '_', not starting "
                              "with a digit); it names the generated top-level function");
      }
      config.project_name = Located<std::string>{s, key};
    } else if (key == "HLSConfig") {
      FIRMNET_ASSIGN_OR_RETURN(Entries hls, MapEntries(value, key));
      for (const auto& [hkey, hvalue] : hls) {
        if (hkey != "Model" && hkey != "LayerType" && hkey != "LayerName") {
          std::vector<std::string> hk = {"Model", "LayerType", "LayerName"};
          return Error(Join(key, hkey), "unknown key '" + hkey +
                                            "'; expected one of Model, LayerType, LayerName" +
                                            Hint(hkey, hk));
        }
      }
      FIRMNET_RETURN_IF_ERROR(ParseHlsSections(hls, key, config, seen_sections));
    }
    // Model/LayerType/LayerName at top level are handled below; the ignored keys need no value
    // check (they name files of other tools).
  }
  FIRMNET_RETURN_IF_ERROR(ParseHlsSections(top, "", config, seen_sections));
  return config;
}

}  // namespace

StatusOr<Config> ParseConfig(std::string_view yaml_text, const std::string& source_name) {
  // yaml-cpp reports errors by throwing; nothing may escape this boundary.
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    Parser parser(source_name);
    return parser.Parse(root);
  } catch (const YAML::Exception& e) {
    std::string where = source_name;
    if (!e.mark.is_null()) {
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    }
    return InvalidArgument(where + ": invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgument(source_name + ": cannot read config: " + e.what());
  }
}

StatusOr<Config> LoadConfigFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgument("config file '" + path + "' is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open config file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return IoError("cannot read config file '" + path + "'");
  return ParseConfig(text.str(), path);
}

}  // namespace firmnet::config
