#include "firmnet/report/synth_inputs.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace firmnet::report {
namespace {

namespace fs = std::filesystem;

bool IdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// The tokens of Verilog text in order: identifiers and single punctuation characters; comments,
// strings, numbers and directives are dropped.
std::vector<std::string> Identifiers(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const char c = text[i];
    if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      i = text.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
    } else if (c == '"') {
      ++i;
      while (i < n && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      ++i;
    } else if (c == '`' || c == '\'') {
      // Compiler directives (`timescale) and based numbers (8'hff): skip the word after them.
      ++i;
      while (i < n && IdentChar(text[i])) ++i;
    } else if (c == '\\') {
      // An escaped identifier runs to the next blank.
      size_t j = i + 1;
      while (j < n && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
      out.push_back(text.substr(i + 1, j - i - 1));
      i = j;
    } else if (IdentStart(c)) {
      size_t j = i;
      while (j < n && IdentChar(text[j])) ++j;
      out.push_back(text.substr(i, j - i));
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < n && (IdentChar(text[i]) || text[i] == '.')) ++i;
    } else {
      if (!std::isspace(static_cast<unsigned char>(c))) out.emplace_back(1, c);
      ++i;
    }
  }
  return out;
}

StatusOr<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path.string() + ": cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

bool IsTestbenchFile(const std::string& name) {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const std::string stem = fs::path(lower).stem().string();
  return stem.rfind("tb_", 0) == 0 || stem == "tb" ||
         (stem.size() > 3 && stem.compare(stem.size() - 3, 3, "_tb") == 0) ||
         stem.rfind("testbench", 0) == 0;
}

VerilogModules ScanVerilogModules(const std::vector<std::pair<std::string, std::string>>& files) {
  VerilogModules m;
  std::vector<std::vector<std::string>> idents;
  std::set<std::string> defined;
  for (const auto& [name, text] : files) {
    idents.push_back(Identifiers(text));
    const auto& ids = idents.back();
    for (size_t i = 0; i + 1 < ids.size(); ++i) {
      if ((ids[i] == "module" || ids[i] == "macromodule") && defined.insert(ids[i + 1]).second) {
        m.defined.push_back(ids[i + 1]);
      }
    }
  }
  // An instantiation is a module name followed by `#(` or by an instance name and `(` or `[`;
  // a net that happens to share a module's name is followed by neither.
  std::set<std::string> used;
  for (const auto& ids : idents) {
    for (size_t i = 0; i + 1 < ids.size(); ++i) {
      if (!defined.count(ids[i])) continue;
      if (i > 0 && (ids[i - 1] == "module" || ids[i - 1] == "macromodule")) continue;
      const bool params = ids[i + 1] == "#";
      const bool instance = IdentStart(ids[i + 1][0]) && i + 2 < ids.size() &&
                            (ids[i + 2] == "(" || ids[i + 2] == "[");
      if (params || instance) used.insert(ids[i]);
    }
  }
  for (const std::string& d : m.defined) {
    if (!used.count(d)) m.candidates.push_back(d);
  }
  return m;
}

StatusOr<SynthInputs> FindSynthInputs(const std::string& dir, const std::string& top_override) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return InvalidArgument(dir +
                           ": not a directory (give the project directory that `firmnet build "
                           "--backend verilog` wrote)");
  }
  SynthInputs in;
  const fs::path design = fs::path(dir) / "design.json";
  if (fs::exists(design, ec)) {
    FIRMNET_ASSIGN_OR_RETURN(std::string text, ReadText(design));
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object())
      return InvalidArgument(design.string() + ": not valid JSON");
    if (j.contains("top")) {
      if (!j["top"].is_string())
        return InvalidArgument(design.string() + ": key 'top' must be a string");
      in.top = j["top"].get<std::string>();
    }
    if (j.contains("part")) {
      if (!j["part"].is_string())
        return InvalidArgument(design.string() + ": key 'part' must be a string");
      in.part = j["part"].get<std::string>();
    }
    if (j.contains("clock_period_ns")) {
      if (!j["clock_period_ns"].is_number() || j["clock_period_ns"].get<double>() <= 0) {
        return InvalidArgument(design.string() + ": key 'clock_period_ns' must be a number > 0");
      }
      in.clock_period_ns = j["clock_period_ns"].get<double>();
    }
    if (j.contains("files")) {
      if (!j["files"].is_array())
        return InvalidArgument(design.string() +
                               ": key 'files' must be a list of Verilog file names");
      for (const auto& s : j["files"]) {
        if (!s.is_string())
          return InvalidArgument(design.string() +
                                 ": key 'files' must be a list of Verilog file names");
        in.sources.push_back(s.get<std::string>());
      }
    }
  }
  if (in.sources.empty()) {
    for (const char* sub : {"", "rtl"}) {
      const fs::path d = fs::path(dir) / sub;
      if (!fs::is_directory(d, ec)) continue;
      for (const auto& e : fs::directory_iterator(d, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && e.path().extension() == ".v" && !IsTestbenchFile(name)) {
          in.sources.push_back(std::string(sub).empty() ? name : std::string(sub) + "/" + name);
        }
      }
    }
    std::sort(in.sources.begin(), in.sources.end());
  }
  if (in.sources.empty()) {
    return InvalidArgument(dir +
                           ": no Verilog files (*.v in the directory or its rtl/ folder, or "
                           "'files' in design.json); run `firmnet build --backend verilog -o " +
                           dir + "` first");
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& s : in.sources) {
    FIRMNET_ASSIGN_OR_RETURN(std::string text, ReadText(fs::path(dir) / s));
    files.emplace_back(s, std::move(text));
  }
  const VerilogModules modules = ScanVerilogModules(files);
  if (!top_override.empty()) in.top = top_override;
  if (!in.top.empty()) {
    if (std::find(modules.defined.begin(), modules.defined.end(), in.top) ==
        modules.defined.end()) {
      return InvalidArgument("top module '" + in.top + "' is not defined in " + dir +
                             " (modules: " +
                             [&] {
                               std::string l;
                               for (const auto& d : modules.defined)
                                 l += (l.empty() ? "" : ", ") + d;
                               return l.empty() ? std::string("none") : l;
                             }() +
                             ")");
    }
    return in;
  }
  if (modules.candidates.size() != 1) {
    std::string list;
    for (const auto& c : modules.candidates) list += (list.empty() ? "" : ", ") + c;
    return InvalidArgument(dir + ": cannot tell the top module: " +
                           (modules.candidates.empty()
                                ? std::string("every module is instantiated by another")
                                : "modules " + list + " are not instantiated by any other") +
                           "; name it with --top");
  }
  in.top = modules.candidates[0];
  return in;
}

}  // namespace firmnet::report
