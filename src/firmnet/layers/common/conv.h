// Convolutions: what conv1d, conv2d, depthwise_conv1d and depthwise_conv2d share (their layer
// folders only name their kind and call in here). See docs/semantics.md, "Convolutions".
//
// Conventions (the importers rely on them):
//   input  [L, C_in] (1-D) or [H, W, C_in] (2-D), channels-last; output [L_out, C_out] or
//          [H_out, W_out, C_out].
//   attrs  `strides` (one per spatial axis), `pads` (1-D [left, right]; 2-D [top, left, bottom,
//          right], the ONNX order), `dilations` (optional, one per axis, all 1: see below).
//   weight conv [kw, C_in, C_out] / [kh, kw, C_in, C_out] (Keras kernel layout); depthwise
//          [kw, C_in, M] / [kh, kw, C_in, M], output channel c*M + m, C_out = C_in*M.
//   bias   [C_out], always present.
//   output size per axis: floor((in + pad_begin + pad_end - k) / stride) + 1.
//
// The arithmetic is hls4ml's io_parallel Latency convolution (nnet_conv1d_latency.h,
// nnet_conv2d_latency.h; nnet_sepconv1d_latency.h, nnet_sepconv2d_latency.h for depthwise): the
// im2col buffer of each output pixel holds the window in (kh, kw, c_in) order with zeros where the
// window leaves the input (fpga_backend.py, _compute_conv2d_im2col), then, as dense does,
//   acc = (accum_t) bias;  acc += (accum_t)(x * w) in window order;  y = (result_t) acc.
// A depthwise output channel c*M + m sums over (kh, kw) only, on input channel c.
//
// Dilation: hls4ml's Vivado/Vitis io_parallel convolution ignores it (the Keras parsers never
// read dilation_rate, the im2col code generation is not given the layer's dilation, and the ONNX
// parser's output size uses k*d rather than d*(k-1)+1), so firmnet refuses dilations other than 1
// instead of emulating a model hls4ml would build wrong.
//
// ReuseFactor and Strategy do not change the emulator: Latency adds every output's products in
// window order. hls4ml's Resource conv (conv_2d_resource_cl) interleaves them differently (its
// ReuseLoop takes inputs i_rf, i_rf + R, ... in each cycle); with an AP_WRAP accumulator the
// order cannot change a result (sums wrap modulo 2^W), and every product cast is independent of
// the order, so only a saturating accumulator could differ there. Depthwise has no Resource
// implementation in hls4ml at all ("Resource strategy for DepthwiseConv2D is not supported"), and
// its Vivado io_parallel kernels assert M == 1 (a backend must refuse M > 1; the emulator follows
// the oneAPI backend's c*M + m order, which is also Keras's).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/common/conv_geometry.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers::common {

Status InferConvShape(ir::Node& node, const NodeInputs& inputs);
template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeConvKernel(const ir::Node& node,
                                                         const NodeInputs& inputs);
StatusOr<std::unique_ptr<emu::FloatKernel>> MakeConvFloatKernel(const ir::Node& node,
                                                                const NodeInputs& inputs);
// hls4ml's rule for `auto` accum and result (_infer_common_precision with n_ops = Taps());
// weight and bias take the default (nullopt).
StatusOr<std::optional<FixedType>> InferConvPrecision(const ir::Node& node,
                                                      const NodeInputs& inputs,
                                                      std::string_view slot,
                                                      const PrecisionContext& ctx);

}  // namespace firmnet::layers::common
