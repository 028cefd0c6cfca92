#include "firmnet/layers/relu/relu.h"

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

template <typename R>
struct ReluOp {
  emu::Caster cast;  // from the input type to the result type (emu::CastTo semantics)
  R operator()(const R& x, emu::LayerCounters& c) const {
    return cast(common::IsPositive(x) ? x : R(0), c);
  }
};

// When the result type holds every non-negative input value on the same grid, the cast is the
// identity and ReLU is a plain max(x, 0): a loop g++ vectorizes (the emulator's hot path).
class ReluCopyKernel final : public emu::Kernel<int64_t> {
 public:
  explicit ReluCopyKernel(int64_t size) : size_(size) {}
  void Run(std::span<const int64_t* const> inputs, int64_t* out_ptr,
           emu::LayerCounters& /*counters*/) const override {
    const int64_t* __restrict x = inputs[0];
    int64_t* __restrict out = out_ptr;
    const int64_t n = size_;
    for (int64_t i = 0; i < n; ++i) out[i] = x[i] > 0 ? x[i] : 0;
  }

 private:
  int64_t size_;
};

int64_t MaxPositiveRaw(const FixedType& t) {
  return (int64_t{1} << (t.width - (t.is_signed ? 1 : 0))) - 1;
}

}  // namespace

StatusOr<std::optional<FixedType>> LayerImpl<LayerKind::kRelu>::InferPrecision(
    const ir::Node& /*node*/, const NodeInputs& inputs, std::string_view slot,
    const PrecisionContext& ctx) {
  if (slot != "result" || !ctx.bit_exact) return std::optional<FixedType>();
  const FixedType& in = common::InputType(inputs);
  if (!in.is_signed || in.width < 2) return std::optional<FixedType>(in);
  FIRMNET_ASSIGN_OR_RETURN(FixedType t, MakeFixedType(in.width - 1, in.int_bits - 1, false));
  return std::optional<FixedType>(t);
}

Status LayerImpl<LayerKind::kRelu>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  return common::InferUnaryShape(node, inputs);
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kRelu>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const bool fits64 = common::FitsInt64({in, result});
  if constexpr (std::is_same_v<R, int64_t>) {
    if (fits64 && in.lsb_exponent() == result.lsb_exponent() &&
        MaxPositiveRaw(in) <= MaxPositiveRaw(result)) {
      return std::unique_ptr<emu::Kernel<int64_t>>(
          std::make_unique<ReluCopyKernel>(ir::NumElements(node.shape)));
    }
  }
  return common::MakeUnaryKernel<R>(node, fits64, [&](auto tag) {
    return ReluOp<decltype(tag)>{emu::Caster(in.lsb_exponent(), result)};
  });
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kRelu);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kRelu>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  return common::MakeUnaryFloatKernel(node, [](double x) { return x > 0 ? x : 0.0; });
}

}  // namespace firmnet::layers
