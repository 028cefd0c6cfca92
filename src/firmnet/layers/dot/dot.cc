// Dot of two vectors, exactly as hls4ml's dot1d computes it: every product exact and cast to
// accum_t, then summed in input order from 0 with each sum cast to accum_t, and the sum cast to
// result_t. (hls4ml's firmware for an ap_uint<1> first input does not compile: its `cast`
// helper looks for a weight type that dot's config lacks; firmnet casts such inputs normally.)
#include "firmnet/layers/dot/dot.h"

#include "firmnet/layers/common/auto_precision.h"
#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/merge.h"
#include "firmnet/layers/common/raw.h"

namespace firmnet::layers {
namespace {

template <typename R>
class DotKernel final : public emu::Kernel<R> {
 public:
  DotKernel(int64_t n, const FixedType& a, const FixedType& b, const FixedType& accum,
            const FixedType& result)
      : n_(n),
        product_cast_(a.lsb_exponent() + b.lsb_exponent(), accum),
        sum_cast_(accum.lsb_exponent(), accum),
        result_cast_(accum.lsb_exponent(), result) {}
  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    const R* a = inputs[0];
    const R* b = inputs[1];
    R acc{};
    for (int64_t i = 0; i < n_; ++i) acc = sum_cast_(acc + product_cast_(a[i] * b[i], c), c);
    out[0] = result_cast_(acc, c);
  }

 private:
  int64_t n_;
  emu::Caster product_cast_, sum_cast_, result_cast_;
};

class DotFloatKernel final : public emu::FloatKernel {
 public:
  explicit DotFloatKernel(int64_t n) : n_(n) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    double acc = 0;
    for (int64_t i = 0; i < n_; ++i) acc += inputs[0][i] * inputs[1][i];
    out[0] = acc;
  }

 private:
  int64_t n_;
};

}  // namespace

using Impl = LayerImpl<LayerKind::kDot>;

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::CheckMergeInputs(node, inputs, 2, 2));
  for (const ir::Node* in : inputs) {
    if (in->shape.size() != 1) {
      return InvalidArgument(common::LayerLabel(node) + ": input '" + in->name + "' has shape " +
                             ir::FormatShape(in->shape) +
                             "; dot takes two 1-D vectors (hls4ml's dot1d); flatten it first");
    }
  }
  if (inputs[0]->shape != inputs[1]->shape) {
    return InvalidArgument(common::LayerLabel(node) + ": input '" + inputs[1]->name +
                           "' has shape " + ir::FormatShape(inputs[1]->shape) + " but input '" +
                           inputs[0]->name + "' has shape " + ir::FormatShape(inputs[0]->shape) +
                           "; dot needs two vectors of one length");
  }
  node.shape = {1};
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  const FixedType& a = inputs[0]->Precision("result");
  const FixedType& b = inputs[1]->Precision("result");
  const FixedType& accum = node.Precision("accum");
  const FixedType& result = node.Precision("result");
  const int64_t n = inputs[0]->shape[0];
  if constexpr (std::is_same_v<R, int64_t>) {
    if (!common::FitsInt64({a, b, accum, result})) {
      return std::unique_ptr<emu::Kernel<int64_t>>(std::make_unique<common::BigIntAdapter>(
          std::make_unique<DotKernel<BigInt>>(n, a, b, accum, result), std::vector<int64_t>{n, n},
          1));
    }
  }
  return std::unique_ptr<emu::Kernel<R>>(std::make_unique<DotKernel<R>>(n, a, b, accum, result));
}

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& /*node*/,
                                                                  const NodeInputs& inputs) {
  return std::unique_ptr<emu::FloatKernel>(std::make_unique<DotFloatKernel>(inputs[0]->shape[0]));
}

StatusOr<std::optional<FixedType>> Impl::InferPrecision(const ir::Node& node,
                                                        const NodeInputs& inputs,
                                                        std::string_view slot,
                                                        const PrecisionContext& ctx) {
  if ((slot != "result" && slot != "accum") || inputs.size() != 2 || inputs[0]->shape.empty()) {
    return std::optional<FixedType>();
  }
  const FixedType& a = inputs[0]->Precision("result");
  const FixedType& b = inputs[1]->Precision("result");
  const int extra = common::CeilLog2(std::max<int64_t>(inputs[0]->shape[0], 1));
  FIRMNET_ASSIGN_OR_RETURN(
      FixedType t,
      common::FinishInferred(
          {a.width + b.width + extra, a.int_bits + b.int_bits + extra, a.is_signed || b.is_signed},
          ctx, common::LayerLabel(node) + ": precision '" + std::string(slot) + "'"));
  return std::optional<FixedType>(t);
}

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kDot);

}  // namespace firmnet::layers
