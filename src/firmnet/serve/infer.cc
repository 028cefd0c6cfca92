#include "firmnet/serve/infer.h"

#include <chrono>
#include <cmath>
#include <future>
#include <memory>

namespace firmnet::serve {
namespace {

uint64_t NsSince(Clock::time_point t) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t).count());
}

uint64_t NowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

std::string ShapeText(const std::vector<int64_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? "," : "") + std::to_string(s[i]);
  return t + "]";
}

// Checks one input against its spec; returns its batch size (1 for a model without batching)
// and fills `values` (rows x elements).
StatusOr<int64_t> ReadInput(const ServingSpec& spec, const TensorSpec& t, RequestInput& in,
                            std::vector<double>* values) {
  const std::string what = "model '" + spec.name + "' input '" + in.name + "'";
  const auto type = DataTypeFromName(in.datatype);
  if (!type) return InvalidArgument(what + ": unknown datatype '" + in.datatype + "'");
  if (*type != t.type) {
    return InvalidArgument(what + " has datatype " + in.datatype + "; the model takes " +
                           std::string(DataTypeName(t.type)));
  }
  int64_t rows = 1;
  std::vector<int64_t> expected = t.dims;
  if (spec.max_batch_size > 0) {
    if (in.shape.empty() || in.shape[0] < 1) {
      return InvalidArgument(what + " has shape " + ShapeText(in.shape) + "; expected [batch," +
                             ShapeText(t.dims).substr(1));
    }
    rows = in.shape[0];
    if (rows > spec.max_batch_size) {
      return InvalidArgument(what + ": batch size " + std::to_string(rows) +
                             " is above max_batch_size " + std::to_string(spec.max_batch_size));
    }
    expected.insert(expected.begin(), rows);
  }
  if (in.shape != expected) {
    return InvalidArgument(what + " has shape " + ShapeText(in.shape) + "; expected " +
                           ShapeText(expected));
  }
  const int64_t n = rows * t.elements;
  if (in.raw != nullptr) {
    const auto bytes = static_cast<int64_t>(in.raw->size());
    if (bytes != n * ElementSize(t.type)) {
      return InvalidArgument(what + " has " + std::to_string(bytes) + " bytes of data; shape " +
                             ShapeText(in.shape) + " of " + in.datatype + " needs " +
                             std::to_string(n * ElementSize(t.type)));
    }
    values->resize(static_cast<size_t>(n));
    DecodeElements(t.type, in.raw->data(), n, values->data());
  } else {
    if (static_cast<int64_t>(in.values.size()) != n) {
      return InvalidArgument(what + " has " + std::to_string(in.values.size()) + " values; shape " +
                             ShapeText(in.shape) + " needs " + std::to_string(n));
    }
    *values = std::move(in.values);
  }
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite((*values)[i])) {
      return InvalidArgument(what + ": element " + std::to_string(i) + " is not finite (" +
                             ((*values)[i] != (*values)[i] ? "NaN" : "infinite") + ")");
    }
  }
  return rows;
}

}  // namespace

void Infer(const Repository& repo, InferRequest request, InferCallback done) {
  StatusOr<std::shared_ptr<ServedModel>> found = repo.Find(request.model, request.version);
  if (!found.ok()) {
    done(found.status());
    return;
  }
  ServedModel& model = **found;
  const ServingSpec& spec = model.spec();
  ModelStats* stats = &model.stats();  // valid until the model's workers have drained its queue
  const Clock::time_point received = request.received;
  auto fail = [&](Status s) {
    stats->RecordFailure(NsSince(received));
    done(std::move(s));
  };

  auto job = std::make_unique<InferJob>();
  job->inputs.resize(spec.inputs.size());
  if (request.inputs.size() != spec.inputs.size()) {
    std::string names;
    for (const TensorSpec& t : spec.inputs) names += (names.empty() ? "'" : ", '") + t.name + "'";
    return fail(InvalidArgument("model '" + spec.name + "' takes " +
                                std::to_string(spec.inputs.size()) + " input(s) (" + names +
                                "); the request has " + std::to_string(request.inputs.size())));
  }
  std::vector<bool> seen(spec.inputs.size(), false);
  int64_t rows = -1;
  for (RequestInput& in : request.inputs) {
    size_t k = 0;
    while (k < spec.inputs.size() && spec.inputs[k].name != in.name) ++k;
    if (k == spec.inputs.size()) {
      return fail(NotFound("model '" + spec.name + "' has no input '" + in.name + "'"));
    }
    if (seen[k]) {
      return fail(
          InvalidArgument("model '" + spec.name + "' input '" + in.name + "' is given twice"));
    }
    seen[k] = true;
    StatusOr<int64_t> r = ReadInput(spec, spec.inputs[k], in, &job->inputs[k]);
    if (!r.ok()) return fail(r.status());
    if (rows >= 0 && *r != rows) {
      return fail(InvalidArgument("model '" + spec.name + "' input '" + in.name +
                                  "' has batch size " + std::to_string(*r) +
                                  "; the other inputs have " + std::to_string(rows)));
    }
    rows = *r;
  }
  job->rows = rows;
  job->deadline = request.deadline;
  if (request.outputs.empty()) {
    for (size_t o = 0; o < spec.outputs.size(); ++o) job->outputs.push_back(static_cast<int>(o));
  } else {
    for (const std::string& name : request.outputs) {
      size_t o = 0;
      while (o < spec.outputs.size() && spec.outputs[o].name != name) ++o;
      if (o == spec.outputs.size()) {
        return fail(NotFound("model '" + spec.name + "' has no output '" + name + "'"));
      }
      job->outputs.push_back(static_cast<int>(o));
    }
  }
  const uint64_t decode_ns = NsSince(received);

  auto response = std::make_shared<InferResponse>();
  response->model = spec.name;
  response->version = std::to_string(model.version());
  response->id = std::move(request.id);
  stats->AddPending(1);
  job->done = [stats, response, done = std::move(done), decode_ns, received, rows,
               outputs = job->outputs, &spec](Status s, JobResult r) {
    stats->AddPending(-1);
    if (!s.ok()) {
      stats->RecordFailure(NsSince(received));
      done(std::move(s));
      return;
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      const TensorSpec& t = spec.outputs[outputs[i]];
      OutputTensor out;
      out.name = t.name;
      out.type = t.type;
      if (spec.max_batch_size > 0) out.shape.push_back(rows);
      out.shape.insert(out.shape.end(), t.dims.begin(), t.dims.end());
      out.values = std::move(r.outputs[i]);
      response->outputs.push_back(std::move(out));
    }
    stats->RecordSuccess(static_cast<uint64_t>(rows), NsSince(received), r.queue_ns,
                         decode_ns + r.input_ns, r.infer_ns, r.output_ns, NowMs());
    done(std::move(*response));
  };
  model.Submit(std::move(job));
}

StatusOr<InferResponse> InferSync(const Repository& repo, InferRequest request) {
  auto promise = std::make_shared<std::promise<StatusOr<InferResponse>>>();
  std::future<StatusOr<InferResponse>> result = promise->get_future();
  Infer(repo, std::move(request),
        [promise](StatusOr<InferResponse> r) { promise->set_value(std::move(r)); });
  return result.get();
}

}  // namespace firmnet::serve
