#include "firmnet/ir/parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "firmnet/ir/printer.h"

namespace firmnet::ir {
namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}
bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
// Characters of a number token: digits, sign, point, exponent and the letters of inf/nan.
bool IsNumberChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '+' || c == '-';
}

std::string KnownKinds() {
  std::string out;
  for (LayerKind k : kAllLayerKinds) out += (out.empty() ? "" : ", ") + std::string(LayerKindId(k));
  return out;
}

// A recursive-descent parser over characters. Statements end at a newline; inside (), [] and {}
// newlines are plain white space, so long weight lists and precision sets may wrap.
class Parser {
 public:
  Parser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  StatusOr<Graph> Parse() {
    Graph g;
    Skip(true);
    const size_t graph_at = pos_;
    if (!IsIdentStart(Peek()) || ReadWord() != "graph") {
      return ErrorAt(graph_at, "expected 'graph <name> {' at the start of the text");
    }
    Skip(false);
    FIRMNET_ASSIGN_OR_RETURN(g.name, ParseWordOrString("a graph name"));
    Skip(false);
    FIRMNET_RETURN_IF_ERROR(Expect('{', "after the graph name"));
    FIRMNET_RETURN_IF_ERROR(ExpectEndOfLine("'{'"));
    bool in_node = false;  // weight lines may follow only a node line or its other weights
    bool have_settings = false;
    bool have_outputs = false;
    while (true) {
      Skip(true);
      if (AtEnd()) {
        return Error("unexpected end of input: graph '" + g.name + "' has no closing '}'");
      }
      const size_t at = pos_;
      const char c = Peek();
      if (c == '}') {
        ++pos_;
        break;
      }
      if (c == '%') {
        FIRMNET_RETURN_IF_ERROR(ParseNode(g));
        in_node = true;
        continue;
      }
      std::string word;
      if (IsIdentStart(c)) {
        word = ReadWord();
        pos_ = at;
      }
      if (word == "settings" || word == "outputs") {
        bool& seen = word == "settings" ? have_settings : have_outputs;
        if (seen) return Error("the '" + word + "' line is given twice");
        seen = true;
        ReadWord();
        FIRMNET_RETURN_IF_ERROR(word == "settings" ? ParseSettings(g) : ParseOutputs(g));
        in_node = false;
        continue;
      }
      if (c == '"' || IsIdentStart(c)) {
        if (!in_node) {
          return Error("a weight line must follow the line of the node it belongs to");
        }
        FIRMNET_RETURN_IF_ERROR(ParseWeight(g.nodes.back()));
        continue;
      }
      return Error(
          "expected a node ('%name = kind(...)'), a weight, 'settings', 'outputs' or "
          "'}', found " +
          Describe());
    }
    Skip(true);
    if (!AtEnd()) return Error("unexpected " + Describe() + " after the graph's closing '}'");
    return g;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool AtEndOfLine() const { return AtEnd() || Peek() == '\n'; }

  // Skips blanks and '#' comments, and newlines too when `newlines`.
  void Skip(bool newlines) {
    while (!AtEnd()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
        ++pos_;
      } else if (c == '#') {
        while (!AtEnd() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Status ErrorAt(size_t at, const std::string& what) const {
    at = std::min(at, text_.size());
    int line = 1;
    size_t line_start = 0;
    for (size_t k = 0; k < at; ++k) {
      if (text_[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    }
    return InvalidArgument(source_ + ":" + std::to_string(line) + ":" +
                           std::to_string(at - line_start + 1) + ": " + what);
  }
  Status Error(const std::string& what) const { return ErrorAt(pos_, what); }

  // What the parser is looking at, for "found ..." in messages.
  std::string Describe() const {
    if (AtEnd()) return "end of input";
    const auto c = static_cast<unsigned char>(Peek());
    if (c == '\n') return "end of line";
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
  }

  bool Accept(char c) {
    if (Peek() != c || AtEnd()) return false;
    ++pos_;
    return true;
  }
  Status Expect(char c, std::string_view context) {
    if (Accept(c)) return OkStatus();
    return Error(std::string("expected '") + c + "' " + std::string(context) + ", found " +
                 Describe());
  }
  Status ExpectEndOfLine(std::string_view after) {
    Skip(false);
    if (AtEnd()) return OkStatus();
    if (Peek() == '\n') {
      ++pos_;
      return OkStatus();
    }
    return Error("unexpected " + Describe() + " after " + std::string(after) +
                 "; expected the end of the line");
  }

  std::string ReadWord() {
    const size_t start = pos_;
    while (!AtEnd() && IsWordChar(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  StatusOr<std::string> ParseIdent(std::string_view what) {
    if (!IsIdentStart(Peek()))
      return Error("expected " + std::string(what) + ", found " + Describe());
    return ReadWord();
  }

  StatusOr<std::string> ParseQuoted() {
    const size_t start = pos_;
    FIRMNET_RETURN_IF_ERROR(Expect('"', "to open a string"));
    std::string out;
    while (true) {
      if (AtEndOfLine()) return ErrorAt(start, "unterminated string (a '\"' is missing)");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (AtEndOfLine()) return ErrorAt(start, "unterminated string (a '\"' is missing)");
      const size_t esc_at = pos_ - 1;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'x': {
          int v = 0;
          for (int k = 0; k < 2; ++k) {
            const char h = Peek();
            int d = -1;
            if (h >= '0' && h <= '9') d = h - '0';
            if (h >= 'a' && h <= 'f') d = h - 'a' + 10;
            if (h >= 'A' && h <= 'F') d = h - 'A' + 10;
            if (d < 0 || AtEnd())
              return ErrorAt(esc_at, "'\\x' must be followed by two hex digits");
            v = v * 16 + d;
            ++pos_;
          }
          out += static_cast<char>(v);
          break;
        }
        default:
          return ErrorAt(esc_at, std::string("unknown escape '\\") + e +
                                     "' in a string (use \\\" \\\\ \\n \\r \\t or \\xHH)");
      }
    }
  }

  StatusOr<std::string> ParseWordOrString(std::string_view what) {
    if (Peek() == '"') return ParseQuoted();
    if (AtEnd() || !IsWordChar(Peek())) {
      return Error("expected " + std::string(what) + ", found " + Describe());
    }
    return ReadWord();
  }
  // Attribute names, precision slots and weight names: an identifier or a quoted string.
  StatusOr<std::string> ParseKey(std::string_view what) {
    if (Peek() == '"') return ParseQuoted();
    return ParseIdent(what);
  }
  StatusOr<std::string> ParseNodeRef(std::string_view what) {
    if (Peek() != '%')
      return Error("expected " + std::string(what) + " ('%name'), found " + Describe());
    ++pos_;
    if (Peek() == '"') return ParseQuoted();
    if (AtEnd() || !IsWordChar(Peek())) {
      return Error("expected a name after '%', found " + Describe() +
                   " (quote names with other characters: %\"a/b:0\")");
    }
    return ReadWord();
  }

  // One number: an int64 when it is written as one, else a double.
  StatusOr<std::variant<int64_t, double>> ParseNumber(std::string_view what) {
    const size_t start = pos_;
    while (!AtEnd() && IsNumberChar(text_[pos_])) ++pos_;
    const std::string_view tok = text_.substr(start, pos_ - start);
    if (tok.empty()) return Error("expected " + std::string(what) + ", found " + Describe());
    const char* begin = tok.data();
    const char* end = tok.data() + tok.size();
    int64_t i = 0;
    const auto ri = std::from_chars(begin, end, i);
    if (ri.ptr == end) {
      if (ri.ec == std::errc()) return std::variant<int64_t, double>(i);
      return ErrorAt(start, "integer '" + std::string(tok) + "' does not fit in 64 bits");
    }
    double d = 0;
    const auto rd = std::from_chars(begin, end, d);
    if (rd.ptr == end && rd.ec == std::errc()) return std::variant<int64_t, double>(d);
    if (rd.ptr == end) {
      return ErrorAt(start, "number '" + std::string(tok) + "' is out of the range of a double");
    }
    return ErrorAt(
        start, "malformed number '" + std::string(tok) + "' (expected " + std::string(what) + ")");
  }
  // Reads the token as a double directly, so that "-0" and integers beyond 64 bits keep the
  // exact double that the printer wrote.
  StatusOr<double> ParseDouble(std::string_view what) {
    const size_t start = pos_;
    while (!AtEnd() && IsNumberChar(text_[pos_])) ++pos_;
    const std::string_view tok = text_.substr(start, pos_ - start);
    if (tok.empty()) return Error("expected " + std::string(what) + ", found " + Describe());
    double d = 0;
    const auto rd = std::from_chars(tok.data(), tok.data() + tok.size(), d);
    if (rd.ptr == tok.data() + tok.size() && rd.ec == std::errc()) return d;
    if (rd.ptr == tok.data() + tok.size()) {
      return ErrorAt(start, "number '" + std::string(tok) + "' is out of the range of a double");
    }
    return ErrorAt(
        start, "malformed number '" + std::string(tok) + "' (expected " + std::string(what) + ")");
  }
  StatusOr<int64_t> ParseInt(std::string_view what) {
    const size_t start = pos_;
    FIRMNET_ASSIGN_OR_RETURN(auto n, ParseNumber(what));
    if (const auto* i = std::get_if<int64_t>(&n)) return *i;
    return ErrorAt(start, "expected " + std::string(what) + " (an integer), found '" +
                              std::string(text_.substr(start, pos_ - start)) + "'");
  }
  StatusOr<int> ParseInt32(std::string_view what) {
    const size_t start = pos_;
    FIRMNET_ASSIGN_OR_RETURN(int64_t v, ParseInt(what));
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
      return ErrorAt(start,
                     std::string(what) + " " + std::to_string(v) + " does not fit in an int");
    }
    return static_cast<int>(v);
  }

  // '[' numbers separated by ',' ']' with newlines allowed inside.
  template <typename F>
  Status ParseList(std::string_view what, F&& element) {
    FIRMNET_RETURN_IF_ERROR(Expect('[', "to open " + std::string(what)));
    Skip(true);
    if (Accept(']')) return OkStatus();
    while (true) {
      Skip(true);
      FIRMNET_RETURN_IF_ERROR(element());
      Skip(true);
      if (Accept(',')) continue;
      if (Accept(']')) return OkStatus();
      return Error("expected ',' or ']' in " + std::string(what) + ", found " + Describe());
    }
  }
  StatusOr<Shape> ParseShape(std::string_view what) {
    Shape shape;
    FIRMNET_RETURN_IF_ERROR(ParseList(what, [&]() -> Status {
      FIRMNET_ASSIGN_OR_RETURN(int64_t d, ParseInt("a dimension"));
      shape.push_back(d);
      return OkStatus();
    }));
    return shape;
  }

  // Fills `out` in place: building StatusOr<AttrValue> temporaries trips a false
  // -Wmaybe-uninitialized in g++ 12's std::variant under the sanitizer build.
  Status ParseAttrValue(const std::string& context, AttrValue& out) {
    const size_t start = pos_;
    if (Peek() == '"') {
      FIRMNET_ASSIGN_OR_RETURN(std::string str, ParseQuoted());
      out.emplace<std::string>(std::move(str));
      return OkStatus();
    }
    enum class ListType { kAny, kInt, kDouble } list_type = ListType::kAny;
    if (IsIdentStart(Peek())) {
      const std::string word = ReadWord();
      if ((word == "f64" || word == "i64") && Peek() == '[') {
        list_type = word == "f64" ? ListType::kDouble : ListType::kInt;
      } else if (word == "inf" || word == "infinity" || word == "nan") {
        pos_ = start;
      } else {
        return ErrorAt(start, context + ": expected a number, a \"string\" or a [list], found '" +
                                  word + "' (strings must be quoted)");
      }
    }
    if (Peek() != '[') {
      FIRMNET_ASSIGN_OR_RETURN(auto n, ParseNumber("a number"));
      if (const auto* i = std::get_if<int64_t>(&n)) {
        out.emplace<int64_t>(*i);
      } else {
        out.emplace<double>(std::get<double>(n));
      }
      return OkStatus();
    }
    std::vector<std::variant<int64_t, double>> items;
    FIRMNET_RETURN_IF_ERROR(ParseList(context, [&]() -> Status {
      FIRMNET_ASSIGN_OR_RETURN(auto n, ParseNumber("a number"));
      items.push_back(n);
      return OkStatus();
    }));
    bool all_ints = true;
    for (const auto& n : items) all_ints = all_ints && std::holds_alternative<int64_t>(n);
    if (list_type == ListType::kInt && !all_ints) {
      return ErrorAt(start, context + ": an i64 list holds a value that is not an integer");
    }
    if (list_type == ListType::kInt || (list_type == ListType::kAny && all_ints)) {
      auto& ints = out.emplace<std::vector<int64_t>>();
      for (const auto& n : items) ints.push_back(std::get<int64_t>(n));
      return OkStatus();
    }
    auto& doubles = out.emplace<std::vector<double>>();
    for (const auto& n : items) {
      const auto* i = std::get_if<int64_t>(&n);
      doubles.push_back(i ? static_cast<double>(*i) : std::get<double>(n));
    }
    return OkStatus();
  }

  Status ParseSettings(Graph& g) {
    std::set<std::string> seen;
    while (true) {
      Skip(false);
      if (AtEndOfLine()) break;
      const size_t key_at = pos_;
      FIRMNET_ASSIGN_OR_RETURN(std::string key, ParseIdent("a setting name"));
      if (!seen.insert(key).second) return ErrorAt(key_at, "setting '" + key + "' is given twice");
      Skip(false);
      FIRMNET_RETURN_IF_ERROR(Expect('=', "after setting '" + key + "'"));
      Skip(false);
      const size_t value_at = pos_;
      if (key == "project") {
        FIRMNET_ASSIGN_OR_RETURN(g.settings.project_name, ParseWordOrString("a project name"));
      } else if (key == "part") {
        FIRMNET_ASSIGN_OR_RETURN(g.settings.part, ParseWordOrString("an FPGA part"));
      } else if (key == "clock") {
        FIRMNET_ASSIGN_OR_RETURN(g.settings.clock_period_ns, ParseDouble("a clock period in ns"));
      } else if (key == "io") {
        const std::string io = ReadWord();
        if (io == IoTypeName(IoType::kParallel)) {
          g.settings.io_type = IoType::kParallel;
        } else if (io == IoTypeName(IoType::kStream)) {
          g.settings.io_type = IoType::kStream;
        } else {
          return ErrorAt(value_at, "setting 'io': unknown IO type '" + io +
                                       "' (expected io_parallel or io_stream)");
        }
      } else if (key == "precision") {
        FIRMNET_ASSIGN_OR_RETURN(g.settings.default_precision,
                                 ParseType("settings", "setting 'precision'"));
      } else if (key == "max_precision") {
        FIRMNET_ASSIGN_OR_RETURN(g.settings.max_precision,
                                 ParseType("settings", "setting 'max_precision'"));
      } else if (key == "bit_exact") {
        const std::string v = ReadWord();
        if (v != "0" && v != "1") {
          return ErrorAt(value_at, "setting 'bit_exact': expected 0 or 1, got '" + v + "'");
        }
        g.settings.bit_exact = v == "1";
      } else {
        return ErrorAt(key_at, "unknown setting '" + key +
                                   "' (known: project, part, clock, io, precision, max_precision, "
                                   "bit_exact)");
      }
    }
    return ExpectEndOfLine("the settings");
  }

  // '%name' or '%name:port' (output port >= 1 of a multi-output layer).
  StatusOr<TensorRef> ParseTensorRef(std::string_view what) {
    FIRMNET_ASSIGN_OR_RETURN(std::string name, ParseNodeRef(what));
    TensorRef ref(std::move(name));
    if (!Accept(':')) return ref;
    const size_t at = pos_;
    FIRMNET_ASSIGN_OR_RETURN(ref.port, ParseInt32("an output port"));
    if (ref.port < 1) {
      return ErrorAt(at, "output port " + std::to_string(ref.port) + " of '" + ref.node +
                             "': ports after ':' count from 1 (port 0 is the bare name)");
    }
    return ref;
  }

  Status ParseOutputs(Graph& g) {
    Skip(false);
    if (AtEndOfLine()) return ExpectEndOfLine("'outputs'");
    while (true) {
      Skip(false);
      FIRMNET_ASSIGN_OR_RETURN(TensorRef out, ParseTensorRef("an output"));
      g.outputs.push_back(std::move(out));
      Skip(false);
      if (!Accept(',')) break;
    }
    return ExpectEndOfLine("the outputs");
  }

  // A fixed-point type as the printer writes it (ap_fixed<16,6,AP_RND>), or quoted.
  StatusOr<FixedType> ParseType(const std::string& ctx, const std::string& what) {
    const size_t type_at = pos_;
    std::string type_text;
    if (Peek() == '"') {
      FIRMNET_ASSIGN_OR_RETURN(type_text, ParseQuoted());
    } else {
      FIRMNET_ASSIGN_OR_RETURN(type_text, ParseIdent("a fixed-point type such as ap_fixed<16,6>"));
      Skip(false);
      if (Peek() == '<') {
        const size_t open = pos_;
        while (!AtEnd() && Peek() != '>' && Peek() != '\n' && Peek() != '}') ++pos_;
        if (!Accept('>')) return ErrorAt(open, ctx + ": the '<' of a type is never closed");
        type_text = std::string(text_.substr(type_at, pos_ - type_at));
      }
    }
    auto type = ParseFixedType(type_text);
    if (!type.ok()) return ErrorAt(type_at, ctx + ": " + what + ": " + type.status().message());
    return *type;
  }

  Status ParsePrecision(Node& node, const std::string& ctx) {
    FIRMNET_RETURN_IF_ERROR(Expect('{', "after 'precision'"));
    Skip(true);
    if (Accept('}')) return OkStatus();
    while (true) {
      Skip(true);
      const size_t slot_at = pos_;
      FIRMNET_ASSIGN_OR_RETURN(std::string slot, ParseKey("a precision slot name"));
      if (node.precision.count(slot) || node.auto_precision.count(slot)) {
        return ErrorAt(slot_at, ctx + ": precision slot '" + slot + "' is given twice");
      }
      Skip(true);
      FIRMNET_RETURN_IF_ERROR(Expect('=', "after precision slot '" + slot + "'"));
      Skip(true);
      // `auto` (not yet inferred) or `auto:TYPE` (inferred).
      bool is_auto = false;
      if (text_.substr(pos_, 4) == "auto" &&
          (pos_ + 4 >= text_.size() || !IsWordChar(text_[pos_ + 4]))) {
        pos_ += 4;
        is_auto = true;
        node.auto_precision.insert(slot);
      }
      if (!is_auto || Accept(':')) {
        FIRMNET_ASSIGN_OR_RETURN(node.precision[slot], ParseType(ctx, "precision '" + slot + "'"));
      }
      Skip(true);
      if (Accept(',')) continue;
      if (Accept('}')) return OkStatus();
      return Error(ctx + ": expected ',' or '}' in precision{...}, found " + Describe());
    }
  }

  // model_precision{slot=TYPE, ...}: no `auto` (the model names a type or nothing).
  Status ParseModelPrecision(Node& node, const std::string& ctx) {
    FIRMNET_RETURN_IF_ERROR(Expect('{', "after 'model_precision'"));
    Skip(true);
    if (Accept('}')) return OkStatus();
    while (true) {
      Skip(true);
      const size_t slot_at = pos_;
      FIRMNET_ASSIGN_OR_RETURN(std::string slot, ParseKey("a precision slot name"));
      if (node.model_precision.count(slot)) {
        return ErrorAt(slot_at, ctx + ": model_precision slot '" + slot + "' is given twice");
      }
      Skip(true);
      FIRMNET_RETURN_IF_ERROR(Expect('=', "after model_precision slot '" + slot + "'"));
      Skip(true);
      FIRMNET_ASSIGN_OR_RETURN(node.model_precision[slot],
                               ParseType(ctx, "model_precision '" + slot + "'"));
      Skip(true);
      if (Accept(',')) continue;
      if (Accept('}')) return OkStatus();
      return Error(ctx + ": expected ',' or '}' in model_precision{...}, found " + Describe());
    }
  }

  Status ParseNode(Graph& g) {
    Node node;
    FIRMNET_ASSIGN_OR_RETURN(node.name, ParseNodeRef("a node name"));
    const std::string ctx = "layer '" + node.name + "'";
    Skip(false);
    FIRMNET_RETURN_IF_ERROR(Expect('=', "after the node name"));
    Skip(false);
    const size_t kind_at = pos_;
    FIRMNET_ASSIGN_OR_RETURN(std::string kind_id, ParseIdent("a layer kind"));
    const auto kind = LayerKindFromId(kind_id);
    if (!kind) {
      return ErrorAt(kind_at,
                     ctx + ": unknown layer kind '" + kind_id + "' (known: " + KnownKinds() + ")");
    }
    node.kind = *kind;
    Skip(false);
    FIRMNET_RETURN_IF_ERROR(Expect('(', "after the layer kind"));
    Skip(true);
    if (!Accept(')')) {
      while (true) {
        Skip(true);
        if (Peek() == '%') {
          FIRMNET_ASSIGN_OR_RETURN(TensorRef input, ParseTensorRef("an input"));
          node.inputs.push_back(std::move(input));
        } else {
          const size_t key_at = pos_;
          FIRMNET_ASSIGN_OR_RETURN(std::string key, ParseKey("an input ('%name') or an attribute"));
          if (node.attrs.count(key)) {
            return ErrorAt(key_at, ctx + ": attribute '" + key + "' is given twice");
          }
          Skip(true);
          FIRMNET_RETURN_IF_ERROR(Expect('=', "after attribute '" + key + "'"));
          Skip(true);
          FIRMNET_RETURN_IF_ERROR(
              ParseAttrValue(ctx + ": attribute '" + key + "'", node.attrs[key]));
        }
        Skip(true);
        if (Accept(',')) continue;
        if (Accept(')')) break;
        return Error(ctx + ": expected ',' or ')' after an operand, found " + Describe());
      }
    }
    std::set<std::string> seen;
    while (true) {
      Skip(false);
      if (AtEndOfLine()) break;
      const size_t field_at = pos_;
      FIRMNET_ASSIGN_OR_RETURN(
          std::string field,
          ParseIdent("a field (shape, extra_shapes, reuse, strategy, "
                     "table_size, multiplier, precision, model_precision, origin) or "
                     "the end of line"));
      if (!seen.insert(field).second) {
        return ErrorAt(field_at, ctx + ": field '" + field + "' is given twice");
      }
      Skip(false);
      if (field == "precision") {
        FIRMNET_RETURN_IF_ERROR(ParsePrecision(node, ctx));
        continue;
      }
      if (field == "model_precision") {
        FIRMNET_RETURN_IF_ERROR(ParseModelPrecision(node, ctx));
        continue;
      }
      FIRMNET_RETURN_IF_ERROR(Expect('=', "after '" + field + "'"));
      Skip(false);
      const size_t value_at = pos_;
      if (field == "shape") {
        FIRMNET_ASSIGN_OR_RETURN(node.shape, ParseShape("a shape"));
      } else if (field == "extra_shapes") {
        FIRMNET_RETURN_IF_ERROR(ParseList("the extra output shapes", [&]() -> Status {
          FIRMNET_ASSIGN_OR_RETURN(Shape shape, ParseShape("an output shape"));
          node.extra_outputs.push_back(std::move(shape));
          return OkStatus();
        }));
        if (node.extra_outputs.empty()) {
          return ErrorAt(value_at, ctx + ": extra_shapes is empty (leave it out)");
        }
      } else if (field == "reuse") {
        FIRMNET_ASSIGN_OR_RETURN(node.settings.reuse_factor, ParseInt32("the reuse factor"));
      } else if (field == "table_size") {
        FIRMNET_ASSIGN_OR_RETURN(node.settings.table_size, ParseInt32("the table size"));
      } else if (field == "strategy") {
        const std::string s = ReadWord();
        if (s == StrategyName(Strategy::kLatency)) {
          node.settings.strategy = Strategy::kLatency;
        } else if (s == StrategyName(Strategy::kResource)) {
          node.settings.strategy = Strategy::kResource;
        } else {
          return ErrorAt(value_at,
                         ctx + ": unknown strategy '" + s + "' (expected Latency or Resource)");
        }
      } else if (field == "origin") {
        FIRMNET_ASSIGN_OR_RETURN(node.origin, ParseQuoted());
      } else if (field == "multiplier") {
        const std::string s = ReadWord();
        const std::optional<Multiplier> m = ParseMultiplier(s);
        if (!m) {
          return ErrorAt(value_at,
                         ctx + ": unknown multiplier '" + s + "' (expected auto, lut or dsp)");
        }
        node.settings.multiplier = *m;
      } else if (field == "table_style") {
        const std::string s = ReadWord();
        const std::optional<TableStyle> t = ParseTableStyle(s);
        if (!t) {
          return ErrorAt(value_at,
                         ctx + ": unknown table_style '" + s + "' (expected hls4ml or firmnet)");
        }
        node.settings.table_style = *t;
      } else if (field == "implementation") {
        const std::string s = ReadWord();
        const std::optional<SoftmaxImpl> t = ParseSoftmaxImpl(s);
        if (!t) {
          return ErrorAt(value_at, ctx + ": unknown implementation '" + s +
                                       "' (expected stable, latency or legacy)");
        }
        node.settings.softmax_impl = *t;
      } else {
        return ErrorAt(field_at, ctx + ": unknown field '" + field +
                                     "' (known: shape, extra_shapes, reuse, strategy, "
                                     "table_size, multiplier, table_style, implementation, "
                                     "precision, model_precision, origin)");
      }
    }
    FIRMNET_RETURN_IF_ERROR(ExpectEndOfLine("the node"));
    g.nodes.push_back(std::move(node));
    return OkStatus();
  }

  Status ParseWeight(Node& node) {
    const std::string ctx = "layer '" + node.name + "'";
    const size_t key_at = pos_;
    FIRMNET_ASSIGN_OR_RETURN(std::string key, ParseKey("a weight name"));
    if (node.weights.count(key))
      return ErrorAt(key_at, ctx + ": weight '" + key + "' is given twice");
    const std::string wctx = ctx + ": weight '" + key + "'";
    Skip(false);
    const size_t type_at = pos_;
    const std::string element_type = IsIdentStart(Peek()) ? ReadWord() : "";
    Tensor t;
    if (element_type == "f32") {
      t.dtype = ElementType::kF32;
    } else if (element_type != "f64") {
      return ErrorAt(type_at, wctx +
                                  ": expected the element type 'f64' or 'f32' (as in "
                                  "'f64[16,64]')");
    }
    FIRMNET_ASSIGN_OR_RETURN(t.shape, ParseShape("the weight's shape"));
    Skip(false);
    FIRMNET_RETURN_IF_ERROR(Expect('=', "after the weight's shape"));
    Skip(false);
    FIRMNET_RETURN_IF_ERROR(ParseList("the weight's values", [&]() -> Status {
      const size_t value_at = pos_;
      FIRMNET_ASSIGN_OR_RETURN(double v, ParseDouble("a number"));
      if (t.dtype == ElementType::kF32 && !std::isnan(v) &&
          static_cast<double>(static_cast<float>(v)) != v) {
        return ErrorAt(value_at, wctx + ": value " + FormatDoubleShortest(v) +
                                     " of an f32 tensor is not a float32 value");
      }
      t.data.push_back(v);
      return OkStatus();
    }));
    Skip(false);
    if (text_.substr(pos_, 9) == "reference") {
      pos_ += 9;
      Skip(false);
      FIRMNET_RETURN_IF_ERROR(ParseList("the weight's reference values", [&]() -> Status {
        FIRMNET_ASSIGN_OR_RETURN(double v, ParseDouble("a number"));
        t.reference.push_back(v);
        return OkStatus();
      }));
    }
    FIRMNET_RETURN_IF_ERROR(ExpectEndOfLine("the weight's values"));
    node.weights[key] = std::move(t);
    return OkStatus();
  }

  std::string_view text_;
  const std::string& source_;
  size_t pos_ = 0;
};

}  // namespace

StatusOr<Graph> ParseGraph(std::string_view text, const std::string& source_name) {
  return Parser(text, source_name).Parse();
}

}  // namespace firmnet::ir
