// Zero padding, cropping and nearest-neighbour upsampling, 1-D ([L, C]) and 2-D ([H, W, C]): the
// layers that map each spatial axis on its own and only move values. One implementation behind
// the six folders zero_pad1d ... upsampling2d (docs/semantics.md, "Pooling, padding,
// upsampling"); the values are gathered and cast by common::MakeGatherKernel (spatial.h).
//
//   zero padding  attr `pads`  (1-D [left, right]; 2-D [top, left, bottom, right]), >= 0:
//                 out = in + begin + end; padded positions hold 0 (hls4ml's zeropad*d_cl).
//   cropping      attr `crops` (same order), >= 0: out = in - begin - end > 0; output position p
//                 reads input p + begin (hls4ml's cropping*d_cl).
//   upsampling    attr `size` (one integer factor f > 0 per spatial axis): out = in * f; output
//                 position p reads input (p * r) >> 16, r = ((in << 16) / out) + 1, hls4ml's
//                 io_parallel resize_nearest index. That is p / f (hls4ml's io_stream index)
//                 for every size a model uses; where the two differ InferShape says so.
#pragma once

#include <memory>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers::common {

enum class AxisMapOp : uint8_t { kZeroPad, kCrop, kUpsample };

struct AxisMapKind {
  int spatial_rank;  // 1 or 2
  AxisMapOp op;
};

// Schema: slot result (hls4ml gives these layers their input's type), the attribute above.
// Inline: the registry (firmnet_core) reads schemas without linking the kernels.
inline LayerSchema AxisMapSchema(const AxisMapKind& kind) {
  LayerSchema s;
  s.result_is_input_type = true;
  if (kind.op == AxisMapOp::kUpsample) s.config_aliases = {"Resize"};  // hls4ml's class
  s.attrs = {{kind.op == AxisMapOp::kZeroPad ? "pads"
              : kind.op == AxisMapOp::kCrop  ? "crops"
                                             : "size",
              AttrType::kInts}};
  return s;
}
Status AxisMapInferShape(const AxisMapKind& kind, ir::Node& node, const NodeInputs& inputs);
template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeAxisMapKernel(const AxisMapKind& kind,
                                                            const ir::Node& node,
                                                            const NodeInputs& inputs);
StatusOr<std::unique_ptr<emu::FloatKernel>> MakeAxisMapFloatKernel(const AxisMapKind& kind,
                                                                   const ir::Node& node,
                                                                   const NodeInputs& inputs);

// hls4ml's io_parallel nearest-neighbour source index for output position p of an axis
// resized from `in` to `out` positions (nnet_image.h, resize_nearest).
int64_t ResizeNearestIndex(int64_t p, int64_t in, int64_t out);

}  // namespace firmnet::layers::common
