#include "firmnet/frontend/keras/keras_spatial.h"

#include "firmnet/frontend/keras/keras_shapes.h"
#include "firmnet/frontend/keras/qkeras_layers.h"

namespace firmnet::keras {
namespace {

ir::Shape Spatial(const KerasContext& ctx, int spatial_dims) {
  const ir::Shape& in = ctx.input_shape();
  if (static_cast<int>(in.size()) != spatial_dims + 1) return {};
  return ir::Shape(in.begin(), in.begin() + spatial_dims);
}

Status RequireRank(const KerasContext& ctx, int spatial_dims) {
  if (static_cast<int>(ctx.input_shape().size()) == spatial_dims + 1) return OkStatus();
  return ctx.Error("input has shape " + ir::FormatShape(ctx.input_shape()) + "; " +
                   ctx.layer().class_name + " needs " +
                   (spatial_dims == 1 ? "[steps, channels]" : "[rows, cols, channels]"));
}

// The window settings of a Keras conv: kernel, strides, pads (IR order); dilation must be 1.
struct ConvWindow {
  std::vector<int64_t> kernel, strides, pads;
};
StatusOr<ConvWindow> ReadConvWindow(KerasContext& ctx, int spatial_dims) {
  FIRMNET_RETURN_IF_ERROR(RequireChannelsLast(ctx));
  FIRMNET_RETURN_IF_ERROR(RequireRank(ctx, spatial_dims));
  const size_t n = static_cast<size_t>(spatial_dims);
  ConvWindow w;
  FIRMNET_ASSIGN_OR_RETURN(w.kernel, ctx.Ints("kernel_size", n, 1));
  w.strides.assign(n, 1);
  if (const auto* s = ctx.Find("strides"); s != nullptr && !s->is_null()) {
    FIRMNET_ASSIGN_OR_RETURN(w.strides, ctx.Ints("strides", n, 1));
  }
  if (const auto* d = ctx.Find("dilation_rate"); d != nullptr && !d->is_null()) {
    FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> dil, ctx.Ints("dilation_rate", n, 1));
    for (int64_t v : dil) {
      if (v != 1) {
        return ctx.Error("'dilation_rate' " + d->dump() +
                         " is not supported: hls4ml builds convolutions with dilation 1 only");
      }
    }
  }
  FIRMNET_ASSIGN_OR_RETURN(
      std::vector<int64_t> pads,
      KerasPads(ctx, Spatial(ctx, spatial_dims), w.kernel, w.strides, std::vector<int64_t>(n, 1)));
  w.pads = std::move(pads);
  return w;
}

ir::Tensor ZeroBias(int64_t n) {
  ir::Tensor t;
  t.shape = {n};
  t.data.assign(static_cast<size_t>(n), 0.0);
  return t;
}

LayerKind ConvKind(int spatial_dims, bool depthwise) {
  if (depthwise)
    return spatial_dims == 1 ? LayerKind::kDepthwiseConv1D : LayerKind::kDepthwiseConv2D;
  return spatial_dims == 1 ? LayerKind::kConv1D : LayerKind::kConv2D;
}

}  // namespace

Status ImportConv(KerasContext& ctx, int spatial_dims, bool depthwise) {
  FIRMNET_ASSIGN_OR_RETURN(ConvWindow win, ReadConvWindow(ctx, spatial_dims));
  const int64_t c = ctx.input_shape().back();
  int64_t out_ch = 0, last = 0;
  if (depthwise) {
    last = 1;
    if (ctx.Find("depth_multiplier") != nullptr) {
      FIRMNET_ASSIGN_OR_RETURN(last, ctx.Integer("depth_multiplier"));
    }
    if (last <= 0 || last > kMaxDim) {
      return ctx.Error("'depth_multiplier' must be positive, got " + std::to_string(last));
    }
    out_ch = c * last;
  } else {
    FIRMNET_ASSIGN_OR_RETURN(last, ctx.Integer("filters"));
    if (last <= 0 || last > kMaxDim) {
      return ctx.Error("'filters' must be positive, got " + std::to_string(last));
    }
    out_ch = last;
  }
  if (const auto* g = ctx.Find("groups"); g != nullptr && !(g->is_number_integer() && *g == 1)) {
    return ctx.Error("'groups' " + g->dump() + " is not supported (only 1)");
  }
  FIRMNET_ASSIGN_OR_RETURN(bool use_bias, ctx.Bool("use_bias", true));
  FIRMNET_RETURN_IF_ERROR(ctx.ActivationName().status());
  const std::string kernel_key = depthwise ? "depthwise_kernel" : "kernel";
  std::set<std::string> required = {kernel_key};
  if (use_bias) required.insert("bias");
  FIRMNET_ASSIGN_OR_RETURN(auto w, ctx.LoadWeights({kernel_key, "bias"}, required));
  ir::Shape kshape = win.kernel;
  kshape.push_back(c);
  kshape.push_back(last);
  FIRMNET_RETURN_IF_ERROR(ctx.CheckShape(kernel_key, w[kernel_key], kshape));
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = ConvKind(spatial_dims, depthwise);
  node.attrs["strides"] = win.strides;
  node.attrs["pads"] = win.pads;
  node.weights["weight"] = std::move(w[kernel_key]);
  if (use_bias) {
    FIRMNET_RETURN_IF_ERROR(ctx.CheckShape("bias", w["bias"], {out_ch}));
    node.weights["bias"] = std::move(w["bias"]);
  } else {
    node.weights["bias"] = ZeroBias(out_ch);
  }
  // QConv1D/QConv2D/QDepthwiseConv2D: QKeras' quantizers (no-ops for plain Keras layers).
  FIRMNET_RETURN_IF_ERROR(ApplyWeightQuantizer(
      ctx, node, depthwise ? "depthwise_quantizer" : "kernel_quantizer", "weight", "weight"));
  FIRMNET_RETURN_IF_ERROR(ApplyWeightQuantizer(ctx, node, "bias_quantizer", "bias", "bias"));
  return ctx.EmitWithActivation(std::move(node));
}

Status ImportSeparableConv(KerasContext& ctx, int spatial_dims) {
  FIRMNET_ASSIGN_OR_RETURN(ConvWindow win, ReadConvWindow(ctx, spatial_dims));
  const int64_t c = ctx.input_shape().back();
  int64_t m = 1;
  if (ctx.Find("depth_multiplier") != nullptr) {
    FIRMNET_ASSIGN_OR_RETURN(m, ctx.Integer("depth_multiplier"));
  }
  if (m <= 0 || m > kMaxDim) {
    return ctx.Error("'depth_multiplier' must be positive, got " + std::to_string(m));
  }
  FIRMNET_ASSIGN_OR_RETURN(int64_t filters, ctx.Integer("filters"));
  if (filters <= 0 || filters > kMaxDim) {
    return ctx.Error("'filters' must be positive, got " + std::to_string(filters));
  }
  FIRMNET_ASSIGN_OR_RETURN(bool use_bias, ctx.Bool("use_bias", true));
  FIRMNET_RETURN_IF_ERROR(ctx.ActivationName().status());
  std::set<std::string> required = {"depthwise_kernel", "pointwise_kernel"};
  if (use_bias) required.insert("bias");
  FIRMNET_ASSIGN_OR_RETURN(
      auto w, ctx.LoadWeights({"depthwise_kernel", "pointwise_kernel", "bias"}, required));
  ir::Shape dshape = win.kernel;
  dshape.push_back(c);
  dshape.push_back(m);
  FIRMNET_RETURN_IF_ERROR(ctx.CheckShape("depthwise_kernel", w["depthwise_kernel"], dshape));
  ir::Shape pshape(static_cast<size_t>(spatial_dims), 1);
  pshape.push_back(c * m);
  pshape.push_back(filters);
  FIRMNET_RETURN_IF_ERROR(ctx.CheckShape("pointwise_kernel", w["pointwise_kernel"], pshape));
  ir::Node dw;
  dw.name = ctx.UniqueName(ctx.layer().name + "_depthwise");
  dw.kind = ConvKind(spatial_dims, true);
  dw.attrs["strides"] = win.strides;
  dw.attrs["pads"] = win.pads;
  dw.weights["weight"] = std::move(w["depthwise_kernel"]);
  dw.weights["bias"] = ZeroBias(c * m);
  FIRMNET_RETURN_IF_ERROR(ApplyWeightQuantizer(ctx, dw, "depthwise_quantizer", "weight", "weight"));
  FIRMNET_ASSIGN_OR_RETURN(std::string dw_out, ctx.Emit(std::move(dw)));
  ir::Node pw;
  pw.name = ctx.layer().name;
  pw.kind = ConvKind(spatial_dims, false);
  pw.inputs = {dw_out};
  pw.attrs["strides"] = std::vector<int64_t>(static_cast<size_t>(spatial_dims), 1);
  pw.attrs["pads"] = std::vector<int64_t>(2 * static_cast<size_t>(spatial_dims), 0);
  pw.weights["weight"] = std::move(w["pointwise_kernel"]);
  if (use_bias) {
    FIRMNET_RETURN_IF_ERROR(ctx.CheckShape("bias", w["bias"], {filters}));
    pw.weights["bias"] = std::move(w["bias"]);
  } else {
    pw.weights["bias"] = ZeroBias(filters);
  }
  FIRMNET_RETURN_IF_ERROR(ApplyWeightQuantizer(ctx, pw, "pointwise_quantizer", "weight", "weight"));
  FIRMNET_RETURN_IF_ERROR(ApplyWeightQuantizer(ctx, pw, "bias_quantizer", "bias", "bias"));
  return ctx.EmitWithActivation(std::move(pw));
}

Status ImportPool(KerasContext& ctx, LayerKind kind, int spatial_dims) {
  FIRMNET_RETURN_IF_ERROR(RequireChannelsLast(ctx));
  FIRMNET_RETURN_IF_ERROR(RequireRank(ctx, spatial_dims));
  const size_t n = static_cast<size_t>(spatial_dims);
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> pool, ctx.Ints("pool_size", n, 1));
  std::vector<int64_t> strides = pool;
  if (const auto* s = ctx.Find("strides"); s != nullptr && !s->is_null()) {
    FIRMNET_ASSIGN_OR_RETURN(strides, ctx.Ints("strides", n, 1));
  }
  FIRMNET_ASSIGN_OR_RETURN(
      std::vector<int64_t> pads,
      KerasPads(ctx, Spatial(ctx, spatial_dims), pool, strides, std::vector<int64_t>(n, 1)));
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = kind;
  node.attrs["pool_size"] = pool;
  node.attrs["strides"] = strides;
  node.attrs["pads"] = pads;
  if (kind == LayerKind::kAvgPool1D || kind == LayerKind::kAvgPool2D) {
    node.attrs["count_include_pad"] = int64_t{0};
  }
  return ctx.Emit(std::move(node)).status();
}

Status ImportGlobalPool(KerasContext& ctx, LayerKind kind) {
  FIRMNET_RETURN_IF_ERROR(RequireChannelsLast(ctx));
  FIRMNET_ASSIGN_OR_RETURN(bool keepdims, ctx.Bool("keepdims", false));
  if (keepdims) return ctx.Error("keepdims=true is not supported");
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = kind;
  return ctx.Emit(std::move(node)).status();
}

Status ImportPadOrCrop(KerasContext& ctx, LayerKind kind, int spatial_dims, const char* key,
                       const char* attr) {
  FIRMNET_RETURN_IF_ERROR(RequireChannelsLast(ctx));
  FIRMNET_RETURN_IF_ERROR(RequireRank(ctx, spatial_dims));
  const nlohmann::json* v = ctx.Find(key);
  if (v == nullptr) return ctx.Error(std::string("missing '") + key + "'");
  auto bad = [&] {
    return ctx.Error(std::string("'") + key + "' must be an integer, a pair" +
                     (spatial_dims == 2 ? " or a pair of pairs" : "") + " of non-negative " +
                     "integers, got " + v->dump());
  };
  auto num = [&](const nlohmann::json& e, int64_t& out) {
    if (!e.is_number_integer() || e.get<int64_t>() < 0 || e.get<int64_t>() > kMaxDim) return false;
    out = e.get<int64_t>();
    return true;
  };
  // begin[i], end[i] per spatial dim.
  std::vector<int64_t> begin(spatial_dims), end(spatial_dims);
  if (v->is_number_integer()) {
    int64_t p = 0;
    if (!num(*v, p)) return bad();
    begin.assign(spatial_dims, p);
    end.assign(spatial_dims, p);
  } else if (v->is_array() && spatial_dims == 1 && v->size() == 2) {
    if (!num((*v)[0], begin[0]) || !num((*v)[1], end[0])) return bad();
  } else if (v->is_array() && spatial_dims == 2 && v->size() == 2) {
    for (int i = 0; i < 2; ++i) {
      const nlohmann::json& e = (*v)[i];
      if (e.is_number_integer()) {
        if (!num(e, begin[i])) return bad();
        end[i] = begin[i];
      } else if (e.is_array() && e.size() == 2) {
        if (!num(e[0], begin[i]) || !num(e[1], end[i])) return bad();
      } else {
        return bad();
      }
    }
  } else {
    return bad();
  }
  std::vector<int64_t> amounts = begin;
  amounts.insert(amounts.end(), end.begin(), end.end());
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = kind;
  node.attrs[attr] = amounts;
  return ctx.Emit(std::move(node)).status();
}

Status ImportUpSampling(KerasContext& ctx, LayerKind kind, int spatial_dims) {
  FIRMNET_RETURN_IF_ERROR(RequireChannelsLast(ctx));
  FIRMNET_ASSIGN_OR_RETURN(std::string interpolation, ctx.String("interpolation", "nearest"));
  if (interpolation != "nearest") {
    return ctx.Error("interpolation '" + interpolation + "' is not supported (nearest only)");
  }
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> size,
                           ctx.Ints("size", static_cast<size_t>(spatial_dims), 1));
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = kind;
  node.attrs["size"] = size;
  return ctx.Emit(std::move(node)).status();
}

Status ImportMerge(KerasContext& ctx, LayerKind kind) {
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = kind;
  return ctx.Emit(std::move(node)).status();
}

}  // namespace firmnet::keras
