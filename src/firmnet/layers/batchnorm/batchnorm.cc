// BatchNorm (inference form): y_i = (result_t)(x_i * scale_c + bias_c), with scale quantized to
// the "scale" type and bias to the "bias" type; the product and the sum are exact, and there is
// one cast (hls4ml's normalize()). scale and bias hold one value per input value (c = i) or one
// per channel, the last axis, applied to every pixel of a feature map (c = i mod C: hls4ml's
// normalize reads scale[i % n_filt]; the importers give one per channel).
#include "firmnet/layers/batchnorm/batchnorm.h"

#include <algorithm>

#include "firmnet/layers/common/auto_precision.h"
#include "firmnet/layers/common/elementwise.h"

namespace firmnet::layers {
namespace {

struct BnSpec {
  int64_t n = 0;        // input values
  int64_t n_scale = 0;  // scale and bias values: n, or the channels
  FixedType in_t, scale_t, bias_t, result_t;
  std::vector<double> scale, bias;
};

template <typename R>
class BatchNormKernel final : public emu::Kernel<R> {
 public:
  explicit BatchNormKernel(const BnSpec& s) : s_(s) {
    const int e_prod = s.in_t.lsb_exponent() + s.scale_t.lsb_exponent();
    e_sum_ = std::min(e_prod, s.bias_t.lsb_exponent());
    prod_shift_ = e_prod - e_sum_;
    bias_shift_ = s.bias_t.lsb_exponent() - e_sum_;
    // The int64 representation holds the aligned sum only when it provably fits.
    const int bits =
        std::max(s.in_t.width + s.scale_t.width + prod_shift_, s.bias_t.width + bias_shift_) + 1;
    exact_in_int64_ = bits <= 62;
    const BigInt tag;
    for (int64_t i = 0; i < s.n_scale; ++i) {
      scale_.push_back(emu::QuantizeWeightTo(s.scale[i], s.scale_t, tag));
      bias_.push_back(emu::QuantizeWeightTo(s.bias[i], s.bias_t, tag));
    }
  }

  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    const R* x = inputs[0];
    for (int64_t i = 0, ch = 0; i < s_.n; ++i, ch = ch + 1 == s_.n_scale ? 0 : ch + 1) {
      if constexpr (std::is_same_v<R, int64_t>) {
        if (exact_in_int64_) {
          const int64_t sum =
              ((x[i] * scale_[ch].ToInt64()) << prod_shift_) + (bias_[ch].ToInt64() << bias_shift_);
          out[i] = emu::CastTo(sum, e_sum_, s_.result_t, c);
          continue;
        }
        const BigInt sum =
            ((BigInt(x[i]) * scale_[ch]) << prod_shift_) + (bias_[ch] << bias_shift_);
        out[i] = emu::CastTo(sum, e_sum_, s_.result_t, c).ToInt64();
      } else {
        const BigInt sum = ((x[i] * scale_[ch]) << prod_shift_) + (bias_[ch] << bias_shift_);
        out[i] = emu::CastTo(sum, e_sum_, s_.result_t, c);
      }
    }
  }

 private:
  BnSpec s_;
  int e_sum_ = 0, prod_shift_ = 0, bias_shift_ = 0;
  bool exact_in_int64_ = false;
  std::vector<BigInt> scale_, bias_;
};

class BatchNormFloatKernel final : public emu::FloatKernel {
 public:
  explicit BatchNormFloatKernel(BnSpec s) : s_(std::move(s)) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    for (int64_t i = 0; i < s_.n; ++i) {
      const int64_t c = i % s_.n_scale;
      out[i] = inputs[0][i] * s_.scale[c] + s_.bias[c];
    }
  }

 private:
  BnSpec s_;
};

BnSpec Spec(const ir::Node& node, const NodeInputs& inputs, bool with_types) {
  BnSpec s;
  // The float reference computes with the float64 values where a float32 step made `data`.
  const ir::Tensor& scale = node.weights.at("scale");
  const ir::Tensor& bias = node.weights.at("bias");
  s.scale = with_types ? scale.data : scale.ReferenceData();
  s.bias = with_types ? bias.data : bias.ReferenceData();
  s.n_scale = static_cast<int64_t>(s.scale.size());
  s.n = ir::NumElements(inputs[0]->shape);
  if (with_types) {
    s.in_t = inputs[0]->Precision("result");
    s.scale_t = node.Precision("scale");
    s.bias_t = node.Precision("bias");
    s.result_t = node.Precision("result");
  }
  return s;
}

}  // namespace

using Impl = LayerImpl<LayerKind::kBatchNorm>;

StatusOr<std::optional<FixedType>> Impl::InferPrecision(const ir::Node& node,
                                                        const NodeInputs& inputs,
                                                        std::string_view slot,
                                                        const PrecisionContext& ctx) {
  // hls4ml: scale and bias take the default; the result holds x*scale + bias exactly.
  if (slot != "result") return std::optional<FixedType>();
  FIRMNET_ASSIGN_OR_RETURN(
      FixedType t, common::ScaleBiasType(inputs[0]->Precision("result"), node.Precision("scale"),
                                         node.Precision("bias"), ctx,
                                         common::LayerLabel(node) + ": precision 'result'"));
  return std::optional<FixedType>(t);
}

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  const std::string where = "batchnorm layer '" + node.name + "'";
  if (inputs.size() != 1) return InvalidArgument(where + ": expects exactly one input");
  const int64_t n = ir::NumElements(inputs[0]->shape);
  const int64_t channels = inputs[0]->shape.empty() ? n : inputs[0]->shape.back();
  const ir::Tensor* scale = node.Weight("scale");
  for (const char* key : {"scale", "bias"}) {
    const ir::Tensor* t = node.Weight(key);
    const int64_t got = t ? ir::NumElements(t->shape) : -1;
    if (!t || (got != n && got != channels) || (scale && got != ir::NumElements(scale->shape))) {
      return InvalidArgument(
          where + ": needs a '" + key + "' tensor with " + std::to_string(n) +
          " values (one per input feature of '" + inputs[0]->name + "')" +
          (channels != n ? " or " + std::to_string(channels) + " (one per channel, the last axis)"
                         : std::string()) +
          (t ? ", got " + std::to_string(got) : std::string()));
    }
  }
  node.shape = inputs[0]->shape;
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  return std::unique_ptr<emu::Kernel<R>>(new BatchNormKernel<R>(Spec(node, inputs, true)));
}

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs& inputs) {
  return std::unique_ptr<emu::FloatKernel>(new BatchNormFloatKernel(Spec(node, inputs, false)));
}

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kBatchNorm);

}  // namespace firmnet::layers
