#include "firmnet/serve/http_server.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "firmnet/serve/infer.h"
#include "firmnet/serve/metrics.h"
#include "firmnet/serve/server_info.h"

namespace firmnet::serve {
namespace {

using json = nlohmann::json;

constexpr const char* kHeaderLength = "Inference-Header-Content-Length";

int HttpCode(StatusCode c) {
  switch (c) {
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDeadlineExceeded:
      return 504;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kInternal:
      return 500;
    default:
      return 400;
  }
}

void Error(httplib::Response& res, const Status& s) {
  res.status = HttpCode(s.code());
  res.set_content(json{{"error", s.message()}}.dump(), "application/json");
}

void Json(httplib::Response& res, const json& j) {
  res.status = 200;
  res.set_content(j.dump(), "application/json");
}

json DurationJson(const Duration& d) { return {{"count", d.count}, {"ns", d.ns}}; }

json StatsJson(ServedModel& m) {
  const StatsSnapshot s = m.stats().Snapshot();
  json batches = json::array();
  for (const auto& [rows, b] : s.batches) {
    batches.push_back({{"batch_size", rows},
                       {"compute_input", DurationJson(b.compute_input)},
                       {"compute_infer", DurationJson(b.compute_infer)},
                       {"compute_output", DurationJson(b.compute_output)}});
  }
  return {{"name", m.spec().name},
          {"version", std::to_string(m.version())},
          {"last_inference", s.last_inference_ms},
          {"inference_count", s.inference_count},
          {"execution_count", s.execution_count},
          {"inference_stats",
           {{"success", DurationJson(s.success)},
            {"fail", DurationJson(s.fail)},
            {"queue", DurationJson(s.queue)},
            {"compute_input", DurationJson(s.compute_input)},
            {"compute_infer", DurationJson(s.compute_infer)},
            {"compute_output", DurationJson(s.compute_output)},
            {"cache_hit", DurationJson({})},
            {"cache_miss", DurationJson({})}}},
          {"batch_stats", batches}};
}

// Appends the numbers of a (possibly nested) JSON array, row-major, checking each against the
// data type: integers in range for the integer types, booleans for BOOL. Nesting deeper than
// any tensor's rank is refused (and cannot exhaust the stack).
constexpr int kMaxNesting = 64;
Status Flatten(const json& j, DataType t, const std::string& what, std::vector<double>* out,
               int depth = 0) {
  if (j.is_array()) {
    if (depth >= kMaxNesting) {
      return InvalidArgument(what + ": data is nested more than " + std::to_string(kMaxNesting) +
                             " levels deep");
    }
    for (const json& e : j) FIRMNET_RETURN_IF_ERROR(Flatten(e, t, what, out, depth + 1));
    return OkStatus();
  }
  if (t == DataType::kBool) {
    if (!j.is_boolean()) return InvalidArgument(what + ": BOOL data must be true or false");
    out->push_back(j.get<bool>() ? 1.0 : 0.0);
    return OkStatus();
  }
  if (!j.is_number()) {
    return InvalidArgument(what + ": data holds " + std::string(j.type_name()) + ", not a number");
  }
  double v = j.get<double>();
  switch (t) {
    case DataType::kFp32:
      v = static_cast<float>(v);
      break;
    case DataType::kFp16:
    case DataType::kBf16:
      return InvalidArgument(what + ": " + std::string(DataTypeName(t)) +
                             " data must come in the binary tensor extension");
    case DataType::kFp64:
      break;
    default: {
      // Integer types: whole values within the type's range.
      const int size = ElementSize(t);
      const bool is_signed = t == DataType::kInt8 || t == DataType::kInt16 ||
                             t == DataType::kInt32 || t == DataType::kInt64;
      const double lo = is_signed ? -std::ldexp(1.0, size * 8 - 1) : 0.0;
      const double hi = std::ldexp(1.0, size * 8 - (is_signed ? 1 : 0));
      if (v != std::floor(v) || v < lo || v >= hi) {
        return InvalidArgument(what + ": " + j.dump() + " is not a " +
                               std::string(DataTypeName(t)) + " value");
      }
    }
  }
  out->push_back(v);
  return OkStatus();
}

struct ParsedInfer {
  InferRequest request;
  std::vector<std::string> raw;  // binary input data, owned (RequestInput::raw points here)
  bool binary_all = false;       // parameters.binary_data_output
  std::vector<bool> binary;      // per requested output
};

StatusOr<ParsedInfer> ParseInferJson(const httplib::Request& req, const std::string& body,
                                     const std::string& model, const std::string& version) {
  ParsedInfer p;
  p.request.model = model;
  p.request.version = version;
  size_t header_len = body.size();
  if (req.has_header(kHeaderLength)) {
    const std::string v = req.get_header_value(kHeaderLength);
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n > body.size()) {
      return InvalidArgument(std::string(kHeaderLength) + " '" + v + "' is not a length within " +
                             "the body (" + std::to_string(body.size()) + " bytes)");
    }
    header_len = n;
  }
  const json j =
      json::parse(body.begin(), body.begin() + static_cast<long>(header_len), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidArgument("model '" + model + "': the request body is not a JSON object");
  }
  if (j.contains("id")) {
    if (!j["id"].is_string()) return InvalidArgument("model '" + model + "': id must be a string");
    p.request.id = j["id"].get<std::string>();
  }
  if (j.contains("parameters") && j["parameters"].is_object()) {
    const json& params = j["parameters"];
    p.binary_all = params.value("binary_data_output", false);
  }
  if (!j.contains("inputs") || !j["inputs"].is_array()) {
    return InvalidArgument("model '" + model + "': the request has no \"inputs\" array");
  }
  size_t offset = header_len;
  p.raw.reserve(j["inputs"].size());
  for (const json& in : j["inputs"]) {
    if (!in.is_object() || !in.contains("name") || !in["name"].is_string()) {
      return InvalidArgument("model '" + model + "': an input has no name");
    }
    RequestInput t;
    t.name = in["name"].get<std::string>();
    const std::string what = "model '" + model + "' input '" + t.name + "'";
    if (!in.contains("datatype") || !in["datatype"].is_string()) {
      return InvalidArgument(what + " has no datatype");
    }
    t.datatype = in["datatype"].get<std::string>();
    if (!in.contains("shape") || !in["shape"].is_array()) {
      return InvalidArgument(what + " has no shape");
    }
    for (const json& d : in["shape"]) {
      if (!d.is_number_integer()) return InvalidArgument(what + ": shape holds a non-integer");
      t.shape.push_back(d.get<int64_t>());
    }
    const auto type = DataTypeFromName(t.datatype);
    if (!type) return InvalidArgument(what + ": unknown datatype '" + t.datatype + "'");
    int64_t binary_size = -1;
    if (in.contains("parameters") && in["parameters"].is_object() &&
        in["parameters"].contains("binary_data_size")) {
      const json& b = in["parameters"]["binary_data_size"];
      if (!b.is_number_unsigned()) return InvalidArgument(what + ": bad binary_data_size");
      binary_size = b.get<int64_t>();
    }
    if (binary_size >= 0) {
      if (offset + static_cast<size_t>(binary_size) > body.size()) {
        return InvalidArgument(what + ": binary_data_size " + std::to_string(binary_size) +
                               " runs past the end of the body");
      }
      p.raw.emplace_back(body, offset, static_cast<size_t>(binary_size));
      offset += static_cast<size_t>(binary_size);
      t.raw = &p.raw.back();
    } else {
      if (!in.contains("data")) return InvalidArgument(what + " has no data");
      FIRMNET_RETURN_IF_ERROR(Flatten(in["data"], *type, what, &t.values));
    }
    p.request.inputs.push_back(std::move(t));
  }
  if (offset != body.size()) {
    return InvalidArgument("model '" + model + "': " + std::to_string(body.size() - offset) +
                           " bytes of binary data are not claimed by any input");
  }
  if (j.contains("outputs")) {
    if (!j["outputs"].is_array()) return InvalidArgument("model '" + model + "': bad outputs");
    for (const json& o : j["outputs"]) {
      if (!o.is_object() || !o.contains("name") || !o["name"].is_string()) {
        return InvalidArgument("model '" + model + "': a requested output has no name");
      }
      p.request.outputs.push_back(o["name"].get<std::string>());
      bool b = p.binary_all;
      if (o.contains("parameters") && o["parameters"].is_object()) {
        b = o["parameters"].value("binary_data", b);
      }
      p.binary.push_back(b);
    }
  }
  return p;
}

// ParseInferJson, with a value of the wrong JSON type (json::value's type_error) as a bad request.
StatusOr<ParsedInfer> ParseInfer(const httplib::Request& req, const std::string& body,
                                 const std::string& model, const std::string& version) {
  try {
    return ParseInferJson(req, body, model, version);
  } catch (const json::exception& e) {
    return InvalidArgument("model '" + model +
                           "': the request JSON has a field of the wrong type (" + e.what() + ")");
  }
}

void WriteInferResponse(const ParsedInfer& p, const InferResponse& r, httplib::Response& res) {
  json outputs = json::array();
  std::string binary;
  for (size_t i = 0; i < r.outputs.size(); ++i) {
    const OutputTensor& t = r.outputs[i];
    json o = {{"name", t.name}, {"datatype", DataTypeName(t.type)}, {"shape", t.shape}};
    const bool as_binary = i < p.binary.size() ? p.binary[i] : p.binary_all;
    if (as_binary) {
      const size_t before = binary.size();
      EncodeElements(t.type, t.values.data(), static_cast<int64_t>(t.values.size()), &binary);
      o["parameters"] = {{"binary_data_size", binary.size() - before}};
    } else {
      json data = json::array();
      for (double v : t.values) {
        if (t.type == DataType::kBool) {
          data.push_back(v != 0);
        } else if (t.type == DataType::kFp32 || t.type == DataType::kFp64 ||
                   t.type == DataType::kFp16 || t.type == DataType::kBf16) {
          data.push_back(v);
        } else {
          data.push_back(static_cast<int64_t>(v));
        }
      }
      o["data"] = std::move(data);
    }
    outputs.push_back(std::move(o));
  }
  json body = {{"model_name", r.model}, {"model_version", r.version}, {"outputs", outputs}};
  if (!r.id.empty()) body["id"] = r.id;
  const std::string text = body.dump();
  res.status = 200;
  if (binary.empty()) {
    res.set_content(text, "application/json");
  } else {
    res.set_header(kHeaderLength, std::to_string(text.size()));
    res.set_content(text + binary, "application/octet-stream");
  }
}

}  // namespace

struct HttpServer::Impl {
  httplib::Server server;
  std::thread thread;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  if (!impl_) return;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Listen(std::unique_ptr<Impl> impl,
                                                         const HttpOptions& options,
                                                         const char* what) {
  httplib::Server& s = impl->server;
  const int threads = std::max(1, options.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.set_payload_max_length(options.max_request_bytes);
  s.set_read_timeout(30, 0);
  s.set_write_timeout(30, 0);
  s.set_keep_alive_max_count(100000);
  int port = options.port;
  if (port == 0) {
    port = s.bind_to_any_port(options.address);
    if (port < 0) port = 0;
  } else if (!s.bind_to_port(options.address, port)) {
    port = 0;
  }
  if (port == 0) {
    return Unavailable(std::string("cannot listen for ") + what + " on " + options.address + ":" +
                       std::to_string(options.port) + " (in use, or not allowed)");
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl), port));
}

StatusOr<std::unique_ptr<HttpServer>> HttpServer::StartMetrics(Repository& repo,
                                                               const HttpOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->server.Get("/metrics", [&repo](const httplib::Request&, httplib::Response& res) {
    res.set_content(RenderMetrics(repo), "text/plain; version=0.0.4; charset=utf-8");
  });
  return Listen(std::move(impl), options, "metrics");
}

StatusOr<std::unique_ptr<HttpServer>> HttpServer::StartRest(Repository& repo,
                                                            const HttpOptions& options) {
  auto impl = std::make_unique<Impl>();
  httplib::Server& s = impl->server;
  const std::string version = options.server_version;
  s.Get("/v2/health/live",
        [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
  s.Get("/v2/health/ready", [&repo](const httplib::Request&, httplib::Response& res) {
    res.status = repo.Ready() ? 200 : 400;
  });
  s.Get("/v2", [version](const httplib::Request&, httplib::Response& res) {
    json ext = json::array();
    for (const char* e : kServerExtensions) ext.push_back(e);
    Json(res, {{"name", kServerName}, {"version", version}, {"extensions", ext}});
  });
  // Before the model routes, whose pattern "stats" would match as a model name.
  s.Get("/v2/models/stats", [&repo](const httplib::Request&, httplib::Response& res) {
    json list = json::array();
    for (const std::string& n : repo.ReadyModels()) {
      for (const auto& v : repo.Versions(n)) list.push_back(StatsJson(*v));
    }
    Json(res, {{"model_stats", list}});
  });
  // /v2/models/<m>[/versions/<v>][/<what>]: groups 1 (model), 3 (version).
  const std::string model_path = R"(/v2/models/([^/]+)(/versions/([^/]+))?)";
  auto find = [&repo](const httplib::Request& req) {
    return repo.Find(req.matches[1].str(), req.matches[3].str());
  };
  s.Get(model_path, [&repo, find](const httplib::Request& req, httplib::Response& res) {
    auto m = find(req);
    if (!m.ok()) return Error(res, m.status());
    const ServingSpec& spec = (*m)->spec();
    json versions = json::array();
    for (const auto& v : repo.Versions(spec.name)) versions.push_back(std::to_string(v->version()));
    auto tensors = [&](const std::vector<TensorSpec>& list) {
      json a = json::array();
      for (const TensorSpec& t : list) {
        std::vector<int64_t> shape = t.dims;
        if (spec.max_batch_size > 0) shape.insert(shape.begin(), -1);
        a.push_back({{"name", t.name}, {"datatype", DataTypeName(t.type)}, {"shape", shape}});
      }
      return a;
    };
    Json(res, {{"name", spec.name},
               {"versions", versions},
               {"platform", kPlatform},
               {"inputs", tensors(spec.inputs)},
               {"outputs", tensors(spec.outputs)}});
  });
  s.Get(model_path + "/ready", [find](const httplib::Request& req, httplib::Response& res) {
    res.status = find(req).ok() ? 200 : 400;
  });
  s.Get(model_path + "/config", [find](const httplib::Request& req, httplib::Response& res) {
    auto m = find(req);
    if (!m.ok()) return Error(res, m.status());
    std::string text;
    google::protobuf::util::JsonPrintOptions o;
    o.preserve_proto_field_names = true;
    o.always_print_primitive_fields = true;
    (void)google::protobuf::util::MessageToJsonString((*m)->config(), &text, o);
    res.set_content(text, "application/json");
  });
  s.Get(model_path + "/stats", [&repo](const httplib::Request& req, httplib::Response& res) {
    auto m = repo.Find(req.matches[1].str(), req.matches[3].str());
    if (!m.ok()) return Error(res, m.status());
    json list = json::array();
    for (const auto& v : repo.Versions(req.matches[1].str())) {
      if (req.matches[3].length() > 0 && std::to_string(v->version()) != req.matches[3].str()) {
        continue;
      }
      list.push_back(StatsJson(*v));
    }
    Json(res, {{"model_stats", list}});
  });
  // The body is read here rather than by the library, which would refuse a large body sent as
  // application/x-www-form-urlencoded (what `curl -d` sends) whatever its content.
  const size_t max_body = options.max_request_bytes;
  s.Post(model_path + "/infer", [&repo, max_body](const httplib::Request& req,
                                                  httplib::Response& res,
                                                  const httplib::ContentReader& reader) {
    const std::string model = req.matches[1].str();
    const std::string version = req.matches[3].str();
    std::string body;
    bool too_large = false;
    const bool read = reader([&](const char* data, size_t n) {
      if (body.size() + n > max_body) {
        too_large = true;
        return false;
      }
      body.append(data, n);
      return true;
    });
    // The library refuses a declared Content-Length above the limit before reading (413).
    if (too_large || res.status == 413) {
      res.status = 413;
      res.set_content(json{{"error", "model '" + model + "': the request body is larger than " +
                                         std::to_string(max_body) + " bytes (--max-request-size)"}}
                          .dump(),
                      "application/json");
      return;
    }
    if (!read) {
      return Error(res, InvalidArgument("model '" + model +
                                        "': the request body could not be "
                                        "read in full"));
    }
    StatusOr<ParsedInfer> p = ParseInfer(req, body, model, version);
    if (!p.ok()) {
      if (auto m = repo.Find(model, version); m.ok()) (*m)->stats().RecordFailure(0);
      return Error(res, p.status());
    }
    StatusOr<InferResponse> r = InferSync(repo, std::move(p->request));
    if (!r.ok()) return Error(res, r.status());
    WriteInferResponse(*p, *r, res);
  });
  s.Post("/v2/repository/index", [&repo](const httplib::Request& req, httplib::Response& res) {
    bool ready = false;
    if (!req.body.empty()) {
      const json j = json::parse(req.body, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        return Error(res, InvalidArgument("the index request body is not a JSON object"));
      }
      if (j.contains("ready") && !j["ready"].is_boolean()) {
        return Error(res, InvalidArgument("the index request's \"ready\" is not a boolean"));
      }
      ready = j.value("ready", false);
    }
    json list = json::array();
    for (const IndexEntry& e : repo.Index(ready)) {
      json m = {{"name", e.name}};
      if (!e.version.empty()) m["version"] = e.version;
      if (!e.state.empty()) m["state"] = e.state;
      if (!e.reason.empty()) m["reason"] = e.reason;
      list.push_back(std::move(m));
    }
    Json(res, list);
  });
  auto control = [&repo](bool load) {
    return [&repo, load](const httplib::Request& req, httplib::Response& res) {
      if (!repo.explicit_control()) {
        return Error(res, Unavailable("explicit model load and unload need "
                                      "--model-control-mode explicit"));
      }
      const std::string name = req.matches[1].str();
      const Status s = load ? repo.Load(name) : repo.Unload(name);
      if (!s.ok()) return Error(res, s);
      res.status = 200;
    };
  };
  s.Post(R"(/v2/repository/models/([^/]+)/load)", control(true));
  s.Post(R"(/v2/repository/models/([^/]+)/unload)", control(false));
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string msg = res.status == 404   ? "no such endpoint: " + req.method + " " + req.path
                            : res.status == 413 ? "the request body is too large"
                                                : "bad request";
    res.set_content(json{{"error", msg}}.dump(), "application/json");
  });
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
        res.status = 500;
        res.set_content(json{{"error", "internal error"}}.dump(), "application/json");
      });
  return Listen(std::move(impl), options, "HTTP");
}

}  // namespace firmnet::serve
