#include "firmnet/frontend/keras/keras_shapes.h"

namespace firmnet::keras {

StatusOr<ir::Shape> BatchShape(const KerasContext& ctx, const nlohmann::json& batch_shape) {
  if (!batch_shape.is_array() || batch_shape.empty()) {
    return ctx.Error("input shape must be a list [batch, dims...], got " + batch_shape.dump());
  }
  ir::Shape shape;
  for (size_t i = 1; i < batch_shape.size(); ++i) {
    const nlohmann::json& d = batch_shape[i];
    if (!d.is_number_integer() || d.get<int64_t>() <= 0 || d.get<int64_t>() > kMaxDim) {
      return ctx.Error("input dimension " + std::to_string(i) + " is " + d.dump() +
                       "; every dimension except the batch must be a known positive size");
    }
    shape.push_back(d.get<int64_t>());
    // Capping the element count keeps every later product of dimensions far from overflow.
    if (ir::NumElements(shape) > kMaxDim) {
      return ctx.Error("input shape " + batch_shape.dump() + " has more than " +
                       std::to_string(kMaxDim) + " elements");
    }
  }
  if (shape.empty()) return ctx.Error("input has no feature dimensions");
  return shape;
}

Status RequireLastAxis(const KerasContext& ctx) {
  const nlohmann::json* v = ctx.Find("axis");
  if (v == nullptr || v->is_null()) return OkStatus();
  const nlohmann::json* a = v;
  if (v->is_array() && v->size() == 1) a = &(*v)[0];
  if (!a->is_number_integer()) return ctx.Error("'axis' must be an integer, got " + v->dump());
  const int64_t axis = a->get<int64_t>();
  const int64_t rank = static_cast<int64_t>(ctx.input_shape().size());  // without the batch
  if (axis != -1 && axis != rank) {
    return ctx.Error("axis " + std::to_string(axis) +
                     " is not supported; only the last axis (-1) is");
  }
  return OkStatus();
}

Status RequireChannelsLast(const KerasContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(std::string format, ctx.String("data_format", "channels_last"));
  if (format == "channels_last") return OkStatus();
  return ctx.Error("data_format '" + format + "' is not supported (channels_last only)");
}

StatusOr<std::vector<int64_t>> KerasPads(const KerasContext& ctx, const ir::Shape& spatial,
                                         const std::vector<int64_t>& kernel,
                                         const std::vector<int64_t>& strides,
                                         const std::vector<int64_t>& dilations) {
  FIRMNET_ASSIGN_OR_RETURN(std::string padding, ctx.String("padding", "valid"));
  const size_t n = spatial.size();
  std::vector<int64_t> pads(2 * n, 0);
  if (padding == "valid") return pads;
  if (padding == "causal" && n == 1) {
    // Keras pads dilation*(kernel-1) on the left. hls4ml pads kernel-stride instead, the same for
    // stride 1; with a larger stride the two disagree, and firmnet will not pick one silently.
    if (strides[0] != 1) {
      return ctx.Error("padding 'causal' with strides " + std::to_string(strides[0]) +
                       " is not supported (Keras pads kernel-1 on the left, hls4ml kernel-stride; "
                       "they agree only for strides 1)");
    }
    pads[0] = dilations[0] * (kernel[0] - 1);
    return pads;
  }
  if (padding != "same") {
    return ctx.Error("padding '" + padding + "' is not supported (valid or same" +
                     (n == 1 ? ", or causal" : "") + ")");
  }
  for (size_t i = 0; i < n; ++i) {
    const int64_t out = (spatial[i] + strides[i] - 1) / strides[i];
    const int64_t total = std::max<int64_t>(
        (out - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - spatial[i], 0);
    pads[i] = total / 2;
    pads[n + i] = total - total / 2;
  }
  return pads;
}

}  // namespace firmnet::keras
