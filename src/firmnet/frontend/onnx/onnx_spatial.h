// ONNX import rules shared by several layer folders: merges, pooling and the auto_pad rule of
// window ops. Each folder's <id>_onnx.cc names its op types and calls these.
#pragma once

#include <string>
#include <vector>

#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

// ONNX's `auto_pad` for a window op: explicit pads [begin..., end...] from SAME_UPPER (the larger
// half at the end, as TensorFlow's "same"), SAME_LOWER (at the beginning) or VALID.
StatusOr<std::vector<int64_t>> AutoPads(const std::string& mode, const ir::Shape& spatial,
                                        const std::vector<int64_t>& kernel,
                                        const std::vector<int64_t>& strides,
                                        const std::vector<int64_t>& dilations);

// Add/Sum, Sub, Mul, Mean, Max, Min of layer outputs of one shape (no broadcasting): the layer
// kind from the op type; later inputs are brought to the first one's layout.
Status ImportMerge(OnnxContext& ctx, const NodeProto& n);
// Add, Sub, Mul or Div of a layer output and a constant (Div: the constant second), hls4ml's
// MergeToApplyAlpha / MergeToApplyAlphaDiv: a batchnorm whose scale and bias are the constant
// broadcast to the input (one value per channel, or per value when they vary otherwise), with a
// Quant's type for the constant where a Quant made it.
Status ImportAffineConstant(OnnxContext& ctx, const NodeProto& n);
// MaxPool and AveragePool of 1-D and 2-D feature maps (the layer kind from op type and rank).
Status ImportPool(OnnxContext& ctx, const NodeProto& n);
// GlobalAveragePool and GlobalMaxPool (also ReduceMean/ReduceMax) of 1-D and 2-D feature maps.
Status ImportGlobalPool(OnnxContext& ctx, const NodeProto& n);
// ReduceMean and ReduceMax over every spatial axis: a global pool; other axes are an error.
Status ImportReduce(OnnxContext& ctx, const NodeProto& n);

}  // namespace firmnet::onnx
