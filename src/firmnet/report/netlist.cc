#include "firmnet/report/netlist.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

namespace firmnet::report {
namespace {

using nlohmann::json;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Yosys writes integer parameters as strings of '0'/'1' (MSB first); other strings are text.
std::optional<int64_t> IntParam(const std::string& s) {
  if (s.empty() || s.size() > 62) return std::nullopt;
  int64_t x = 0;
  for (char c : s) {
    if (c != '0' && c != '1') return std::nullopt;
    x = x * 2 + (c - '0');
  }
  return x;
}

// A net has a name in every module it passes through; the outermost (fewest dots), then the
// shortest, reads best.
bool BetterName(const std::string& a, const std::string& b) {
  const auto dots = [](const std::string& s) { return std::count(s.begin(), s.end(), '.'); };
  if (dots(a) != dots(b)) return dots(a) < dots(b);
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// Reads the netlist as a stream of SAX events instead of a DOM: a jet-tagger-sized netlist is
// 50+ MB of JSON, which as a DOM would take GBs (and nlohmann's filtering callback is quadratic
// in the number of cells). Only the top module's ports, cells and public net names are kept;
// of the other modules only whether they are primitives and whether they hold cells.
class NetlistSax : public nlohmann::json_sax<json> {
 public:
  explicit NetlistSax(std::string top) : top_(std::move(top)) {}

  bool null() override { return Scalar(std::nullopt, nullptr); }
  bool boolean(bool) override { return Scalar(std::nullopt, nullptr); }
  bool number_integer(number_integer_t v) override {
    return Scalar(static_cast<int64_t>(v), nullptr);
  }
  bool number_unsigned(number_unsigned_t v) override {
    return Scalar(static_cast<int64_t>(v), nullptr);
  }
  bool number_float(number_float_t, const string_t&) override {
    return Scalar(std::nullopt, nullptr);
  }
  bool string(string_t& v) override { return Scalar(std::nullopt, &v); }
  bool binary(binary_t&) override { return Scalar(std::nullopt, nullptr); }
  bool start_object(std::size_t) override {
    if (array_depth_ > 0) return Fail("an object inside an array");
    keys_.emplace_back();
    return true;
  }
  bool key(string_t& k) override {
    keys_.back() = k;
    if (keys_.size() == 2 && keys_[0] == "modules" && k == top_) found_top_ = true;
    return true;
  }
  bool end_object() override {
    if (InTop() && keys_.size() == 5 && keys_[2] == "cells") FinishCell();
    if (InTop() && keys_.size() == 5 && keys_[2] == "netnames") FinishNet();
    if (InTop() && keys_.size() == 5 && keys_[2] == "ports") FinishPort();
    keys_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    ++array_depth_;
    return true;
  }
  bool end_array() override {
    --array_depth_;
    return true;
  }
  bool parse_error(std::size_t pos, const std::string&,
                   const nlohmann::detail::exception&) override {
    error_ = "not valid JSON (at byte " + std::to_string(pos) + ")";
    return false;
  }

  const std::string& Error() const { return error_; }
  bool FoundTop() const { return found_top_; }
  Netlist& TakeNetlist() { return netlist_; }
  // True for a module of the design with cells of its own that is not a primitive's model
  // (those are blackboxes; their cells only describe timing arcs): a cell of that type means
  // the netlist is not flat.
  bool IsHierarchical(const std::string& type) const {
    return with_cells_.count(type) && !primitives_.count(type);
  }

 private:
  bool InTop() const { return keys_.size() >= 2 && keys_[0] == "modules" && keys_[1] == top_; }

  bool Fail(const std::string& what) {
    error_ = what;
    return false;
  }

  bool Scalar(std::optional<int64_t> num, const std::string* str) {
    const size_t d = keys_.size();
    if (d < 4 || keys_[0] != "modules") return true;
    const std::string& section = keys_[2];
    if (!InTop()) {
      if (d == 5 && section == "cells" && keys_[4] == "type") with_cells_.insert(keys_[1]);
      if (d == 4 && section == "attributes" && (keys_[3] == "blackbox" || keys_[3] == "whitebox")) {
        primitives_.insert(keys_[1]);
      }
      return true;
    }
    const bool element = array_depth_ > 0;
    // A bit of a connection or port: a net id, or a constant written as a string.
    const int64_t net = element && num ? *num : -1;
    if (section == "cells" && d >= 5) {
      const std::string& field = keys_[4];
      if (d == 5 && field == "type" && str) cell_.type = *str;
      if (d == 6 && field == "parameters") {
        std::optional<int64_t> v = num ? num : (str ? IntParam(*str) : std::nullopt);
        if (v) cell_.params.emplace(keys_[5], *v);
      }
      if (d == 6 && field == "port_directions" && str) directions_[keys_[5]] = *str;
      if (d == 6 && field == "connections" && element) {
        auto& bits = connections_[keys_[5]];
        if (net >= 0) bits.push_back(net);
      }
    } else if (section == "netnames" && d == 5) {
      if (keys_[4] == "hide_name" && num) net_hidden_ = *num != 0;
      if (keys_[4] == "bits" && element) net_bits_.push_back(net);
    } else if (section == "ports" && d == 5) {
      if (keys_[4] == "direction" && str) port_input_ = *str == "input";
      if (keys_[4] == "bits" && element) port_bits_.push_back(net);
    }
    return true;
  }

  void FinishCell() {
    cell_.name = keys_[3];
    for (auto& [port, bits] : connections_) {
      auto dir = directions_.find(port);
      if (dir == directions_.end() || (dir->second != "input" && dir->second != "output")) {
        if (error_.empty()) {
          error_ = "cell '" + cell_.name + "' (" + cell_.type + ") port '" + port +
                   "' has no input/output direction";
        }
        continue;
      }
      auto& to = dir->second == "output" ? cell_.outputs : cell_.inputs;
      to.insert(to.end(), bits.begin(), bits.end());
    }
    netlist_.cells.push_back(std::move(cell_));
    cell_ = NetlistCell{};
    connections_.clear();
    directions_.clear();
  }

  void FinishNet() {
    if (!net_hidden_) {
      const std::string& name = keys_[3];
      for (size_t i = 0; i < net_bits_.size(); ++i) {
        if (net_bits_[i] < 0) continue;
        std::string bit_name = net_bits_.size() == 1 ? name : name + "[" + std::to_string(i) + "]";
        auto [it, fresh] = netlist_.net_names.emplace(net_bits_[i], bit_name);
        if (!fresh && BetterName(bit_name, it->second)) it->second = std::move(bit_name);
      }
    }
    net_bits_.clear();
    net_hidden_ = true;
  }

  void FinishPort() {
    const std::string& name = keys_[3];
    for (size_t i = 0; i < port_bits_.size(); ++i) {
      if (port_bits_[i] < 0) continue;
      netlist_.ports.push_back(
          {port_bits_.size() == 1 ? name : name + "[" + std::to_string(i) + "]", port_bits_[i],
           port_input_});
    }
    port_bits_.clear();
    port_input_ = false;
  }

  std::string top_;
  std::vector<std::string> keys_;  // the current key at each object depth
  int array_depth_ = 0;
  std::string error_;
  bool found_top_ = false;
  Netlist netlist_;
  std::set<std::string> with_cells_;
  std::set<std::string> primitives_;
  // The cell, net or port being read.
  NetlistCell cell_;
  std::map<std::string, std::vector<int64_t>> connections_;
  std::map<std::string, std::string> directions_;
  std::vector<int64_t> net_bits_;
  bool net_hidden_ = true;
  std::vector<int64_t> port_bits_;
  bool port_input_ = false;
};

}  // namespace

bool IsLutType(std::string_view t) {
  return StartsWith(t, "LUT") && t.size() >= 4 && t[3] >= '1' && t[3] <= '6';
}
bool IsFlipFlopType(std::string_view t) {
  return t == "FDRE" || t == "FDSE" || t == "FDCE" || t == "FDPE" || t == "FDRE_1" ||
         t == "FDSE_1" || t == "FDCE_1" || t == "FDPE_1" || t == "LDCE" || t == "LDPE";
}
bool IsDspType(std::string_view t) { return StartsWith(t, "DSP48"); }
bool IsBlockRamType(std::string_view t) {
  return StartsWith(t, "RAMB18") || StartsWith(t, "RAMB36") || StartsWith(t, "FIFO18") ||
         StartsWith(t, "FIFO36") || t == "URAM288";
}
bool IsCarryType(std::string_view t) { return t == "CARRY4" || t == "CARRY8"; }
bool IsMuxfType(std::string_view t) { return t == "MUXF7" || t == "MUXF8" || t == "MUXF9"; }
bool IsSrlType(std::string_view t) { return t == "SRL16E" || t == "SRLC16E" || t == "SRLC32E"; }
// RAM16X1D ... RAM512X1S, RAM32M, RAM64M, RAM32M16, RAM64M8: every RAM* that is not a RAMB*.
bool IsLutRamType(std::string_view t) { return StartsWith(t, "RAM") && !StartsWith(t, "RAMB"); }

StatusOr<Netlist> ParseYosysNetlist(std::string_view text, const std::string& top,
                                    const std::string& source) {
  NetlistSax sax(top);
  const bool ok = json::sax_parse(text.begin(), text.end(), &sax);
  if (!ok || !sax.Error().empty()) {
    return InvalidArgument(source + ": not a valid Yosys JSON netlist: " +
                           (sax.Error().empty() ? std::string("parse error") : sax.Error()));
  }
  if (!sax.FoundTop()) return InvalidArgument(source + ": the netlist has no module '" + top + "'");
  Netlist n = std::move(sax.TakeNetlist());
  n.top = top;
  for (const NetlistCell& c : n.cells) {
    if (c.type.empty()) return InvalidArgument(source + ": cell '" + c.name + "' has no type");
    if (c.type[0] == '$' || sax.IsHierarchical(c.type)) {
      return InvalidArgument(source + ": module '" + top + "' is not flat or not mapped (cell '" +
                             c.name + "' is a " + c.type + ")");
    }
  }
  return n;
}

ResourceCounts CountResources(const Netlist& netlist) {
  ResourceCounts r;
  for (const NetlistCell& c : netlist.cells) {
    const std::string_view t = c.type;
    ++r.by_type[c.type];
    if (IsLutType(t))
      ++r.lut;
    else if (IsFlipFlopType(t))
      ++r.ff;
    else if (IsDspType(t))
      ++r.dsp;
    else if (t == "URAM288")
      ++r.uram;
    else if (StartsWith(t, "RAMB18") || StartsWith(t, "FIFO18"))
      ++r.ramb18;
    else if (StartsWith(t, "RAMB36") || StartsWith(t, "FIFO36"))
      ++r.ramb36;
    else if (t == "CARRY4")
      ++r.carry4;
    else if (t == "CARRY8")
      ++r.carry8;
    else if (IsMuxfType(t))
      ++r.muxf;
    else if (IsSrlType(t))
      ++r.srl;
    else if (IsLutRamType(t))
      ++r.lutram;
    else if (t == "INV")
      ++r.inv;
  }
  return r;
}

}  // namespace firmnet::report
