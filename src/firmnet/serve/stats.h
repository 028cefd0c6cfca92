// Per-model statistics with Triton's fields and meanings (ModelStatistics): `inference_count`
// counts samples (rows), `execution_count` batches run, `success`/`fail` requests with their
// total duration from arrival to response, and `queue`/`compute_*` per request (each request of
// a batch is charged the batch's compute times). Thread-safe; read as a consistent snapshot.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

namespace firmnet::serve {

struct Duration {
  uint64_t count = 0;
  uint64_t ns = 0;
  void Add(uint64_t n, uint64_t t) {
    count += n;
    ns += t;
  }
};

struct BatchDurations {
  Duration compute_input, compute_infer, compute_output;
};

struct StatsSnapshot {
  uint64_t last_inference_ms = 0;
  uint64_t inference_count = 0;
  uint64_t execution_count = 0;
  Duration success, fail, queue, compute_input, compute_infer, compute_output;
  std::map<uint64_t, BatchDurations> batches;  // by batch size (rows)
  uint64_t pending = 0;                        // requests queued or running now
};

class ModelStats {
 public:
  // A request that completed: its rows and its times (ns).
  void RecordSuccess(uint64_t rows, uint64_t total_ns, uint64_t queue_ns, uint64_t input_ns,
                     uint64_t infer_ns, uint64_t output_ns, uint64_t now_ms);
  // A request that failed (validation, queue full, a bad value) after total_ns.
  void RecordFailure(uint64_t total_ns);
  // A batch the worker ran.
  void RecordBatch(uint64_t rows, uint64_t input_ns, uint64_t infer_ns, uint64_t output_ns);
  void AddPending(int64_t delta);
  StatsSnapshot Snapshot() const;

 private:
  mutable std::mutex mu_;
  StatsSnapshot s_;
};

}  // namespace firmnet::serve
