// Max and average pooling, windowed and global, 1-D and 2-D, channels-last: the one
// implementation behind the eight pooling folders (max_pool1d ... global_avg_pool2d), written
// from hls4ml's io_parallel code (nnet_pooling.h: pooling1d_cl, pooling2d_cl, global_pooling1d_cl,
// global_pooling2d_cl) and its converters. docs/semantics.md, "Pooling, padding, upsampling".
//
// Per channel, over the window's cells in row-major order (x in the input type, acc in accum_t):
//   max:     m = the largest input value of the window, compared in the input type; a padded
//            cell holds hls4ml's pad value, the input type's raw pattern with only the top bit
//            set (the most negative value of a signed type; for an UNSIGNED type 2^(I-1), half
//            the range: hls4ml's quirk, kept bit for bit);  y = (result_t)(accum_t) m.
//   average: acc = 0;  acc = (accum_t)(acc + x) for each cell inside the input (a padded cell
//            adds 0, which cannot change acc);  acc = acc / n, the raw integer divided by n and
//            truncated toward zero (ap_fixed's division by an integer, `y /= length`), with n =
//            the window size when count_include_pad = 1, else the number of cells inside the
//            input;  y = (result_t) acc.
// Global pools take the whole map as one window (n = L or H*W) and give [C].
//
// Attributes (windowed pools): pool_size (ints, one per spatial axis), strides (ints; optional,
// default pool_size), pads (ints; optional, default zeros; 1-D [left, right], 2-D [top, left,
// bottom, right]), and for average pools count_include_pad (int 0/1; optional, default 0, as
// hls4ml's count_pad and ONNX). Output size floor((in + pad_begin + pad_end - k) / s) + 1.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers::common {

enum class PoolOp : uint8_t { kMax, kAverage };

// What distinguishes the eight pooling kinds.
struct PoolKind {
  int spatial_rank;  // 1 or 2
  PoolOp op;
  bool global;
};

// The geometry of one pooling node, as a 2-D problem (a 1-D pool has height 1).
struct PoolGeometry {
  int64_t in_h = 1, in_w = 1, channels = 1;
  int64_t out_h = 1, out_w = 1;
  int64_t k_h = 1, k_w = 1;      // window
  int64_t s_h = 1, s_w = 1;      // strides
  int64_t pad_t = 0, pad_l = 0;  // padding before (after: implied by the output size)
  bool count_pad = false;        // average: divide by the whole window
};

// The schema every pooling folder returns: slots result and accum (hls4ml gives every pooling
// layer an accum_t), the attributes above. Inline: the registry (firmnet_core) reads schemas
// without linking the kernels.
inline LayerSchema PoolSchema(const PoolKind& kind) {
  LayerSchema s;
  s.config_aliases = {kind.global ? (kind.spatial_rank == 1 ? "GlobalPooling1D" : "GlobalPooling2D")
                                  : (kind.spatial_rank == 1 ? "Pooling1D" : "Pooling2D")};
  s.slots = ResultAnd({{"accum", false, kDefaultPrecision}});
  if (!kind.global) {
    s.attrs = {{"pool_size", AttrType::kInts},
               {"strides", AttrType::kInts, true},
               {"pads", AttrType::kInts, true}};
    if (kind.op == PoolOp::kAverage) s.attrs.push_back({"count_include_pad", AttrType::kInt, true});
  }
  return s;
}

// Checks the input and attributes (errors name the attribute and numbers) and gives the geometry.
StatusOr<PoolGeometry> PoolGeometryOf(const PoolKind& kind, const ir::Node& node,
                                      const NodeInputs& inputs);
Status PoolInferShape(const PoolKind& kind, ir::Node& node, const NodeInputs& inputs);

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakePoolKernel(const PoolKind& kind, const ir::Node& node,
                                                         const NodeInputs& inputs);
// The float reference: the model as trained (max ignores padded cells; average divides the
// exact sum by the same count as the fixed-point kernel).
StatusOr<std::unique_ptr<emu::FloatKernel>> MakePoolFloatKernel(const PoolKind& kind,
                                                                const ir::Node& node,
                                                                const NodeInputs& inputs);

// hls4ml's _infer_pooling_precision for windowed pools: accum = the input type (max) or
// ap_fixed<W + 2e, I + e> with e = ceil(log2(window size)) and the input's signedness (average;
// Model.Precision.maximum is not applied, as in hls4ml); result = the input type. Global pools
// have no rule in hls4ml (nullopt: the default precision).
StatusOr<std::optional<FixedType>> PoolInferPrecision(const PoolKind& kind, const ir::Node& node,
                                                      const NodeInputs& inputs,
                                                      std::string_view slot);

// The raw value hls4ml pads a max pool's window with (see above).
BigInt MaxPoolPadValue(const FixedType& in_t);

}  // namespace firmnet::layers::common
