// Convolution geometry: sizes from a conv node's attributes, weight and input shape, their
// checks, and the convolutions' schema. Header-only: the layer registry (firmnet_core) asks for
// the schema and its check without linking the emulator's kernels (layers/common/conv.h).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/layer_kind.h"
#include "firmnet/layers/registry.h"

namespace firmnet::layers::common {

// A convolution's sizes, from its attributes, weight and (optionally) input shape. 1-D layers
// are 2-D ones with a height of 1 (k_h = in_h = out_h = 1, no vertical padding).
struct ConvGeometry {
  int dims = 2;  // spatial axes: 1 or 2
  bool depthwise = false;
  int64_t in_h = 1, in_w = 0, c_in = 0;
  int64_t k_h = 1, k_w = 0;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int64_t multiplier = 1;  // depthwise M; 1 for conv
  int64_t c_out = 0;
  int64_t out_h = 1, out_w = 0;  // 0 until the input shape is known
  // Products summed into one output: k_h*k_w*c_in for conv, k_h*k_w for depthwise (hls4ml's
  // n_ops in _infer_conv_precision / _infer_depthconv_precision).
  int64_t Taps() const { return depthwise ? k_h * k_w : k_h * k_w * c_in; }
};

namespace conv_detail {

inline bool IsDepthwise(LayerKind k) {
  return k == LayerKind::kDepthwiseConv1D || k == LayerKind::kDepthwiseConv2D;
}
inline int SpatialDims(LayerKind k) {
  return k == LayerKind::kConv1D || k == LayerKind::kDepthwiseConv1D ? 1 : 2;
}

inline std::string FormatInts(const std::vector<int64_t>& v) { return ir::FormatShape(v); }

// "3x3" (2-D) or "3" (1-D).
inline std::string Size(const ConvGeometry& g, int64_t h, int64_t w) {
  return g.dims == 2 ? std::to_string(h) + "x" + std::to_string(w) : std::to_string(w);
}

inline StatusOr<std::vector<int64_t>> IntsAttr(const ir::Node& node, const std::string& key,
                                               const std::string& what) {
  auto it = node.attrs.find(key);
  if (it == node.attrs.end())
    return InvalidArgument("missing attribute '" + key + "' (" + what + ")");
  const auto* v = std::get_if<std::vector<int64_t>>(&it->second);
  if (!v) return InvalidArgument("attribute '" + key + "' must be an int list (" + what + ")");
  return *v;
}

}  // namespace conv_detail

// The geometry of `node` (its kind says which convolution) from attributes and weights alone, or
// with `input` also checked against them and the output size computed. Errors say what is wrong
// without naming the layer (callers add it).
inline StatusOr<ConvGeometry> GetConvGeometry(const ir::Node& node, const ir::Shape* input) {
  ConvGeometry g;
  g.dims = conv_detail::SpatialDims(node.kind);
  g.depthwise = conv_detail::IsDepthwise(node.kind);
  const int d = g.dims;
  const std::string id(LayerKindId(node.kind));

  // Weight and bias.
  const std::string layout = d == 1 ? (g.depthwise ? "[kw, C_in, M]" : "[kw, C_in, C_out]")
                                    : (g.depthwise ? "[kh, kw, C_in, M]" : "[kh, kw, C_in, C_out]");
  const ir::Tensor* w = node.Weight("weight");
  if (!w || w->shape.size() != static_cast<size_t>(d) + 2) {
    return InvalidArgument("needs a 'weight' tensor " + layout +
                           (w ? ", got " + ir::FormatShape(w->shape) : std::string()));
  }
  for (int64_t n : w->shape) {
    if (n <= 0) {
      return InvalidArgument("weight shape " + ir::FormatShape(w->shape) +
                             " has a dimension that is not positive (expected " + layout + ")");
    }
  }
  g.k_h = d == 2 ? w->shape[0] : 1;
  g.k_w = w->shape[d - 1];
  g.c_in = w->shape[d];
  if (g.depthwise) {
    g.multiplier = w->shape[d + 1];
    g.c_out = g.c_in * g.multiplier;
  } else {
    g.c_out = w->shape[d + 1];
  }
  const ir::Tensor* b = node.Weight("bias");
  if (!b || b->shape != ir::Shape{g.c_out}) {
    return InvalidArgument(
        (b ? "bias shape " + ir::FormatShape(b->shape) : std::string("a missing bias")) +
        " does not match weight shape " + ir::FormatShape(w->shape) + " (expected [" +
        std::to_string(g.c_out) + "]" + (g.depthwise ? ", C_in*M" : "") + ")");
  }

  // Strides, pads, dilations.
  const std::string per_axis = d == 1 ? "1 value" : "2 values, [height, width]";
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> strides,
                           conv_detail::IntsAttr(node, "strides", "one stride per spatial axis"));
  if (strides.size() != static_cast<size_t>(d)) {
    return InvalidArgument("attribute 'strides' must hold " + per_axis + ", got " +
                           conv_detail::FormatInts(strides));
  }
  for (int64_t s : strides) {
    if (s < 1) {
      return InvalidArgument("attribute 'strides' = " + conv_detail::FormatInts(strides) +
                             ": every stride must be at least 1");
    }
  }
  const std::string pads_layout =
      d == 1 ? "2 values, [left, right]" : "4 values, [top, left, bottom, right]";
  FIRMNET_ASSIGN_OR_RETURN(
      std::vector<int64_t> pads,
      conv_detail::IntsAttr(node, "pads", "padding at both ends of each axis"));
  if (pads.size() != 2 * static_cast<size_t>(d)) {
    return InvalidArgument("attribute 'pads' must hold " + pads_layout + ", got " +
                           conv_detail::FormatInts(pads));
  }
  for (int64_t p : pads) {
    if (p < 0) {
      return InvalidArgument("attribute 'pads' = " + conv_detail::FormatInts(pads) +
                             ": pads must not be negative");
    }
  }
  if (node.attrs.count("dilations")) {
    FIRMNET_ASSIGN_OR_RETURN(
        std::vector<int64_t> dil,
        conv_detail::IntsAttr(node, "dilations", "one dilation per spatial axis"));
    if (dil.size() != static_cast<size_t>(d)) {
      return InvalidArgument("attribute 'dilations' must hold " + per_axis + ", got " +
                             conv_detail::FormatInts(dil));
    }
    for (int64_t v : dil) {
      if (v < 1) {
        return InvalidArgument("attribute 'dilations' = " + conv_detail::FormatInts(dil) +
                               ": every dilation must be at least 1");
      }
    }
    for (int64_t v : dil) {
      if (v != 1) {
        return InvalidArgument("attribute 'dilations' = " + conv_detail::FormatInts(dil) +
                               ": dilated convolutions are not supported (hls4ml's io_parallel "
                               "convolution ignores the dilation and would compute a different "
                               "layer); only dilations of 1");
      }
    }
  }
  if (d == 1) {
    g.stride_w = strides[0];
    g.pad_left = pads[0];
    g.pad_right = pads[1];
  } else {
    g.stride_h = strides[0];
    g.stride_w = strides[1];
    g.pad_top = pads[0];
    g.pad_left = pads[1];
    g.pad_bottom = pads[2];
    g.pad_right = pads[3];
  }
  if (g.pad_top >= g.k_h || g.pad_bottom >= g.k_h || g.pad_left >= g.k_w || g.pad_right >= g.k_w) {
    return InvalidArgument("pads " + conv_detail::FormatInts(pads) + " exceed the kernel size " +
                           conv_detail::Size(g, g.k_h, g.k_w) +
                           " (each pad must be smaller than the kernel along its axis; hls4ml "
                           "cannot build a window that lies wholly in the padding)");
  }
  if (!input) return g;

  // The input.
  const ir::Shape& in = *input;
  if (in.size() != static_cast<size_t>(d) + 1) {
    return InvalidArgument(id + " expects an input " + (d == 1 ? "[L, C]" : "[H, W, C]") +
                           ", got " + ir::FormatShape(in));
  }
  for (int64_t n : in) {
    if (n <= 0) {
      return InvalidArgument("input shape " + ir::FormatShape(in) +
                             " has a dimension that is not positive");
    }
  }
  g.in_h = d == 2 ? in[0] : 1;
  g.in_w = in[d - 1];
  if (in[d] != g.c_in) {
    return InvalidArgument("the input has " + std::to_string(in[d]) + " channels (shape " +
                           ir::FormatShape(in) + ") but the weight " + ir::FormatShape(w->shape) +
                           " expects " + std::to_string(g.c_in));
  }
  const int64_t padded_h = g.in_h + g.pad_top + g.pad_bottom;
  const int64_t padded_w = g.in_w + g.pad_left + g.pad_right;
  if (g.k_h > padded_h || g.k_w > padded_w) {
    return InvalidArgument("kernel " + conv_detail::Size(g, g.k_h, g.k_w) +
                           " is larger than the padded input " +
                           conv_detail::Size(g, padded_h, padded_w));
  }
  g.out_h = (padded_h - g.k_h) / g.stride_h + 1;
  g.out_w = (padded_w - g.k_w) / g.stride_w + 1;
  return g;
}

// The schema's check: attributes and weights without an input shape.
inline Status CheckConvNode(const ir::Node& node) {
  return GetConvGeometry(node, nullptr).status();
}

inline LayerSchema ConvSchema(int dims) {
  return {.slots = ResultAnd({{"weight", false, kDefaultPrecision},
                              {"bias", false, kDefaultPrecision},
                              {"accum", false, kDefaultPrecision}}),
          .attrs = {{"strides", AttrType::kInts},
                    {"pads", AttrType::kInts},
                    {"dilations", AttrType::kInts, /*optional=*/true},
                    // QKeras quantized_po2 kernels: hls4ml's shift product (po2_product.h).
                    {"po2_weight_bits", AttrType::kInt, /*optional=*/true},
                    // "xnor": a QKeras binary kernel (no precision inference, as hls4ml).
                    {"weight_quantizer", AttrType::kString, /*optional=*/true}},
          .weights = {{"weight", static_cast<size_t>(dims + 2)}, {"bias", 1}},
          .has_weights = true,
          .has_products = true,
          .check = &CheckConvNode};
}

}  // namespace firmnet::layers::common
