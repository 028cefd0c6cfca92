// Pooling kernels (the contract is in pooling.h).
#include "firmnet/layers/common/pooling.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/raw.h"
#include "firmnet/layers/common/spatial.h"

namespace firmnet::layers::common {
namespace {

// ceil(log2(n)) for n >= 1 (hls4ml: int(np.ceil(np.log2(pool_size)))).
int CeilLog2(int64_t n) {
  int k = 0;
  while ((int64_t{1} << k) < n && k < 62) ++k;
  return k;
}

// Truncating division by a positive integer (C's `/`, and ap_fixed's division: the quotient
// goes toward zero).
int64_t TruncDiv(int64_t v, int64_t n) { return v / n; }
BigInt TruncDiv(const BigInt& v, int64_t n) {
  const bool negative = v.IsNegative();
  const BigInt magnitude = negative ? -v : v;
  BigInt q;
  unsigned __int128 rem = 0;
  for (int limb = BigInt::kLimbs - 1; limb >= 0; --limb) {
    const unsigned __int128 cur = (rem << 64) | magnitude.Limb(limb);
    const auto digit = static_cast<uint64_t>(cur / static_cast<uint64_t>(n));
    rem = cur % static_cast<uint64_t>(n);
    if (digit != 0) q = q | (BigInt::FromUnsigned(digit) << (64 * limb));
  }
  return negative ? -q : q;
}

void FromBigRaw(const BigInt& v, int64_t& out) { out = v.ToInt64(); }
void FromBigRaw(const BigInt& v, BigInt& out) { out = v; }

// One output position's window: the input cells (flat h * in_w + w) inside the input, in
// row-major order, whether any cell is padding, and the average's divisor.
struct Window {
  std::vector<int64_t> cells;
  bool has_pad = false;
  int64_t divisor = 1;
};

std::vector<Window> Windows(const PoolGeometry& g) {
  std::vector<Window> out;
  out.reserve(static_cast<size_t>(g.out_h * g.out_w));
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    for (int64_t ow = 0; ow < g.out_w; ++ow) {
      Window win;
      for (int64_t kh = 0; kh < g.k_h; ++kh) {
        for (int64_t kw = 0; kw < g.k_w; ++kw) {
          const int64_t h = oh * g.s_h + kh - g.pad_t;
          const int64_t w = ow * g.s_w + kw - g.pad_l;
          if (h >= 0 && h < g.in_h && w >= 0 && w < g.in_w) {
            win.cells.push_back(h * g.in_w + w);
          } else {
            win.has_pad = true;
          }
        }
      }
      win.divisor = g.count_pad ? g.k_h * g.k_w : static_cast<int64_t>(win.cells.size());
      out.push_back(std::move(win));
    }
  }
  return out;
}

template <typename R>
class PoolKernel final : public emu::Kernel<R> {
 public:
  PoolKernel(PoolOp op, const PoolGeometry& g, const FixedType& in_t, const FixedType& accum_t,
             const FixedType& result_t)
      : op_(op),
        channels_(g.channels),
        windows_(Windows(g)),
        sum_exponent_(std::min(in_t.lsb_exponent(), accum_t.lsb_exponent())),
        acc_shift_(accum_t.lsb_exponent() - sum_exponent_),
        in_shift_(in_t.lsb_exponent() - sum_exponent_),
        sum_cast_(sum_exponent_, accum_t),
        to_accum_(in_t.lsb_exponent(), accum_t),
        to_result_(accum_t.lsb_exponent(), result_t) {
    FromBigRaw(MaxPoolPadValue(in_t), pad_value_);
  }

  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    const R* x = inputs[0];
    for (size_t o = 0; o < windows_.size(); ++o) {
      const Window& win = windows_[o];
      for (int64_t ch = 0; ch < channels_; ++ch) {
        out[static_cast<int64_t>(o) * channels_ + ch] =
            op_ == PoolOp::kMax ? Max(win, x, ch, c) : Average(win, x, ch, c);
      }
    }
  }

 private:
  R Max(const Window& win, const R* x, int64_t ch, emu::LayerCounters& c) const {
    // Every window holds at least one input cell (pads are smaller than the pool).
    R m = win.has_pad ? pad_value_ : x[win.cells[0] * channels_ + ch];
    for (int64_t cell : win.cells) {
      const R& v = x[cell * channels_ + ch];
      if (v > m) m = v;
    }
    return to_result_(to_accum_(m, c), c);  // accum_t max(...) returns the input-type value
  }

  R Average(const Window& win, const R* x, int64_t ch, emu::LayerCounters& c) const {
    R acc(0);
    for (int64_t cell : win.cells) {
      acc = sum_cast_((acc << acc_shift_) + (x[cell * channels_ + ch] << in_shift_), c);
    }
    // The quotient has the accumulator's format and magnitude at most |acc|: assigning it back
    // to accum_t changes nothing.
    if (win.divisor != 1) acc = TruncDiv(acc, win.divisor);
    return to_result_(acc, c);
  }

  PoolOp op_;
  int64_t channels_;
  std::vector<Window> windows_;
  int sum_exponent_, acc_shift_, in_shift_;
  emu::Caster sum_cast_, to_accum_, to_result_;
  R pad_value_{};
};

class PoolFloatKernel final : public emu::FloatKernel {
 public:
  PoolFloatKernel(PoolOp op, const PoolGeometry& g)
      : op_(op), channels_(g.channels), windows_(Windows(g)) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    const double* x = inputs[0];
    for (size_t o = 0; o < windows_.size(); ++o) {
      const Window& win = windows_[o];
      for (int64_t ch = 0; ch < channels_; ++ch) {
        double r = op_ == PoolOp::kMax ? x[win.cells[0] * channels_ + ch] : 0.0;
        for (int64_t cell : win.cells) {
          const double v = x[cell * channels_ + ch];
          r = op_ == PoolOp::kMax ? std::max(r, v) : r + v;
        }
        if (op_ == PoolOp::kAverage) r /= static_cast<double>(win.divisor);
        out[static_cast<int64_t>(o) * channels_ + ch] = r;
      }
    }
  }

 private:
  PoolOp op_;
  int64_t channels_;
  std::vector<Window> windows_;
};

// "3x3" (2-D) or "length 3" (1-D) for messages.
std::string Extent(const std::vector<int64_t>& dims) {
  if (dims.size() == 1) return "length " + std::to_string(dims[0]);
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}

}  // namespace

StatusOr<PoolGeometry> PoolGeometryOf(const PoolKind& kind, const ir::Node& node,
                                      const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(ir::Shape in, FeatureMapInput(node, inputs, kind.spatial_rank));
  const size_t rank = static_cast<size_t>(kind.spatial_rank);
  PoolGeometry g;
  g.channels = in.back();
  g.in_h = rank == 2 ? in[0] : 1;
  g.in_w = in[rank - 1];
  if (kind.global) {
    g.k_h = g.in_h;
    g.k_w = g.in_w;
    return g;
  }
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> k, IntsAttr(node, "pool_size", rank));
  for (int64_t v : k) {
    if (v <= 0) {
      return InvalidArgument("attribute 'pool_size' = " + ir::FormatShape(k) + " must be positive");
    }
  }
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> s, IntsAttr(node, "strides", rank, k));
  for (int64_t v : s) {
    if (v <= 0) {
      return InvalidArgument("attribute 'strides' = " + ir::FormatShape(s) + " must be positive");
    }
  }
  FIRMNET_ASSIGN_OR_RETURN(Margins pads, MarginsAttr(node, "pads", kind.spatial_rank,
                                                     std::vector<int64_t>(2 * rank, 0)));
  std::vector<int64_t> padded(rank);
  for (size_t a = 0; a < rank; ++a) {
    if (pads.begin[a] >= k[a] || pads.end[a] >= k[a]) {
      std::vector<int64_t> all = pads.begin;
      all.insert(all.end(), pads.end.begin(), pads.end.end());
      return InvalidArgument("pads " + ir::FormatShape(all) + " exceed the pool size " +
                             ir::FormatShape(k) +
                             " (each pad must be smaller than the pool along its axis)");
    }
    padded[a] = in[a] + pads.begin[a] + pads.end[a];
  }
  for (size_t a = 0; a < rank; ++a) {
    if (k[a] > padded[a]) {
      return InvalidArgument("pool_size " + ir::FormatShape(k) +
                             " is larger than the padded input " + Extent(padded));
    }
  }
  if (kind.op == PoolOp::kAverage) {
    const int64_t count_pad =
        node.attrs.count("count_include_pad") != 0 ? node.GetIntOr("count_include_pad", -1) : 0;
    if (count_pad != 0 && count_pad != 1) {
      return InvalidArgument("attribute 'count_include_pad' must be 0 or 1");
    }
    g.count_pad = count_pad == 1;
  }
  const size_t h = 0, w = rank - 1;  // axis indices in the attribute lists
  if (rank == 2) {
    g.k_h = k[h];
    g.s_h = s[h];
    g.pad_t = pads.begin[h];
    g.out_h = (padded[h] - k[h]) / s[h] + 1;
  }
  g.k_w = k[w];
  g.s_w = s[w];
  g.pad_l = pads.begin[w];
  g.out_w = (padded[w] - k[w]) / s[w] + 1;
  return g;
}

Status PoolInferShape(const PoolKind& kind, ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(PoolGeometry g, PoolGeometryOf(kind, node, inputs));
  if (kind.global) {
    node.shape = {g.channels};
  } else if (kind.spatial_rank == 1) {
    node.shape = {g.out_w, g.channels};
  } else {
    node.shape = {g.out_h, g.out_w, g.channels};
  }
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakePoolKernel(const PoolKind& kind, const ir::Node& node,
                                                         const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(PoolGeometry g, PoolGeometryOf(kind, node, inputs));
  const FixedType& in_t = inputs[0]->Precision("result");
  const FixedType& accum_t = node.Precision("accum");
  const FixedType& result_t = node.Precision("result");
  if constexpr (std::is_same_v<R, int64_t>) {
    if (!FitsInt64({in_t, accum_t, result_t})) {
      auto inner = std::make_unique<PoolKernel<BigInt>>(kind.op, g, in_t, accum_t, result_t);
      return std::unique_ptr<emu::Kernel<int64_t>>(std::make_unique<BigIntAdapter>(
          std::move(inner), std::vector<int64_t>{ir::NumElements(inputs[0]->shape)},
          g.out_h * g.out_w * g.channels));
    }
  }
  return std::unique_ptr<emu::Kernel<R>>(
      std::make_unique<PoolKernel<R>>(kind.op, g, in_t, accum_t, result_t));
}

template StatusOr<std::unique_ptr<emu::Kernel<int64_t>>> MakePoolKernel<int64_t>(const PoolKind&,
                                                                                 const ir::Node&,
                                                                                 const NodeInputs&);
template StatusOr<std::unique_ptr<emu::Kernel<BigInt>>> MakePoolKernel<BigInt>(const PoolKind&,
                                                                               const ir::Node&,
                                                                               const NodeInputs&);

StatusOr<std::unique_ptr<emu::FloatKernel>> MakePoolFloatKernel(const PoolKind& kind,
                                                                const ir::Node& node,
                                                                const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(PoolGeometry g, PoolGeometryOf(kind, node, inputs));
  return std::unique_ptr<emu::FloatKernel>(std::make_unique<PoolFloatKernel>(kind.op, g));
}

StatusOr<std::optional<FixedType>> PoolInferPrecision(const PoolKind& kind, const ir::Node& node,
                                                      const NodeInputs& inputs,
                                                      std::string_view slot) {
  if (kind.global || inputs.empty() || inputs[0] == nullptr) return std::optional<FixedType>();
  const FixedType& in_t = inputs[0]->Precision("result");
  if (slot == "result" || (slot == "accum" && kind.op == PoolOp::kMax)) {
    return std::optional<FixedType>(in_t);
  }
  if (slot != "accum") return std::optional<FixedType>();
  int64_t window = 1;
  for (int64_t v : node.GetIntsOr("pool_size", {})) window *= std::max<int64_t>(v, 1);
  const int extra = CeilLog2(window);
  const int width = in_t.width + 2 * extra;
  if (width > FixedType::kMaxWidth) {
    return InvalidArgument(
        LayerLabel(node) + ": precision 'accum': 'auto' needs " + std::to_string(width) +
        " bits (input width " + std::to_string(in_t.width) + " + 2 * " + std::to_string(extra) +
        " for a window of " + std::to_string(window) + "), more than the maximum of " +
        std::to_string(FixedType::kMaxWidth) + "; give an explicit type");
  }
  FIRMNET_ASSIGN_OR_RETURN(FixedType t,
                           MakeFixedType(width, in_t.int_bits + extra, in_t.is_signed));
  return std::optional<FixedType>(t);
}

BigInt MaxPoolPadValue(const FixedType& in_t) {
  // hls4ml's pad_val<T, Max>(): T x = 0; x[x.width - 1] = 1.
  const BigInt top = BigInt::PowerOfTwo(in_t.width - 1);
  return in_t.is_signed ? -top : top;
}

}  // namespace firmnet::layers::common
