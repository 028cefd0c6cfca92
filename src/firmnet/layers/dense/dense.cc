// Dense, exactly as hls4ml computes it (docs/semantics.md, "Dense"):
//   acc_j = (accum_t) bias_j;  acc_j += (accum_t)(x_i * w_ij) for i in input order;
//   y_j = (result_t) acc_j.
// Each product is exact and then cast to the accumulator type. With a plain AP_WRAP accumulator
// the result does not depend on when the wraps happen, so the sum is kept exact and wrapped once
// (one overflow event per output whose sum does not fit). With any other accumulator overflow
// mode every addition is cast, in input order. Zero weights contribute nothing and are skipped.
#include "firmnet/layers/dense/dense.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace firmnet::layers {
namespace {

struct DenseSpec {
  int64_t n_in = 0, n_out = 0;
  FixedType in_t, weight_t, bias_t, accum_t, result_t;
  std::vector<double> weight;  // [n_in][n_out]
  std::vector<double> bias;    // [n_out]
};

bool WrapAccumulator(const FixedType& t) {
  return t.overflow == Overflow::kWrap && t.sat_bits == 0;
}

template <typename R>
class DenseKernel final : public emu::Kernel<R> {
 public:
  explicit DenseKernel(const DenseSpec& s)
      : n_in_(s.n_in),
        n_out_(s.n_out),
        accum_t_(s.accum_t),
        wrap_acc_(WrapAccumulator(s.accum_t)),
        product_cast_(s.in_t.lsb_exponent() + s.weight_t.lsb_exponent(), s.accum_t),
        result_cast_(s.accum_t.lsb_exponent(), s.result_t) {
    R tag{};
    emu::LayerCounters ignored;  // weight/bias quantization is not an inference event
    weight_.reserve(s.weight.size());
    for (double w : s.weight) weight_.push_back(emu::QuantizeTo(w, s.weight_t, ignored, tag));
    for (double b : s.bias) {
      const R braw = emu::QuantizeTo(b, s.bias_t, ignored, tag);
      bias_acc_.push_back(emu::CastTo(braw, s.bias_t.lsb_exponent(), s.accum_t, ignored));
    }
    PrepareFast(s);
  }

  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    if constexpr (std::is_same_v<R, int64_t>) {
      if (fast_) return RunFast(inputs[0], out, c);
    }
    for (int64_t j = 0; j < n_out_; ++j) out[j] = Column(inputs[0], j, c);
  }

 private:
  // One output neuron, the reference way.
  R Column(const R* x, int64_t j, emu::LayerCounters& c) const {
    R acc = bias_acc_[j];
    for (int64_t i = 0; i < n_in_; ++i) {
      const R& w = weight_[i * n_out_ + j];
      if (w == R{} || x[i] == R{}) continue;
      const R pc = product_cast_(x[i] * w, c);
      if (wrap_acc_) {
        acc = acc + pc;  // exact; wrapped once below
      } else {
        acc = emu::CastTo(acc + pc, accum_t_.lsb_exponent(), accum_t_, c);
      }
    }
    if (wrap_acc_) acc = emu::CastTo(acc, accum_t_.lsb_exponent(), accum_t_, c);
    return result_cast_(acc, c);
  }

  // The int32 vector path: when every product fits in 31 bits, the product cast is a plain
  // right shift (AP_TRN, AP_WRAP) and no partial sum can leave int32, the whole layer is a
  // vectorizable multiply-shift-add. Columns where a product would wrap fall back to Column().
  void PrepareFast(const DenseSpec& s) {
    if constexpr (std::is_same_v<R, int64_t>) {
      const int shift = s.accum_t.lsb_exponent() - (s.in_t.lsb_exponent() + s.weight_t.lsb_exponent());
      const int prod_bits = s.in_t.width + s.weight_t.width;  // incl. sign
      if (!wrap_acc_ || s.accum_t.rounding != Rounding::kTrn || shift < 0 || shift > 30 ||
          prod_bits > 32 || s.accum_t.width > 30) {
        return;
      }
      // Bound on |sum of unwrapped shifted products| + |bias|.
      const double bound = static_cast<double>(s.n_in + 1) *
                           std::ldexp(1.0, std::max(prod_bits - 1 - shift, s.accum_t.width - 1));
      if (bound >= std::ldexp(1.0, 31)) return;
      fast_ = true;
      shift_ = shift;
      acc_lo_ = s.accum_t.is_signed ? -(int64_t{1} << (s.accum_t.width - 1)) : 0;
      acc_span_ = static_cast<uint32_t>((int64_t{1} << s.accum_t.width) - 1);
      w32_.resize(weight_.size());
      for (size_t k = 0; k < weight_.size(); ++k) w32_[k] = static_cast<int32_t>(weight_[k]);
      // A row is safe when even the largest input magnitude times its largest weight, shifted,
      // stays inside the accumulator range (then the per-product check can be skipped).
      const int64_t x_max = int64_t{1} << (s.in_t.width - (s.in_t.is_signed ? 1 : 0));
      const int64_t acc_hi = acc_lo_ + static_cast<int64_t>(acc_span_);
      row_safe_.assign(s.n_in, 0);
      for (int64_t i = 0; i < s.n_in; ++i) {
        int64_t w_max = 0;
        for (int64_t j = 0; j < s.n_out; ++j) {
          w_max = std::max<int64_t>(w_max, std::abs(weight_[i * s.n_out + j]));
        }
        const int64_t p = (x_max * w_max) >> shift;  // bound on |pc| (floor rounds down)
        row_safe_[i] = p + 1 <= acc_hi && -p - 1 >= acc_lo_;
      }
      b32_.resize(bias_acc_.size());
      for (size_t k = 0; k < bias_acc_.size(); ++k) b32_[k] = static_cast<int32_t>(bias_acc_[k]);
    }
  }

  void RunFast(const int64_t* x, int64_t* out, emu::LayerCounters& c) const {
    // Locals and int32 flags (not uint8_t, which may alias anything) let g++ vectorize the loop.
    thread_local std::vector<int32_t> acc, bad;
    const int64_t n_in = n_in_, n_out = n_out_;
    acc.assign(b32_.begin(), b32_.end());
    bad.assign(n_out, 0);
    int32_t* __restrict a = acc.data();
    int32_t* __restrict f = bad.data();
    const int32_t* __restrict weights = w32_.data();
    const uint32_t lo = static_cast<uint32_t>(acc_lo_);
    const uint32_t span = acc_span_;
    const int shift = shift_;
    for (int64_t i = 0; i < n_in; ++i) {
      const int32_t xi = static_cast<int32_t>(x[i]);
      if (xi == 0) continue;
      const int32_t* __restrict w = weights + i * n_out;
      if (row_safe_[i]) {  // no product of this row can leave the accumulator range
        for (int64_t j = 0; j < n_out; ++j) a[j] += (xi * w[j]) >> shift;
        continue;
      }
      for (int64_t j = 0; j < n_out; ++j) {
        const int32_t pc = (xi * w[j]) >> shift;
        a[j] += pc;
        f[j] |= (static_cast<uint32_t>(pc) - lo) > span;
      }
    }
    for (int64_t j = 0; j < n_out; ++j) {
      if (f[j]) {
        out[j] = Column(x, j, c);
        continue;
      }
      int64_t v = a[j];
      if (static_cast<uint64_t>(v - acc_lo_) > acc_span_) {
        v = emu::CastTo(v, accum_t_.lsb_exponent(), accum_t_, c);
      }
      out[j] = result_cast_(v, c);
    }
  }

  int64_t n_in_, n_out_;
  FixedType accum_t_;
  bool wrap_acc_;
  emu::Caster product_cast_, result_cast_;
  std::vector<R> weight_;    // raw, weight type, [n_in][n_out]
  std::vector<R> bias_acc_;  // raw, accumulator type
  bool fast_ = false;
  int shift_ = 0;
  int64_t acc_lo_ = 0;
  uint32_t acc_span_ = 0;
  std::vector<int32_t> w32_, b32_;
  std::vector<uint8_t> row_safe_;
};

class DenseFloatKernel final : public emu::FloatKernel {
 public:
  explicit DenseFloatKernel(DenseSpec s) : s_(std::move(s)) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    const double* x = inputs[0];
    for (int64_t j = 0; j < s_.n_out; ++j) out[j] = s_.bias[j];
    for (int64_t i = 0; i < s_.n_in; ++i) {
      const double* w = s_.weight.data() + i * s_.n_out;
      for (int64_t j = 0; j < s_.n_out; ++j) out[j] += x[i] * w[j];
    }
  }

 private:
  DenseSpec s_;
};

DenseSpec Spec(const ir::Node& node, const NodeInputs& inputs, bool with_types) {
  DenseSpec s;
  const ir::Tensor& w = node.weights.at("weight");
  s.n_in = w.shape[0];
  s.n_out = w.shape[1];
  s.weight = w.data;
  s.bias = node.weights.at("bias").data;
  if (with_types) {
    s.in_t = inputs[0]->Precision("result");
    s.weight_t = node.Precision("weight");
    s.bias_t = node.Precision("bias");
    s.accum_t = node.Precision("accum");
    s.result_t = node.Precision("result");
  }
  return s;
}

}  // namespace

using Impl = LayerImpl<LayerKind::kDense>;

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  const std::string where = "dense layer '" + node.name + "'";
  if (inputs.size() != 1) return InvalidArgument(where + ": expects exactly one input");
  const ir::Tensor* w = node.Weight("weight");
  const ir::Tensor* b = node.Weight("bias");
  if (!w || w->shape.size() != 2) {
    return InvalidArgument(where + ": needs a 2-D 'weight' tensor [n_in, n_out]");
  }
  if (!b || b->shape.size() != 1 || b->shape[0] != w->shape[1]) {
    return InvalidArgument(where + ": needs a 'bias' tensor of shape [" +
                           std::to_string(w->shape[1]) + "]");
  }
  const ir::Shape& in = inputs[0]->shape;
  if (in.size() != 1) {
    return InvalidArgument(where + ": input '" + inputs[0]->name + "' has shape " +
                           ir::FormatShape(in) + "; dense needs a 1-D input (flatten it first)");
  }
  if (in[0] != w->shape[0]) {
    return InvalidArgument(where + ": input '" + inputs[0]->name + "' has " +
                           std::to_string(in[0]) + " features but the weight expects " +
                           std::to_string(w->shape[0]));
  }
  node.shape = {w->shape[1]};
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  return std::unique_ptr<emu::Kernel<R>>(new DenseKernel<R>(Spec(node, inputs, true)));
}

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs& inputs) {
  return std::unique_ptr<emu::FloatKernel>(new DenseFloatKernel(Spec(node, inputs, false)));
}

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kDense);

}  // namespace firmnet::layers
