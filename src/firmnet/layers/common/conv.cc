// Convolutions, as hls4ml's io_parallel Latency kernels compute them (layers/common/conv.h).
//
// The arithmetic per output (pixel p, channel f) is dense's (layers/dense/dense.cc): each exact
// product cast to the accumulator, added in window order; with a plain AP_WRAP accumulator the
// sum is kept exact and wrapped once at the end (one overflow event per output whose sum does
// not fit), with any other accumulator every addition is cast. Zero weights, zero inputs and
// padded positions (zero inputs in hls4ml's im2col buffer) contribute nothing and are skipped.
//
// Two int64_t forms: the reference loop (every precision that FitsInt64 allows; BigInt beyond)
// and an int32 vector form for the common case, as dense has one (see PrepareFast).
#include "firmnet/layers/common/conv.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "firmnet/layers/common/auto_precision.h"
#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/int32_lanes.h"
#include "firmnet/layers/common/po2_product.h"
#include "firmnet/layers/common/raw.h"

namespace firmnet::layers::common {

Status InferConvShape(ir::Node& node, const NodeInputs& inputs) {
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument(LayerLabel(node) + ": expects exactly 1 input, got " +
                           std::to_string(inputs.size()));
  }
  auto g = GetConvGeometry(node, &inputs[0]->shape);
  if (!g.ok()) return InvalidArgument(LayerLabel(node) + ": " + g.status().message());
  node.shape =
      g->dims == 1 ? ir::Shape{g->out_w, g->c_out} : ir::Shape{g->out_h, g->out_w, g->c_out};
  return OkStatus();
}

StatusOr<std::optional<FixedType>> InferConvPrecision(const ir::Node& node,
                                                      const NodeInputs& inputs,
                                                      std::string_view slot,
                                                      const PrecisionContext& ctx) {
  if (slot != "accum" && slot != "result") return std::optional<FixedType>();
  if (!WeightTypeInferable(node)) return std::optional<FixedType>();  // the Model default
  auto g = GetConvGeometry(node, nullptr);
  if (!g.ok()) return InvalidArgument(LayerLabel(node) + ": " + g.status().message());
  FIRMNET_ASSIGN_OR_RETURN(
      FixedType t, ProductSumType(inputs[0]->Precision("result"), node.Precision("weight"),
                                  node.Precision("bias"), g->Taps(), ctx,
                                  LayerLabel(node) + ": precision '" + std::string(slot) + "'"));
  return std::optional<FixedType>(t);
}

namespace {

struct ConvSpec {
  ConvGeometry g;
  FixedType in_t, weight_t, bias_t, accum_t, result_t;
  std::vector<double> weight;  // [rows][c_out]: rows (kh, kw, c) for conv, (kh, kw) for depthwise
  std::vector<double> bias;    // [c_out]
  std::optional<Po2Product> po2;  // hls4ml's shift product for po2 weights
};

StatusOr<ConvSpec> Spec(const ir::Node& node, const NodeInputs& inputs, bool with_types) {
  ConvSpec s;
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument(LayerLabel(node) + ": expects exactly 1 input");
  }
  auto g = GetConvGeometry(node, &inputs[0]->shape);
  if (!g.ok()) return InvalidArgument(LayerLabel(node) + ": " + g.status().message());
  s.g = *g;
  // Keras's kernel layouts, flattened row-major, are already [rows][c_out]: conv
  // [kh][kw][c][f], depthwise [kh][kw][c][m] with f = c*M + m.
  const ir::Tensor& w = node.weights.at("weight");
  const ir::Tensor& b = node.weights.at("bias");
  s.weight = with_types ? w.data : w.ReferenceData();
  s.bias = with_types ? b.data : b.ReferenceData();
  if (with_types) {
    s.in_t = inputs[0]->Precision("result");
    s.weight_t = node.Precision("weight");
    s.bias_t = node.Precision("bias");
    s.accum_t = node.Precision("accum");
    s.result_t = node.Precision("result");
  }
  return s;
}

// Each output pixel's window positions that lie inside the input, in window order: the spatial
// tap (kh * k_w + kw) and the input pixel (ih * in_w + iw). Positions in the padding are zeros in
// hls4ml's buffer and contribute nothing.
struct Windows {
  std::vector<int32_t> begin;  // [out pixels + 1] into tap/pixel
  std::vector<int32_t> tap, pixel;
};

Windows BuildWindows(const ConvGeometry& g) {
  Windows w;
  w.begin.reserve(g.out_h * g.out_w + 1);
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    for (int64_t ow = 0; ow < g.out_w; ++ow) {
      w.begin.push_back(static_cast<int32_t>(w.tap.size()));
      for (int64_t kh = 0; kh < g.k_h; ++kh) {
        const int64_t ih = oh * g.stride_h - g.pad_top + kh;
        if (ih < 0 || ih >= g.in_h) continue;
        for (int64_t kw = 0; kw < g.k_w; ++kw) {
          const int64_t iw = ow * g.stride_w - g.pad_left + kw;
          if (iw < 0 || iw >= g.in_w) continue;
          w.tap.push_back(static_cast<int32_t>(kh * g.k_w + kw));
          w.pixel.push_back(static_cast<int32_t>(ih * g.in_w + iw));
        }
      }
    }
  }
  w.begin.push_back(static_cast<int32_t>(w.tap.size()));
  return w;
}

bool WrapAccumulator(const FixedType& t) {
  return t.overflow == Overflow::kWrap && t.sat_bits == 0;
}

// The largest magnitude a raw value of type t can have.
int64_t MaxMagnitude(const FixedType& t) {
  return t.is_signed ? int64_t{1} << (t.width - 1) : (int64_t{1} << t.width) - 1;
}

template <typename R>
class ConvKernel final : public emu::Kernel<R> {
 public:
  explicit ConvKernel(const ConvSpec& s)
      : g_(s.g),
        windows_(BuildWindows(s.g)),
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
    bias_acc_.reserve(s.bias.size());
    for (double b : s.bias) {
      const R braw = emu::QuantizeWeightTo(b, s.bias_t, tag);
      bias_acc_.push_back(emu::CastTo(braw, s.bias_t.lsb_exponent(), s.accum_t, ignored));
    }
    PrepareFast(s);
  }

  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    if constexpr (std::is_same_v<R, int64_t>) {
      if (fast_) {
        if (g_.depthwise) return RunFastDepthwise(inputs[0], out, c);
        return RunFastConv(inputs[0], out, c);
      }
    }
    RunReference(inputs[0], out, c);
  }

 private:
  // acc += (accum_t)(x * w), the reference way.
  void Add(R& acc, const R& x, const R& w, emu::LayerCounters& c) const {
    const R pc = po2_ ? po2_cast_((*po2_)(x, w, c), c) : product_cast_(x * w, c);
    if (wrap_acc_) {
      acc = acc + pc;  // exact; wrapped once in Finish
    } else {
      acc = emu::CastTo(acc + pc, accum_t_.lsb_exponent(), accum_t_, c);
    }
  }
  R Finish(R acc, emu::LayerCounters& c) const {
    if (wrap_acc_) acc = emu::CastTo(acc, accum_t_.lsb_exponent(), accum_t_, c);
    return result_cast_(acc, c);
  }

  // Every output, pixel by pixel; each output channel's products in window order.
  void RunReference(const R* x, R* out, emu::LayerCounters& c) const {
    const int64_t n_pix = g_.out_h * g_.out_w, n_out = g_.c_out, n_chan = g_.c_in;
    const int64_t m = g_.multiplier;
    std::vector<R> acc(n_out);
    for (int64_t p = 0; p < n_pix; ++p) {
      for (int64_t f = 0; f < n_out; ++f) acc[f] = bias_acc_[f];
      for (int32_t k = windows_.begin[p]; k < windows_.begin[p + 1]; ++k) {
        const int64_t tap = windows_.tap[k];
        const R* xp = x + static_cast<int64_t>(windows_.pixel[k]) * n_chan;
        if (!g_.depthwise) {
          for (int64_t ch = 0; ch < n_chan; ++ch) {
            if (xp[ch] == R{}) continue;
            const R* w = weight_.data() + (tap * n_chan + ch) * n_out;
            for (int64_t f = 0; f < n_out; ++f) {
              if (w[f] != R{}) Add(acc[f], xp[ch], w[f], c);
            }
          }
        } else {
          const R* w = weight_.data() + tap * n_out;
          for (int64_t f = 0; f < n_out; ++f) {
            const R& xv = xp[f / m];
            if (xv != R{} && w[f] != R{}) Add(acc[f], xv, w[f], c);
          }
        }
      }
      for (int64_t f = 0; f < n_out; ++f) out[p * n_out + f] = Finish(acc[f], c);
    }
  }

  // One output (pixel p, channel f), the reference way (the vector form's fallback).
  R Output(const R* x, int64_t p, int64_t f, emu::LayerCounters& c) const {
    const int64_t n_out = g_.c_out, n_chan = g_.c_in;
    R acc = bias_acc_[f];
    for (int32_t k = windows_.begin[p]; k < windows_.begin[p + 1]; ++k) {
      const int64_t tap = windows_.tap[k];
      const R* xp = x + static_cast<int64_t>(windows_.pixel[k]) * n_chan;
      if (!g_.depthwise) {
        for (int64_t ch = 0; ch < n_chan; ++ch) {
          const R& w = weight_[(tap * n_chan + ch) * n_out + f];
          if (xp[ch] != R{} && w != R{}) Add(acc, xp[ch], w, c);
        }
      } else {
        const R& xv = xp[f / g_.multiplier];
        const R& w = weight_[tap * n_out + f];
        if (xv != R{} && w != R{}) Add(acc, xv, w, c);
      }
    }
    return Finish(acc, c);
  }

  // The int32 vector form. When every product fits in 31 bits, the product cast is a plain right
  // shift (AP_TRN, AP_WRAP accumulator) and no partial sum can leave int32, a convolution is,
  // per output pixel, a multiply-shift-add over the window (dense's fast path, layers/dense).
  // Outputs where a product cast would wrap fall back to Output().
  //
  // Output channels are padded to a multiple of 8 lanes and cut into blocks of up to 32, whose
  // accumulators stay in vector registers while the window streams past. An input whose
  // magnitude is at most x_safe_[c] (its channel's bound over every weight it meets) cannot wrap
  // any product cast; a sample whose inputs all are safe skips the per-product check.
  static constexpr int64_t kLanes = 8;
  static constexpr int64_t kMaxVecs = 4;  // 32 output channels per block
  typedef int32_t Lanes __attribute__((vector_size(32)));
  typedef uint32_t ULanes __attribute__((vector_size(32)));

  void PrepareFast(const ConvSpec& s) {
    if (s.po2) return;  // the shift product has its own casts: the reference path
    if constexpr (std::is_same_v<R, int64_t>) {
      if (!FitsInt64({s.in_t, s.weight_t, s.bias_t, s.accum_t, s.result_t})) return;
      const int shift =
          s.accum_t.lsb_exponent() - (s.in_t.lsb_exponent() + s.weight_t.lsb_exponent());
      if (!wrap_acc_ || s.accum_t.rounding != Rounding::kTrn || shift < 0 || shift > 30 ||
          s.accum_t.width > 30 || s.in_t.width > 31 || s.weight_t.width > 31) {
        return;
      }
      const int64_t max_product = MaxMagnitude(s.in_t) * MaxMagnitude(s.weight_t);  // < 2^62
      if (max_product > INT32_MAX) return;
      // Bound on |sum of unwrapped shifted products| + |bias|.
      const double bound = static_cast<double>(s.g.Taps() + 1) *
                           std::max(std::ldexp(static_cast<double>(max_product), -shift) + 1.0,
                                    std::ldexp(1.0, s.accum_t.width));
      if (bound >= std::ldexp(1.0, 31)) return;
      fast_ = true;
      shift_ = shift;
      casts_ = PlanInt32Casts(s.accum_t, s.result_t);

      const int64_t n_out = s.g.c_out, n_chan = s.g.c_in;
      const int64_t rows = static_cast<int64_t>(weight_.size()) / std::max<int64_t>(n_out, 1);
      fpad_ = (n_out + kLanes - 1) / kLanes * kLanes;
      wf_.assign(rows * fpad_, 0);
      bf_.assign(fpad_, 0);
      for (int64_t f = 0; f < n_out; ++f) bf_[f] = static_cast<int32_t>(bias_acc_[f]);
      std::vector<int64_t> w_max(n_chan, 0);  // per input channel
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t f = 0; f < n_out; ++f) {
          const int64_t w = weight_[r * n_out + f];
          wf_[r * fpad_ + f] = static_cast<int32_t>(w);
          const int64_t ch = s.g.depthwise ? f / s.g.multiplier : r % n_chan;
          w_max[ch] = std::max<int64_t>(w_max[ch], std::abs(w));
        }
      }
      // x_safe_[c]: the largest |x| of channel c whose products cannot wrap the accumulator.
      x_safe_.assign(n_chan, 0);
      for (int64_t ch = 0; ch < n_chan; ++ch) {
        x_safe_[ch] = SafeInputMagnitude(w_max[ch], casts_, shift);
      }
    }
  }

  // Through a reference, not a return value: returning a 32-byte vector from a function
  // compiled without AVX changes the ABI (g++ -Wpsabi).
  static void LoadLanes(Lanes& v, const int32_t* p) { std::memcpy(&v, p, sizeof v); }

  // Conv scratch of one sample: each input pixel's non-zero inputs (many are zero after a
  // ReLU) as (value, offset c * fpad_ of the channel's weight row within a window position),
  // listed once and reused by every window that covers the pixel. Returns whether any input is
  // beyond its channel's safe bound.
  int32_t LoadConv(const int64_t* x, int32_t* __restrict begin, int32_t* __restrict xs,
                   int32_t* __restrict coff) const {
    const int64_t n_pix = g_.in_h * g_.in_w, n_chan = g_.c_in, fpad = fpad_;
    const int32_t* __restrict safe = x_safe_.data();
    int32_t unsafe = 0;
    int32_t n = 0;
    for (int64_t q = 0; q < n_pix; ++q) {
      begin[q] = n;
      const int64_t* xq = x + q * n_chan;
      for (int64_t ch = 0; ch < n_chan; ++ch) {
        const int32_t xi = static_cast<int32_t>(xq[ch]);
        unsafe |= (xi < 0 ? -xi : xi) > safe[ch];
        xs[n] = xi;  // branch-free: kept only when non-zero
        coff[n] = static_cast<int32_t>(ch * fpad);
        n += xi != 0;
      }
    }
    begin[n_pix] = n;
    return unsafe;
  }

  // Depthwise scratch of one sample: each input pixel's values repeated M times per channel
  // and padded to fpad_ lanes, so that they line up with the output channels c*M + m.
  int32_t LoadDepthwise(const int64_t* x, int32_t* __restrict xr) const {
    const int64_t n_pix = g_.in_h * g_.in_w, n_chan = g_.c_in, m = g_.multiplier;
    const int64_t n_out = g_.c_out, fpad = fpad_;
    const int32_t* __restrict safe = x_safe_.data();
    int32_t unsafe = 0;
    for (int64_t q = 0; q < n_pix; ++q) {
      const int64_t* xq = x + q * n_chan;
      int32_t* __restrict row = xr + q * fpad;
      for (int64_t ch = 0; ch < n_chan; ++ch) {
        const int32_t xi = static_cast<int32_t>(xq[ch]);
        unsafe |= (xi < 0 ? -xi : xi) > safe[ch];
      }
      if (m == 1) {
        for (int64_t ch = 0; ch < n_chan; ++ch) row[ch] = static_cast<int32_t>(xq[ch]);
      } else {
        for (int64_t ch = 0; ch < n_chan; ++ch) {
          for (int64_t k = 0; k < m; ++k) row[ch * m + k] = static_cast<int32_t>(xq[ch]);
        }
      }
      for (int64_t f = n_out; f < fpad; ++f) row[f] = 0;
    }
    return unsafe;
  }

  // Finishes the NV*8 output channels from f0 of pixel p: the common case whole (no product
  // wrapped, every sum inside the accumulator and every result inside the result range), else
  // lane by lane.
  template <int NV>
  [[gnu::always_inline]] inline void FinishBlock(const Lanes* acc, const Lanes* bad, int64_t p,
                                                 int64_t f0, const int64_t* x, int64_t* out,
                                                 emu::LayerCounters& c) const {
    const int64_t count = std::min<int64_t>(g_.c_out - f0, NV * kLanes);
    int64_t* o = out + p * g_.c_out + f0;
    const ULanes ulo = ULanes{} + static_cast<uint32_t>(casts_.acc_lo);
    const ULanes span = ULanes{} + casts_.acc_span;
    if (casts_.vector_out) {
      Lanes trouble = Lanes{};
      Lanes q[NV];
      const ULanes out_lo = ULanes{} + static_cast<uint32_t>(casts_.out_lo);
      const ULanes out_span = ULanes{} + casts_.out_span;
      for (int v = 0; v < NV; ++v) {
        q[v] = acc[v] >> casts_.out_shift;
        trouble |= bad[v];
        trouble |= reinterpret_cast<Lanes>(reinterpret_cast<ULanes>(acc[v]) - ulo > span);
        trouble |= reinterpret_cast<Lanes>(reinterpret_cast<ULanes>(q[v]) - out_lo > out_span);
      }
      int32_t t[kLanes];
      std::memcpy(t, &trouble, sizeof t);
      int32_t any = 0;
      for (int64_t l = 0; l < kLanes; ++l) any |= t[l];
      if (!any) {
        int32_t q_out[NV * kLanes];
        std::memcpy(q_out, q, sizeof q_out);
        for (int64_t j = 0; j < count; ++j) o[j] = q_out[j];
        return;
      }
    }
    int32_t acc_out[NV * kLanes], bad_out[NV * kLanes];
    std::memcpy(acc_out, acc, sizeof acc_out);
    std::memcpy(bad_out, bad, sizeof bad_out);
    const int64_t acc_lo = casts_.acc_lo;
    const uint64_t acc_span = casts_.acc_span;
    for (int64_t j = 0; j < count; ++j) {
      if (bad_out[j]) {
        o[j] = Output(x, p, f0 + j, c);
        continue;
      }
      int64_t v = acc_out[j];
      if (static_cast<uint64_t>(v - acc_lo) > acc_span) {
        v = emu::CastTo(v, accum_t_.lsb_exponent(), accum_t_, c);
      }
      o[j] = result_cast_(v, c);
    }
  }

  // One block of conv outputs: every window position's non-zero inputs times their weight rows.
  template <int NV>
  [[gnu::always_inline]] inline void ConvBlock(const int32_t* begin, const int32_t* xs,
                                               const int32_t* coff, bool unsafe, int64_t p,
                                               int64_t f0, const int64_t* x, int64_t* out,
                                               emu::LayerCounters& c) const {
    Lanes acc[NV], bad[NV];
    for (int v = 0; v < NV; ++v) {
      LoadLanes(acc[v], bf_.data() + f0 + v * kLanes);
      bad[v] = Lanes{};
    }
    const int shift = shift_;
    const int64_t tap_stride = g_.c_in * fpad_;
    const ULanes ulo = ULanes{} + static_cast<uint32_t>(casts_.acc_lo);
    const ULanes span = ULanes{} + casts_.acc_span;
    const int32_t* const taps = windows_.tap.data();
    const int32_t* const pixels = windows_.pixel.data();
    const int32_t* const weights = wf_.data() + f0;
    const int32_t k_end = windows_.begin[p + 1];
    for (int32_t k = windows_.begin[p]; k < k_end; ++k) {
      const int32_t* wtap = weights + taps[k] * tap_stride;
      const int32_t q = pixels[k];
      const int32_t e_end = begin[q + 1];
      if (!unsafe) {
        for (int32_t e = begin[q]; e < e_end; ++e) {
          const Lanes xi = Lanes{} + xs[e];
          const int32_t* w = wtap + coff[e];
          for (int v = 0; v < NV; ++v) {
            Lanes wv;
            LoadLanes(wv, w + v * kLanes);
            acc[v] += (xi * wv) >> shift;
          }
        }
      } else {
        for (int32_t e = begin[q]; e < e_end; ++e) {
          const Lanes xi = Lanes{} + xs[e];
          const int32_t* w = wtap + coff[e];
          for (int v = 0; v < NV; ++v) {
            Lanes wv;
            LoadLanes(wv, w + v * kLanes);
            const Lanes pc = (xi * wv) >> shift;
            acc[v] += pc;
            // Outside [acc_lo, acc_lo + span] as an unsigned offset: this product cast wraps.
            bad[v] |= reinterpret_cast<Lanes>(reinterpret_cast<ULanes>(pc) - ulo > span);
          }
        }
      }
    }
    FinishBlock<NV>(acc, bad, p, f0, x, out, c);
  }

  // Compiled twice, for AVX2 and for the baseline ISA, and picked when the program loads (the
  // library is built without -march=native). Integer arithmetic only: both give the same bits.
  __attribute__((target_clones("avx2", "default"))) void RunFastConv(const int64_t* x, int64_t* out,
                                                                     emu::LayerCounters& c) const {
    const int64_t n_pix_in = g_.in_h * g_.in_w, n_in = n_pix_in * g_.c_in;
    thread_local std::vector<int32_t> scratch;
    const int64_t need = n_pix_in + 1 + 2 * n_in;
    if (static_cast<int64_t>(scratch.size()) < need) scratch.resize(need);
    int32_t* const begin = scratch.data();
    int32_t* const xs = begin + n_pix_in + 1;
    int32_t* const coff = xs + n_in;
    const bool unsafe = LoadConv(x, begin, xs, coff) != 0;
    const int64_t n_pix = g_.out_h * g_.out_w, fpad = fpad_;
    for (int64_t p = 0; p < n_pix; ++p) {
      for (int64_t f0 = 0; f0 < fpad; f0 += kMaxVecs * kLanes) {
        switch (std::min<int64_t>(kMaxVecs, (fpad - f0) / kLanes)) {
          case 1:
            ConvBlock<1>(begin, xs, coff, unsafe, p, f0, x, out, c);
            break;
          case 2:
            ConvBlock<2>(begin, xs, coff, unsafe, p, f0, x, out, c);
            break;
          case 3:
            ConvBlock<3>(begin, xs, coff, unsafe, p, f0, x, out, c);
            break;
          default:
            ConvBlock<4>(begin, xs, coff, unsafe, p, f0, x, out, c);
            break;
        }
      }
    }
  }

  // One block of depthwise outputs: every window position's input row times its weight row.
  template <int NV>
  [[gnu::always_inline]] inline void DepthwiseBlock(const int32_t* xr, bool unsafe, int64_t p,
                                                    int64_t f0, const int64_t* x, int64_t* out,
                                                    emu::LayerCounters& c) const {
    Lanes acc[NV], bad[NV];
    for (int v = 0; v < NV; ++v) {
      LoadLanes(acc[v], bf_.data() + f0 + v * kLanes);
      bad[v] = Lanes{};
    }
    const int shift = shift_;
    const int64_t fpad = fpad_;
    const ULanes ulo = ULanes{} + static_cast<uint32_t>(casts_.acc_lo);
    const ULanes span = ULanes{} + casts_.acc_span;
    const int32_t* const taps = windows_.tap.data();
    const int32_t* const pixels = windows_.pixel.data();
    const int32_t* const weights = wf_.data() + f0;
    const int32_t k_end = windows_.begin[p + 1];
    for (int32_t k = windows_.begin[p]; k < k_end; ++k) {
      const int32_t* xrow = xr + static_cast<int64_t>(pixels[k]) * fpad + f0;
      const int32_t* wrow = weights + static_cast<int64_t>(taps[k]) * fpad;
      for (int v = 0; v < NV; ++v) {
        Lanes xv, wv;
        LoadLanes(xv, xrow + v * kLanes);
        LoadLanes(wv, wrow + v * kLanes);
        const Lanes pc = (xv * wv) >> shift;
        acc[v] += pc;
        if (unsafe) bad[v] |= reinterpret_cast<Lanes>(reinterpret_cast<ULanes>(pc) - ulo > span);
      }
    }
    FinishBlock<NV>(acc, bad, p, f0, x, out, c);
  }

  __attribute__((target_clones("avx2", "default"))) void RunFastDepthwise(
      const int64_t* x, int64_t* out, emu::LayerCounters& c) const {
    const int64_t n_in = g_.in_h * g_.in_w * fpad_;
    thread_local std::vector<int32_t> scratch;
    if (static_cast<int64_t>(scratch.size()) < n_in) scratch.resize(n_in);
    int32_t* const xr = scratch.data();
    const bool unsafe = LoadDepthwise(x, xr) != 0;
    const int64_t n_pix = g_.out_h * g_.out_w, fpad = fpad_;
    for (int64_t p = 0; p < n_pix; ++p) {
      for (int64_t f0 = 0; f0 < fpad; f0 += kMaxVecs * kLanes) {
        switch (std::min<int64_t>(kMaxVecs, (fpad - f0) / kLanes)) {
          case 1:
            DepthwiseBlock<1>(xr, unsafe, p, f0, x, out, c);
            break;
          case 2:
            DepthwiseBlock<2>(xr, unsafe, p, f0, x, out, c);
            break;
          case 3:
            DepthwiseBlock<3>(xr, unsafe, p, f0, x, out, c);
            break;
          default:
            DepthwiseBlock<4>(xr, unsafe, p, f0, x, out, c);
            break;
        }
      }
    }
  }

  ConvGeometry g_;
  Windows windows_;
  FixedType accum_t_;
  bool wrap_acc_;
  emu::Caster product_cast_, result_cast_;
  std::optional<Po2Product> po2_;
  emu::Caster po2_cast_;     // from the po2 product's r_t to the accumulator
  std::vector<R> weight_;    // raw, weight type, [rows][c_out]
  std::vector<R> bias_acc_;  // raw, accumulator type
  bool fast_ = false;
  int shift_ = 0;
  Int32Casts casts_;              // the accumulator's range and the result cast
  int64_t fpad_ = 0;              // c_out rounded up to whole vectors
  std::vector<int32_t> wf_, bf_;  // weights [rows][fpad_], bias [fpad_]
  std::vector<int32_t> x_safe_;   // per input channel: the largest |x| that cannot wrap
};

class ConvFloatKernel final : public emu::FloatKernel {
 public:
  explicit ConvFloatKernel(ConvSpec s) : s_(std::move(s)), windows_(BuildWindows(s_.g)) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    const double* x = inputs[0];
    const ConvGeometry& g = s_.g;
    const int64_t n_pix = g.out_h * g.out_w, n_out = g.c_out, n_chan = g.c_in;
    for (int64_t p = 0; p < n_pix; ++p) {
      double* o = out + p * n_out;
      for (int64_t f = 0; f < n_out; ++f) o[f] = s_.bias[f];
      for (int32_t k = windows_.begin[p]; k < windows_.begin[p + 1]; ++k) {
        const int64_t tap = windows_.tap[k];
        const double* xp = x + static_cast<int64_t>(windows_.pixel[k]) * n_chan;
        if (!g.depthwise) {
          for (int64_t ch = 0; ch < n_chan; ++ch) {
            const double* w = s_.weight.data() + (tap * n_chan + ch) * n_out;
            for (int64_t f = 0; f < n_out; ++f) o[f] += xp[ch] * w[f];
          }
        } else {
          const double* w = s_.weight.data() + tap * n_out;
          for (int64_t f = 0; f < n_out; ++f) o[f] += xp[f / g.multiplier] * w[f];
        }
      }
    }
  }

 private:
  ConvSpec s_;
  Windows windows_;
};

}  // namespace

// Whether the reference loop's int64 values hold every intermediate exactly: the raw product
// (in.width + weight.width bits), the accumulator with a carry per tap (its width plus
// log2(taps + 1) bits: a wrapping accumulator sums exactly and wraps once), the bias and the
// result, each within Cast64's 62 bits (it shifts in 128 bits where it must).
bool ReferenceFitsInt64(const ConvSpec& s) {
  if (s.po2) return FitsInt64({s.in_t, s.weight_t, s.bias_t, s.accum_t, s.result_t});
  int carry = 0;
  while ((int64_t{1} << carry) < s.g.Taps() + 1 && carry < 62) ++carry;
  return s.in_t.width + s.weight_t.width <= 62 && s.accum_t.width + carry <= 61 &&
         s.bias_t.width <= 62 && s.result_t.width <= 62;
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeConvKernel(const ir::Node& node,
                                                         const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(ConvSpec s, Spec(node, inputs, true));
  FIRMNET_ASSIGN_OR_RETURN(s.po2, Po2Product::For(node, s.in_t, s.weight_t));
  if constexpr (std::is_same_v<R, int64_t>) {
    if (!ReferenceFitsInt64(s)) {
      const int64_t n_in = s.g.in_h * s.g.in_w * s.g.c_in;
      const int64_t n_out = s.g.out_h * s.g.out_w * s.g.c_out;
      return std::unique_ptr<emu::Kernel<int64_t>>(std::make_unique<BigIntAdapter>(
          std::make_unique<ConvKernel<BigInt>>(s), std::vector<int64_t>{n_in}, n_out));
    }
  }
  return std::unique_ptr<emu::Kernel<R>>(std::make_unique<ConvKernel<R>>(s));
}

template StatusOr<std::unique_ptr<emu::Kernel<int64_t>>> MakeConvKernel<int64_t>(const ir::Node&,
                                                                                 const NodeInputs&);
template StatusOr<std::unique_ptr<emu::Kernel<BigInt>>> MakeConvKernel<BigInt>(const ir::Node&,
                                                                               const NodeInputs&);

StatusOr<std::unique_ptr<emu::FloatKernel>> MakeConvFloatKernel(const ir::Node& node,
                                                                const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(ConvSpec s, Spec(node, inputs, false));
  return std::unique_ptr<emu::FloatKernel>(std::make_unique<ConvFloatKernel>(std::move(s)));
}

}  // namespace firmnet::layers::common
