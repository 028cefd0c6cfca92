// Reshape / Flatten: the data in row-major order is unchanged; the output type is the layer's
// result type, so a reshape whose result type differs from its input's is also a cast.
#include "firmnet/layers/reshape/reshape.h"

namespace firmnet::layers {
namespace {

template <typename R>
class ReshapeKernel final : public emu::Kernel<R> {
 public:
  ReshapeKernel(int64_t n, const FixedType& in_t, const FixedType& result_t)
      : n_(n), cast_(in_t.lsb_exponent(), result_t), identity_(in_t == result_t) {}
  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    for (int64_t i = 0; i < n_; ++i) out[i] = identity_ ? inputs[0][i] : cast_(inputs[0][i], c);
  }

 private:
  int64_t n_;
  emu::Caster cast_;
  bool identity_;
};

class ReshapeFloatKernel final : public emu::FloatKernel {
 public:
  explicit ReshapeFloatKernel(int64_t n) : n_(n) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    std::copy(inputs[0], inputs[0] + n_, out);
  }

 private:
  int64_t n_;
};

}  // namespace

using Impl = LayerImpl<LayerKind::kReshape>;

StatusOr<std::optional<FixedType>> Impl::InferPrecision(const ir::Node& /*node*/,
                                                        const NodeInputs& inputs,
                                                        std::string_view slot,
                                                        const PrecisionContext& /*ctx*/) {
  // hls4ml: a reshape's output keeps its input's type.
  if (slot != "result") return std::optional<FixedType>();
  return std::optional<FixedType>(inputs[0]->Precision("result"));
}

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  const std::string where = "reshape layer '" + node.name + "'";
  if (inputs.size() != 1) return InvalidArgument(where + ": expects exactly one input");
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> target, node.GetInts("target_shape"));
  const int64_t n = ir::NumElements(inputs[0]->shape);
  int64_t known = 1;
  int infer_at = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == -1 && infer_at < 0) {
      infer_at = static_cast<int>(i);
    } else if (target[i] <= 0) {
      return InvalidArgument(where + ": invalid target shape " + ir::FormatShape(target));
    } else {
      known *= target[i];
    }
  }
  if (infer_at >= 0 && known > 0 && n % known == 0) target[infer_at] = n / known;
  if (target.empty() || ir::NumElements(target) != n) {
    return InvalidArgument(where + ": cannot reshape " + ir::FormatShape(inputs[0]->shape) + " (" +
                           std::to_string(n) + " values) to " + ir::FormatShape(target));
  }
  node.shape = target;
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  return std::unique_ptr<emu::Kernel<R>>(new ReshapeKernel<R>(
      ir::NumElements(node.shape), inputs[0]->Precision("result"), node.Precision("result")));
}

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs&) {
  return std::unique_ptr<emu::FloatKernel>(new ReshapeFloatKernel(ir::NumElements(node.shape)));
}

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kReshape);

}  // namespace firmnet::layers
