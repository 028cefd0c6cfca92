// Shared pieces of the layers that work on channels-last feature maps (1-D [L, C], 2-D [H, W, C]):
// the input-rank check, integer-list attributes with their checks, and the "gather" kernels of
// the layers that only move values (zero padding, cropping, upsampling, transpose).
//
// A gather layer is a table: output element i takes input element index[i], or 0 where
// index[i] < 0 (a padded position), cast from the input's type to the layer's result type. In
// hls4ml these layers' outputs always have their input's type (the cast is then the identity);
// firmnet still casts, so that a graph whose result type differs stays exact.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers::common {

// The spatial dimensions of the layer's one input, checked to be a channels-last feature map with
// `spatial_rank` spatial axes (1: [L, C]; 2: [H, W, C]) and positive sizes.
StatusOr<ir::Shape> FeatureMapInput(const ir::Node& node, const NodeInputs& inputs,
                                    int spatial_rank);

// An integer-list attribute of exactly `count` values. When the attribute is absent: `fallback`
// if given, else an error naming the key.
StatusOr<std::vector<int64_t>> IntsAttr(const ir::Node& node, const std::string& key, size_t count,
                                        std::optional<std::vector<int64_t>> fallback = {});

// Spatial pads or crops in the layers' order (1-D [begin, end]; 2-D [top, left, bottom, right],
// ONNX's order), as begin/end per axis.
struct Margins {
  std::vector<int64_t> begin, end;  // one per spatial axis
};
// Reads `key` (2 * spatial_rank non-negative values).
StatusOr<Margins> MarginsAttr(const ir::Node& node, const std::string& key, int spatial_rank,
                              std::optional<std::vector<int64_t>> fallback = {});

// The gather table of a layer that maps each spatial axis separately (padding, cropping,
// upsampling): `in` and `out` are channels-last shapes with the same channel count, and
// source(axis, out_pos) gives the input position along spatial `axis` (or -1: a zero).
template <typename Source>
std::vector<int64_t> AxisGather(const ir::Shape& in, const ir::Shape& out, Source source) {
  const size_t rank = out.size() - 1;
  const int64_t channels = out.back();
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(ir::NumElements(out)));
  std::vector<int64_t> pos(rank, 0);
  for (int64_t cell = 0; cell < ir::NumElements(out) / channels; ++cell) {
    int64_t base = 0;  // the input cell's flat index, or -1
    for (size_t a = 0; a < rank && base >= 0; ++a) {
      const int64_t p = source(a, pos[a]);
      base = p < 0 ? -1 : base * in[a] + p;
    }
    for (int64_t c = 0; c < channels; ++c) index.push_back(base < 0 ? -1 : base * channels + c);
    for (size_t a = rank; a-- > 0;) {  // next cell, row-major
      if (++pos[a] < out[a]) break;
      pos[a] = 0;
    }
  }
  return index;
}

// The gather kernels (see the top of this file). `index` has one entry per output element.
template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeGatherKernel(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::vector<int64_t> index);
StatusOr<std::unique_ptr<emu::FloatKernel>> MakeGatherFloatKernel(std::vector<int64_t> index);

// The input's type, for an `auto` result slot (hls4ml's _infer_output_matching_precision);
// nullopt for any other slot.
std::optional<FixedType> InputTypeForResult(const NodeInputs& inputs, std::string_view slot);

}  // namespace firmnet::layers::common
