#include "firmnet/report/yosys_log.h"

#include <cctype>

namespace firmnet::report {
namespace {

// "2.47. " -> true: a dotted section number then a blank.
bool HasSectionNumber(std::string_view line, size_t& after) {
  size_t i = 0;
  bool digit = false;
  while (i < line.size() && (std::isdigit(static_cast<unsigned char>(line[i])) || line[i] == '.')) {
    digit |= line[i] != '.';
    ++i;
  }
  if (!digit || i == 0 || line[i - 1] != '.' || i >= line.size() || line[i] != ' ') return false;
  after = i + 1;
  return true;
}

}  // namespace

std::string LastPassName(std::string_view log) {
  // Only complete lines count: the writer may be in the middle of the last one.
  const size_t end = log.rfind('\n');
  if (end == std::string_view::npos) return "";
  std::string_view text = log.substr(0, end);
  while (!text.empty()) {
    const size_t nl = text.rfind('\n');
    const std::string_view line = nl == std::string_view::npos ? text : text.substr(nl + 1);
    size_t after = 0;
    constexpr std::string_view kExec = "Executing ";
    if (HasSectionNumber(line, after) && line.substr(after, kExec.size()) == kExec) {
      std::string_view rest = line.substr(after + kExec.size());
      const size_t pass = rest.find(" pass");
      if (pass != std::string_view::npos && pass > 0) return std::string(rest.substr(0, pass));
      const size_t colon = rest.find_first_of(":.");
      return std::string(rest.substr(0, colon));
    }
    if (nl == std::string_view::npos) break;
    text = text.substr(0, nl);
  }
  return "";
}

std::vector<std::string> ErrorLines(std::string_view log) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < log.size()) {
    size_t nl = log.find('\n', pos);
    if (nl == std::string_view::npos) nl = log.size();
    std::string_view line = log.substr(pos, nl - pos);
    pos = nl + 1;
    // "ERROR: ..." or, for a source error, "file.v:2: ERROR: ...". Yosys ends the log with the
    // message once more and no newline between, so a line that is two copies is cut in half.
    if (line.find("ERROR: ") == std::string_view::npos) continue;
    const size_t half = line.size() / 2;
    if (line.size() % 2 == 0 && line.substr(0, half) == line.substr(half))
      line = line.substr(0, half);
    if (line.substr(0, 7) == "ERROR: ") line = line.substr(7);
    if (out.empty() || out.back() != line) out.emplace_back(line);
  }
  return out;
}

}  // namespace firmnet::report
