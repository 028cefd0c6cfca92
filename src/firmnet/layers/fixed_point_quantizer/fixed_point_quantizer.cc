#include "firmnet/layers/fixed_point_quantizer/fixed_point_quantizer.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <utility>

#include "firmnet/fixed/fixed_value.h"
#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

template <typename R>
class QuantizerKernel final : public emu::Kernel<R> {
 public:
  QuantizerKernel(std::vector<std::optional<FixedType>> types, int in_exp, FixedType result)
      : types_(std::move(types)), in_exp_(in_exp), result_(result) {}
  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    const R* x = inputs[0];
    for (size_t i = 0; i < types_.size(); ++i) {
      if (!types_[i]) {
        out[i] = R{};
        continue;
      }
      const R q = emu::CastTo(x[i], in_exp_, *types_[i], c);
      // Into the union type: exact (it holds every element type's values).
      emu::LayerCounters ignored;
      out[i] = emu::CastTo(q, types_[i]->lsb_exponent(), result_, ignored);
    }
  }

 private:
  std::vector<std::optional<FixedType>> types_;
  int in_exp_;
  FixedType result_;
};

class QuantizerFloatKernel final : public emu::FloatKernel {
 public:
  explicit QuantizerFloatKernel(std::vector<std::optional<FixedType>> types)
      : types_(std::move(types)) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    for (size_t i = 0; i < types_.size(); ++i) {
      const double x = inputs[0][i];
      if (!types_[i] || !std::isfinite(x)) {
        out[i] = types_[i] ? x : 0.0;
        continue;
      }
      out[i] = ToDouble(QuantizeDouble(x, *types_[i]), *types_[i]);
    }
  }

 private:
  std::vector<std::optional<FixedType>> types_;
};

}  // namespace

Status LayerImpl<LayerKind::kFixedPointQuantizer>::InferShape(ir::Node& node,
                                                              const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::InferUnaryShape(node, inputs));
  const ir::Tensor* b = node.Weight("bits");
  if (b && static_cast<int64_t>(b->data.size()) != ir::NumElements(node.shape)) {
    return InvalidArgument(common::LayerLabel(node) + ": " + std::to_string(b->data.size()) +
                           " element types for " + std::to_string(ir::NumElements(node.shape)) +
                           " elements");
  }
  return OkStatus();
}

StatusOr<std::optional<FixedType>> LayerImpl<LayerKind::kFixedPointQuantizer>::InferPrecision(
    const ir::Node& node, const NodeInputs& /*inputs*/, std::string_view slot,
    const PrecisionContext& /*ctx*/) {
  if (slot != "result") return std::optional<FixedType>();
  FIRMNET_ASSIGN_OR_RETURN(auto types, ElementTypes(node));
  return std::optional<FixedType>(UnionType(types));
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kFixedPointQuantizer>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(auto types, ElementTypes(node));
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  if (result.width > 62) {
    return InvalidArgument(common::LayerLabel(node) + ": result type " + FormatFixedType(result) +
                           " is wider than 62 bits");
  }
  return std::unique_ptr<emu::Kernel<R>>(
      std::make_unique<QuantizerKernel<R>>(std::move(types), in.lsb_exponent(), result));
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kFixedPointQuantizer);

StatusOr<std::unique_ptr<emu::FloatKernel>>
LayerImpl<LayerKind::kFixedPointQuantizer>::MakeFloatKernel(const ir::Node& node,
                                                            const NodeInputs& /*inputs*/) {
  FIRMNET_ASSIGN_OR_RETURN(auto types, ElementTypes(node));
  return std::unique_ptr<emu::FloatKernel>(
      std::make_unique<QuantizerFloatKernel>(std::move(types)));
}

}  // namespace firmnet::layers
