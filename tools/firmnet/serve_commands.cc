// `firmnet serve`: a KServe v2 / Triton-compatible inference server over a model repository, and
// `firmnet perf`, a load generator for such servers (src/firmnet/serve); this file parses options.
#include <climits>
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "firmnet/serve/perf.h"
#include "firmnet/serve/server.h"
#include "firmnet_version.h"

namespace firmnet::cli {
namespace {

Command PerfCommand(CLI::App& app) {
  auto o = std::make_shared<serve::PerfOptions>();
  auto range = std::make_shared<std::string>("1:1:1");
  auto csv = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "perf",
      "Load a KServe v2 gRPC server (firmnet serve, Triton) with ModelInfer requests: "
      "throughput and latency percentiles per concurrency, with the server's breakdown");
  cmd->add_option("-m,--model", o->model, "Model name")->required();
  cmd->add_option("-u,--url", o->url, "HOST:PORT of the gRPC service (default localhost:8001)");
  cmd->add_option("-x,--model-version", o->version, "Model version (default: the newest)");
  cmd->add_option("-b,--batch-size", o->batch, "Rows per request (default 1)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 24));
  cmd->add_option("--concurrency-range", *range,
                  "START:END:STEP concurrent requests (default 1:1:1)");
  cmd->add_option("--input-data", o->input_data,
                  "Input samples (.npy of [N, *input shape], or text), used in turn; default: "
                  "random data");
  cmd->add_option("--measurement-interval", o->window_s,
                  "Seconds measured per concurrency (default 2)")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--warmup", o->warmup_s, "Seconds before each measurement (default 0.5)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_flag("--csv", *csv, "Print CSV instead of the table");
  return Command{cmd, [o, range, csv] {
                   int a = 0, b = 0, c = 1;
                   char tail = 0;
                   const int n = std::sscanf(range->c_str(), "%d:%d:%d%c", &a, &b, &c, &tail);
                   if (n == 1) {
                     b = a;
                   } else if (n != 2 && n != 3) {
                     return Fail(InvalidArgument("--concurrency-range '" + *range +
                                                 "' is not START[:END[:STEP]]"));
                   }
                   o->concurrency_start = a;
                   o->concurrency_end = b;
                   o->concurrency_step = c;
                   auto points = serve::RunPerf(*o);
                   if (!points.ok()) return Fail(points.status());
                   const std::string text = *csv ? serve::FormatPerfCsv(*points)
                                                 : serve::FormatPerfTable(*points, o->batch);
                   std::fputs(text.c_str(), stdout);
                   for (const auto& p : *points) {
                     if (p.errors > 0) return 1;
                   }
                   return 0;
                 }};
}

}  // namespace

std::vector<Command> AddServeCommands(CLI::App& app) {
  auto o = std::make_shared<serve::ServeOptions>();
  auto mode = std::make_shared<std::string>("none");
  auto* cmd = app.add_subcommand(
      "serve",
      "Serve the bit-exact emulation of the models of a Triton-layout repository over the "
      "KServe v2 protocol (gRPC and REST) with dynamic batching and Prometheus metrics");
  cmd->add_option("--model-repository", o->repository,
                  "Repository: DIR/<model>/config.pbtxt and DIR/<model>/<version>/model.onnx "
                  "(or model.json + model_weights.h5, model.h5, model.fnir)")
      ->required();
  cmd->add_option("--grpc-port", o->grpc_port, "gRPC port (0: any free port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--http-port", o->http_port, "REST port (0: any free port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--metrics-port", o->metrics_port, "Prometheus metrics port (0: any free port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--address", o->address, "Address to listen on (default 0.0.0.0)");
  cmd->add_option("--model-control-mode", *mode,
                  "none: load every model at start; explicit: load --load-model ones, and load "
                  "and unload on request")
      ->check(CLI::IsMember({"none", "explicit"}));
  cmd->add_option("--load-model", o->load_models,
                  "With explicit control: a model to load at start");
  cmd->add_option("--threads", o->threads, "REST worker threads (default 8)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--max-request-size", o->max_request_bytes,
                  "Largest gRPC request message or REST body, bytes (default 2147483647); "
                  "larger ones are refused (RESOURCE_EXHAUSTED, 413)")
      ->check(CLI::Range(int64_t{1024}, int64_t{INT32_MAX}));
  return {
      Command{cmd,
              [o, mode] {
                if (!o->load_models.empty() && *mode != "explicit") {
                  return Fail(InvalidArgument("--load-model needs --model-control-mode explicit"));
                }
                o->explicit_control = *mode == "explicit";
                o->version = FIRMNET_VERSION;
                serve::BlockShutdownSignals();
                const Status s = serve::RunServer(*o);
                return s.ok() ? 0 : Fail(s);
              }},
      PerfCommand(app)};
}

}  // namespace firmnet::cli
