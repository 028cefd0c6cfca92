// The HLS facets of the convolutions and pools (spatial_hls.h).
#include "firmnet/layers/common/spatial_hls.h"

#include <algorithm>

#include "firmnet/layers/common/conv_geometry.h"
#include "firmnet/layers/common/po2_product.h"
#include "firmnet/layers/dense/dense_reuse.h"

namespace firmnet::backend::hls {
namespace {

// The members of fnet_window.h's window (a 1-D layer is a 2-D one of height 1).
void AddWindowMembers(LayerEmission& e, int64_t in_h, int64_t in_w, int64_t n_chan, int64_t out_h,
                      int64_t out_w, int64_t filt_h, int64_t filt_w, int64_t stride_h,
                      int64_t stride_w, int64_t pad_top, int64_t pad_left, int64_t pad_bottom,
                      int64_t pad_right) {
  const std::pair<const char*, int64_t> members[] = {
      {"in_h", in_h},          {"in_w", in_w},         {"n_chan", n_chan},
      {"out_h", out_h},        {"out_w", out_w},       {"filt_h", filt_h},
      {"filt_w", filt_w},      {"stride_h", stride_h}, {"stride_w", stride_w},
      {"pad_top", pad_top},    {"pad_left", pad_left}, {"pad_bottom", pad_bottom},
      {"pad_right", pad_right}};
  for (const auto& [name, v] : members) e.config_members.push_back(ConstMember(name, v));
}

// io_parallel unrolls every output pixel and partitions the whole feature maps: warn when that
// is beyond what a synthesis tool can handle (the project is still written).
void WarnIfHuge(const HlsLayerContext& ctx, int64_t n_in, int64_t n_out, int64_t operators,
                const char* what, LayerEmission& e) {
  if (ctx.graph == nullptr || ctx.graph->settings.io_type == ir::IoType::kStream) return;
  const std::string label = HlsLabel(*ctx.node);
  if (operators > kHlsLargeUnroll) {
    e.warnings.push_back(label + ": io_parallel unrolls about " + std::to_string(operators) + " " +
                         what +
                         " (every output pixel at once); HLS synthesis is unlikely to finish. "
                         "Use IOType io_stream, Strategy Resource or a larger ReuseFactor");
  }
  if (n_in + n_out > kHlsLargeUnroll) {
    e.warnings.push_back(label + ": io_parallel partitions its input and output completely (" +
                         std::to_string(n_in + n_out) +
                         " values in registers); HLS synthesis is unlikely to finish. Use IOType "
                         "io_stream");
  }
}

}  // namespace

StatusOr<LayerEmission> EmitConvHls(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  if (ctx.input == nullptr) return Internal(HlsLabel(node) + ": no input");
  auto g = layers::common::GetConvGeometry(node, &ctx.input->shape);
  if (!g.ok()) return InvalidArgument(HlsLabel(node) + ": " + g.status().message());
  const ir::Tensor* w = node.Weight("weight");
  const ir::Tensor* b = node.Weight("bias");
  if (w == nullptr || b == nullptr) return Internal(HlsLabel(node) + ": missing weight or bias");
  const int64_t n_rows = g->depthwise ? g->k_h * g->k_w : g->k_h * g->k_w * g->c_in;
  const int64_t n_products = n_rows * g->c_out;  // per output pixel
  const int r = node.settings.reuse_factor;
  if (r < 1 || n_products % r != 0) {
    std::string list;
    for (int v : layers::ValidReuseFactors(n_rows, g->c_out)) {
      list += (list.empty() ? "" : ", ") + std::to_string(v);
    }
    return InvalidArgument(
        "layer '" + node.name + "' (" + std::string(LayerKindId(node.kind)) + "): ReuseFactor " +
        std::to_string(r) + " is not valid; it must divide the products of one output pixel, " +
        std::to_string(n_rows) + " window rows * " + std::to_string(g->c_out) +
        " output channels = " + std::to_string(n_products) + ". Valid values: " + list +
        ". Set ReuseFactor under LayerName: " + node.name + " in the config");
  }
  const FixedType& wt = node.Precision("weight");
  const FixedType& bt = node.Precision("bias");
  const bool resource = node.settings.strategy == ir::Strategy::kResource;

  LayerEmission e;
  e.library_header = "fnet_conv.h";
  e.library_struct = resource ? "fnet::conv_resource" : "fnet::conv_latency";
  e.native_stream = true;
  e.config_members.push_back(TypedefMember("weight_t", wt));
  e.config_members.push_back(TypedefMember("bias_t", bt));
  e.config_members.push_back(TypedefMember("accum_t", node.Precision("accum")));
  FIRMNET_ASSIGN_OR_RETURN(
      auto po2, layers::common::Po2Product::For(node, ctx.input->Precision("result"), wt));
  if (po2) e.config_members.push_back(TypedefMember("po2_product_t", po2->type()));
  FIRMNET_ASSIGN_OR_RETURN(std::string wraw,
                           RawTypedefMember("weight_raw_t", wt, HlsLabel(node) + " weight"));
  FIRMNET_ASSIGN_OR_RETURN(std::string braw,
                           RawTypedefMember("bias_raw_t", bt, HlsLabel(node) + " bias"));
  e.config_members.push_back(wraw);
  e.config_members.push_back(braw);
  AddWindowMembers(e, g->in_h, g->in_w, g->c_in, g->out_h, g->out_w, g->k_h, g->k_w, g->stride_h,
                   g->stride_w, g->pad_top, g->pad_left, g->pad_bottom, g->pad_right);
  e.config_members.push_back(ConstMember("n_filt", g->c_out));
  e.config_members.push_back(ConstMember("depth_mult", g->multiplier));
  e.config_members.push_back(BoolMember("depthwise", g->depthwise));
  e.config_members.push_back(ConstMember("n_rows", n_rows));
  e.config_members.push_back(ConstMember("reuse_factor", r));
  e.config_members.push_back(ConstMember("n_mult", n_products / r));

  // Keras's kernel layouts flattened row-major are already [row][n_filt].
  ConstArray wa{"w_" + ctx.ident, "weight_raw_t", wt, {}};
  wa.raw.reserve(w->data.size());
  for (double v : w->data) {
    wa.raw.push_back(QuantizeWeight(v, wt));
    if (!wa.raw.back().IsZero()) ++e.multipliers;
  }
  ConstArray ba{"b_" + ctx.ident, "bias_raw_t", bt, {}};
  for (double v : b->data) ba.raw.push_back(QuantizeWeight(v, bt));
  e.config_members.push_back(ConstMember("n_nonzero", e.multipliers));
  e.arrays.push_back(std::move(wa));
  e.arrays.push_back(std::move(ba));

  const int64_t pixels = g->out_h * g->out_w;
  const int64_t n_in = g->in_h * g->in_w * g->c_in, n_out = pixels * g->c_out;
  WarnIfHuge(ctx, n_in, n_out, resource ? e.multipliers / r : pixels * e.multipliers / r,
             "multipliers", e);
  return e;
}

StatusOr<LayerEmission> EmitPoolHls(const HlsLayerContext& ctx,
                                    const layers::common::PoolKind& kind) {
  const ir::Node& node = *ctx.node;
  if (ctx.input == nullptr) return Internal(HlsLabel(node) + ": no input");
  auto g = layers::common::PoolGeometryOf(kind, node, {ctx.input});
  if (!g.ok()) return InvalidArgument(HlsLabel(node) + ": " + g.status().message());
  LayerEmission e;
  e.library_header = "fnet_pool.h";
  e.library_struct = kind.global ? "fnet::pool_global" : "fnet::pool_window";
  e.native_stream = true;
  e.config_members.push_back(TypedefMember("accum_t", node.Precision("accum")));
  e.config_members.push_back(BoolMember("is_max", kind.op == layers::common::PoolOp::kMax));
  if (kind.global) {
    e.config_members.push_back(ConstMember("in_h", g->in_h));
    e.config_members.push_back(ConstMember("in_w", g->in_w));
    e.config_members.push_back(ConstMember("n_chan", g->channels));
  } else {
    const int64_t padded_h = (g->out_h - 1) * g->s_h + g->k_h;
    const int64_t padded_w = (g->out_w - 1) * g->s_w + g->k_w;
    // The pads after: the attribute's, or what the output size implies (the rows and columns
    // past the last window do not matter; the window walks the input up to its end).
    const int64_t pad_bottom = std::max<int64_t>(0, padded_h - g->in_h - g->pad_t);
    const int64_t pad_right = std::max<int64_t>(0, padded_w - g->in_w - g->pad_l);
    AddWindowMembers(e, g->in_h, g->in_w, g->channels, g->out_h, g->out_w, g->k_h, g->k_w, g->s_h,
                     g->s_w, g->pad_t, g->pad_l, pad_bottom, pad_right);
    e.config_members.push_back(BoolMember("count_pad", g->count_pad));
  }
  const int64_t n_in = g->in_h * g->in_w * g->channels;
  const int64_t n_out = g->out_h * g->out_w * g->channels;
  WarnIfHuge(ctx, n_in, n_out, n_out * g->k_h * g->k_w, "comparators or adders", e);
  return e;
}

}  // namespace firmnet::backend::hls
