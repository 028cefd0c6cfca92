// Inference requests independent of the protocol: the gRPC and REST front ends decode into an
// InferRequest, Infer validates it against the model (names, data types, shapes, byte counts,
// batch size, finite values), queues it and answers through a callback with the outputs encoded
// in their declared data types, and records the request in the model's statistics (failures too).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/serve/datatype.h"
#include "firmnet/serve/repository.h"

namespace firmnet::serve {

struct RequestInput {
  std::string name;
  std::string datatype;
  std::vector<int64_t> shape;
  // Exactly one of: raw little-endian bytes (not owned: the request message outlives the call
  // to Infer), or values already read from typed contents or JSON.
  const std::string* raw = nullptr;
  std::vector<double> values;
};

struct InferRequest {
  std::string model;
  std::string version;
  std::string id;
  std::vector<RequestInput> inputs;
  std::vector<std::string> outputs;  // the requested outputs; empty: every output
  Clock::time_point received = Clock::now();
  // The client's deadline (gRPC), if any: a request still queued when it passes is answered
  // DEADLINE_EXCEEDED instead of being run.
  std::optional<Clock::time_point> deadline;
};

struct OutputTensor {
  std::string name;
  DataType type = DataType::kFp32;
  std::vector<int64_t> shape;
  std::vector<double> values;  // exact in `type`
};

struct InferResponse {
  std::string model;
  std::string version;
  std::string id;
  std::vector<OutputTensor> outputs;
};

using InferCallback = std::function<void(StatusOr<InferResponse>)>;

// Runs `request` on the repository's model; `done` is called exactly once, possibly before
// Infer returns (a refused request) or from a worker thread. Errors: NOT_FOUND (model, version,
// input or output unknown), INVALID_ARGUMENT (data type, shape, byte count, batch size, a
// non-finite value; the message names the tensor), UNAVAILABLE (not loaded, queue full).
void Infer(const Repository& repo, InferRequest request, InferCallback done);

// The same, waiting for the answer (REST handlers, tests).
StatusOr<InferResponse> InferSync(const Repository& repo, InferRequest request);

}  // namespace firmnet::serve
