#include "firmnet/serve/grpc_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <chrono>
#include <climits>
#include <deque>
#include <mutex>
#include <optional>

#include "firmnet/serve/infer.h"
#include "firmnet/serve/server_info.h"
#include "grpc_service.grpc.pb.h"

namespace firmnet::serve {
namespace {

// A gRPC deadline (system clock; "infinite" is the far future) as a steady-clock time point for
// the queue; none when the client set no deadline.
std::optional<Clock::time_point> SteadyDeadline(std::chrono::system_clock::time_point d) {
  const auto now = std::chrono::system_clock::now();
  if (d - now > std::chrono::hours(24 * 365)) return std::nullopt;
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(d - now);
}

using inference::GRPCInferenceService;

grpc::Status ToGrpc(const Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return {static_cast<grpc::StatusCode>(GrpcCode(s.code())), s.message()};
}

// A request's inputs, outputs and ids, borrowing its raw contents.
StatusOr<InferRequest> FromProto(const inference::ModelInferRequest& m) {
  InferRequest r;
  r.model = m.model_name();
  r.version = m.model_version();
  r.id = m.id();
  const bool raw = m.raw_input_contents_size() > 0;
  if (raw && m.raw_input_contents_size() != m.inputs_size()) {
    return InvalidArgument("model '" + m.model_name() + "': the request has " +
                           std::to_string(m.inputs_size()) + " input(s) but " +
                           std::to_string(m.raw_input_contents_size()) +
                           " raw_input_contents entries; give one per input, in order");
  }
  for (int i = 0; i < m.inputs_size(); ++i) {
    const auto& in = m.inputs(i);
    RequestInput t;
    t.name = in.name();
    t.datatype = in.datatype();
    t.shape.assign(in.shape().begin(), in.shape().end());
    if (raw) {
      if (in.has_contents()) {
        return InvalidArgument("model '" + m.model_name() + "' input '" + in.name() +
                               "': contents and raw_input_contents both given; use one");
      }
      t.raw = &m.raw_input_contents(i);
    } else {
      const auto& c = in.contents();
      const auto type = DataTypeFromName(in.datatype());
      // The typed field the protocol assigns to each data type.
      auto take = [&](const auto& field) { t.values.assign(field.begin(), field.end()); };
      if (!type) {
        return InvalidArgument("model '" + m.model_name() + "' input '" + in.name() +
                               "': unknown datatype '" + in.datatype() + "'");
      }
      switch (*type) {
        case DataType::kBool:
          take(c.bool_contents());
          break;
        case DataType::kInt8:
        case DataType::kInt16:
        case DataType::kInt32:
          take(c.int_contents());
          break;
        case DataType::kInt64:
          take(c.int64_contents());
          break;
        case DataType::kUint8:
        case DataType::kUint16:
        case DataType::kUint32:
          take(c.uint_contents());
          break;
        case DataType::kUint64:
          take(c.uint64_contents());
          break;
        case DataType::kFp32:
          take(c.fp32_contents());
          break;
        case DataType::kFp64:
          take(c.fp64_contents());
          break;
        default:
          return InvalidArgument("model '" + m.model_name() + "' input '" + in.name() +
                                 "': " + in.datatype() + " data must come as raw_input_contents");
      }
    }
    r.inputs.push_back(std::move(t));
  }
  for (const auto& o : m.outputs()) r.outputs.push_back(o.name());
  return r;
}

void ToProto(const InferResponse& r, inference::ModelInferResponse* m) {
  m->set_model_name(r.model);
  m->set_model_version(r.version);
  m->set_id(r.id);
  for (const OutputTensor& t : r.outputs) {
    auto* o = m->add_outputs();
    o->set_name(t.name);
    o->set_datatype(std::string(DataTypeName(t.type)));
    for (int64_t d : t.shape) o->add_shape(d);
    std::string* raw = m->add_raw_output_contents();
    EncodeElements(t.type, t.values.data(), static_cast<int64_t>(t.values.size()), raw);
  }
}

class Service final : public GRPCInferenceService::CallbackService {
 public:
  Service(Repository& repo, std::string version) : repo_(repo), version_(std::move(version)) {}

  grpc::ServerUnaryReactor* ServerLive(grpc::CallbackServerContext* ctx,
                                       const inference::ServerLiveRequest* /*req*/,
                                       inference::ServerLiveResponse* resp) override {
    resp->set_live(true);
    return Done(ctx, grpc::Status::OK);
  }

  grpc::ServerUnaryReactor* ServerReady(grpc::CallbackServerContext* ctx,
                                        const inference::ServerReadyRequest* /*req*/,
                                        inference::ServerReadyResponse* resp) override {
    resp->set_ready(repo_.Ready());
    return Done(ctx, grpc::Status::OK);
  }

  grpc::ServerUnaryReactor* ModelReady(grpc::CallbackServerContext* ctx,
                                       const inference::ModelReadyRequest* req,
                                       inference::ModelReadyResponse* resp) override {
    resp->set_ready(repo_.Find(req->name(), req->version()).ok());
    return Done(ctx, grpc::Status::OK);
  }

  grpc::ServerUnaryReactor* ServerMetadata(grpc::CallbackServerContext* ctx,
                                           const inference::ServerMetadataRequest* /*req*/,
                                           inference::ServerMetadataResponse* resp) override {
    resp->set_name(kServerName);
    resp->set_version(version_);
    for (const char* e : kServerExtensions) resp->add_extensions(e);
    return Done(ctx, grpc::Status::OK);
  }

  grpc::ServerUnaryReactor* ModelMetadata(grpc::CallbackServerContext* ctx,
                                          const inference::ModelMetadataRequest* req,
                                          inference::ModelMetadataResponse* resp) override {
    auto m = repo_.Find(req->name(), req->version());
    if (!m.ok()) return Done(ctx, ToGrpc(m.status()));
    const ServingSpec& spec = (*m)->spec();
    resp->set_name(spec.name);
    for (const auto& v : repo_.Versions(spec.name))
      resp->add_versions(std::to_string(v->version()));
    resp->set_platform(kPlatform);
    auto fill = [&](const TensorSpec& t, auto* out) {
      out->set_name(t.name);
      out->set_datatype(std::string(DataTypeName(t.type)));
      if (spec.max_batch_size > 0) out->add_shape(-1);
      for (int64_t d : t.dims) out->add_shape(d);
    };
    for (const TensorSpec& t : spec.inputs) fill(t, resp->add_inputs());
    for (const TensorSpec& t : spec.outputs) fill(t, resp->add_outputs());
    return Done(ctx, grpc::Status::OK);
  }

  grpc::ServerUnaryReactor* ModelConfig(grpc::CallbackServerContext* ctx,
                                        const inference::ModelConfigRequest* req,
                                        inference::ModelConfigResponse* resp) override {
    auto m = repo_.Find(req->name(), req->version());
    if (!m.ok()) return Done(ctx, ToGrpc(m.status()));
    *resp->mutable_config() = (*m)->config();
    return Done(ctx, grpc::Status::OK);
  }

  grpc::ServerUnaryReactor* ModelInfer(grpc::CallbackServerContext* ctx,
                                       const inference::ModelInferRequest* req,
                                       inference::ModelInferResponse* resp) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    if (ctx->deadline() < std::chrono::system_clock::now()) {
      reactor->Finish({grpc::StatusCode::DEADLINE_EXCEEDED,
                       "the deadline passed before the "
                       "request was queued"});
      return reactor;
    }
    StatusOr<InferRequest> r = FromProto(*req);
    if (!r.ok()) {
      RecordRejected(req->model_name(), req->model_version());
      reactor->Finish(ToGrpc(r.status()));
      return reactor;
    }
    r->deadline = SteadyDeadline(ctx->deadline());
    Infer(repo_, std::move(*r), [reactor, resp](StatusOr<InferResponse> out) {
      if (!out.ok()) {
        reactor->Finish(ToGrpc(out.status()));
        return;
      }
      ToProto(*out, resp);
      reactor->Finish(grpc::Status::OK);
    });
    return reactor;
  }

  grpc::ServerBidiReactor<inference::ModelInferRequest, inference::ModelStreamInferResponse>*
  ModelStreamInfer(grpc::CallbackServerContext* /*ctx*/) override {
    return new StreamReactor(repo_);
  }

  grpc::ServerUnaryReactor* ModelStatistics(grpc::CallbackServerContext* ctx,
                                            const inference::ModelStatisticsRequest* req,
                                            inference::ModelStatisticsResponse* resp) override {
    std::vector<std::string> names;
    if (req->name().empty()) {
      names = repo_.ReadyModels();
    } else {
      auto m = repo_.Find(req->name(), req->version());
      if (!m.ok()) return Done(ctx, ToGrpc(m.status()));
      names.push_back(req->name());
    }
    for (const std::string& n : names) {
      for (const auto& m : repo_.Versions(n)) {
        if (!req->version().empty() && std::to_string(m->version()) != req->version()) continue;
        FillStatistics(*m, resp->add_model_stats());
      }
    }
    return Done(ctx, grpc::Status::OK);
  }

  grpc::ServerUnaryReactor* RepositoryIndex(grpc::CallbackServerContext* ctx,
                                            const inference::RepositoryIndexRequest* req,
                                            inference::RepositoryIndexResponse* resp) override {
    for (const IndexEntry& e : repo_.Index(req->ready())) {
      auto* m = resp->add_models();
      m->set_name(e.name);
      m->set_version(e.version);
      m->set_state(e.state);
      m->set_reason(e.reason);
    }
    return Done(ctx, grpc::Status::OK);
  }

  grpc::ServerUnaryReactor* RepositoryModelLoad(
      grpc::CallbackServerContext* ctx, const inference::RepositoryModelLoadRequest* req,
      inference::RepositoryModelLoadResponse* /*resp*/) override {
    if (!repo_.explicit_control()) return Done(ctx, ExplicitOnly());
    if (!req->parameters().empty()) {
      return Done(ctx, {grpc::StatusCode::INVALID_ARGUMENT,
                        "model '" + req->model_name() +
                            "': load parameters (config or file overrides) are not supported"});
    }
    return Done(ctx, ToGrpc(repo_.Load(req->model_name())));
  }

  grpc::ServerUnaryReactor* RepositoryModelUnload(
      grpc::CallbackServerContext* ctx, const inference::RepositoryModelUnloadRequest* req,
      inference::RepositoryModelUnloadResponse* /*resp*/) override {
    if (!repo_.explicit_control()) return Done(ctx, ExplicitOnly());
    return Done(ctx, ToGrpc(repo_.Unload(req->model_name())));
  }

 private:
  static grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* ctx, grpc::Status s) {
    grpc::ServerUnaryReactor* r = ctx->DefaultReactor();
    r->Finish(std::move(s));
    return r;
  }
  static grpc::Status ExplicitOnly() {
    return {grpc::StatusCode::UNAVAILABLE,
            "explicit model load and unload need --model-control-mode explicit"};
  }
  // A request refused before it reached a model still counts as a failure of that model.
  void RecordRejected(const std::string& name, const std::string& version) {
    auto m = repo_.Find(name, version);
    if (m.ok()) (*m)->stats().RecordFailure(0);
  }

  // ModelStreamInfer: each request is inferred as it arrives; responses are written in the order
  // they complete, one write at a time. Errors go in error_message and the stream goes on.
  class StreamReactor : public grpc::ServerBidiReactor<inference::ModelInferRequest,
                                                       inference::ModelStreamInferResponse> {
   public:
    explicit StreamReactor(Repository& repo) : repo_(repo) { StartRead(&request_); }

    void OnReadDone(bool ok) override {
      if (!ok) {
        std::lock_guard lock(mu_);
        reading_ = false;
        MaybeFinish();
        return;
      }
      // The request message is reused for the next read; the inference borrows from its own.
      auto owned = std::make_shared<inference::ModelInferRequest>();
      owned->Swap(&request_);
      StatusOr<InferRequest> r = FromProto(*owned);
      {
        std::lock_guard lock(mu_);
        ++in_flight_;
      }
      if (!r.ok()) {
        Complete(r.status(), nullptr);
      } else {
        Infer(repo_, std::move(*r), [this, owned](StatusOr<InferResponse> out) {
          Complete(out.ok() ? OkStatus() : out.status(), out.ok() ? &*out : nullptr);
        });
      }
      StartRead(&request_);
    }

    void OnWriteDone(bool /*ok*/) override {
      std::lock_guard lock(mu_);
      writes_.pop_front();
      writing_ = false;
      WriteNext();
      MaybeFinish();
    }

    void OnDone() override { delete this; }

   private:
    void Complete(const Status& s, const InferResponse* out) {
      inference::ModelStreamInferResponse msg;
      if (!s.ok()) {
        msg.set_error_message(s.message());
      } else {
        ToProto(*out, msg.mutable_infer_response());
      }
      std::lock_guard lock(mu_);
      --in_flight_;
      writes_.push_back(std::move(msg));
      WriteNext();
    }
    // With mu_ held.
    void WriteNext() {
      if (writing_ || writes_.empty()) return;
      writing_ = true;
      StartWrite(&writes_.front());
    }
    void MaybeFinish() {
      if (!reading_ && in_flight_ == 0 && writes_.empty() && !finished_) {
        finished_ = true;
        Finish(grpc::Status::OK);
      }
    }

    Repository& repo_;
    inference::ModelInferRequest request_;
    std::mutex mu_;
    std::deque<inference::ModelStreamInferResponse> writes_;
    bool writing_ = false;
    bool reading_ = true;
    bool finished_ = false;
    int in_flight_ = 0;
  };

  Repository& repo_;
  std::string version_;
};

}  // namespace

int GrpcCode(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return grpc::StatusCode::OK;
    case StatusCode::kInvalidArgument:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case StatusCode::kNotFound:
      return grpc::StatusCode::NOT_FOUND;
    case StatusCode::kUnimplemented:
      return grpc::StatusCode::UNIMPLEMENTED;
    case StatusCode::kCancelled:
      return grpc::StatusCode::CANCELLED;
    case StatusCode::kDeadlineExceeded:
      return grpc::StatusCode::DEADLINE_EXCEEDED;
    case StatusCode::kResourceExhausted:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case StatusCode::kUnavailable:
      return grpc::StatusCode::UNAVAILABLE;
    default:
      return grpc::StatusCode::INTERNAL;
  }
}

struct GrpcServer::Impl {
  explicit Impl(Repository& repo, std::string version) : service(repo, std::move(version)) {}
  Service service;
  std::unique_ptr<grpc::Server> server;
};

GrpcServer::GrpcServer(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

GrpcServer::~GrpcServer() { Shutdown(0); }

StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(Repository& repo,
                                                        const GrpcOptions& options) {
  auto impl = std::make_unique<Impl>(repo, options.server_version);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int bound = 0;
  builder.AddListeningPort(options.address + ":" + std::to_string(options.port),
                           grpc::InsecureServerCredentials(), &bound);
  builder.RegisterService(&impl->service);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  builder.SetMaxSendMessageSize(INT_MAX);
  impl->server = builder.BuildAndStart();
  if (!impl->server || bound == 0) {
    return Unavailable("cannot listen for gRPC on " + options.address + ":" +
                       std::to_string(options.port) + " (in use, or not allowed)");
  }
  return std::unique_ptr<GrpcServer>(new GrpcServer(std::move(impl), bound));
}

void GrpcServer::Shutdown(double deadline_s) {
  if (!impl_ || !impl_->server) return;
  impl_->server->Shutdown(std::chrono::system_clock::now() +
                          std::chrono::microseconds(static_cast<int64_t>(deadline_s * 1e6)));
  impl_->server->Wait();
  impl_->server.reset();
}

}  // namespace firmnet::serve
