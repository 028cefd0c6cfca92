// The KServe v2 / Triton gRPC service (inference.GRPCInferenceService) and grpc.health.v1, on
// gRPC's callback API: unary calls finish from the worker that ran the batch, so no thread waits
// on an inference.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "firmnet/common/status.h"
#include "firmnet/serve/repository.h"

namespace firmnet::serve {

struct GrpcOptions {
  std::string address = "0.0.0.0";
  int port = 8001;
  std::string server_version;             // ServerMetadata's version
  int64_t max_message_bytes = INT32_MAX;  // a larger request is RESOURCE_EXHAUSTED
};

class GrpcServer {
 public:
  // Binds and starts serving; an address in use is UNAVAILABLE naming the port.
  static StatusOr<std::unique_ptr<GrpcServer>> Start(Repository& repo, const GrpcOptions& options);
  ~GrpcServer();
  // Stops accepting calls and waits for the running ones until `deadline_s` seconds have passed,
  // then cancels what is left.
  void Shutdown(double deadline_s);
  int port() const { return port_; }

 private:
  struct Impl;
  explicit GrpcServer(std::unique_ptr<Impl> impl, int port);
  std::unique_ptr<Impl> impl_;
  int port_;
};

// firmnet's status codes as gRPC's.
int GrpcCode(StatusCode code);

}  // namespace firmnet::serve
