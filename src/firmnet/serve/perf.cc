#include "firmnet/serve/perf.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "firmnet/io/samples.h"
#include "firmnet/serve/datatype.h"
#include "grpc_service.grpc.pb.h"

namespace firmnet::serve {
namespace {

using PerfClock = std::chrono::steady_clock;
using Stub = inference::GRPCInferenceService::Stub;

Status FromGrpc(const grpc::Status& s, const std::string& what) {
  if (s.ok()) return OkStatus();
  const std::string msg = what + ": " + s.error_message();
  switch (s.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return NotFound(msg);
    case grpc::StatusCode::INVALID_ARGUMENT:
      return InvalidArgument(msg);
    default:
      return Unavailable(msg);
  }
}

struct ServerTotals {
  uint64_t success = 0, executions = 0, queue_ns = 0, input_ns = 0, infer_ns = 0, output_ns = 0;
};

StatusOr<ServerTotals> ReadTotals(Stub& stub, const PerfOptions& o) {
  inference::ModelStatisticsRequest req;
  req.set_name(o.model);
  req.set_version(o.version);
  inference::ModelStatisticsResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  FIRMNET_RETURN_IF_ERROR(FromGrpc(stub.ModelStatistics(&ctx, req, &resp), "ModelStatistics"));
  ServerTotals t;
  for (const auto& m : resp.model_stats()) {
    const auto& s = m.inference_stats();
    t.success += s.success().count();
    t.executions += m.execution_count();
    t.queue_ns += s.queue().ns();
    t.input_ns += s.compute_input().ns();
    t.infer_ns += s.compute_infer().ns();
    t.output_ns += s.compute_output().ns();
  }
  return t;
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t k = std::min(sorted.size() - 1,
                            static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[k];
}

// The requests each client thread sends in turn: `batch` rows of the input data each.
StatusOr<std::vector<inference::ModelInferRequest>> MakeRequests(Stub& stub, const PerfOptions& o) {
  inference::ModelMetadataRequest mreq;
  mreq.set_name(o.model);
  mreq.set_version(o.version);
  inference::ModelMetadataResponse meta;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  FIRMNET_RETURN_IF_ERROR(
      FromGrpc(stub.ModelMetadata(&ctx, mreq, &meta), "model '" + o.model + "' metadata"));
  io::Matrix data;
  if (!o.input_data.empty()) {
    if (meta.inputs_size() != 1) {
      return InvalidArgument("--input-data takes one .npy; model '" + o.model + "' has " +
                             std::to_string(meta.inputs_size()) + " inputs");
    }
    FIRMNET_ASSIGN_OR_RETURN(data, io::ReadSamples(o.input_data));
  }
  constexpr int kDistinct = 16;  // requests with different data, sent in turn
  std::mt19937_64 gen(o.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<inference::ModelInferRequest> out(kDistinct);
  int64_t next_row = 0;
  for (int r = 0; r < kDistinct; ++r) {
    inference::ModelInferRequest& req = out[r];
    req.set_model_name(o.model);
    req.set_model_version(o.version);
    for (const auto& in : meta.inputs()) {
      const auto type = DataTypeFromName(in.datatype());
      if (!type || !IsNumeric(*type)) {
        return InvalidArgument("input '" + in.name() + "' has datatype " + in.datatype() +
                               ", which perf cannot generate");
      }
      auto* t = req.add_inputs();
      t->set_name(in.name());
      t->set_datatype(in.datatype());
      int64_t elements = 1;
      bool batched = false;
      for (int d = 0; d < in.shape_size(); ++d) {
        if (d == 0 && in.shape(0) == -1) {
          batched = true;
          t->add_shape(o.batch);
          continue;
        }
        if (in.shape(d) < 0) {
          return InvalidArgument("input '" + in.name() +
                                 "' has a variable dimension besides "
                                 "the batch");
        }
        t->add_shape(in.shape(d));
        elements *= in.shape(d);
      }
      const int64_t rows = batched ? o.batch : 1;
      if (!batched && o.batch != 1) {
        return InvalidArgument("model '" + o.model +
                               "' does not batch (max_batch_size 0); "
                               "use -b 1");
      }
      std::vector<double> values(static_cast<size_t>(rows * elements));
      if (!o.input_data.empty()) {
        if (data.cols != elements || data.rows == 0) {
          return InvalidArgument(o.input_data + " has " + std::to_string(data.cols) +
                                 " values per sample; input '" + in.name() + "' takes " +
                                 std::to_string(elements));
        }
        for (int64_t i = 0; i < rows; ++i, next_row = (next_row + 1) % data.rows) {
          std::copy_n(data.data.begin() + next_row * elements, elements,
                      values.begin() + i * elements);
        }
      } else {
        const bool is_float = *type == DataType::kFp32 || *type == DataType::kFp64 ||
                              *type == DataType::kFp16 || *type == DataType::kBf16;
        for (double& v : values) {
          v = is_float ? normal(gen) : std::floor(std::fabs(normal(gen)) * 3);
        }
      }
      // Encoding rounds the generated doubles to the input's type.
      EncodeElements(*type, values.data(), static_cast<int64_t>(values.size()),
                     req.add_raw_input_contents());
    }
  }
  return out;
}

}  // namespace

StatusOr<std::vector<PerfPoint>> RunPerf(const PerfOptions& o) {
  if (o.batch < 1) return InvalidArgument("-b must be 1 or more");
  if (o.concurrency_start < 1 || o.concurrency_end < o.concurrency_start ||
      o.concurrency_step < 1) {
    return InvalidArgument(
        "--concurrency-range must be START:END:STEP with 1 <= START <= END "
        "and STEP >= 1");
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(INT_MAX);
  args.SetMaxSendMessageSize(INT_MAX);
  auto channel = grpc::CreateCustomChannel(o.url, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    return Unavailable("cannot connect to " + o.url + " (is the server running?)");
  }
  auto stub = inference::GRPCInferenceService::NewStub(channel);
  FIRMNET_ASSIGN_OR_RETURN(const std::vector<inference::ModelInferRequest> requests,
                           MakeRequests(*stub, o));
  std::vector<PerfPoint> points;
  for (int c = o.concurrency_start; c <= o.concurrency_end; c += o.concurrency_step) {
    // Each stream keeps one request in flight through the callback API: the next request is
    // sent from the previous one's completion, on gRPC's own threads (perf_analyzer's --async
    // mode), so that the client does not spend the cores it shares with a local server on
    // thread switches.
    struct Stream {
      std::unique_ptr<grpc::ClientContext> ctx;
      inference::ModelInferResponse resp;
      PerfClock::time_point start;
      size_t next = 0;
      int phase_at_start = 0;
      std::vector<double> latencies;
      uint64_t errors = 0;
      std::string first_error;
    };
    std::atomic<int> phase{0};  // 0 warm-up, 1 measuring, 2 stop
    std::mutex mu;
    std::condition_variable cv;
    int running = c;
    std::vector<Stream> streams(static_cast<size_t>(c));
    std::function<void(Stream&)> send = [&](Stream& st) {
      st.ctx = std::make_unique<grpc::ClientContext>();
      st.resp.Clear();
      st.phase_at_start = phase.load();
      st.start = PerfClock::now();
      const inference::ModelInferRequest& req = requests[st.next++ % requests.size()];
      stub->async()->ModelInfer(st.ctx.get(), &req, &st.resp, [&](const grpc::Status& s) {
        const double us =
            std::chrono::duration<double, std::micro>(PerfClock::now() - st.start).count();
        const int ph = phase.load();
        if (st.phase_at_start == 1 && ph == 1) {  // only requests wholly inside the window
          if (s.ok()) {
            st.latencies.push_back(us);
          } else {
            ++st.errors;
            if (st.first_error.empty()) st.first_error = s.error_message();
          }
        }
        if (ph != 2) {
          send(st);
          return;
        }
        std::lock_guard lock(mu);
        if (--running == 0) cv.notify_all();
      });
    };
    for (int t = 0; t < c; ++t) {
      streams[static_cast<size_t>(t)].next = static_cast<size_t>(t);
      send(streams[static_cast<size_t>(t)]);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup_s));
    auto before = ReadTotals(*stub, o);
    const auto start = PerfClock::now();
    phase = 1;
    std::this_thread::sleep_for(std::chrono::duration<double>(o.window_s));
    phase = 2;
    const double seconds = std::chrono::duration<double>(PerfClock::now() - start).count();
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return running == 0; });
    }
    std::vector<double> latencies;
    uint64_t errors = 0;
    std::string first_error;
    for (Stream& st : streams) {
      latencies.insert(latencies.end(), st.latencies.begin(), st.latencies.end());
      errors += st.errors;
      if (first_error.empty()) first_error = st.first_error;
    }
    auto after = ReadTotals(*stub, o);
    PerfPoint p;
    p.concurrency = c;
    p.requests = latencies.size();
    p.errors = errors;
    p.first_error = first_error;
    p.requests_per_s = static_cast<double>(latencies.size()) / seconds;
    p.infer_per_s = p.requests_per_s * static_cast<double>(o.batch);
    std::sort(latencies.begin(), latencies.end());
    double sum = 0;
    for (double l : latencies) sum += l;
    p.avg_us = latencies.empty() ? 0 : sum / static_cast<double>(latencies.size());
    p.p50_us = Percentile(latencies, 50);
    p.p90_us = Percentile(latencies, 90);
    p.p95_us = Percentile(latencies, 95);
    p.p99_us = Percentile(latencies, 99);
    if (before.ok() && after.ok() && after->success > before->success) {
      const double n = static_cast<double>(after->success - before->success);
      p.server_queue_us = static_cast<double>(after->queue_ns - before->queue_ns) / n / 1000;
      p.server_input_us = static_cast<double>(after->input_ns - before->input_ns) / n / 1000;
      p.server_infer_us = static_cast<double>(after->infer_ns - before->infer_ns) / n / 1000;
      p.server_output_us = static_cast<double>(after->output_ns - before->output_ns) / n / 1000;
      p.server_executions = after->executions - before->executions;
    }
    points.push_back(p);
  }
  return points;
}

std::string FormatPerfTable(const std::vector<PerfPoint>& points, int64_t batch) {
  std::string s;
  char line[512];
  std::snprintf(line, sizeof line,
                "batch %lld; latency in microseconds (client), server times per request\n",
                static_cast<long long>(batch));
  s += line;
  std::snprintf(line, sizeof line, "%11s %12s %11s %8s %8s %8s %8s %8s %9s %9s %9s %9s %7s\n",
                "concurrency", "infer/s", "requests/s", "avg", "p50", "p90", "p95", "p99",
                "srv queue", "srv input", "srv infer", "srv outp", "errors");
  s += line;
  for (const PerfPoint& p : points) {
    std::snprintf(line, sizeof line,
                  "%11d %12.0f %11.0f %8.0f %8.0f %8.0f %8.0f %8.0f %9.1f %9.1f %9.1f %9.1f "
                  "%7llu\n",
                  p.concurrency, p.infer_per_s, p.requests_per_s, p.avg_us, p.p50_us, p.p90_us,
                  p.p95_us, p.p99_us, p.server_queue_us, p.server_input_us, p.server_infer_us,
                  p.server_output_us, static_cast<unsigned long long>(p.errors));
    s += line;
    if (!p.first_error.empty()) s += "  first error: " + p.first_error + "\n";
  }
  return s;
}

std::string FormatPerfCsv(const std::vector<PerfPoint>& points) {
  std::string s =
      "Concurrency,Inferences/Second,Requests/Second,Avg latency,p50 latency,p90 latency,"
      "p95 latency,p99 latency,Server Queue,Server Compute Input,Server Compute Infer,"
      "Server Compute Output,Errors\n";
  char line[512];
  for (const PerfPoint& p : points) {
    std::snprintf(line, sizeof line,
                  "%d,%.1f,%.1f,%.0f,%.0f,%.0f,%.0f,%.0f,%.1f,%.1f,%.1f,%.1f,%llu\n", p.concurrency,
                  p.infer_per_s, p.requests_per_s, p.avg_us, p.p50_us, p.p90_us, p.p95_us, p.p99_us,
                  p.server_queue_us, p.server_input_us, p.server_infer_us, p.server_output_us,
                  static_cast<unsigned long long>(p.errors));
    s += line;
  }
  return s;
}

}  // namespace firmnet::serve
