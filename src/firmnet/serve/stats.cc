#include "firmnet/serve/stats.h"

namespace firmnet::serve {

void ModelStats::RecordSuccess(uint64_t rows, uint64_t total_ns, uint64_t queue_ns,
                               uint64_t input_ns, uint64_t infer_ns, uint64_t output_ns,
                               uint64_t now_ms) {
  std::lock_guard lock(mu_);
  s_.inference_count += rows;
  s_.last_inference_ms = now_ms;
  s_.success.Add(1, total_ns);
  s_.queue.Add(1, queue_ns);
  s_.compute_input.Add(1, input_ns);
  s_.compute_infer.Add(1, infer_ns);
  s_.compute_output.Add(1, output_ns);
}

void ModelStats::RecordFailure(uint64_t total_ns) {
  std::lock_guard lock(mu_);
  s_.fail.Add(1, total_ns);
}

void ModelStats::RecordBatch(uint64_t rows, uint64_t input_ns, uint64_t infer_ns,
                             uint64_t output_ns) {
  std::lock_guard lock(mu_);
  s_.execution_count += 1;
  BatchDurations& b = s_.batches[rows];
  b.compute_input.Add(1, input_ns);
  b.compute_infer.Add(1, infer_ns);
  b.compute_output.Add(1, output_ns);
}

void ModelStats::AddPending(int64_t delta) {
  std::lock_guard lock(mu_);
  s_.pending = static_cast<uint64_t>(static_cast<int64_t>(s_.pending) + delta);
}

StatsSnapshot ModelStats::Snapshot() const {
  std::lock_guard lock(mu_);
  return s_;
}

}  // namespace firmnet::serve
