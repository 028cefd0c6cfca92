#include "firmnet/layers/batchnorm_quantized_tanh/batchnorm_quantized_tanh.h"

#include <string>
#include <vector>

#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

using Lkq = LayerImpl<LayerKind::kBatchNormQuantizedTanh>;

// The threshold tensors the node's `levels` uses, in comparison order.
std::vector<const ir::Tensor*> Thresholds(const ir::Node& node) {
  if (node.GetIntOr("levels", 0) == 2) return {node.Weight("threshold")};
  return {node.Weight("threshold_hi"), node.Weight("threshold_lo")};
}

template <typename R>
class BnqtKernel final : public emu::Kernel<R> {
 public:
  BnqtKernel(int64_t size, bool ternary, std::vector<R> hi, std::vector<R> lo,
             const FixedType& result, int low)
      : size_(size), ternary_(ternary), hi_(std::move(hi)), lo_(std::move(lo)) {
    emu::LayerCounters ignored;  // constants, not inference events
    plus_ = emu::CastTo(R(1), 0, result, ignored);
    minus_ = emu::CastTo(R(low), 0, result, ignored);
  }
  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& /*c*/) const override {
    const R* x = inputs[0];
    const size_t n = hi_.size();
    for (int64_t i = 0; i < size_; ++i) {
      const size_t c = static_cast<size_t>(i) % n;
      if (!ternary_) {
        out[i] = x[i] >= hi_[c] ? plus_ : minus_;
      } else {
        out[i] = x[i] > hi_[c] ? plus_ : (x[i] <= lo_[c] ? minus_ : R(0));
      }
    }
  }

 private:
  int64_t size_;
  bool ternary_;
  std::vector<R> hi_, lo_;  // binary: hi_ holds the thresholds
  R plus_, minus_;          // +1 and -1 (0 under xnor=1) in the result type
};

class BnqtFloatKernel final : public emu::FloatKernel {
 public:
  BnqtFloatKernel(int64_t size, bool ternary, std::vector<double> hi, std::vector<double> lo,
                  double low)
      : size_(size), ternary_(ternary), hi_(std::move(hi)), lo_(std::move(lo)), low_(low) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    const double* x = inputs[0];
    for (int64_t i = 0; i < size_; ++i) {
      const size_t c = static_cast<size_t>(i) % hi_.size();
      if (!ternary_) {
        out[i] = x[i] >= hi_[c] ? 1.0 : low_;
      } else {
        out[i] = x[i] > hi_[c] ? 1.0 : (x[i] <= lo_[c] ? -1.0 : 0.0);
      }
    }
  }

 private:
  int64_t size_;
  bool ternary_;
  std::vector<double> hi_, lo_;
  double low_;
};

}  // namespace

Status Lkq::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::InferUnaryShape(node, inputs));
  const int64_t n = ir::NumElements(Thresholds(node)[0]->shape);
  const int64_t size = ir::NumElements(node.shape);
  if (n != size && n != node.shape.back()) {
    return InvalidArgument(common::LayerLabel(node) + ": " + std::to_string(n) +
                           " thresholds for an input of shape " + ir::FormatShape(node.shape) +
                           " (expected one per value or one per channel, " +
                           std::to_string(node.shape.back()) + ")");
  }
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Lkq::MakeKernel(const ir::Node& node,
                                                          const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const auto ts = Thresholds(node);
  const bool ternary = ts.size() == 2;
  auto raw = [&](const ir::Tensor* t) {
    std::vector<R> out;
    for (double v : t->data) out.push_back(emu::QuantizeWeightTo(v, in, R{}));
    return out;
  };
  return std::unique_ptr<emu::Kernel<R>>(std::make_unique<BnqtKernel<R>>(
      ir::NumElements(node.shape), ternary, raw(ts[0]), ternary ? raw(ts[1]) : std::vector<R>{},
      node.Precision("result"), Low(node)));
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kBatchNormQuantizedTanh);

StatusOr<std::unique_ptr<emu::FloatKernel>> Lkq::MakeFloatKernel(const ir::Node& node,
                                                                 const NodeInputs& /*inputs*/) {
  const auto ts = Thresholds(node);
  const bool ternary = ts.size() == 2;
  return std::unique_ptr<emu::FloatKernel>(std::make_unique<BnqtFloatKernel>(
      ir::NumElements(node.shape), ternary, ts[0]->ReferenceData(),
      ternary ? ts[1]->ReferenceData() : std::vector<double>{}, Low(node)));
}

}  // namespace firmnet::layers
