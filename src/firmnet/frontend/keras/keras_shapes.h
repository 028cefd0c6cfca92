// Shape helpers shared by Keras import rules: input shapes, the channel axis, padding modes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {

// A Keras batch shape [null, d1, d2, ...] as the IR shape [d1, d2, ...]; every dimension must be a
// known positive size.
StatusOr<ir::Shape> BatchShape(const KerasContext& ctx, const nlohmann::json& batch_shape);

// The layer's `axis` (BatchNormalization, Softmax) must be the last one (-1 or the input rank).
Status RequireLastAxis(const KerasContext& ctx);

// `data_format` must be channels_last (firmnet's layout; channels_first is an error naming it).
Status RequireChannelsLast(const KerasContext& ctx);

// Keras `padding` for a window op over the spatial dims of the input: "valid" gives zeros,
// "same" TensorFlow's split (total = max((ceil(in/s) - 1)*s + d*(k-1) + 1 - in, 0), begin =
// total/2, the larger half at the end), as hls4ml computes it. Result in the IR order: 1-D
// [left, right], 2-D [top, left, bottom, right].
StatusOr<std::vector<int64_t>> KerasPads(const KerasContext& ctx, const ir::Shape& spatial,
                                         const std::vector<int64_t>& kernel,
                                         const std::vector<int64_t>& strides,
                                         const std::vector<int64_t>& dilations);

}  // namespace firmnet::keras
