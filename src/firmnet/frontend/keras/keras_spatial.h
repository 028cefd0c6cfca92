// Keras import rules shared by several layer folders: pooling, padding/cropping amounts,
// upsampling and merges. Each folder's <id>_keras.cc names its classes and calls these.
#pragma once

#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {

// Conv1D/Conv2D (`filters`, `kernel_size`, `strides`, `padding` valid/same, `dilation_rate` 1,
// `use_bias`, `activation`; kernel [k..., C, F] as firmnet stores it) and DepthwiseConv1D/2D
// (`depth_multiplier` M, depthwise_kernel [k..., C, M]).
Status ImportConv(KerasContext& ctx, int spatial_dims, bool depthwise);
// SeparableConv1D/2D: a depthwise conv "<name>_depthwise" (no bias) and then a 1x1 conv "<name>"
// with the layer's bias and activation (hls4ml splits the layer the same way).
Status ImportSeparableConv(KerasContext& ctx, int spatial_dims);
// MaxPooling / AveragePooling 1D/2D (`pool_size`, `strides` (default pool_size), `padding`).
// Keras's average pooling with padding="same" divides by the cells inside the input
// (count_include_pad = 0), as TensorFlow does.
Status ImportPool(KerasContext& ctx, LayerKind kind, int spatial_dims);
// GlobalMax/GlobalAverage 1D/2D; keepdims=true is an error.
Status ImportGlobalPool(KerasContext& ctx, LayerKind kind);
// ZeroPadding / Cropping 1D/2D: `key` ("padding" or "cropping") as Keras writes it (an int; a pair;
// for 2-D a pair of pairs), to the IR's [left, right] / [top, left, bottom, right] in `attr`.
Status ImportPadOrCrop(KerasContext& ctx, LayerKind kind, int spatial_dims, const char* key,
                       const char* attr);
// UpSampling1D/2D, nearest only.
Status ImportUpSampling(KerasContext& ctx, LayerKind kind, int spatial_dims);
// Add, Subtract, Multiply, Average, Maximum, Minimum: the inputs as they are.
Status ImportMerge(KerasContext& ctx, LayerKind kind);

}  // namespace firmnet::keras
