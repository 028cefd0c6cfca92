// Dense, exactly as hls4ml computes it (docs/semantics.md, "Dense"):
//   acc_j = (accum_t) bias_j;  acc_j += (accum_t)(x_i * w_ij) for i in input order;
//   y_j = (result_t) acc_j.
// Each product is exact and then cast to the accumulator type. With a plain AP_WRAP accumulator
// the result does not depend on when the wraps happen, so the sum is kept exact and wrapped once
// (one overflow event per output whose sum does not fit). With any other accumulator overflow
// mode every addition is cast, in input order. Zero weights contribute nothing and are skipped.
#include "firmnet/layers/dense/dense.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "firmnet/layers/common/auto_precision.h"
#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/int32_lanes.h"
#include "firmnet/layers/common/po2_product.h"

namespace firmnet::layers {
namespace {

using common::Int32Casts;
using common::PlanInt32Casts;
using common::SafeInputMagnitude;

struct DenseSpec {
  int64_t n_in = 0, n_out = 0;
  FixedType in_t, weight_t, bias_t, accum_t, result_t;
  std::vector<double> weight;             // [n_in][n_out]
  std::vector<double> bias;               // [n_out]
  std::optional<common::Po2Product> po2;  // hls4ml's shift product for po2 weights
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
        result_cast_(s.accum_t.lsb_exponent(), s.result_t),
        po2_(s.po2),
        po2_cast_(s.po2 ? s.po2->type().lsb_exponent() : 0, s.accum_t) {
    R tag{};
    emu::LayerCounters ignored;  // weight/bias quantization is not an inference event
    weight_.reserve(s.weight.size());
    for (double w : s.weight) weight_.push_back(emu::QuantizeWeightTo(w, s.weight_t, tag));
    for (double b : s.bias) {
      const R braw = emu::QuantizeWeightTo(b, s.bias_t, tag);
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
      const R pc = po2_ ? po2_cast_((*po2_)(x[i], w, c), c) : product_cast_(x[i] * w, c);
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
  //
  // Layout: the columns are cut into blocks of kBlock (zero-padded), each block's weights stored
  // row after row, so that one block's accumulators stay in vector registers while the rows
  // stream past. A row whose input magnitude is at most x_safe_[i] cannot wrap any product cast,
  // so it skips the per-product check (the common case: activations are far from full scale).
  static constexpr int64_t kBlock = 32;

  void PrepareFast(const DenseSpec& s) {
    if (s.po2) return;  // the shift product has its own casts: the reference path
    if constexpr (std::is_same_v<R, int64_t>) {
      const int shift =
          s.accum_t.lsb_exponent() - (s.in_t.lsb_exponent() + s.weight_t.lsb_exponent());
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
      casts_ = PlanInt32Casts(s.accum_t, s.result_t);
      n_blocks_ = (s.n_in > 0 ? (s.n_out + kBlock - 1) / kBlock : 0);
      wb_.assign(n_blocks_ * s.n_in * kBlock, 0);
      bb_.assign(n_blocks_ * kBlock, 0);
      for (int64_t j = 0; j < s.n_out; ++j) {
        const int64_t b = j / kBlock, jj = j % kBlock;
        bb_[b * kBlock + jj] = static_cast<int32_t>(bias_acc_[j]);
        for (int64_t i = 0; i < s.n_in; ++i) {
          wb_[(b * s.n_in + i) * kBlock + jj] = static_cast<int32_t>(weight_[i * s.n_out + j]);
        }
      }
      // x_safe_[i]: the largest |x| of row i whose products cannot wrap the accumulator.
      x_safe_.assign(s.n_in, 0);
      for (int64_t i = 0; i < s.n_in; ++i) {
        int64_t w_max = 0;
        for (int64_t j = 0; j < s.n_out; ++j) {
          w_max = std::max<int64_t>(w_max, std::abs(weight_[i * s.n_out + j]));
        }
        x_safe_[i] = SafeInputMagnitude(w_max, casts_, shift);
      }
    }
  }

  // Eight int32 lanes (one AVX2 register; g++ lowers it to narrower code without AVX2).
  typedef int32_t Lanes __attribute__((vector_size(32)));
  typedef uint32_t ULanes __attribute__((vector_size(32)));
  static constexpr int64_t kLanes = 8;
  static_assert(kBlock % kLanes == 0);

  // Through a reference, not a return value: returning a 32-byte vector from a function
  // compiled without AVX changes the ABI (g++ -Wpsabi).
  static void LoadLanes(Lanes& v, const int32_t* p) { std::memcpy(&v, p, sizeof v); }

  // Compiled twice, for AVX2 and for the baseline ISA, and picked when the program loads (the
  // library is built without -march=native). Integer arithmetic only: both give the same bits.
  __attribute__((target_clones("avx2", "default"))) void RunFast(const int64_t* x, int64_t* out,
                                                                 emu::LayerCounters& c) const {
    // The non-zero inputs (branch-free: about half the inputs are zero after a ReLU, at random),
    // and whether any of them is large enough that a product cast might wrap.
    thread_local std::vector<int32_t> scratch;
    const int64_t n_in = n_in_, n_out = n_out_;
    if (static_cast<int64_t>(scratch.size()) < 2 * n_in) scratch.resize(2 * n_in);
    int32_t* const rows = scratch.data();
    int32_t* const xs = rows + n_in;
    int64_t n_rows = 0;
    int32_t unsafe = 0;
    for (int64_t i = 0; i < n_in; ++i) {
      const int32_t xi = static_cast<int32_t>(x[i]);
      const int32_t mag = xi < 0 ? -xi : xi;
      rows[n_rows] = static_cast<int32_t>(i * kBlock);
      xs[n_rows] = xi;
      n_rows += xi != 0;
      unsafe |= mag > x_safe_[i];
    }
    constexpr int64_t kVecs = kBlock / kLanes;
    const Lanes lo = Lanes{} + static_cast<int32_t>(casts_.acc_lo);
    const ULanes span = ULanes{} + casts_.acc_span;
    const int shift = shift_;
    // Copies: stores through `out` could otherwise alias the members in the loops below.
    const int64_t acc_lo = casts_.acc_lo;
    const uint64_t acc_span = casts_.acc_span;
    const emu::Caster result_cast = result_cast_;
    for (int64_t b = 0; b < n_blocks_; ++b) {
      const int32_t* wblock = wb_.data() + b * n_in * kBlock;
      Lanes acc[kVecs], bad[kVecs];
      for (int64_t v = 0; v < kVecs; ++v) {
        LoadLanes(acc[v], bb_.data() + b * kBlock + v * kLanes);
        bad[v] = Lanes{};
      }
      if (!unsafe) {
        for (int64_t k = 0; k < n_rows; ++k) {
          const Lanes xi = Lanes{} + xs[k];
          const int32_t* w = wblock + rows[k];
          for (int64_t v = 0; v < kVecs; ++v) {
            Lanes wv;
            LoadLanes(wv, w + v * kLanes);
            acc[v] += (xi * wv) >> shift;
          }
        }
      } else {
        for (int64_t k = 0; k < n_rows; ++k) {
          const Lanes xi = Lanes{} + xs[k];
          const int32_t* w = wblock + rows[k];
          for (int64_t v = 0; v < kVecs; ++v) {
            Lanes wv;
            LoadLanes(wv, w + v * kLanes);
            const Lanes pc = (xi * wv) >> shift;
            acc[v] += pc;
            // Outside [acc_lo, acc_lo + span] as an unsigned offset: this product cast wraps.
            bad[v] |= reinterpret_cast<Lanes>(reinterpret_cast<ULanes>(pc - lo) > span);
          }
        }
      }
      const int64_t j_first = b * kBlock;
      const int64_t count = std::min(n_out, j_first + kBlock) - j_first;
      if (casts_.vector_out) {
        // Common case, whole block at once: no product wrapped, every sum is inside the
        // accumulator range and every result inside the result range (else the scalar loop).
        Lanes trouble = Lanes{};
        Lanes q[kVecs];
        for (int64_t v = 0; v < kVecs; ++v) {
          q[v] = acc[v] >> casts_.out_shift;
          trouble |= bad[v];
          trouble |= reinterpret_cast<Lanes>(reinterpret_cast<ULanes>(acc[v] - lo) > span);
          trouble |= reinterpret_cast<Lanes>(reinterpret_cast<ULanes>(q[v] - casts_.out_lo) >
                                             casts_.out_span);
        }
        int32_t trouble_out[kLanes];
        std::memcpy(trouble_out, &trouble, sizeof trouble_out);
        int32_t any = 0;
        for (int64_t l = 0; l < kLanes; ++l) any |= trouble_out[l];
        if (!any) {
          int32_t q_out[kBlock];
          std::memcpy(q_out, q, sizeof q_out);
          for (int64_t jj = 0; jj < count; ++jj) out[j_first + jj] = q_out[jj];
          continue;
        }
      }
      int32_t acc_out[kBlock], bad_out[kBlock];
      std::memcpy(acc_out, acc, sizeof acc_out);
      std::memcpy(bad_out, bad, sizeof bad_out);
      const int64_t j_end = std::min(n_out, (b + 1) * kBlock);
      for (int64_t j = b * kBlock; j < j_end; ++j) {
        const int64_t jj = j - b * kBlock;
        if (bad_out[jj]) {
          out[j] = Column(x, j, c);
          continue;
        }
        int64_t v = acc_out[jj];
        if (static_cast<uint64_t>(v - acc_lo) > acc_span) {
          v = emu::CastTo(v, accum_t_.lsb_exponent(), accum_t_, c);
        }
        out[j] = result_cast(v, c);
      }
    }
  }

  int64_t n_in_, n_out_;
  FixedType accum_t_;
  bool wrap_acc_;
  emu::Caster product_cast_, result_cast_;
  std::optional<common::Po2Product> po2_;
  emu::Caster po2_cast_;     // from the po2 product's r_t to the accumulator
  std::vector<R> weight_;    // raw, weight type, [n_in][n_out]
  std::vector<R> bias_acc_;  // raw, accumulator type
  bool fast_ = false;
  int shift_ = 0;
  Int32Casts casts_;  // the accumulator's range and the result cast
  int64_t n_blocks_ = 0;
  std::vector<int32_t> wb_, bb_;  // weights [block][n_in][kBlock], bias [block][kBlock]
  std::vector<int32_t> x_safe_;   // per row: the largest |x| that cannot wrap a product
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
  // The float reference computes with the float64 values where a float32 step made `data`.
  s.weight = with_types ? w.data : w.ReferenceData();
  s.bias = with_types ? node.weights.at("bias").data : node.weights.at("bias").ReferenceData();
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

StatusOr<std::optional<FixedType>> Impl::InferPrecision(const ir::Node& node,
                                                        const NodeInputs& inputs,
                                                        std::string_view slot,
                                                        const PrecisionContext& ctx) {
  // hls4ml: weight and bias take the default; accum and result hold every exact sum.
  if (slot != "accum" && slot != "result") return std::optional<FixedType>();
  if (!common::WeightTypeInferable(node)) return std::optional<FixedType>();  // Model default
  const ir::Tensor* w = node.Weight("weight");
  const int64_t n_in = w && !w->shape.empty() ? w->shape[0] : 1;
  FIRMNET_ASSIGN_OR_RETURN(
      FixedType t,
      common::ProductSumType(inputs[0]->Precision("result"), node.Precision("weight"),
                             node.Precision("bias"), n_in, ctx,
                             common::LayerLabel(node) + ": precision '" + std::string(slot) + "'"));
  return std::optional<FixedType>(t);
}

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
  DenseSpec s = Spec(node, inputs, true);
  FIRMNET_ASSIGN_OR_RETURN(s.po2, common::Po2Product::For(node, s.in_t, s.weight_t));
  return std::unique_ptr<emu::Kernel<R>>(new DenseKernel<R>(s));
}

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs& inputs) {
  return std::unique_ptr<emu::FloatKernel>(new DenseFloatKernel(Spec(node, inputs, false)));
}

FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kDense);

}  // namespace firmnet::layers
