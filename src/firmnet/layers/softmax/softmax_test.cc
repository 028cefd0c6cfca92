#include "firmnet/layers/softmax/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "firmnet/layers/common/test_util.h"

namespace firmnet::layers {
namespace {

using testing::MakeSetup;
using testing::RunFloat;
using testing::RunRaw;

// Defaults: exp/inv tables ap_ufixed<18,1,AP_RND,AP_SAT> (lsb 2^-17), accum
// ap_ufixed<24,7,AP_RND,AP_SAT> (lsb 2^-17), result ap_fixed<16,2,AP_RND,AP_SAT> (lsb 2^-14).
// Input ap_fixed<16,6> (lsb 2^-10): the exp step is 2^-6 (1024 entries reach 18 ln2 = 12.5),
// so index(d) = (d + 8) >> 4.
TEST(SoftmaxTest, HandComputedRows) {
  auto s = MakeSetup(LayerKind::kSoftmax, "ap_fixed<16,6>", 2);
  // Equal inputs: E = [1, 1], S = 2 = 2^18 raw, p = 18, index 0, inv = 1.0 = 2^17 raw;
  // y = 2^34 at 2^-(17+17+18-17) = 0.5 -> 8192 at 2^-14.
  EXPECT_EQ((RunRaw<LayerKind::kSoftmax, int64_t>(s, {-300, -300})),
            (std::vector<int64_t>{8192, 8192}));
  // x = [0, -1.0]: d = [0, 1024] -> index [0, 64]; E = [131072, Q(e^-1) = 48219];
  // S = 179291, p = 17, j = 48219, index (48219 + 64) >> 7 = 377,
  // inv = Q(1/(1 + 377/1024)) = 95801; y = E * 95801 >> 20 (RND) = [11975, 4405].
  EXPECT_EQ((RunRaw<LayerKind::kSoftmax, int64_t>(s, {0, -1024})),
            (std::vector<int64_t>{11975, 4405}));
}

TEST(SoftmaxTest, ErrorsNameLayerAndAxis) {
  auto s = MakeSetup(LayerKind::kSoftmax, "ap_fixed<16,6>", 4);
  s.in.shape = {2, 2};
  Status st = LayerImpl<LayerKind::kSoftmax>::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.code(), StatusCode::kUnimplemented);
  EXPECT_EQ(st.message(),
            "layer 'act' (softmax): input 'x' has shape [2,2]; only 1-D inputs are supported "
            "(flatten first)");
  s.in.shape = {4};
  s.node.attrs["axis"] = int64_t{2};
  st = LayerImpl<LayerKind::kSoftmax>::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.message(),
            "layer 'act' (softmax): attribute 'axis' = 2; only the last axis of a 1-D tensor "
            "(-1 or 0) is supported");
  s.node.attrs["axis"] = int64_t{-1};
  s.node.settings.table_size = -3;
  st = LayerImpl<LayerKind::kSoftmax>::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.message(),
            "layer 'act' (softmax): TableSize -3 is out of range; use 1 to 1048576 (or 0 for the "
            "default)");
}

// The requirement: with the default settings and input ap_fixed<16,6>, every row sums to 1
// within 2^-8. Rows of 2..64 classes, inputs spread from 2^-8 to the whole input range.
TEST(SoftmaxTest, RowsSumToOneWithDefaults) {
  std::mt19937_64 rng(12345);
  const FixedType in = testing::Type("ap_fixed<16,6>");
  double worst_sum = 0, worst_abs = 0;
  int rows = 0;
  for (int n : {2, 3, 5, 8, 10, 16, 32, 64}) {
    auto s = MakeSetup(LayerKind::kSoftmax, "ap_fixed<16,6>", n);
    const FixedType out = s.node.Precision("result");
    // One kernel per row length (building the tables per row would dominate the run time).
    ASSERT_TRUE(LayerImpl<LayerKind::kSoftmax>::InferShape(s.node, s.inputs()).ok());
    auto kernel = LayerImpl<LayerKind::kSoftmax>::MakeKernel<int64_t>(s.node, s.inputs());
    auto fkernel = LayerImpl<LayerKind::kSoftmax>::MakeFloatKernel(s.node, s.inputs());
    ASSERT_TRUE(kernel.ok() && fkernel.ok());
    emu::LayerCounters counters;
    for (double spread : {1.0 / 256, 0.05, 0.5, 2.0, 8.0, 31.0}) {
      std::uniform_real_distribution<double> dist(-spread, spread);
      for (int r = 0; r < (n == 5 ? 20000 : 2000); ++r) {
        std::vector<int64_t> x(n);
        std::vector<double> xf(n);
        for (int j = 0; j < n; ++j) {
          x[j] = QuantizeDouble(dist(rng), in).ToInt64();
          xf[j] = ToDouble(x[j], in);
        }
        std::vector<int64_t> y(n);
        std::vector<double> yf(n);
        const int64_t* xp[] = {x.data()};
        const double* xfp[] = {xf.data()};
        (*kernel)->Run(xp, y.data(), counters);
        (*fkernel)->Run(xfp, yf.data());
        double sum = 0;
        for (int j = 0; j < n; ++j) {
          sum += ToDouble(y[j], out);
          worst_abs = std::max(worst_abs, std::abs(ToDouble(y[j], out) - yf[j]));
        }
        worst_sum = std::max(worst_sum, std::abs(sum - 1));
        ASSERT_LE(std::abs(sum - 1), std::ldexp(1, -8)) << "n=" << n << " spread=" << spread;
        ++rows;
      }
    }
    EXPECT_EQ(counters.wraps + counters.saturations, 0u) << "n=" << n;
  }
  // Accuracy vs float: the exp index moves d by at most half a step (2^-7), a relative error of
  // at most 2^-7 in each exponential; y = E/S then errs by at most y(1-y) * 2 * 2^-7 <= 2^-8,
  // plus the reciprocal (2^-11 relative) and the result rounding (2^-15).
  EXPECT_LE(worst_abs, std::ldexp(1, -8) + std::ldexp(1, -10));
  std::printf("softmax: %d rows, max |sum - 1| = %.3g, max |y - float| = %.3g\n", rows, worst_sum,
              worst_abs);
}

TEST(SoftmaxTest, RepresentationsAgree) {
  std::mt19937_64 rng(7);
  for (const char* in_type :
       {"ap_fixed<16,6>", "ap_fixed<10,3,AP_RND,AP_SAT>", "ap_ufixed<12,4>"}) {
    for (int size : {0, 64, 1000}) {
      auto s = MakeSetup(LayerKind::kSoftmax, in_type, 5, {}, {}, size);
      const FixedType in = testing::Type(in_type);
      std::uniform_int_distribution<int64_t> dist(
          in.is_signed ? -(int64_t{1} << (in.width - 1)) : 0, (int64_t{1} << (in.width - 1)) - 1);
      for (int r = 0; r < 200; ++r) {
        std::vector<int64_t> x(5);
        for (auto& v : x) v = dist(rng);
        testing::ExpectRepresentationsAgree<LayerKind::kSoftmax>(s, x);
      }
    }
  }
  // Wide types take the BigInt path behind the int64_t interface; narrow accumulators wrap.
  auto w =
      MakeSetup(LayerKind::kSoftmax, "ap_fixed<40,12>", 4,
                {{"accum", "ap_fixed<8,2>"}, {"result", "ap_fixed<40,2,AP_RND_CONV,AP_SAT_SYM>"}});
  testing::ExpectRepresentationsAgree<LayerKind::kSoftmax>(w, {0, 0, 0, -5000000});
}

}  // namespace
}  // namespace firmnet::layers
