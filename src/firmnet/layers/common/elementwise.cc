#include "firmnet/layers/common/elementwise.h"

#include <cstdio>

namespace firmnet::layers::common {

std::string LayerLabel(const ir::Node& node) {
  return "layer '" + node.name + "' (" + std::string(LayerKindId(node.kind)) + ")";
}

Status InferUnaryShape(ir::Node& node, const NodeInputs& inputs) {
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument(LayerLabel(node) + ": expects exactly 1 input, got " +
                           std::to_string(inputs.size()));
  }
  if (inputs[0]->shape.empty()) {
    return InvalidArgument(LayerLabel(node) + ": input '" + inputs[0]->name +
                           "' has no shape (shape inference has not run on it)");
  }
  for (int64_t d : inputs[0]->shape) {
    if (d <= 0) {
      return InvalidArgument(LayerLabel(node) + ": input '" + inputs[0]->name +
                             "' has a non-positive dimension in shape " +
                             ir::FormatShape(inputs[0]->shape));
    }
  }
  node.shape = inputs[0]->shape;
  return OkStatus();
}

StatusOr<double> FiniteAttr(const ir::Node& node, const std::string& key) {
  FIRMNET_ASSIGN_OR_RETURN(double v, node.GetDouble(key));
  if (!std::isfinite(v)) {
    return InvalidArgument(LayerLabel(node) + ": attribute '" + key + "' is " + std::to_string(v) +
                           "; it must be a finite number");
  }
  return v;
}

StatusOr<Param> ParamAttr(const ir::Node& node, const std::string& key) {
  FIRMNET_ASSIGN_OR_RETURN(double v, FiniteAttr(node, key));
  const FixedType& type = node.Precision("param");
  OverflowEvent event = OverflowEvent::kNone;
  BigInt raw = QuantizeDouble(v, type, &event);
  if (event != OverflowEvent::kNone) {
    return InvalidArgument(LayerLabel(node) + ": attribute '" + key + "' = " + FormatDouble(v) +
                           " does not fit the \"param\" precision " + FormatFixedType(type) +
                           "; give the layer a wider param type");
  }
  return Param{raw, type.lsb_exponent()};
}

std::string FormatDouble(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace firmnet::layers::common
