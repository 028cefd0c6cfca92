// Elementwise merges, exactly as hls4ml's nnet_merge.h computes them (docs/semantics.md,
// "Merges"). For two inputs a (type A) and b (type B):
//   add:      (result_t)(a + b)        subtract: (result_t)(a - b)
//   multiply: (result_t)(a * b)        average:  (result_t)((a + b) * ap_ufixed<1,0>(0.5))
//   maximum:  a > b ? (result_t) a : (result_t) b    minimum: a < b ? (result_t) a : (result_t) b
// where sums, differences, products and comparisons of ap_fixed values are exact. More inputs:
// see merge.h.
#include "firmnet/layers/common/merge.h"

#include <algorithm>
#include <vector>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/raw.h"

namespace firmnet::layers::common {
namespace {

// Cast() takes exact values of at most 2 * 128 + 2 bits.
constexpr int kMaxExactBits = 2 * FixedType::kMaxWidth + 2;

std::string OpName(const ir::Node& node) { return std::string(LayerKindId(node.kind)); }

std::vector<FixedType> InputTypes(const NodeInputs& inputs) {
  std::vector<FixedType> types;
  types.reserve(inputs.size());
  for (const ir::Node* in : inputs) types.push_back(in->Precision("result"));
  return types;
}

bool AllFitInt64(const std::vector<FixedType>& in, const FixedType& result) {
  for (const FixedType& t : in) {
    if (!common::FitsInt64({t, result})) return false;
    for (const FixedType& u : in) {
      if (!common::FitsInt64({t, u})) return false;
    }
  }
  return true;
}

// One step of a fold: acc (exponent ea) op x (exponent eb), exact, then cast to the result.
struct FoldStep {
  int shift_a = 0, shift_b = 0;  // alignment onto the finer grid (0 for multiply)
  emu::Caster cast;
  int bits = 0;  // a bound on the exact value's width, sign included
};

std::vector<FoldStep> FoldSteps(MergeOp op, const std::vector<FixedType>& in,
                                const FixedType& result) {
  std::vector<FoldStep> steps;
  int ea = in[0].lsb_exponent(), wa = in[0].width;
  for (size_t k = 1; k < in.size(); ++k) {
    const int eb = in[k].lsb_exponent(), wb = in[k].width;
    FoldStep s;
    if (op == MergeOp::kMultiply) {
      s.cast = emu::Caster(ea + eb, result);
      s.bits = wa + wb;
    } else {
      const int e = std::min(ea, eb);
      s.shift_a = ea - e;
      s.shift_b = eb - e;
      s.cast = emu::Caster(e, result);
      s.bits = std::max(wa + s.shift_a, wb + s.shift_b) + 1;
    }
    steps.push_back(s);
    ea = result.lsb_exponent();
    wa = result.width;
  }
  return steps;
}

template <typename R>
class FoldKernel final : public emu::Kernel<R> {
 public:
  FoldKernel(MergeOp op, int64_t size, std::vector<FoldStep> steps)
      : op_(op), size_(size), steps_(std::move(steps)) {}

  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    const R* a = inputs[0];
    for (size_t k = 0; k < steps_.size(); ++k) {
      const R* b = inputs[k + 1];
      const FoldStep& s = steps_[k];
      for (int64_t i = 0; i < size_; ++i) out[i] = s.cast(Combine(a[i], b[i], s), c);
      a = out;  // the next step reads the intermediate, already in the result type
    }
  }

 private:
  R Combine(const R& a, const R& b, const FoldStep& s) const {
    if (op_ == MergeOp::kMultiply) return a * b;
    const R x = a << s.shift_a;
    const R y = b << s.shift_b;
    switch (op_) {
      case MergeOp::kAdd:
        return x + y;
      case MergeOp::kSubtract:
        return x - y;
      case MergeOp::kMaximum:
        return x > y ? x : y;
      case MergeOp::kMinimum:
        return x < y ? x : y;
      case MergeOp::kMultiply:
      case MergeOp::kAverage:
        break;
    }
    FIRMNET_CHECK(false) << "not a fold merge";
    return x;
  }

  MergeOp op_;
  int64_t size_;
  std::vector<FoldStep> steps_;
};

// The exact mean (x_0 + ... + x_{n-1}) / n cast once. The sum s is exact on the finest input
// grid 2^e. With f = min(e, t - 1) (t: the result's lsb exponent), s * 2^e / n lies in
// [q, q + 1) * 2^f, q = floor(s * 2^(e-f) / n). When the division leaves a remainder, the value
// 2q + 1 at 2^(f-1) lies strictly inside the same interval; no multiple of 2^(t-1) (a grid point
// or a halfway point of the result) lies strictly inside it, so every rounding mode rounds both
// to the same result, and overflow follows from the rounded value.
struct MeanSpec {
  std::vector<int> shift;  // per input, onto the finest grid
  int extra = 0;           // e - f
  emu::Caster exact_cast, sticky_cast;
  int bits = 0;
};

MeanSpec MakeMeanSpec(const std::vector<FixedType>& in, const FixedType& result) {
  MeanSpec m;
  int e = in[0].lsb_exponent();
  for (const FixedType& t : in) e = std::min(e, t.lsb_exponent());
  int sum_bits = 0;
  for (const FixedType& t : in) {
    m.shift.push_back(t.lsb_exponent() - e);
    sum_bits = std::max(sum_bits, t.width + m.shift.back());
  }
  const int f = std::min(e, result.lsb_exponent() - 1);
  m.extra = e - f;
  m.exact_cast = emu::Caster(f, result);
  m.sticky_cast = emu::Caster(f - 1, result);
  m.bits = sum_bits + CeilLog2(static_cast<int64_t>(in.size())) + m.extra + 2;
  return m;
}

template <typename R>
class MeanKernel final : public emu::Kernel<R> {
 public:
  MeanKernel(int64_t size, MeanSpec spec) : size_(size), spec_(std::move(spec)) {}

  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    const int64_t n = static_cast<int64_t>(inputs.size());
    for (int64_t i = 0; i < size_; ++i) {
      R sum{};
      for (int64_t k = 0; k < n; ++k) sum = sum + (inputs[k][i] << spec_.shift[k]);
      R q{};
      const int64_t rem = FloorDivide(sum << spec_.extra, n, q);
      out[i] = rem == 0 ? spec_.exact_cast(q, c) : spec_.sticky_cast((q << 1) + R(1), c);
    }
  }

 private:
  int64_t size_;
  MeanSpec spec_;
};

class MergeFloatKernel final : public emu::FloatKernel {
 public:
  MergeFloatKernel(MergeOp op, int64_t size) : op_(op), size_(size) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    const size_t n = inputs.size();
    for (int64_t i = 0; i < size_; ++i) {
      double acc = inputs[0][i];
      for (size_t k = 1; k < n; ++k) {
        const double x = inputs[k][i];
        switch (op_) {
          case MergeOp::kAdd:
          case MergeOp::kAverage:
            acc += x;
            break;
          case MergeOp::kSubtract:
            acc -= x;
            break;
          case MergeOp::kMultiply:
            acc *= x;
            break;
          case MergeOp::kMaximum:
            acc = std::max(acc, x);
            break;
          case MergeOp::kMinimum:
            acc = std::min(acc, x);
            break;
        }
      }
      out[i] = op_ == MergeOp::kAverage ? acc / static_cast<double>(n) : acc;
    }
  }

 private:
  MergeOp op_;
  int64_t size_;
};

template <typename R>
std::unique_ptr<emu::Kernel<R>> NewKernel(MergeOp op, int64_t size,
                                          const std::vector<FixedType>& in,
                                          const FixedType& result) {
  if (op == MergeOp::kAverage) {
    return std::make_unique<MeanKernel<R>>(size, MakeMeanSpec(in, result));
  }
  return std::make_unique<FoldKernel<R>>(op, size, FoldSteps(op, in, result));
}

InferredBits SumBits(const InferredBits& a, const InferredBits& b, bool force_signed) {
  const int integer = std::max(a.integer + (b.is_signed && !a.is_signed ? 1 : 0),
                               b.integer + (a.is_signed && !b.is_signed ? 1 : 0)) +
                      1;
  const int frac = std::max(a.width - a.integer, b.width - b.integer);
  return {integer + frac, integer, a.is_signed || b.is_signed || force_signed};
}

}  // namespace

Status CheckMergeInputs(const ir::Node& node, const NodeInputs& inputs, int min_inputs,
                        int max_inputs) {
  const int n = static_cast<int>(inputs.size());
  if (n < min_inputs || (max_inputs != kAnyInputs && n > max_inputs)) {
    const std::string want = min_inputs == max_inputs ? "exactly " + std::to_string(min_inputs)
                             : max_inputs == kAnyInputs
                                 ? "at least " + std::to_string(min_inputs)
                                 : std::to_string(min_inputs) + " to " + std::to_string(max_inputs);
    return InvalidArgument(LayerLabel(node) + ": expects " + want + " inputs, got " +
                           std::to_string(n));
  }
  for (const ir::Node* in : inputs) {
    FIRMNET_CHECK(in != nullptr) << "merge layer '" << node.name << "' without its input";
    if (in->shape.empty()) {
      return InvalidArgument(LayerLabel(node) + ": input '" + in->name +
                             "' has no shape (shape inference has not run on it)");
    }
    for (int64_t d : in->shape) {
      if (d <= 0) {
        return InvalidArgument(LayerLabel(node) + ": input '" + in->name +
                               "' has a non-positive dimension in shape " +
                               ir::FormatShape(in->shape));
      }
    }
  }
  return OkStatus();
}

Status InferElementwiseMergeShape(ir::Node& node, const NodeInputs& inputs) {
  const LayerInfo& info = GetLayerInfo(node.kind);
  FIRMNET_RETURN_IF_ERROR(CheckMergeInputs(node, inputs, info.min_inputs, info.max_inputs));
  for (size_t k = 1; k < inputs.size(); ++k) {
    if (inputs[k]->shape != inputs[0]->shape) {
      return InvalidArgument(LayerLabel(node) + ": input '" + inputs[k]->name + "' has shape " +
                             ir::FormatShape(inputs[k]->shape) + " but input '" + inputs[0]->name +
                             "' has shape " + ir::FormatShape(inputs[0]->shape) + "; " +
                             OpName(node) + " needs inputs of one shape (it does not broadcast)");
    }
  }
  node.shape = inputs[0]->shape;
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeElementwiseMergeKernel(MergeOp op,
                                                                     const ir::Node& node,
                                                                     const NodeInputs& inputs) {
  const std::vector<FixedType> in = InputTypes(inputs);
  const FixedType& result = node.Precision("result");
  const int64_t size = ir::NumElements(node.shape);
  int bits = 0;
  if (op == MergeOp::kAverage) {
    bits = MakeMeanSpec(in, result).bits;
  } else {
    for (const FoldStep& s : FoldSteps(op, in, result)) bits = std::max(bits, s.bits);
  }
  if (bits > kMaxExactBits) {
    return InvalidArgument(LayerLabel(node) + ": the input and result types are too far apart " +
                           "to compute exactly (" + std::to_string(bits) + " bits; at most " +
                           std::to_string(kMaxExactBits) + "); choose types whose lsbs are closer");
  }
  if constexpr (std::is_same_v<R, int64_t>) {
    if (!AllFitInt64(in, result) || bits > 62) {
      return std::unique_ptr<emu::Kernel<int64_t>>(std::make_unique<BigIntAdapter>(
          NewKernel<BigInt>(op, size, in, result), std::vector<int64_t>(in.size(), size), size));
    }
  }
  return NewKernel<R>(op, size, in, result);
}

template StatusOr<std::unique_ptr<emu::Kernel<int64_t>>> MakeElementwiseMergeKernel<int64_t>(
    MergeOp, const ir::Node&, const NodeInputs&);
template StatusOr<std::unique_ptr<emu::Kernel<BigInt>>> MakeElementwiseMergeKernel<BigInt>(
    MergeOp, const ir::Node&, const NodeInputs&);

StatusOr<std::unique_ptr<emu::FloatKernel>> MakeElementwiseMergeFloatKernel(
    MergeOp op, const ir::Node& node, const NodeInputs& /*inputs*/) {
  return std::unique_ptr<emu::FloatKernel>(
      std::make_unique<MergeFloatKernel>(op, ir::NumElements(node.shape)));
}

InferredBits EitherBits(const InferredBits& a, const InferredBits& b) {
  const bool is_signed = a.is_signed || b.is_signed;
  const int ia = a.integer + (is_signed && !a.is_signed ? 1 : 0);
  const int ib = b.integer + (is_signed && !b.is_signed ? 1 : 0);
  const int integer = std::max(ia, ib);
  return {std::max(a.width - a.integer, b.width - b.integer) + integer, integer, is_signed};
}

StatusOr<std::optional<FixedType>> InferElementwiseMergePrecision(MergeOp op, const ir::Node& node,
                                                                  const NodeInputs& inputs,
                                                                  std::string_view slot,
                                                                  const PrecisionContext& ctx) {
  if (slot != "result" || inputs.empty()) return std::optional<FixedType>();
  const std::string who = LayerLabel(node) + ": precision 'result'";
  const std::vector<FixedType> in = InputTypes(inputs);
  InferredBits bits = BitsOf(in[0]);
  PrecisionContext capped = ctx;
  switch (op) {
    case MergeOp::kAdd:
    case MergeOp::kSubtract:
    case MergeOp::kAverage:
      for (size_t k = 1; k < in.size(); ++k) {
        bits = SumBits(bits, BitsOf(in[k]), op == MergeOp::kSubtract);
      }
      break;
    case MergeOp::kMultiply:
      for (size_t k = 1; k < in.size(); ++k) {
        bits = {bits.width + in[k].width, bits.integer + in[k].int_bits,
                bits.is_signed || in[k].is_signed};
      }
      break;
    case MergeOp::kMaximum:
    case MergeOp::kMinimum:
      if (std::all_of(in.begin(), in.end(), [&](const FixedType& t) { return t == in[0]; })) {
        return std::optional<FixedType>(in[0]);
      }
      for (size_t k = 1; k < in.size(); ++k) bits = EitherBits(bits, BitsOf(in[k]));
      capped.max_precision.reset();  // hls4ml caps no maximum/minimum type
      break;
  }
  FIRMNET_ASSIGN_OR_RETURN(FixedType t, FinishInferred(bits, capped, who));
  return std::optional<FixedType>(t);
}

int64_t FloorDivide(int64_t v, int64_t n, int64_t& q) {
  q = v / n;
  int64_t r = v % n;
  if (r < 0) {
    q -= 1;
    r += n;
  }
  return r;
}

int64_t FloorDivide(const BigInt& v, int64_t n, BigInt& q) {
  FIRMNET_CHECK(n > 0) << "FloorDivide by " << n;
  const bool negative = v.IsNegative();
  const BigInt m = negative ? -v : v;
  unsigned __int128 rem = 0;
  BigInt mq;
  for (int i = BigInt::kLimbs - 1; i >= 0; --i) {
    const unsigned __int128 cur = (rem << 64) | m.Limb(i);
    const auto digit = static_cast<uint64_t>(cur / static_cast<uint64_t>(n));
    rem = cur % static_cast<uint64_t>(n);
    if (digit != 0) mq = mq | (BigInt::FromUnsigned(digit) << (64 * i));
  }
  const auto r = static_cast<int64_t>(rem);
  if (!negative) {
    q = mq;
    return r;
  }
  if (r == 0) {
    q = -mq;
    return 0;
  }
  q = -mq - BigInt(1);
  return n - r;
}

}  // namespace firmnet::layers::common
