#include "firmnet/frontend/keras/keras_spatial.h"

#include "firmnet/frontend/keras/keras_shapes.h"

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

}  // namespace

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
