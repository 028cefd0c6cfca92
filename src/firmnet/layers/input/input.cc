#include "firmnet/layers/input/input.h"

#include <algorithm>

namespace firmnet::layers {
namespace {

template <typename R>
class CopyKernel final : public emu::Kernel<R> {
 public:
  explicit CopyKernel(int64_t n) : n_(n) {}
  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters&) const override {
    std::copy(inputs[0], inputs[0] + n_, out);
  }

 private:
  int64_t n_;
};

class FloatCopyKernel final : public emu::FloatKernel {
 public:
  explicit FloatCopyKernel(int64_t n) : n_(n) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    std::copy(inputs[0], inputs[0] + n_, out);
  }

 private:
  int64_t n_;
};

}  // namespace

using Impl = LayerImpl<LayerKind::kInput>;

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  if (!inputs.empty()) return InvalidArgument("input layer '" + node.name + "' cannot have inputs");
  if (node.shape.empty()) {
    return InvalidArgument("input layer '" + node.name + "' has no shape");
  }
  for (int64_t d : node.shape) {
    if (d <= 0) {
      return InvalidArgument("input layer '" + node.name + "' has an invalid shape " +
                             ir::FormatShape(node.shape) + " (every dimension must be > 0)");
    }
  }
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs&) {
  return std::unique_ptr<emu::Kernel<R>>(new CopyKernel<R>(ir::NumElements(node.shape)));
}

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs&) {
  return std::unique_ptr<emu::FloatKernel>(new FloatCopyKernel(ir::NumElements(node.shape)));
}

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kInput);

}  // namespace firmnet::layers
