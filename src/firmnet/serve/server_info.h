// What the server says about itself and its models, shared by the gRPC and REST front ends.
#pragma once

#include <array>

#include "firmnet/serve/served_model.h"
#include "grpc_service.pb.h"

namespace firmnet::serve {

inline constexpr const char* kServerName = "firmnet";
// ModelMetadata's platform for every model.
inline constexpr const char* kPlatform = "firmnet";
// The KServe v2 / Triton extensions firmnet implements (ServerMetadata lists no others).
inline constexpr std::array<const char*, 4> kServerExtensions = {
    "model_repository", "model_configuration", "statistics", "binary_tensor_data"};

// One model version's statistics in Triton's message.
void FillStatistics(ServedModel& model, inference::ModelStatistics* out);

}  // namespace firmnet::serve
