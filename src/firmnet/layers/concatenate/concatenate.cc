// Concatenate: row-major, the output is `outer` blocks (the product of the dimensions before the
// axis), each holding one block of every input in input order; input k's block has
// inner_k = (its dimensions from the axis on) values. Every value is cast from its input's type
// to the result type (hls4ml: res[...] = data[...]). More than two inputs are the same
// arithmetic as chaining two-input concatenates with the result type.
#include "firmnet/layers/concatenate/concatenate.h"

#include <algorithm>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/merge.h"
#include "firmnet/layers/common/raw.h"

namespace firmnet::layers {
namespace {

struct ConcatSpec {
  int64_t outer = 1;
  std::vector<int64_t> inner;  // per input
  int64_t out_inner = 0;       // sum of inner
};

// The axis as an index into the shape (no batch), or an error.
StatusOr<size_t> Axis(const ir::Node& node, size_t rank) {
  const int64_t axis = node.GetIntOr("axis", -1);
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    return InvalidArgument(common::LayerLabel(node) + ": attribute 'axis' = " +
                           std::to_string(axis) + " is out of range for inputs of rank " +
                           std::to_string(rank) + " (shapes exclude the batch; valid axes are " +
                           std::to_string(-r) + " to " + std::to_string(r - 1) + ")");
  }
  return static_cast<size_t>(axis < 0 ? axis + r : axis);
}

ConcatSpec Spec(const ir::Node& node, const NodeInputs& inputs) {
  const size_t axis = *Axis(node, node.shape.size());  // InferShape has checked it
  ConcatSpec s;
  for (size_t d = 0; d < axis; ++d) s.outer *= node.shape[d];
  for (const ir::Node* in : inputs) {
    int64_t inner = 1;
    for (size_t d = axis; d < in->shape.size(); ++d) inner *= in->shape[d];
    s.inner.push_back(inner);
    s.out_inner += inner;
  }
  return s;
}

template <typename R>
class ConcatKernel final : public emu::Kernel<R> {
 public:
  ConcatKernel(ConcatSpec spec, const std::vector<FixedType>& in, const FixedType& result)
      : spec_(std::move(spec)) {
    for (const FixedType& t : in) {
      casts_.emplace_back(t.lsb_exponent(), result);
      identity_.push_back(t == result);
    }
  }
  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    for (int64_t o = 0; o < spec_.outer; ++o) {
      for (size_t k = 0; k < inputs.size(); ++k) {
        const int64_t n = spec_.inner[k];
        const R* x = inputs[k] + o * n;
        if (identity_[k]) {
          std::copy(x, x + n, out);
        } else {
          for (int64_t i = 0; i < n; ++i) out[i] = casts_[k](x[i], c);
        }
        out += n;
      }
    }
  }

 private:
  ConcatSpec spec_;
  std::vector<emu::Caster> casts_;
  std::vector<bool> identity_;
};

class ConcatFloatKernel final : public emu::FloatKernel {
 public:
  explicit ConcatFloatKernel(ConcatSpec spec) : spec_(std::move(spec)) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    for (int64_t o = 0; o < spec_.outer; ++o) {
      for (size_t k = 0; k < inputs.size(); ++k) {
        const int64_t n = spec_.inner[k];
        out = std::copy(inputs[k] + o * n, inputs[k] + (o + 1) * n, out);
      }
    }
  }

 private:
  ConcatSpec spec_;
};

}  // namespace

using Impl = LayerImpl<LayerKind::kConcatenate>;

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::CheckMergeInputs(node, inputs, 2, kAnyInputs));
  const ir::Shape& first = inputs[0]->shape;
  FIRMNET_ASSIGN_OR_RETURN(const size_t axis, Axis(node, first.size()));
  ir::Shape out = first;
  for (size_t k = 1; k < inputs.size(); ++k) {
    const ir::Shape& s = inputs[k]->shape;
    bool others_equal = s.size() == first.size();
    for (size_t d = 0; others_equal && d < s.size(); ++d) {
      others_equal = d == axis || s[d] == first[d];
    }
    if (!others_equal) {
      return InvalidArgument(common::LayerLabel(node) + ": input '" + inputs[k]->name +
                             "' has shape " + ir::FormatShape(s) + " but input '" +
                             inputs[0]->name + "' has shape " + ir::FormatShape(first) +
                             "; concatenating along axis " + std::to_string(axis) +
                             " needs inputs of one rank with every other dimension equal");
    }
    out[axis] += s[axis];
  }
  node.shape = out;
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  std::vector<FixedType> in;
  bool fits64 = true;
  const FixedType& result = node.Precision("result");
  for (const ir::Node* i : inputs) {
    in.push_back(i->Precision("result"));
    fits64 = fits64 && common::FitsInt64({in.back(), result});
  }
  ConcatSpec spec = Spec(node, inputs);
  if constexpr (std::is_same_v<R, int64_t>) {
    if (!fits64) {
      std::vector<int64_t> sizes;
      for (const ir::Node* i : inputs) sizes.push_back(ir::NumElements(i->shape));
      return std::unique_ptr<emu::Kernel<int64_t>>(std::make_unique<common::BigIntAdapter>(
          std::make_unique<ConcatKernel<BigInt>>(std::move(spec), in, result), std::move(sizes),
          ir::NumElements(node.shape)));
    }
  }
  return std::unique_ptr<emu::Kernel<R>>(
      std::make_unique<ConcatKernel<R>>(std::move(spec), in, result));
}

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs& inputs) {
  return std::unique_ptr<emu::FloatKernel>(std::make_unique<ConcatFloatKernel>(Spec(node, inputs)));
}

StatusOr<std::optional<FixedType>> Impl::InferPrecision(const ir::Node& node,
                                                        const NodeInputs& inputs,
                                                        std::string_view slot,
                                                        const PrecisionContext& ctx) {
  if (slot != "result" || inputs.empty()) return std::optional<FixedType>();
  const FixedType& first = inputs[0]->Precision("result");
  if (std::all_of(inputs.begin(), inputs.end(),
                  [&](const ir::Node* in) { return in->Precision("result") == first; })) {
    return std::optional<FixedType>(first);
  }
  common::InferredBits bits = common::BitsOf(first);
  // hls4ml (two inputs): the first input's mode unless it is the default, else the second's.
  Rounding rounding = Rounding::kTrn;
  Overflow overflow = Overflow::kWrap;
  int sat_bits = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const FixedType& t = inputs[k]->Precision("result");
    if (k > 0) bits = common::EitherBits(bits, common::BitsOf(t));
    if (rounding == Rounding::kTrn) rounding = t.rounding;
    if (overflow == Overflow::kWrap) overflow = t.overflow;
    if (sat_bits == 0) sat_bits = t.sat_bits;
  }
  FIRMNET_ASSIGN_OR_RETURN(
      FixedType t,
      common::FinishInferred(bits, ctx, common::LayerLabel(node) + ": precision 'result'"));
  // N matters only to AP_WRAP; the HLS types ignore it for the saturating modes.
  FIRMNET_ASSIGN_OR_RETURN(t, MakeFixedType(t.width, t.int_bits, t.is_signed, rounding, overflow,
                                            overflow == Overflow::kWrap ? sat_bits : 0));
  return std::optional<FixedType>(t);
}

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kConcatenate);

}  // namespace firmnet::layers
