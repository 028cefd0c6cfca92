#include "firmnet/report/timing.h"

#include <algorithm>
#include <deque>
#include <set>

namespace firmnet::report {
namespace {

enum class Kind { kLut, kMuxf, kCarry, kDspComb, kWire, kConst, kSeq };

struct CellTiming {
  Kind kind = Kind::kSeq;
  double clk_to_q = 0;  // kSeq: when its outputs settle after the clock edge
  double setup = 0;     // kSeq: what its inputs need before the next edge
};

int64_t Param(const NetlistCell& c, const std::string& name, int64_t fallback) {
  auto it = c.params.find(name);
  return it == c.params.end() ? fallback : it->second;
}

// A DSP48 with no internal register is a combinational multiplier; with any register it starts
// and ends paths, later or earlier depending on which register stage is the first and the last.
// Missing parameters take the primitive's default (every register enabled).
CellTiming DspTiming(const NetlistCell& c, const DelayModel& m) {
  const bool a = Param(c, "AREG", 1) != 0 || Param(c, "BREG", 1) != 0;
  const bool mreg = Param(c, "MREG", 1) != 0;
  const bool p = Param(c, "PREG", 1) != 0;
  if (!a && !mreg && !p) return {Kind::kDspComb};
  CellTiming t{Kind::kSeq};
  t.clk_to_q = p ? m.dsp_clk_to_p : m.dsp_clk_to_p + (mreg ? 0.5 : 0.8) * m.dsp_comb;
  t.setup = a ? m.dsp_setup : (mreg ? 0.6 * m.dsp_comb : m.dsp_comb);
  return t;
}

CellTiming Classify(const NetlistCell& c, const DelayModel& m, std::set<std::string>& untimed) {
  const std::string_view t = c.type;
  if (IsLutType(t)) return {Kind::kLut};
  if (IsMuxfType(t)) return {Kind::kMuxf};
  if (IsCarryType(t)) return {Kind::kCarry};
  if (IsDspType(t)) return DspTiming(c, m);
  if (t == "GND" || t == "VCC") return {Kind::kConst};
  // Vivado folds inverters into the LUT they feed; buffers only appear without -noiopad.
  if (t == "INV" || t == "BUF" || t == "BUFG" || t == "IBUF" || t == "OBUF") return {Kind::kWire};
  if (IsFlipFlopType(t)) return {Kind::kSeq, m.ff_clk_to_q, m.ff_setup};
  if (IsBlockRamType(t)) return {Kind::kSeq, m.bram_clk_to_q, m.bram_setup};
  if (IsSrlType(t) || IsLutRamType(t)) return {Kind::kSeq, m.srl_clk_to_q, m.ff_setup};
  untimed.insert(c.type);
  return {Kind::kSeq, 0, 0};
}

// The worst arrival at a net, and how it got there.
struct Arrival {
  double t = -1;      // ns after the clock edge; < 0: no timed path reaches this net
  int luts = 0;       // LUT levels on that worst path
  int max_luts = 0;   // the most LUT levels on any path reaching this net
  int64_t pred = -1;  // the input net of `via` on the worst path; -1 at a start point
  int32_t via = -1;   // the cell driving this net (-1: an input port)
};

// A register is best named by the wire it drives ("layer2.acc[3]"); Yosys names FF cells
// "$auto$ff.cc:266:slice$5358". Other cells keep their own name.
std::string PointName(const Netlist& n, int32_t cell) {
  const NetlistCell& c = n.cells[cell];
  if (IsFlipFlopType(c.type) || IsSrlType(c.type)) {
    for (int64_t o : c.outputs) {
      auto it = n.net_names.find(o);
      if (it != n.net_names.end()) return it->second + " (" + c.type + ")";
    }
  }
  return c.name + " (" + c.type + ")";
}

}  // namespace

StatusOr<TimingEstimate> EstimateTiming(const Netlist& n, const DelayModel& m) {
  int64_t max_net = 0;
  for (const NetlistPort& p : n.ports) max_net = std::max(max_net, p.net);
  for (const NetlistCell& c : n.cells) {
    for (int64_t x : c.inputs) max_net = std::max(max_net, x);
    for (int64_t x : c.outputs) max_net = std::max(max_net, x);
  }
  const size_t cells = n.cells.size();
  std::set<std::string> untimed;
  std::vector<CellTiming> kind(cells);
  std::vector<int32_t> driver(max_net + 1, -1);
  for (size_t i = 0; i < cells; ++i) {
    kind[i] = Classify(n.cells[i], m, untimed);
    for (int64_t o : n.cells[i].outputs) driver[o] = static_cast<int32_t>(i);
  }
  auto combinational = [&](int32_t cell) {
    return cell >= 0 && kind[cell].kind != Kind::kSeq && kind[cell].kind != Kind::kConst;
  };

  std::vector<Arrival> arr(max_net + 1);
  for (const NetlistPort& p : n.ports) {
    if (p.input && driver[p.net] < 0) arr[p.net] = {0, 0, 0, -1, -1};
  }
  std::vector<int> pending(cells, 0);
  std::vector<std::vector<int32_t>> users(cells);
  size_t comb_cells = 0;
  for (size_t i = 0; i < cells; ++i) {
    if (kind[i].kind == Kind::kSeq) {
      for (int64_t o : n.cells[i].outputs)
        arr[o] = {kind[i].clk_to_q, 0, 0, -1, static_cast<int32_t>(i)};
    }
    if (!combinational(static_cast<int32_t>(i))) continue;
    ++comb_cells;
    for (int64_t x : n.cells[i].inputs) {
      if (combinational(driver[x])) {
        ++pending[i];
        users[driver[x]].push_back(static_cast<int32_t>(i));
      }
    }
  }

  // Kahn's order over the combinational cells: each is evaluated once all its drivers are.
  std::deque<int32_t> ready;
  for (size_t i = 0; i < cells; ++i) {
    if (combinational(static_cast<int32_t>(i)) && pending[i] == 0)
      ready.push_back(static_cast<int32_t>(i));
  }
  size_t done = 0;
  while (!ready.empty()) {
    const int32_t i = ready.front();
    ready.pop_front();
    ++done;
    const NetlistCell& c = n.cells[i];
    const Kind k = kind[i].kind;
    Arrival best;
    best.via = i;
    int max_luts = -1;
    for (int64_t x : c.inputs) {
      const Arrival& a = arr[x];
      if (a.t < 0) continue;
      double d = 0;
      switch (k) {
        case Kind::kLut:
          d = m.lut;
          break;
        case Kind::kMuxf:
          d = m.muxf;
          break;
        case Kind::kCarry:
          d = driver[x] >= 0 && IsCarryType(n.cells[driver[x]].type)
                  ? m.carry_step * (c.type == "CARRY8" ? 2 : 1)
                  : m.carry_entry;
          break;
        case Kind::kDspComb:
          d = m.dsp_comb;
          break;
        case Kind::kWire:
        case Kind::kConst:
        case Kind::kSeq:
          d = 0;
          break;
      }
      if (a.t + d > best.t) {
        best.t = a.t + d;
        best.luts = a.luts;
        best.pred = x;
      }
      max_luts = std::max(max_luts, a.max_luts);
    }
    if (best.t >= 0) {
      const int lut = k == Kind::kLut ? 1 : 0;
      best.luts += lut;
      best.max_luts = max_luts + lut;
      for (int64_t o : c.outputs) arr[o] = best;
    }
    for (int32_t u : users[i]) {
      if (--pending[u] == 0) ready.push_back(u);
    }
  }
  if (done < comb_cells) {
    for (size_t i = 0; i < cells; ++i) {
      if (combinational(static_cast<int32_t>(i)) && pending[i] > 0) {
        return InvalidArgument("timing: combinational loop through cell '" + n.cells[i].name +
                               "' (" + n.cells[i].type + ")");
      }
    }
  }

  TimingEstimate est;
  est.untimed_types.assign(untimed.begin(), untimed.end());
  int64_t end_net = -1;
  auto consider = [&](int64_t net, double setup, const std::string& name) {
    const Arrival& a = arr[net];
    if (a.t < 0) return;
    est.max_lut_levels = std::max(est.max_lut_levels, a.max_luts);
    if (!est.has_path || a.t + setup > est.critical_path_ns) {
      est.has_path = true;
      est.critical_path_ns = a.t + setup;
      est.to = name;
      end_net = net;
    }
  };
  for (size_t i = 0; i < cells; ++i) {
    if (kind[i].kind != Kind::kSeq) continue;
    for (int64_t x : n.cells[i].inputs)
      consider(x, kind[i].setup, PointName(n, static_cast<int32_t>(i)));
  }
  for (const NetlistPort& p : n.ports) {
    if (!p.input) consider(p.net, 0, p.name);
  }
  if (!est.has_path) return est;
  est.fmax_mhz = est.critical_path_ns > 0 ? 1000.0 / est.critical_path_ns : 0;
  est.logic_levels = arr[end_net].luts;
  int64_t x = end_net;
  while (arr[x].pred >= 0) {
    const NetlistCell& c = n.cells[arr[x].via];
    if (IsCarryType(c.type)) ++est.carry_cells;
    if (IsMuxfType(c.type)) ++est.muxf_cells;
    if (IsDspType(c.type)) ++est.dsp_cells;
    if (kind[arr[x].via].kind != Kind::kWire) {
      auto name = n.net_names.find(x);
      est.path.push_back({name == n.net_names.end() ? c.name : name->second, c.type, arr[x].t});
    }
    x = arr[x].pred;
  }
  std::reverse(est.path.begin(), est.path.end());
  if (arr[x].via >= 0) {
    est.from = PointName(n, arr[x].via);
  } else {
    for (const NetlistPort& p : n.ports) {
      if (p.net == x && p.input) {
        est.from = p.name;
        break;
      }
    }
  }
  return est;
}

}  // namespace firmnet::report
