#include "firmnet/serve/server_info.h"

#include <string>

namespace firmnet::serve {
namespace {

void Set(const Duration& d, inference::StatisticDuration* out) {
  out->set_count(d.count);
  out->set_ns(d.ns);
}

}  // namespace

void FillStatistics(ServedModel& model, inference::ModelStatistics* out) {
  const StatsSnapshot s = model.stats().Snapshot();
  out->set_name(model.spec().name);
  out->set_version(std::to_string(model.version()));
  out->set_last_inference(s.last_inference_ms);
  out->set_inference_count(s.inference_count);
  out->set_execution_count(s.execution_count);
  auto* st = out->mutable_inference_stats();
  Set(s.success, st->mutable_success());
  Set(s.fail, st->mutable_fail());
  Set(s.queue, st->mutable_queue());
  Set(s.compute_input, st->mutable_compute_input());
  Set(s.compute_infer, st->mutable_compute_infer());
  Set(s.compute_output, st->mutable_compute_output());
  st->mutable_cache_hit();
  st->mutable_cache_miss();
  for (const auto& [rows, b] : s.batches) {
    auto* bs = out->add_batch_stats();
    bs->set_batch_size(rows);
    Set(b.compute_input, bs->mutable_compute_input());
    Set(b.compute_infer, bs->mutable_compute_infer());
    Set(b.compute_output, bs->mutable_compute_output());
  }
}

}  // namespace firmnet::serve
