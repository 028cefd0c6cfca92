#include "firmnet/serve/metrics.h"

#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

namespace firmnet::serve {
namespace {

struct Family {
  const char* name;
  const char* type;
  const char* help;
  uint64_t (*value)(const StatsSnapshot&);
};

// Triton's per-model families. Durations are cumulative microseconds.
const Family kFamilies[] = {
    {"nv_inference_request_success", "counter", "Inference requests answered successfully",
     [](const StatsSnapshot& s) { return s.success.count; }},
    {"nv_inference_request_failure", "counter", "Inference requests that failed or were refused",
     [](const StatsSnapshot& s) { return s.fail.count; }},
    {"nv_inference_count", "counter", "Samples inferred (rows of all batches)",
     [](const StatsSnapshot& s) { return s.inference_count; }},
    {"nv_inference_exec_count", "counter", "Batches run by the model's workers",
     [](const StatsSnapshot& s) { return s.execution_count; }},
    {"nv_inference_pending_request_count", "gauge", "Requests queued or running now",
     [](const StatsSnapshot& s) { return s.pending; }},
    {"nv_inference_request_duration_us", "counter",
     "Total time from arrival to response of all requests, microseconds",
     [](const StatsSnapshot& s) { return (s.success.ns + s.fail.ns) / 1000; }},
    {"nv_inference_queue_duration_us", "counter",
     "Total time requests waited in the queue, microseconds",
     [](const StatsSnapshot& s) { return s.queue.ns / 1000; }},
    {"nv_inference_compute_input_duration_us", "counter",
     "Total time decoding and gathering inputs, microseconds",
     [](const StatsSnapshot& s) { return s.compute_input.ns / 1000; }},
    {"nv_inference_compute_infer_duration_us", "counter",
     "Total time in the emulator, microseconds",
     [](const StatsSnapshot& s) { return s.compute_infer.ns / 1000; }},
    {"nv_inference_compute_output_duration_us", "counter",
     "Total time splitting and encoding outputs, microseconds",
     [](const StatsSnapshot& s) { return s.compute_output.ns / 1000; }},
};

// Label values escape backslash, double quote and newline.
std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

struct CpuSample {
  uint64_t busy = 0, total = 0;
};

CpuSample ReadCpu() {
  std::ifstream f("/proc/stat");
  std::string cpu;
  CpuSample s;
  f >> cpu;
  uint64_t v[10] = {};
  for (uint64_t& x : v) f >> x;
  for (int i = 0; i < 8; ++i) s.total += v[i];  // user..steal; guest is inside user
  s.busy = s.total - v[3] - v[4];               // minus idle and iowait
  return s;
}

// Memory from /proc/meminfo, in bytes: total and used (total - available).
std::pair<uint64_t, uint64_t> ReadMemory() {
  std::ifstream f("/proc/meminfo");
  std::string key, unit;
  uint64_t value = 0, total = 0, available = 0;
  while (f >> key >> value >> unit) {
    if (key == "MemTotal:") total = value * 1024;
    if (key == "MemAvailable:") available = value * 1024;
  }
  return {total, total > available ? total - available : 0};
}

}  // namespace

std::string RenderMetrics(const Repository& repo) {
  struct Row {
    std::string labels;
    StatsSnapshot s;
  };
  std::vector<Row> rows;
  for (const std::string& name : repo.ReadyModels()) {
    for (const auto& m : repo.Versions(name)) {
      rows.push_back(
          {"model=\"" + Escape(name) + "\",version=\"" + std::to_string(m->version()) + "\"",
           m->stats().Snapshot()});
    }
  }
  std::ostringstream out;
  for (const Family& f : kFamilies) {
    out << "# HELP " << f.name << " " << f.help << "\n# TYPE " << f.name << " " << f.type << "\n";
    for (const Row& r : rows) out << f.name << "{" << r.labels << "} " << f.value(r.s) << "\n";
  }
  static std::mutex mu;
  static CpuSample last;
  double utilization = 0;
  {
    std::lock_guard lock(mu);
    const CpuSample now = ReadCpu();
    if (last.total > 0 && now.total > last.total) {
      utilization =
          static_cast<double>(now.busy - last.busy) / static_cast<double>(now.total - last.total);
    }
    last = now;
  }
  const auto [total, used] = ReadMemory();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", utilization);
  out << "# HELP nv_cpu_utilization Host CPU busy fraction since the last scrape (0 to 1)\n"
         "# TYPE nv_cpu_utilization gauge\nnv_cpu_utilization "
      << buf << "\n";
  out << "# HELP nv_cpu_memory_total_bytes Host memory, bytes\n"
         "# TYPE nv_cpu_memory_total_bytes gauge\nnv_cpu_memory_total_bytes "
      << total << "\n";
  out << "# HELP nv_cpu_memory_used_bytes Host memory in use (total minus available), bytes\n"
         "# TYPE nv_cpu_memory_used_bytes gauge\nnv_cpu_memory_used_bytes "
      << used << "\n";
  return out.str();
}

}  // namespace firmnet::serve
