#include "firmnet/driver/compare.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace firmnet::driver {
namespace {

int64_t ArgMax(const double* v, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i) {
    if (v[i] > v[best]) best = i;
  }
  return best;
}

std::string Fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

StatusOr<CompareReport> Compare(const ir::Graph& graph, const emu::Batch& inputs) {
  return Compare(graph, std::vector<emu::Batch>{inputs});
}

StatusOr<CompareReport> Compare(const ir::Graph& graph, const std::vector<emu::Batch>& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(auto fixed, emu::Emulator::Create(graph));
  FIRMNET_ASSIGN_OR_RETURN(auto ref, emu::FloatEmulator::Create(graph));
  FIRMNET_ASSIGN_OR_RETURN(emu::RunResult fr, fixed->Run(inputs));
  FIRMNET_ASSIGN_OR_RETURN(emu::RunResult rr, ref->Run(inputs));
  CompareReport report;
  report.model = graph.name;
  report.samples = inputs.empty() ? 0 : inputs[0].rows;
  report.engine = fixed->engine() == emu::Engine::kInt64 ? "int64" : "bigint";
  for (size_t o = 0; o < fr.outputs.size(); ++o) {
    const emu::Batch& a = fr.outputs[o];
    const emu::Batch& b = rr.outputs[o];
    OutputAgreement agg;
    agg.name = graph.outputs[o].ToString();
    agg.type = FormatFixedType(fr.output_types[o]);
    agg.size = a.cols;
    if (b.rows != a.rows || b.cols != a.cols) {
      return Internal("output '" + agg.name + "': the engines disagree on its size");
    }
    double sum = 0;
    for (size_t k = 0; k < a.data.size(); ++k) {
      const double d = std::fabs(a.data[k] - b.data[k]);
      agg.max_abs_diff = std::max(agg.max_abs_diff, d);
      sum += d;
    }
    agg.mean_abs_diff = a.data.empty() ? 0 : sum / static_cast<double>(a.data.size());
    for (int64_t r = 0; r < a.rows; ++r) {
      agg.argmax_agree +=
          ArgMax(a.data.data() + r * a.cols, a.cols) == ArgMax(b.data.data() + r * b.cols, b.cols);
    }
    report.outputs.push_back(agg);
  }
  report.layers = fr.layers;
  return report;
}

std::string FormatCompareText(const CompareReport& r) {
  std::string s = "model '" + r.model + "': " + std::to_string(r.samples) +
                  " samples, bit-exact emulator (" + r.engine + " engine) vs float64\n";
  for (const auto& o : r.outputs) {
    s += "  output '" + o.name + "' (" + std::to_string(o.size) + " values, " + o.type + ")\n";
    s += "    max |fixed - float|  " + Fmt("%.6g", o.max_abs_diff) + "\n";
    s += "    mean |fixed - float| " + Fmt("%.6g", o.mean_abs_diff) + "\n";
    const double pct =
        r.samples ? 100.0 * static_cast<double>(o.argmax_agree) / static_cast<double>(r.samples)
                  : 0.0;
    s += "    argmax agreement     " + std::to_string(o.argmax_agree) + "/" +
         std::to_string(r.samples) + " (" + Fmt("%.2f", pct) + "%)\n";
  }
  s += "  overflows per layer (wraps / saturations):\n";
  uint64_t total = 0;
  for (const auto& l : r.layers) {
    char line[256];
    std::snprintf(line, sizeof line, "    %-28s %-12s %10llu / %llu\n", l.name.c_str(),
                  std::string(LayerKindId(l.kind)).c_str(),
                  static_cast<unsigned long long>(l.counters.wraps),
                  static_cast<unsigned long long>(l.counters.saturations));
    s += line;
    total += l.counters.wraps + l.counters.saturations;
  }
  s += "  total overflow events: " + std::to_string(total) + "\n";
  return s;
}

std::string FormatCompareJson(const CompareReport& r) {
  nlohmann::ordered_json j;
  j["model"] = r.model;
  j["samples"] = r.samples;
  j["engine"] = r.engine;
  j["outputs"] = nlohmann::ordered_json::array();
  for (const auto& o : r.outputs) {
    j["outputs"].push_back(
        {{"name", o.name},
         {"type", o.type},
         {"size", o.size},
         {"max_abs_diff", o.max_abs_diff},
         {"mean_abs_diff", o.mean_abs_diff},
         {"argmax_agree", o.argmax_agree},
         {"argmax_agreement",
          r.samples ? static_cast<double>(o.argmax_agree) / static_cast<double>(r.samples) : 0.0}});
  }
  j["layers"] = nlohmann::ordered_json::array();
  for (const auto& l : r.layers) {
    j["layers"].push_back({{"name", l.name},
                           {"kind", std::string(LayerKindId(l.kind))},
                           {"wraps", l.counters.wraps},
                           {"saturations", l.counters.saturations}});
  }
  return j.dump(2) + "\n";
}

}  // namespace firmnet::driver
