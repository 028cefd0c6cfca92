// The eight pooling kinds against an independent reference: hls4ml's io_parallel loops
// (nnet_pooling.h, pooling2d_cl / global_pooling2d_cl) transcribed literally, with every padded
// cell in the window (the pad value for max, a 0 added for average) and explicit casts, over
// random raw inputs; both engines; the float kernel; hand-computed cases for the facts
// docs/semantics.md states; hls4ml's `auto` rules; the errors.
#include "firmnet/layers/common/pooling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "firmnet/emu/emulator.h"
#include "firmnet/ir/parser.h"
#include "firmnet/layers/avg_pool1d/avg_pool1d.h"
#include "firmnet/layers/avg_pool2d/avg_pool2d.h"
#include "firmnet/layers/common/test_util.h"
#include "firmnet/layers/global_avg_pool1d/global_avg_pool1d.h"
#include "firmnet/layers/global_avg_pool2d/global_avg_pool2d.h"
#include "firmnet/layers/global_max_pool1d/global_max_pool1d.h"
#include "firmnet/layers/global_max_pool2d/global_max_pool2d.h"
#include "firmnet/layers/max_pool1d/max_pool1d.h"
#include "firmnet/layers/max_pool2d/max_pool2d.h"

namespace firmnet::layers {
namespace {

using testing::Type;

// One pooling problem: the input shape, the window attributes and the types.
struct Case {
  Case(LayerKind kind_, ir::Shape in_shape_, std::vector<int64_t> k_ = {},
       std::vector<int64_t> s_ = {}, std::vector<int64_t> pads_ = {}, int count_pad_ = -1,
       std::string in = {}, std::string accum = {}, std::string result = {})
      : kind(kind_),
        in_shape(std::move(in_shape_)),
        k(std::move(k_)),
        s(std::move(s_)),
        pads(std::move(pads_)),
        count_pad(count_pad_),
        in_t(std::move(in)),
        accum_t(std::move(accum)),
        result_t(std::move(result)) {}
  LayerKind kind;
  ir::Shape in_shape;               // [L, C] or [H, W, C]
  std::vector<int64_t> k, s, pads;  // empty for global pools
  int count_pad;                    // -1: attribute absent
  std::string in_t, accum_t, result_t;
};

struct Built {
  ir::Node in, node;
  NodeInputs inputs() const { return {&in}; }
};

Built Build(const Case& c) {
  Built b;
  b.in.name = "x";
  b.in.kind = LayerKind::kInput;
  b.in.shape = c.in_shape;
  b.in.precision["result"] = Type(c.in_t);
  b.node.name = "pool";
  b.node.kind = c.kind;
  b.node.inputs = {"x"};
  b.node.precision["accum"] = Type(c.accum_t);
  b.node.precision["result"] = Type(c.result_t);
  if (!c.k.empty()) b.node.attrs["pool_size"] = c.k;
  if (!c.s.empty()) b.node.attrs["strides"] = c.s;
  if (!c.pads.empty()) b.node.attrs["pads"] = c.pads;
  if (c.count_pad >= 0) b.node.attrs["count_include_pad"] = int64_t{c.count_pad};
  return b;
}

bool IsMax(LayerKind k) {
  return k == LayerKind::kMaxPool1D || k == LayerKind::kMaxPool2D ||
         k == LayerKind::kGlobalMaxPool1D || k == LayerKind::kGlobalMaxPool2D;
}
bool IsGlobal(LayerKind k) {
  return k == LayerKind::kGlobalMaxPool1D || k == LayerKind::kGlobalMaxPool2D ||
         k == LayerKind::kGlobalAvgPool1D || k == LayerKind::kGlobalAvgPool2D;
}

// hls4ml's pooling2d_cl, literally (a 1-D problem is H = 1), on raw values. Values are BigInt
// raw integers of their type; every assignment to an ap type is a Cast.
std::vector<BigInt> Reference(const Case& c, const std::vector<int64_t>& x) {
  const FixedType in_t = Type(c.in_t), acc_t = Type(c.accum_t), res_t = Type(c.result_t);
  const bool two_d = c.in_shape.size() == 3;
  const int64_t in_h = two_d ? c.in_shape[0] : 1, in_w = c.in_shape[two_d ? 1 : 0];
  const int64_t n_ch = c.in_shape.back();
  int64_t kh = 1, kw, sh = 1, sw, pt = 0, pl = 0, pb = 0, pr = 0;
  const bool count_pad = c.count_pad == 1;
  if (IsGlobal(c.kind)) {
    kh = in_h;
    kw = in_w;
    sh = in_h;
    sw = in_w;
  } else if (two_d) {
    kh = c.k[0], kw = c.k[1];
    sh = c.s.empty() ? kh : c.s[0];
    sw = c.s.empty() ? kw : c.s[1];
    if (!c.pads.empty()) pt = c.pads[0], pl = c.pads[1], pb = c.pads[2], pr = c.pads[3];
  } else {
    kw = c.k[0];
    sw = c.s.empty() ? kw : c.s[0];
    if (!c.pads.empty()) pl = c.pads[0], pr = c.pads[1];
  }
  const int64_t full_h = in_h + pt + pb, full_w = in_w + pl + pr;
  const int64_t restricted_h = (full_h - kh) / sh * sh + 1;
  const int64_t restricted_w = (full_w - kw) / sw * sw + 1;
  const int64_t out_w = (full_w - kw) / sw + 1;
  const int64_t out_h = (full_h - kh) / sh + 1;
  const int e_in = in_t.lsb_exponent(), e_acc = acc_t.lsb_exponent();
  // pad_val<T, Max>: T x = 0; x[x.width - 1] = 1.
  const BigInt max_pad = BigInt::PowerOfTwo(in_t.width - 1).Truncate(in_t.width, in_t.is_signed);
  std::vector<BigInt> res(static_cast<size_t>(out_h * out_w * n_ch));
  for (int64_t ff = 0; ff < n_ch; ++ff) {
    for (int64_t ii = 0; ii < restricted_h; ii += sh) {
      for (int64_t jj = 0; jj < restricted_w; jj += sw) {
        std::vector<BigInt> pool;
        int64_t overlap = 0;
        for (int64_t kk = 0; kk < kh; ++kk) {
          for (int64_t ll = 0; ll < kw; ++ll) {
            const bool c1 = ii + kk >= pt && ii + kk < in_h + pt;
            const bool c2 = jj + ll >= pl && jj + ll < in_w + pl;
            if (c1 && c2) {
              pool.emplace_back(x[((ii + kk - pt) * in_w + (jj + ll - pl)) * n_ch + ff]);
              ++overlap;
            } else {
              pool.push_back(IsMax(c.kind) ? max_pad : BigInt(0));
            }
          }
        }
        const int64_t patch = IsGlobal(c.kind) || count_pad ? kh * kw : overlap;
        BigInt acc;  // accum_t, raw
        if (IsMax(c.kind)) {
          BigInt y = pool[0];
          for (const BigInt& v : pool) y = v > y ? v : y;
          acc = Cast(y, e_in, acc_t);
        } else {
          acc = BigInt(0);
          const int e = std::min(e_in, e_acc);
          for (const BigInt& v : pool) {
            acc = Cast((acc << (e_acc - e)) + (v << (e_in - e)), e, acc_t);  // y += x[i]
          }
          acc = BigInt::FromInt128(acc.ToInt128() / patch);  // y /= length (C division)
          acc = Cast(acc, e_acc, acc_t);                     // assigned back to accum_t
        }
        res[((ii / sh) * out_w + jj / sw) * n_ch + ff] = Cast(acc, e_acc, res_t);
      }
    }
  }
  return res;
}

template <typename R>
std::vector<R> RunKernel(Built& b, const std::vector<int64_t>& x, emu::LayerCounters& c) {
  Status st = InferShape(b.node, b.inputs());
  EXPECT_TRUE(st.ok()) << st.ToString();
  auto k = MakeKernel<R>(b.node, b.inputs());
  EXPECT_TRUE(k.ok()) << k.status().ToString();
  std::vector<R> out(static_cast<size_t>(ir::NumElements(b.node.shape)));
  if (!k.ok()) return out;
  std::vector<R> xr;
  xr.reserve(x.size());
  for (int64_t v : x) xr.emplace_back(v);
  const R* ptrs[] = {xr.data()};
  (*k)->Run(ptrs, out.data(), c);
  return out;
}

std::vector<int64_t> RandomRaw(const FixedType& t, int64_t n, std::mt19937_64& rng) {
  const int64_t lo = t.is_signed ? -(int64_t{1} << (t.width - 1)) : 0;
  const int64_t hi = t.is_signed ? (int64_t{1} << (t.width - 1)) - 1 : (int64_t{1} << t.width) - 1;
  std::uniform_int_distribution<int64_t> d(lo, hi);
  std::vector<int64_t> v(static_cast<size_t>(n));
  for (auto& e : v) e = d(rng);
  return v;
}

// Runs one case on both engines against the reference, and the float kernel against a double
// reference. Returns the counters of the int64 run.
emu::LayerCounters Check(const Case& c, const std::vector<int64_t>& x) {
  SCOPED_TRACE(std::string(LayerKindId(c.kind)) + " in " + ir::FormatShape(c.in_shape) + " k " +
               ir::FormatShape(c.k) + " s " + ir::FormatShape(c.s) + " pads " +
               ir::FormatShape(c.pads) + " count_pad " + std::to_string(c.count_pad) + " " +
               c.in_t + " -> " + c.accum_t + " -> " + c.result_t);
  const std::vector<BigInt> want = Reference(c, x);
  Built b = Build(c);
  emu::LayerCounters c64, cbig;
  const std::vector<int64_t> got64 = RunKernel<int64_t>(b, x, c64);
  const std::vector<BigInt> gotbig = RunKernel<BigInt>(b, x, cbig);
  EXPECT_EQ(static_cast<int64_t>(want.size()), ir::NumElements(b.node.shape));
  for (size_t i = 0; i < want.size() && i < got64.size(); ++i) {
    EXPECT_EQ(BigInt(got64[i]), want[i]) << "int64 engine, output " << i;
    EXPECT_EQ(gotbig[i], want[i]) << "BigInt engine, output " << i;
  }
  EXPECT_EQ(c64.wraps, cbig.wraps);
  EXPECT_EQ(c64.saturations, cbig.saturations);

  // Float: the model as trained (max ignores padding; average divides by the same count).
  const FixedType in_t = Type(c.in_t);
  std::vector<double> xf;
  xf.reserve(x.size());
  for (int64_t v : x) xf.push_back(ToDouble(v, in_t));
  auto fk = MakeFloatKernel(b.node, b.inputs());
  EXPECT_TRUE(fk.ok());
  std::vector<double> fout(want.size());
  const double* fp[] = {xf.data()};
  if (fk.ok()) (*fk)->Run(fp, fout.data());
  // The double reference: the same windows, written directly.
  const bool two_d = c.in_shape.size() == 3;
  const int64_t in_h = two_d ? c.in_shape[0] : 1, in_w = c.in_shape[two_d ? 1 : 0],
                n_ch = c.in_shape.back();
  if (IsGlobal(c.kind)) {
    for (int64_t ch = 0; ch < n_ch; ++ch) {
      double r = IsMax(c.kind) ? -INFINITY : 0.0;
      for (int64_t i = 0; i < in_h * in_w; ++i) {
        r = IsMax(c.kind) ? std::max(r, xf[i * n_ch + ch]) : r + xf[i * n_ch + ch];
      }
      if (!IsMax(c.kind)) r /= static_cast<double>(in_h * in_w);
      EXPECT_NEAR(fout[ch], r, 1e-12 * (1 + std::abs(r))) << "float, channel " << ch;
    }
  } else {
    const int64_t kh = two_d ? c.k[0] : 1, kw = c.k.back();
    const int64_t sh = two_d ? (c.s.empty() ? kh : c.s[0]) : 1, sw = c.s.empty() ? kw : c.s.back();
    const int64_t pt = two_d && !c.pads.empty() ? c.pads[0] : 0;
    const int64_t pl = c.pads.empty() ? 0 : c.pads[two_d ? 1 : 0];
    const int64_t out_w = two_d ? b.node.shape[1] : b.node.shape[0];
    const int64_t out_h = two_d ? b.node.shape[0] : 1;
    for (int64_t oh = 0; oh < out_h; ++oh) {
      for (int64_t ow = 0; ow < out_w; ++ow) {
        for (int64_t ch = 0; ch < n_ch; ++ch) {
          double r = IsMax(c.kind) ? -INFINITY : 0.0;
          int64_t n = 0;
          for (int64_t a = 0; a < kh; ++a) {
            for (int64_t e = 0; e < kw; ++e) {
              const int64_t h = oh * sh + a - pt, w = ow * sw + e - pl;
              if (h < 0 || h >= in_h || w < 0 || w >= in_w) continue;
              const double v = xf[(h * in_w + w) * n_ch + ch];
              r = IsMax(c.kind) ? std::max(r, v) : r + v;
              ++n;
            }
          }
          if (!IsMax(c.kind)) r /= static_cast<double>(c.count_pad == 1 ? kh * kw : n);
          const double got = fout[(oh * out_w + ow) * n_ch + ch];
          EXPECT_NEAR(got, r, 1e-12 * (1 + std::abs(r))) << "float " << oh << "," << ow;
        }
      }
    }
  }
  return c64;
}

const char* const kInTypes[] = {"ap_fixed<8,3>", "ap_ufixed<7,2>", "ap_fixed<12,4,AP_RND,AP_SAT>",
                                "ap_fixed<40,12>"};
const char* const kAccumTypes[] = {"ap_fixed<16,6>", "ap_fixed<7,3,AP_RND,AP_SAT>", "ap_fixed<9,3>",
                                   "ap_ufixed<10,4,AP_RND_CONV,AP_SAT_SYM>", "ap_fixed<48,14>"};
const char* const kResultTypes[] = {"ap_fixed<16,6>", "ap_fixed<6,2,AP_RND,AP_SAT>",
                                    "ap_fixed<5,3>"};

TEST(PoolingTest, MatchesHls4mlLoopsOverAGrid) {
  std::mt19937_64 rng(7);
  std::vector<Case> shapes = {
      // 2-D: odd sizes, strides smaller and larger than the pool, padding, both divisors.
      {LayerKind::kMaxPool2D, {5, 7, 2}, {2, 2}, {}, {}},
      {LayerKind::kMaxPool2D, {5, 7, 2}, {3, 2}, {2, 3}, {1, 0, 2, 1}},
      {LayerKind::kAvgPool2D, {5, 7, 2}, {3, 3}, {2, 2}, {1, 1, 1, 1}, 0},
      {LayerKind::kAvgPool2D, {5, 7, 2}, {3, 3}, {2, 2}, {1, 1, 1, 1}, 1},
      {LayerKind::kAvgPool2D, {6, 5, 3}, {2, 3}, {3, 1}, {0, 2, 1, 0}},
      {LayerKind::kAvgPool2D, {4, 4, 1}, {2, 2}, {}, {}},
      // 1-D.
      {LayerKind::kMaxPool1D, {9, 3}, {3}, {2}, {}},
      {LayerKind::kMaxPool1D, {9, 3}, {2}, {3}, {1, 1}},
      {LayerKind::kAvgPool1D, {9, 3}, {4}, {3}, {2, 3}, 0},
      {LayerKind::kAvgPool1D, {9, 3}, {4}, {3}, {2, 3}, 1},
      {LayerKind::kAvgPool1D, {10, 2}, {5}, {}, {}},
      // Global.
      {LayerKind::kGlobalMaxPool1D, {7, 3}, {}, {}, {}},
      {LayerKind::kGlobalMaxPool2D, {3, 5, 2}, {}, {}, {}},
      {LayerKind::kGlobalAvgPool1D, {7, 3}, {}, {}, {}},
      {LayerKind::kGlobalAvgPool2D, {3, 5, 2}, {}, {}, {}},
  };
  int cases = 0;
  uint64_t wraps = 0, saturations = 0;
  for (Case c : shapes) {
    for (const char* in : kInTypes) {
      for (const char* acc : kAccumTypes) {
        for (const char* res : kResultTypes) {
          c.in_t = in;
          c.accum_t = acc;
          c.result_t = res;
          const std::vector<int64_t> x = RandomRaw(Type(in), ir::NumElements(c.in_shape), rng);
          emu::LayerCounters counters = Check(c, x);
          wraps += counters.wraps;
          saturations += counters.saturations;
          ++cases;
          if (HasFailure()) return;
        }
      }
    }
  }
  EXPECT_EQ(cases, 15 * 4 * 5 * 3);
  // The grid exercises both overflow rules.
  EXPECT_GT(wraps, 0u);
  EXPECT_GT(saturations, 0u);
}

// Raw outputs of one case through the kernel (int64 engine; the grid compares the engines).
std::vector<int64_t> Raw(const Case& c, const std::vector<int64_t>& x,
                         emu::LayerCounters* counters = nullptr) {
  Built b = Build(c);
  emu::LayerCounters local;
  return RunKernel<int64_t>(b, x, counters ? *counters : local);
}

TEST(PoolingTest, AverageDivisionTruncatesTowardZero) {
  // ap_fixed<8,4>: lsb 1/16. The window [-1, -1, 0, 0] (raw) sums to -2; -2 / 4 is -0.5 raw,
  // which ap_fixed's division truncates to 0 (toward zero), not to -1 (AP_TRN's floor).
  Case c{LayerKind::kAvgPool1D, {4, 1},         {4}, {}, {}, -1, "ap_fixed<8,4>",
         "ap_fixed<8,4>",       "ap_fixed<8,4>"};
  EXPECT_EQ(Raw(c, {-1, -1, 0, 0}), (std::vector<int64_t>{0}));
  // -7 / 4 = -1.75 -> -1; 7 / 4 -> 1.
  EXPECT_EQ(Raw(c, {-4, -3, 0, 0}), (std::vector<int64_t>{-1}));
  EXPECT_EQ(Raw(c, {4, 3, 0, 0}), (std::vector<int64_t>{1}));
}

TEST(PoolingTest, AverageAccumulatorCastsEveryStepInOrder) {
  // accum ap_fixed<4,2,AP_TRN,AP_SAT>: lsb 0.25, range [-2, 1.75]. 1.5 + 1.5 saturates to 1.75,
  // then 1.75 - 1.5 = 0.25, 0.25 - 1.5 = -1.25 (raw -5); -5 / 4 -> -1 = -0.25. The exact mean is 0.
  Case c{LayerKind::kAvgPool1D,         {4, 1},         {4}, {}, {}, -1, "ap_fixed<8,4>",
         "ap_fixed<4,2,AP_TRN,AP_SAT>", "ap_fixed<8,4>"};
  emu::LayerCounters counters;
  EXPECT_EQ(Raw(c, {24, 24, -24, -24}, &counters), (std::vector<int64_t>{-4}));  // -0.25
  EXPECT_EQ(counters.saturations, 1u);
}

TEST(PoolingTest, CountIncludePadChoosesTheDivisor) {
  // Window [pad, 3, 5] (pool 3, pad left 1): 8 / 2 = 4 without the pad, 8 / 3 -> 2 with it.
  Case c{LayerKind::kAvgPool1D, {2, 1}, {3}, {1}, {1, 0}, 0, "ap_int<8>", "ap_int<8>", "ap_int<8>"};
  EXPECT_EQ(Raw(c, {3, 5}), (std::vector<int64_t>{4}));
  c.count_pad = 1;
  EXPECT_EQ(Raw(c, {3, 5}), (std::vector<int64_t>{2}));
  c.count_pad = -1;  // absent: hls4ml's count_pad default, false
  EXPECT_EQ(Raw(c, {3, 5}), (std::vector<int64_t>{4}));
}

TEST(PoolingTest, MaxPadValueIsHls4mlsTopBitPattern) {
  // Signed input: the pad is the most negative value, so it never wins.
  Case s{LayerKind::kMaxPool1D, {2, 1},         {2}, {}, {1, 0}, -1, "ap_fixed<8,4>",
         "ap_fixed<8,4>",       "ap_fixed<8,4>"};
  EXPECT_EQ(Raw(s, {-100, 7}), (std::vector<int64_t>{-100}));  // window [pad, -100]
  // Unsigned input: hls4ml's pad is 2^(I-1) = 8.0 (raw 128), larger than 1.0: it wins.
  Case u{LayerKind::kMaxPool1D, {2, 1},          {2}, {}, {1, 0}, -1, "ap_ufixed<8,4>",
         "ap_ufixed<8,4>",      "ap_ufixed<8,4>"};
  EXPECT_EQ(Raw(u, {16, 7}), (std::vector<int64_t>{128}));
  EXPECT_EQ(common::MaxPoolPadValue(Type("ap_ufixed<8,4>")), BigInt(128));
  EXPECT_EQ(common::MaxPoolPadValue(Type("ap_fixed<8,4>")), BigInt(-128));
}

TEST(PoolingTest, MaxGoesThroughTheAccumulatorType) {
  // Input 3.5 (ap_fixed<8,4>, raw 56); accum ap_fixed<4,2> wraps 3.5 to -0.5; result ap_fixed<8,4>.
  Case c{LayerKind::kGlobalMaxPool1D,
         {3, 1},
         {},
         {},
         {},
         -1,
         "ap_fixed<8,4>",
         "ap_fixed<4,2>",
         "ap_fixed<8,4>"};
  emu::LayerCounters counters;
  EXPECT_EQ(Raw(c, {56, -3, 10}, &counters), (std::vector<int64_t>{-8}));
  EXPECT_EQ(counters.wraps, 1u);
}

TEST(PoolingTest, ShapesAndStrideDefaults) {
  Case c{LayerKind::kMaxPool2D, {7, 5, 3},       {3, 2},         {}, {}, -1,
         "ap_fixed<8,3>",       "ap_fixed<8,3>", "ap_fixed<8,3>"};
  Built b = Build(c);
  ASSERT_TRUE(InferShape(b.node, b.inputs()).ok());
  EXPECT_EQ(b.node.shape, (ir::Shape{2, 2, 3}));  // strides default to the pool size
  c.s = {2, 1};
  c.pads = {1, 0, 1, 1};
  b = Build(c);
  ASSERT_TRUE(InferShape(b.node, b.inputs()).ok());
  EXPECT_EQ(b.node.shape, (ir::Shape{4, 5, 3}));  // (7+2-3)/2+1, (5+1-2)/1+1
  c = {LayerKind::kGlobalAvgPool2D, {7, 5, 3}};
  c.in_t = c.accum_t = c.result_t = "ap_fixed<8,3>";
  b = Build(c);
  ASSERT_TRUE(InferShape(b.node, b.inputs()).ok());
  EXPECT_EQ(b.node.shape, (ir::Shape{3}));
}

Status ShapeError(Case c) {
  c.in_t = c.accum_t = c.result_t = "ap_fixed<8,3>";
  Built b = Build(c);
  return InferShape(b.node, b.inputs());
}

TEST(PoolingTest, ErrorsNameTheAttributeAndNumbers) {
  auto msg = [](Case c) { return ShapeError(std::move(c)).message(); };
  EXPECT_EQ(msg({LayerKind::kMaxPool2D, {3, 3, 1}, {5, 5}}),
            "pool_size [5,5] is larger than the padded input 3x3");
  EXPECT_EQ(msg({LayerKind::kMaxPool2D, {3, 3, 1}, {4, 4}, {}, {1, 0, 0, 0}}),
            "pool_size [4,4] is larger than the padded input 4x3");
  EXPECT_EQ(msg({LayerKind::kAvgPool1D, {3, 1}, {4}}),
            "pool_size [4] is larger than the padded input length 3");
  EXPECT_EQ(msg({LayerKind::kMaxPool2D, {8, 8, 1}, {3, 3}, {}, {1, 1, 3, 0}}),
            "pads [1,1,3,0] exceed the pool size [3,3] (each pad must be smaller than the pool "
            "along its axis)");
  EXPECT_EQ(msg({LayerKind::kMaxPool2D, {8, 8, 1}, {0, 2}}),
            "attribute 'pool_size' = [0,2] must be positive");
  EXPECT_EQ(msg({LayerKind::kMaxPool2D, {8, 8, 1}, {2, 2}, {1, 0}}),
            "attribute 'strides' = [1,0] must be positive");
  EXPECT_EQ(msg({LayerKind::kMaxPool2D, {8, 8, 1}, {2}}),
            "attribute 'pool_size' = [2] has 1 values; max_pool2d needs 2");
  EXPECT_EQ(msg({LayerKind::kMaxPool1D, {8, 1}, {2}, {}, {1, 1, 1, 1}}),
            "attribute 'pads' = [1,1,1,1] has 4 values; max_pool1d needs 2");
  EXPECT_EQ(msg({LayerKind::kMaxPool1D, {8, 1}, {2}, {}, {-1, 0}}),
            "attribute 'pads' = [-1,0] has a negative value");
  EXPECT_EQ(msg({LayerKind::kAvgPool1D, {8, 1}, {2}, {}, {}, 2}),
            "attribute 'count_include_pad' must be 0 or 1");
  EXPECT_EQ(msg({LayerKind::kMaxPool2D, {8, 1}, {2, 2}}),
            "input 'x' has shape [8,1]; max_pool2d needs a 2-D feature map [height, width, "
            "channels]");
  EXPECT_EQ(msg({LayerKind::kGlobalAvgPool1D, {8}}),
            "input 'x' has shape [8]; global_avg_pool1d needs a 1-D feature map [length, "
            "channels]");
  Case missing{LayerKind::kMaxPool1D, {8, 1}};
  EXPECT_NE(msg(missing).find("pool_size"), std::string::npos) << msg(missing);
  // The verifier's prefix comes from the caller: CheckShapes names the layer.
  Built b = Build({LayerKind::kMaxPool1D,
                   {8, 1},
                   {9},
                   {},
                   {},
                   -1,
                   "ap_fixed<8,3>",
                   "ap_fixed<8,3>",
                   "ap_fixed<8,3>"});
  EXPECT_FALSE(InferShape(b.node, {}).ok());
  EXPECT_EQ(InferShape(b.node, {}).message(), "expects exactly 1 input, got 0");
}

TEST(PoolingTest, AutoPrecisionFollowsHls4ml) {
  const PrecisionContext ctx{Type("ap_fixed<16,6>"), std::nullopt};
  auto infer = [&](Case c, const char* slot) {
    c.accum_t = c.result_t = "ap_fixed<16,6>";
    Built b = Build(c);
    EXPECT_TRUE(InferShape(b.node, b.inputs()).ok());
    auto t = InferPrecision(b.node, b.inputs(), slot, ctx);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? FormatFixedType(*t) : std::string();
  };
  // Average: e = ceil(log2(3*3)) = 4 -> W + 2e, I + e, the input's signedness, default modes.
  Case avg{LayerKind::kAvgPool2D, {6, 6, 1}, {3, 3}};
  avg.in_t = "ap_fixed<8,3,AP_RND,AP_SAT>";
  EXPECT_EQ(infer(avg, "accum"), "ap_fixed<16,7>");
  EXPECT_EQ(infer(avg, "result"), "ap_fixed<8,3,AP_RND,AP_SAT>");
  Case avg1{LayerKind::kAvgPool1D, {6, 1}, {2}};
  avg1.in_t = "ap_ufixed<6,1>";
  EXPECT_EQ(infer(avg1, "accum"), "ap_ufixed<8,2>");
  // Max: the input type for both.
  Case mx{LayerKind::kMaxPool1D, {6, 2}, {2}};
  mx.in_t = "ap_fixed<10,2,AP_RND>";
  EXPECT_EQ(infer(mx, "accum"), "ap_fixed<10,2,AP_RND>");
  // Global pools: no rule in hls4ml, the default precision.
  Case g{LayerKind::kGlobalAvgPool2D, {6, 6, 1}};
  g.in_t = "ap_fixed<8,3>";
  EXPECT_EQ(infer(g, "accum"), "ap_fixed<16,6>");
  EXPECT_EQ(infer(g, "result"), "ap_fixed<16,6>");
  // Too wide for 128 bits.
  Case wide{LayerKind::kAvgPool1D, {1000, 1}, {1000}};
  wide.in_t = "ap_fixed<120,10>";
  wide.accum_t = wide.result_t = "ap_fixed<16,6>";
  Built b = Build(wide);
  ASSERT_TRUE(InferShape(b.node, b.inputs()).ok());
  auto t = InferPrecision(b.node, b.inputs(), "accum", ctx);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "layer 'pool' (avg_pool1d): precision 'accum': 'auto' needs 140 bits (input width 120 "
            "+ 2 * 10 for a window of 1000), more than the maximum of 128; give an explicit type");
}

TEST(PoolingTest, SchemasDeclareHls4mlSlotsAndAliases) {
  for (LayerKind k : {LayerKind::kMaxPool1D, LayerKind::kAvgPool2D, LayerKind::kGlobalMaxPool2D,
                      LayerKind::kGlobalAvgPool1D}) {
    const LayerInfo& info = GetLayerInfo(k);
    ASSERT_EQ(info.slots.size(), 2u) << info.id;
    EXPECT_EQ(info.slots[1].name, "accum");
    EXPECT_EQ(info.slots[1].default_type, kDefaultPrecision);
  }
  EXPECT_EQ(GetLayerInfo(LayerKind::kMaxPool2D).config_aliases,
            (std::vector<std::string_view>{"Pooling2D"}));
  EXPECT_EQ(GetLayerInfo(LayerKind::kGlobalAvgPool1D).config_aliases,
            (std::vector<std::string_view>{"GlobalPooling1D"}));
  EXPECT_EQ(GetLayerInfo(LayerKind::kAvgPool1D).attrs.size(), 4u);  // + count_include_pad
  EXPECT_EQ(GetLayerInfo(LayerKind::kMaxPool1D).attrs.size(), 3u);
  EXPECT_TRUE(GetLayerInfo(LayerKind::kGlobalMaxPool1D).attrs.empty());
}

}  // namespace
}  // namespace firmnet::layers
