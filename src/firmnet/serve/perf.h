// `firmnet perf`: a load generator for KServe v2 gRPC servers (firmnet serve, Triton), in the
// manner of Triton's perf_analyzer: for each concurrency level, that many streams send
// ModelInfer requests back to back (one in flight each, asynchronously) for a measurement window;
// the result is throughput (inferences and requests per second) and client latency percentiles,
// with the server's own breakdown (queue, compute input/infer/output per request) from
// ModelStatistics over the same window.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "firmnet/common/status.h"

namespace firmnet::serve {

struct PerfOptions {
  std::string url = "localhost:8001";  // HOST:PORT of the gRPC service
  std::string model;
  std::string version;
  int64_t batch = 1;
  int concurrency_start = 1, concurrency_end = 1, concurrency_step = 1;
  double warmup_s = 0.5;
  double window_s = 2.0;
  std::string input_data;  // .npy of [N, *input shape] (one-input models); empty: random data
  uint64_t seed = 1;
};

struct PerfPoint {
  int concurrency = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
  double infer_per_s = 0;  // rows
  double requests_per_s = 0;
  double p50_us = 0, p90_us = 0, p95_us = 0, p99_us = 0, avg_us = 0;
  // Server side, per request over the window (ModelStatistics differences), microseconds.
  double server_queue_us = 0, server_input_us = 0, server_infer_us = 0, server_output_us = 0;
  uint64_t server_executions = 0;
  std::string first_error;
};

// Runs every concurrency level. Errors: the server is unreachable, the model unknown, the input
// data does not match the model.
StatusOr<std::vector<PerfPoint>> RunPerf(const PerfOptions& options);

std::string FormatPerfTable(const std::vector<PerfPoint>& points, int64_t batch);
std::string FormatPerfCsv(const std::vector<PerfPoint>& points);

}  // namespace firmnet::serve
