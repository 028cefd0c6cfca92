// `firmnet serve`: the repository, the gRPC, REST and metrics front ends, Triton's start-up
// lines, and the shutdown on SIGTERM/SIGINT (stop accepting, answer what is in flight, exit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "firmnet/common/status.h"

namespace firmnet::serve {

struct ServeOptions {
  std::string repository;
  std::string address = "0.0.0.0";
  int grpc_port = 8001;  // 0: any free port (the start-up line says which)
  int http_port = 8000;
  int metrics_port = 8002;
  bool explicit_control = false;
  std::vector<std::string> load_models;
  int threads = 8;                        // REST worker threads
  int64_t max_request_bytes = INT32_MAX;  // larger gRPC messages and REST bodies are refused
  double shutdown_s = 4.0;                // how long in-flight requests get to finish
  std::string version;                    // ServerMetadata's version
};

// Serves until SIGTERM or SIGINT. The caller must have blocked both signals in every thread
// (BlockShutdownSignals before starting any thread). Returns OK after a clean shutdown; an
// error when a port cannot be bound or the repository is missing.
Status RunServer(const ServeOptions& options);

// Blocks SIGTERM and SIGINT in the calling thread (and the threads it starts later), so that
// RunServer can wait for them.
void BlockShutdownSignals();

}  // namespace firmnet::serve
