// The HLS facets of the convolutions and pools (runtime/fnet_conv.h, fnet_pool.h): what the
// twelve layer folders' <id>_hls.cc share. Each folder's EmitHls_<id> calls in here.
#pragma once

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/common/pooling.h"

namespace firmnet::backend::hls {

// conv1d, conv2d, depthwise_conv1d, depthwise_conv2d: fnet::conv_latency / fnet::conv_resource.
// ReuseFactor R must divide the products of one output pixel, n_rows * n_filt (hls4ml's
// n_in * n_out with n_in = C * kernel size for a convolution, kernel size for a depthwise one).
StatusOr<LayerEmission> EmitConvHls(const HlsLayerContext& ctx);

// The eight pools: fnet::pool_window / fnet::pool_global.
StatusOr<LayerEmission> EmitPoolHls(const HlsLayerContext& ctx,
                                    const layers::common::PoolKind& kind);

// An io_parallel layer whose unrolled datapath exceeds this many multipliers (after zero
// weights and ReuseFactor) or array elements gets a warning (LayerEmission::warnings).
inline constexpr int64_t kHlsLargeUnroll = 1000000;

}  // namespace firmnet::backend::hls
