// ONNX import of reshape: Flatten, Reshape (folded away when the shape is unchanged).
#include "firmnet/frontend/onnx/onnx_context.h"

namespace firmnet::onnx {

namespace {

Status Reshaped(OnnxContext& ctx, const NodeProto& n, const Value& x, const ir::Shape& target) {
  if (ir::NumElements(target) != ir::NumElements(x.shape)) {
    return ctx.Err(StatusCode::kInvalidArgument,
                   "cannot reshape feature shape " + Join(x.shape) + " (" +
                       std::to_string(ir::NumElements(x.shape)) + " values) to " + Join(target));
  }
  // A reshape that keeps the shape, or keeps a 1-D feature vector 1-D, is layout only.
  if (target == x.shape) return ctx.Define(n, x);
  FIRMNET_ASSIGN_OR_RETURN(ir::Node * node, ctx.AddLayer(n, LayerKind::kReshape, x, target));
  node->attrs["target_shape"] = target;
  return OkStatus();
}

Status ImportFlatten(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  // ONNX flattens in its own order: a channels-last feature map is transposed back first.
  FIRMNET_ASSIGN_OR_RETURN(x, ctx.InLayout(n, x, Identity(x.shape.size())));
  FIRMNET_ASSIGN_OR_RETURN(int64_t axis, ctx.AttrInt(n, "axis", 1));
  const auto rank = static_cast<int64_t>(x.shape.size()) + 1;
  const int64_t a = axis < 0 ? axis + rank : axis;
  // axis 0 flattens the batch in too ([1, batch*features]); exporters use it with batch size 1,
  // where it is the same as axis 1.
  if (a != 0 && a != 1) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "axis " + std::to_string(axis) + " of a tensor with feature shape " +
                       Join(x.shape) +
                       " would fold features into the batch; only axis 0 or 1 is supported");
  }
  return Reshaped(ctx, n, x, {ir::NumElements(x.shape)});
}

// The feature shape `shape` ([batch, dims...] with ONNX's 0 = copy and -1 = infer) asks for,
// from input feature shape `x`.
StatusOr<ir::Shape> Target(const OnnxContext& ctx, const ir::Shape& x,
                           const std::vector<int64_t>& shape, int64_t allow_zero) {
  const int64_t b = shape[0];
  ir::Shape target;
  int infer_at = -1;
  for (size_t i = 1; i < shape.size(); ++i) {
    int64_t d = shape[i];
    if (d == 0 && allow_zero == 0) {
      if (i - 1 >= x.size()) {
        return ctx.Err(StatusCode::kInvalidArgument,
                       "target shape " + Join(shape) + " copies dimension " + std::to_string(i) +
                           ", which the input (feature shape " + Join(x) + ") does not have");
      }
      d = x[i - 1];
    } else if (d == -1) {
      if (infer_at >= 0 || b == -1) {
        return ctx.Err(StatusCode::kInvalidArgument,
                       "target shape " + Join(shape) + " has more than one -1");
      }
      infer_at = static_cast<int>(target.size());
      d = 1;
    } else if (d <= 0 || d > kMaxOnnxTensorElements) {
      return ctx.Err(
          StatusCode::kInvalidArgument,
          "target shape " + Join(shape) + " has an invalid dimension " + std::to_string(d));
    }
    target.push_back(d);
  }
  const int64_t total = ir::NumElements(x);
  int64_t known = 1;
  for (int64_t d : target) {
    if (known > total) break;  // stops before the product can overflow; the check below fails
    known *= d;
  }
  if (infer_at >= 0) {
    if (known == 0 || total % known != 0) {
      return ctx.Err(StatusCode::kInvalidArgument,
                     "cannot reshape feature shape " + Join(x) + " to " + Join(shape));
    }
    target[static_cast<size_t>(infer_at)] = total / known;
  } else if (known != total) {
    return ctx.Err(StatusCode::kInvalidArgument, "cannot reshape feature shape " + Join(x) + " (" +
                                                     std::to_string(total) + " values) to " +
                                                     Join(shape));
  }
  return target;
}

Status ImportReshape(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(Value x, ctx.LayerIn(n, 0));
  FIRMNET_ASSIGN_OR_RETURN(x, ctx.InLayout(n, x, Identity(x.shape.size())));
  FIRMNET_ASSIGN_OR_RETURN(const TensorProto* proto, ctx.ConstProto(n, 1, "shape"));
  StatusOr<std::vector<int64_t>> decoded = DecodeOnnxIntTensor(*proto);
  if (!decoded.ok()) {
    return ctx.Err(decoded.status().code(), "shape: " + decoded.status().message());
  }
  const std::vector<int64_t>& shape = *decoded;
  FIRMNET_ASSIGN_OR_RETURN(int64_t allow_zero, ctx.AttrInt(n, "allowzero", 0));
  if (shape.size() < 2) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "target shape " + Join(shape) +
                       " does not keep a separate batch dimension; firmnet needs [batch, ...]");
  }
  // The first entry is the batch: copied (0), inferred (-1), or the batch size itself.
  const int64_t b = shape[0];
  const bool batch_ok = (b == 0 && allow_zero == 0) || b == -1 || b == 1 ||
                        (ctx.batch_size().has_value() && b == *ctx.batch_size());
  if (!batch_ok) {
    return ctx.Err(StatusCode::kUnimplemented,
                   "target shape " + Join(shape) + " changes the batch dimension");
  }
  FIRMNET_ASSIGN_OR_RETURN(const ir::Shape target, Target(ctx, x.shape, shape, allow_zero));
  return Reshaped(ctx, n, x, target);
}

}  // namespace

std::vector<OnnxRule> OnnxRules_reshape() {
  return {{"Flatten", &ImportFlatten}, {"Reshape", &ImportReshape}};
}

}  // namespace firmnet::onnx
