#include "firmnet/ir/printer.h"

#include <charconv>
#include <set>
#include <sstream>

#include "firmnet/layers/registry.h"

namespace firmnet::ir {
namespace {

// Weight values per printed line: short enough to read, long enough to keep files compact.
constexpr size_t kValuesPerLine = 8;

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool IsWord(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsWordChar(c)) return false;
  }
  return true;
}

// Keys (attribute names, precision slots, weight names) must start like an identifier so that a
// bare key never reads as a number; the statement keywords are quoted so that a weight called
// "outputs" does not read as the outputs line.
std::string FormatKey(std::string_view key) {
  const bool ident_start = !key.empty() && ((key[0] >= 'a' && key[0] <= 'z') ||
                                            (key[0] >= 'A' && key[0] <= 'Z') || key[0] == '_');
  const bool keyword = key == "settings" || key == "outputs" || key == "graph";
  if (ident_start && !keyword && IsWord(key)) return std::string(key);
  return QuoteString(key);
}

// Attribute doubles carry a '.' (or exponent, inf, nan) so that they never read back as ints.
std::string FormatAttrDouble(double v) {
  std::string s = FormatDoubleShortest(v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

void PrintAttrValue(std::ostream& os, const AttrValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) {
    os << *i;
  } else if (const auto* d = std::get_if<double>(&value)) {
    os << FormatAttrDouble(*d);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    os << QuoteString(*s);
  } else if (const auto* is = std::get_if<std::vector<int64_t>>(&value)) {
    os << "[";
    for (size_t k = 0; k < is->size(); ++k) os << (k ? ", " : "") << (*is)[k];
    os << "]";
  } else {
    // An empty list would read back as an int list without the explicit element type.
    const auto& ds = std::get<std::vector<double>>(value);
    os << "f64[";
    for (size_t k = 0; k < ds.size(); ++k) os << (k ? ", " : "") << FormatAttrDouble(ds[k]);
    os << "]";
  }
}

void PrintValues(std::ostream& os, const std::vector<double>& values) {
  os << "[";
  if (values.size() <= kValuesPerLine) {
    for (size_t k = 0; k < values.size(); ++k) {
      os << (k ? ", " : "") << FormatDoubleShortest(values[k]);
    }
    os << "]";
    return;
  }
  for (size_t k = 0; k < values.size(); ++k) {
    if (k % kValuesPerLine == 0) os << "\n      ";
    os << FormatDoubleShortest(values[k]);
    if (k + 1 < values.size()) os << (k % kValuesPerLine == kValuesPerLine - 1 ? "," : ", ");
  }
  os << "\n    ]";
}

// `key f32[2,3] = [...]`, then ` reference [...]` when the float reference has its own values.
void PrintTensor(std::ostream& os, const std::string& key, const Tensor& t) {
  os << "    " << FormatKey(key) << " " << ElementTypeName(t.dtype) << FormatShape(t.shape)
     << " = ";
  PrintValues(os, t.data);
  if (!t.reference.empty()) {
    os << " reference ";
    PrintValues(os, t.reference);
  }
  os << "\n";
}

// Registry slot order first (result, weight, bias, accum, ...) because that is how people read
// a layer; slots the registry does not know (a verifier error, but printable) follow by name.
// An `auto` slot prints as `auto` before inference and `auto:TYPE` after it.
void PrintPrecision(std::ostream& os, const Node& node) {
  std::set<std::string> all;
  for (const auto& [name, type] : node.precision) all.insert(name);
  all.insert(node.auto_precision.begin(), node.auto_precision.end());
  if (all.empty()) return;
  std::vector<std::string> order;
  for (const PrecisionSlot& slot : GetLayerInfo(node.kind).slots) {
    std::string name(slot.name);
    if (all.erase(name)) order.push_back(name);
  }
  order.insert(order.end(), all.begin(), all.end());
  os << " precision{";
  for (size_t k = 0; k < order.size(); ++k) {
    const std::string& slot = order[k];
    os << (k ? ", " : "") << FormatKey(slot) << "=";
    const auto type = node.precision.find(slot);
    if (node.auto_precision.count(slot)) {
      os << "auto";
      if (type != node.precision.end()) os << ":";
    }
    if (type != node.precision.end()) os << FormatFixedType(type->second);
  }
  os << "}";
}

// The types the model fixes, in registry slot order: ` model_precision{result=ap_ufixed<6,0>}`.
void PrintModelPrecision(std::ostream& os, const Node& node) {
  if (node.model_precision.empty()) return;
  std::vector<std::string> order;
  std::set<std::string> rest;
  for (const auto& [name, type] : node.model_precision) rest.insert(name);
  for (const PrecisionSlot& slot : GetLayerInfo(node.kind).slots) {
    std::string name(slot.name);
    if (rest.erase(name)) order.push_back(name);
  }
  order.insert(order.end(), rest.begin(), rest.end());
  os << " model_precision{";
  for (size_t k = 0; k < order.size(); ++k) {
    os << (k ? ", " : "") << FormatKey(order[k]) << "="
       << FormatFixedType(node.model_precision.at(order[k]));
  }
  os << "}";
}

void PrintNode(std::ostream& os, const Node& node) {
  os << "  " << FormatNodeRef(node.name) << " = " << LayerKindId(node.kind) << "(";
  bool first = true;
  for (const TensorRef& in : node.inputs) {
    os << (first ? "" : ", ") << FormatTensorRef(in);
    first = false;
  }
  for (const auto& [key, value] : node.attrs) {
    os << (first ? "" : ", ") << FormatKey(key) << "=";
    PrintAttrValue(os, value);
    first = false;
  }
  os << ")";
  if (!node.shape.empty()) os << " shape=" << FormatShape(node.shape);
  if (!node.extra_outputs.empty()) {
    os << " extra_shapes=[";
    for (size_t k = 0; k < node.extra_outputs.size(); ++k) {
      os << (k ? ", " : "") << FormatShape(node.extra_outputs[k]);
    }
    os << "]";
  }
  // Settings at their defaults are left out: most layers never change them.
  const LayerSettings defaults;
  if (node.settings.reuse_factor != defaults.reuse_factor) {
    os << " reuse=" << node.settings.reuse_factor;
  }
  if (node.settings.strategy != defaults.strategy) {
    os << " strategy=" << StrategyName(node.settings.strategy);
  }
  if (node.settings.table_size != defaults.table_size) {
    os << " table_size=" << node.settings.table_size;
  }
  if (node.settings.multiplier != defaults.multiplier) {
    os << " multiplier=" << MultiplierName(node.settings.multiplier);
  }
  if (node.settings.table_style != defaults.table_style) {
    os << " table_style=" << TableStyleName(node.settings.table_style);
  }
  if (node.settings.softmax_impl != defaults.softmax_impl) {
    os << " implementation=" << SoftmaxImplName(node.settings.softmax_impl);
  }
  PrintPrecision(os, node);
  PrintModelPrecision(os, node);
  if (!node.origin.empty()) os << " origin=" << QuoteString(node.origin);
  os << "\n";
  for (const auto& [key, tensor] : node.weights) PrintTensor(os, key, tensor);
}

std::string FormatSettingString(const std::string& s) { return IsWord(s) ? s : QuoteString(s); }

}  // namespace

std::string FormatDoubleShortest(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof(buf), v);
  FIRMNET_CHECK(result.ec == std::errc()) << "to_chars failed";
  return std::string(buf, result.ptr);
}

std::string FormatNodeRef(std::string_view name) {
  return "%" + (IsWord(name) ? std::string(name) : QuoteString(name));
}

std::string FormatTensorRef(const TensorRef& t) {
  return FormatNodeRef(t.node) + (t.port == 0 ? "" : ":" + std::to_string(t.port));
}

std::string QuoteString(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;  // UTF-8 and other bytes >= 0x80 pass through unchanged
        }
    }
  }
  out += "\"";
  return out;
}

std::string PrintGraph(const Graph& g) {
  std::ostringstream os;
  os << "graph " << FormatSettingString(g.name) << " {\n";
  os << "  settings project=" << FormatSettingString(g.settings.project_name)
     << " part=" << FormatSettingString(g.settings.part)
     << " clock=" << FormatDoubleShortest(g.settings.clock_period_ns)
     << " io=" << IoTypeName(g.settings.io_type);
  // The inference settings only matter before infer_precision; printed when not the defaults.
  const ModelSettings defaults;
  if (g.settings.default_precision != defaults.default_precision) {
    os << " precision=" << FormatFixedType(g.settings.default_precision);
  }
  if (g.settings.max_precision) {
    os << " max_precision=" << FormatFixedType(*g.settings.max_precision);
  }
  if (g.settings.bit_exact) os << " bit_exact=1";
  os << "\n";
  for (const Node& node : g.nodes) PrintNode(os, node);
  os << "  outputs";
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    os << (k ? ", " : " ") << FormatTensorRef(g.outputs[k]);
  }
  os << "\n}\n";
  return os.str();
}

}  // namespace firmnet::ir
