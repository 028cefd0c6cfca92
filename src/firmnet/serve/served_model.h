// One loaded version of a model: its resolved graph, the serving spec, and the workers that run
// it. Requests go through a queue; with dynamic batching a worker joins queued requests into one
// batch of up to max_batch_size rows, waiting at most max_queue_delay_microseconds after the
// first for more. One worker at a time forms a batch (the leader; the others wait for the role),
// and an arrival wakes it only when it starts a batch or completes one, so that a burst of small
// requests costs few thread switches. Each worker owns its emulator (its workspace); the graph is
// shared and never changes, so any number of threads may submit at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"
#include "firmnet/serve/model_config.h"
#include "firmnet/serve/stats.h"
#include "model_config.pb.h"

namespace firmnet::serve {

using Clock = std::chrono::steady_clock;

// The outcome of one request: the requested outputs (rows x elements each, in the order asked)
// and the times the worker measured, in ns.
struct JobResult {
  std::vector<std::vector<double>> outputs;
  uint64_t queue_ns = 0;
  uint64_t input_ns = 0;   // gathering the batch's inputs
  uint64_t infer_ns = 0;   // the emulator
  uint64_t output_ns = 0;  // splitting the batch's outputs
};

struct InferJob {
  int64_t rows = 0;
  // One entry per spec input (spec order): rows x elements values.
  std::vector<std::vector<double>> inputs;
  std::vector<int> outputs;  // indices into spec.outputs, in the order the response lists them
  Clock::time_point enqueued;
  std::optional<Clock::time_point> deadline;  // see InferRequest::deadline
  // Called exactly once, from a worker thread (or from Submit when the job is refused).
  std::function<void(Status, JobResult)> done;
};

class ServedModel {
 public:
  // Builds the workers (one emulator each) for `graph`, checked against `spec` by BindToGraph.
  static StatusOr<std::unique_ptr<ServedModel>> Create(ir::Graph graph,
                                                       inference::ModelConfig config,
                                                       ServingSpec spec, int64_t version);
  // Stops taking jobs, runs what is queued, joins the workers.
  ~ServedModel();
  ServedModel(const ServedModel&) = delete;
  ServedModel& operator=(const ServedModel&) = delete;

  // Queues a job. A full queue (max_queue_size) or a stopped model refuses it at once with
  // UNAVAILABLE through job->done.
  void Submit(std::unique_ptr<InferJob> job);
  // Refuses new jobs; queued ones still run.
  void Stop();

  const ServingSpec& spec() const { return spec_; }
  const inference::ModelConfig& config() const { return config_; }
  const ir::Graph& graph() const { return graph_; }
  int64_t version() const { return version_; }
  ModelStats& stats() { return stats_; }

 private:
  struct Worker;
  ServedModel(ir::Graph graph, inference::ModelConfig config, ServingSpec spec, int64_t version);
  void WorkerLoop(Worker& w);
  // Takes the next batch of jobs from the queue (waiting as the batching policy says); empty when
  // the model is stopping and the queue is drained.
  std::vector<std::unique_ptr<InferJob>> NextBatch();
  void Run(Worker& w, std::vector<std::unique_ptr<InferJob>>& jobs);

  ir::Graph graph_;
  inference::ModelConfig config_;
  ServingSpec spec_;
  int64_t version_;
  ModelStats stats_;

  std::mutex mu_;
  std::condition_variable arrival_cv_;  // the leader waits here for jobs
  std::condition_variable leader_cv_;   // the other workers wait here for the leader role
  std::deque<std::unique_ptr<InferJob>> queue_;
  int64_t queued_rows_ = 0;
  bool leader_taken_ = false;
  // What the leader waits for: nothing (it is not waiting), a first job, or `gather_need_` more
  // queued rows (enough to reach the next preferred size or max_batch_size).
  enum class LeaderWait { kNone, kFirst, kRows } leader_wait_ = LeaderWait::kNone;
  int64_t gather_need_ = 0;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace firmnet::serve
