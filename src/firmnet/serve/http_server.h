// The KServe v2 REST API (health, metadata, config, infer with JSON tensors and the binary tensor
// extension, statistics, repository index/load/unload) and the Prometheus metrics endpoint, each
// on its own port, on cpp-httplib's thread pool.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "firmnet/common/status.h"
#include "firmnet/serve/repository.h"

namespace firmnet::serve {

struct HttpOptions {
  std::string address = "0.0.0.0";
  int port = 8000;
  int threads = 8;
  size_t max_request_bytes = INT32_MAX;  // a larger body gets 413
  std::string server_version;
};

class HttpServer {
 public:
  // Binds and starts serving the REST API on a thread of its own.
  static StatusOr<std::unique_ptr<HttpServer>> StartRest(Repository& repo,
                                                         const HttpOptions& options);
  // Binds and starts the metrics endpoint (GET /metrics).
  static StatusOr<std::unique_ptr<HttpServer>> StartMetrics(Repository& repo,
                                                            const HttpOptions& options);
  ~HttpServer();
  // Stops listening; requests being answered complete.
  void Stop();
  int port() const { return port_; }

 private:
  struct Impl;
  HttpServer(std::unique_ptr<Impl> impl, int port);
  static StatusOr<std::unique_ptr<HttpServer>> Listen(std::unique_ptr<Impl> impl,
                                                      const HttpOptions& options, const char* what);
  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace firmnet::serve
