#include "firmnet/serve/server.h"

#include <csignal>
#include <cstdio>
#include <memory>

#include "firmnet/serve/grpc_server.h"
#include "firmnet/serve/http_server.h"
#include "firmnet/serve/repository.h"

namespace firmnet::serve {

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

Status RunServer(const ServeOptions& o) {
  RepositoryOptions ro;
  ro.root = o.repository;
  ro.explicit_control = o.explicit_control;
  ro.startup_models = o.load_models;
  Repository repo(ro);
  FIRMNET_RETURN_IF_ERROR(repo.LoadStartup());
  for (const IndexEntry& e : repo.Index(false)) {
    if (e.state == "UNAVAILABLE") {
      std::fprintf(stderr, "firmnet serve: %s failed to load: %s\n", e.name.c_str(),
                   e.reason.c_str());
    }
  }

  GrpcOptions go;
  go.address = o.address;
  go.port = o.grpc_port;
  go.server_version = o.version;
  go.max_message_bytes = o.max_request_bytes;
  FIRMNET_ASSIGN_OR_RETURN(std::unique_ptr<GrpcServer> grpc, GrpcServer::Start(repo, go));
  std::printf("Started GRPCInferenceService at %s:%d\n", o.address.c_str(), grpc->port());
  std::fflush(stdout);

  HttpOptions ho;
  ho.address = o.address;
  ho.port = o.http_port;
  ho.threads = o.threads;
  ho.server_version = o.version;
  ho.max_request_bytes = static_cast<size_t>(o.max_request_bytes);
  FIRMNET_ASSIGN_OR_RETURN(std::unique_ptr<HttpServer> http, HttpServer::StartRest(repo, ho));
  std::printf("Started HTTPService at %s:%d\n", o.address.c_str(), http->port());
  std::fflush(stdout);

  HttpOptions mo = ho;
  mo.port = o.metrics_port;
  mo.threads = 2;
  FIRMNET_ASSIGN_OR_RETURN(std::unique_ptr<HttpServer> metrics, HttpServer::StartMetrics(repo, mo));
  std::printf("Started Metrics Service at %s:%d\n", o.address.c_str(), metrics->port());
  std::fflush(stdout);

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  std::fprintf(stderr, "firmnet serve: %s received; finishing the requests in flight\n",
               sig == SIGTERM ? "SIGTERM" : "SIGINT");
  // New connections and calls are refused from here; running ones complete.
  http->Stop();
  metrics->Stop();
  grpc->Shutdown(o.shutdown_s);
  repo.StopAll();
  return OkStatus();
}

}  // namespace firmnet::serve
