#include "firmnet/serve/served_model.h"

#include <algorithm>
#include <chrono>

#include "firmnet/emu/emulator.h"

namespace firmnet::serve {
namespace {

uint64_t Ns(Clock::duration d) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

}  // namespace

struct ServedModel::Worker {
  std::unique_ptr<emu::Emulator> exact;
  std::unique_ptr<emu::FloatEmulator> reference;
  std::thread thread;
};

ServedModel::ServedModel(ir::Graph graph, inference::ModelConfig config, ServingSpec spec,
                         int64_t version)
    : graph_(std::move(graph)),
      config_(std::move(config)),
      spec_(std::move(spec)),
      version_(version) {}

StatusOr<std::unique_ptr<ServedModel>> ServedModel::Create(ir::Graph graph,
                                                           inference::ModelConfig config,
                                                           ServingSpec spec, int64_t version) {
  std::unique_ptr<ServedModel> m(
      new ServedModel(std::move(graph), std::move(config), std::move(spec), version));
  for (int i = 0; i < m->spec_.instances; ++i) {
    auto w = std::make_unique<Worker>();
    if (m->spec_.float_reference) {
      FIRMNET_ASSIGN_OR_RETURN(w->reference, emu::FloatEmulator::Create(m->graph_));
    } else {
      FIRMNET_ASSIGN_OR_RETURN(w->exact, emu::Emulator::Create(m->graph_));
    }
    m->workers_.push_back(std::move(w));
  }
  // Threads start once every emulator is built, so that a failure leaves none running.
  for (auto& w : m->workers_) {
    Worker* raw = w.get();
    w->thread = std::thread([m = m.get(), raw] { m->WorkerLoop(*raw); });
  }
  return m;
}

ServedModel::~ServedModel() {
  Stop();
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

void ServedModel::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  arrival_cv_.notify_all();
  leader_cv_.notify_all();
}

void ServedModel::Submit(std::unique_ptr<InferJob> job) {
  std::string refused;
  {
    std::unique_lock lock(mu_);
    if (stopping_) {
      refused = "model '" + spec_.name + "' is being unloaded";
    } else if (spec_.max_queue_size > 0 && queue_.size() >= spec_.max_queue_size) {
      refused = "model '" + spec_.name + "': the queue is full (max_queue_size " +
                std::to_string(spec_.max_queue_size) + ")";
    } else {
      job->enqueued = Clock::now();
      queued_rows_ += job->rows;
      queue_.push_back(std::move(job));
      const bool wake = leader_wait_ == LeaderWait::kFirst ||
                        (leader_wait_ == LeaderWait::kRows && queued_rows_ >= gather_need_);
      lock.unlock();
      if (wake) arrival_cv_.notify_one();
      return;
    }
  }
  job->done(Unavailable(refused), JobResult{});
}

std::vector<std::unique_ptr<InferJob>> ServedModel::NextBatch() {
  std::vector<std::unique_ptr<InferJob>> jobs;
  std::vector<std::unique_ptr<InferJob>> expired;  // past their deadline: answered, not run
  std::unique_lock lock(mu_);
  leader_cv_.wait(lock, [&] { return !leader_taken_; });
  leader_taken_ = true;
  const auto expired_now = [&](const std::unique_ptr<InferJob>& j) {
    return j->deadline && *j->deadline < Clock::now();
  };
  // Removes the queue's first job; false when it was past its deadline (it goes to `expired`).
  const auto pop = [&] {
    std::unique_ptr<InferJob> j = std::move(queue_.front());
    queue_.pop_front();
    queued_rows_ -= j->rows;
    if (expired_now(j)) {
      expired.push_back(std::move(j));
      return false;
    }
    jobs.push_back(std::move(j));
    return true;
  };
  const auto wait = [&](LeaderWait what, const auto& until) {
    leader_wait_ = what;
    until();
    leader_wait_ = LeaderWait::kNone;
  };
  // Joins queued jobs to the batch up to max_batch_size, waiting at most
  // max_queue_delay_microseconds after its first job for more.
  const auto gather = [&] {
    int64_t rows = 0;
    for (const auto& j : jobs) rows += j->rows;
    const std::vector<int64_t>& preferred = spec_.preferred_batch_sizes;  // sorted
    const Clock::time_point deadline =
        jobs.front()->enqueued + std::chrono::microseconds(spec_.max_queue_delay_us);
    while (rows < spec_.max_batch_size &&
           !std::binary_search(preferred.begin(), preferred.end(), rows)) {
      if (!queue_.empty()) {
        if (rows + queue_.front()->rows > spec_.max_batch_size) break;
        const int64_t r = queue_.front()->rows;
        if (pop()) rows += r;
        continue;
      }
      if (stopping_ || Clock::now() >= deadline) break;
      // Sleep until the deadline unless enough rows arrive to reach the next preferred size or
      // the maximum; smaller arrivals queue without waking this thread.
      const auto next = std::upper_bound(preferred.begin(), preferred.end(), rows);
      const int64_t target =
          next == preferred.end() ? spec_.max_batch_size : std::min(*next, spec_.max_batch_size);
      gather_need_ = target - rows;
      wait(LeaderWait::kRows, [&] {
        arrival_cv_.wait_until(lock, deadline,
                               [&] { return stopping_ || queued_rows_ >= gather_need_; });
      });
    }
  };
  while (true) {
    // The first job that is still within its deadline starts the batch.
    while (jobs.empty()) {
      wait(LeaderWait::kFirst,
           [&] { arrival_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); }); });
      if (queue_.empty()) break;  // stopping, drained
      pop();
    }
    if (jobs.empty()) break;
    if (spec_.dynamic_batching) gather();
    // Jobs whose deadline passed while the batch gathered are answered, not run.
    for (auto& j : jobs) {
      if (expired_now(j)) expired.push_back(std::move(j));
    }
    std::erase(jobs, nullptr);
    if (!jobs.empty()) break;
  }
  leader_taken_ = false;
  lock.unlock();
  leader_cv_.notify_one();
  for (auto& j : expired) {
    j->done(DeadlineExceeded("model '" + spec_.name +
                             "': the request's deadline passed while it was queued"),
            JobResult{});
  }
  return jobs;
}

void ServedModel::WorkerLoop(Worker& w) {
  while (true) {
    std::vector<std::unique_ptr<InferJob>> jobs = NextBatch();
    if (jobs.empty()) return;
    Run(w, jobs);
  }
}

void ServedModel::Run(Worker& w, std::vector<std::unique_ptr<InferJob>>& jobs) {
  const Clock::time_point start = Clock::now();
  int64_t rows = 0;
  for (const auto& j : jobs) rows += j->rows;
  const std::vector<const ir::Node*> graph_inputs = graph_.Inputs();
  std::vector<emu::Batch> batches(graph_inputs.size());
  for (const TensorSpec& t : spec_.inputs) {
    emu::Batch& b = batches[t.graph_index];
    b.rows = rows;
    b.cols = t.elements;
    b.data.reserve(static_cast<size_t>(rows * t.elements));
  }
  for (const auto& j : jobs) {
    for (size_t i = 0; i < spec_.inputs.size(); ++i) {
      std::vector<double>& d = batches[spec_.inputs[i].graph_index].data;
      d.insert(d.end(), j->inputs[i].begin(), j->inputs[i].end());
    }
  }
  const Clock::time_point inputs_ready = Clock::now();
  StatusOr<emu::RunResult> ran = w.exact ? w.exact->Run(batches) : w.reference->Run(batches);
  const Clock::time_point inferred = Clock::now();
  if (!ran.ok()) {
    for (auto& j : jobs) j->done(ran.status(), JobResult{});
    return;
  }
  std::vector<JobResult> results(jobs.size());
  int64_t row = 0;
  for (size_t k = 0; k < jobs.size(); ++k) {
    const InferJob& j = *jobs[k];
    for (int o : j.outputs) {
      const TensorSpec& t = spec_.outputs[o];
      const std::vector<double>& all = ran->outputs[t.graph_index].data;
      const auto first = all.begin() + row * t.elements;
      results[k].outputs.emplace_back(first, first + j.rows * t.elements);
    }
    row += j.rows;
  }
  const Clock::time_point done = Clock::now();
  const uint64_t input_ns = Ns(inputs_ready - start);
  const uint64_t infer_ns = Ns(inferred - inputs_ready);
  const uint64_t output_ns = Ns(done - inferred);
  stats_.RecordBatch(static_cast<uint64_t>(rows), input_ns, infer_ns, output_ns);
  for (size_t k = 0; k < jobs.size(); ++k) {
    JobResult& r = results[k];
    r.queue_ns = Ns(start - jobs[k]->enqueued);
    r.input_ns = input_ns;
    r.infer_ns = infer_ns;
    r.output_ns = output_ns;
    jobs[k]->done(OkStatus(), std::move(r));
  }
}

}  // namespace firmnet::serve
