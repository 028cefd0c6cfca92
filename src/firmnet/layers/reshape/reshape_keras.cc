// Keras import of reshape: Flatten (channels-last order, as Keras) and Reshape (one -1 allowed).
#include "firmnet/frontend/keras/keras_context.h"

namespace firmnet::keras {
namespace {

Status ImportFlatten(KerasContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(std::string format, ctx.String("data_format", "channels_last"));
  if (format != "channels_last") {
    return ctx.Error("data_format '" + format + "' is not supported (channels_last only)");
  }
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kReshape;
  node.attrs["target_shape"] = ir::Shape{ir::NumElements(ctx.input_shape())};
  return ctx.Emit(std::move(node)).status();
}

Status ImportReshape(KerasContext& ctx) {
  const nlohmann::json* ts = ctx.Find("target_shape");
  if (ts == nullptr || !ts->is_array() || ts->empty()) {
    return ctx.Error("'target_shape' must be a non-empty list, got " +
                     (ts ? ts->dump() : std::string("nothing")));
  }
  const int64_t total = ir::NumElements(ctx.input_shape());
  ir::Shape target;
  int unknown = -1;
  int64_t known = 1;
  for (size_t i = 0; i < ts->size(); ++i) {
    const nlohmann::json& d = (*ts)[i];
    if (!d.is_number_integer()) {
      return ctx.Error("'target_shape' holds " + d.dump() + ", not an integer");
    }
    const int64_t v = d.get<int64_t>();
    if (v == -1 && unknown < 0) {
      unknown = static_cast<int>(i);
    } else if (v <= 0 || v > kMaxDim) {
      return ctx.Error("'target_shape' dimension " + std::to_string(v) + " is not valid");
    } else {
      known *= v;
      if (known > total) break;
    }
    target.push_back(v);
  }
  if (unknown >= 0 && known > 0 && total % known == 0) {
    target[static_cast<size_t>(unknown)] = total / known;
  }
  if (target.size() != ts->size() || ir::NumElements(target) != total) {
    return ctx.Error("cannot reshape " + ir::FormatShape(ctx.input_shape()) + " to " + ts->dump());
  }
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kReshape;
  node.attrs["target_shape"] = target;
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_reshape() {
  return {{"Flatten", &ImportFlatten}, {"Reshape", &ImportReshape}};
}

}  // namespace firmnet::keras
