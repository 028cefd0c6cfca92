#include "firmnet/layers/batchnorm_quantized_tanh/batchnorm_quantized_tanh.h"

#include <gtest/gtest.h>

#include "firmnet/layers/common/test_util.h"

namespace firmnet::layers {
namespace {

using testing::MakeSetup;
using testing::RunFloat;
using testing::RunRaw;

ir::Tensor Vec(std::vector<double> v) {
  ir::Tensor t;
  t.shape = {static_cast<int64_t>(v.size())};
  t.data = std::move(v);
  return t;
}

constexpr LayerKind kK = LayerKind::kBatchNormQuantizedTanh;

TEST(BatchNormQuantizedTanhTest, BinaryComparesWithPerChannelThresholds) {
  auto s = MakeSetup(kK, "ap_fixed<8,4>", 2, {{"result", "ap_int<2>"}}, {{"levels", int64_t{2}}});
  s.node.weights["threshold"] = Vec({0.5, -0.25});  // raw 8 and -4 in ap_fixed<8,4>
  // x_i >= t_i -> +1.
  EXPECT_EQ((RunRaw<kK, int64_t>(s, {8, -4})), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ((RunRaw<kK, int64_t>(s, {7, -5})), (std::vector<int64_t>{-1, -1}));
  // On a feature map [2, 2] the two thresholds apply per channel (c = i mod 2).
  s.in.shape = {2, 2};
  ASSERT_TRUE(LayerImpl<kK>::InferShape(s.node, s.inputs()).ok());
  auto k = LayerImpl<kK>::MakeKernel<int64_t>(s.node, s.inputs());
  ASSERT_TRUE(k.ok());
  const std::vector<int64_t> x = {8, -4, 7, -5};
  std::vector<int64_t> y(4);
  const int64_t* ptrs[] = {x.data()};
  emu::LayerCounters c;
  (*k)->Run(ptrs, y.data(), c);
  EXPECT_EQ(y, (std::vector<int64_t>{1, 1, -1, -1}));
}

// xnor=1 (a binary layer that is a graph output): hls4ml's XNOR bits, 1 at or above the
// threshold and 0 below, in an ap_uint<1>; the float reference gives the same 1/0.
TEST(BatchNormQuantizedTanhTest, XnorWritesOneAndZero) {
  auto s = MakeSetup(kK, "ap_fixed<8,4>", 2, {{"result", "ap_uint<1>"}},
                     {{"levels", int64_t{2}}, {"xnor", int64_t{1}}});
  s.node.weights["threshold"] = Vec({0.5, -0.25});
  ASSERT_TRUE(LayerImpl<kK>::CheckWeights(s.node).ok());
  EXPECT_EQ((RunRaw<kK, int64_t>(s, {8, -5})), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ((RunFloat<kK>(s, {0.4, 3.0})), (std::vector<double>{0, 1}));
  s.node.attrs["levels"] = int64_t{3};
  EXPECT_EQ(LayerImpl<kK>::CheckWeights(s.node).message(),
            "attribute 'xnor' must be 0, or 1 with levels=2");
}

TEST(BatchNormQuantizedTanhTest, ThresholdsAreConstantsOfTheInputType) {
  // hls4ml declares the thresholds data_T: 9.0 does not fit ap_fixed<8,4> and wraps to -7.
  auto s = MakeSetup(kK, "ap_fixed<8,4>", 1, {{"result", "ap_int<2>"}}, {{"levels", int64_t{2}}});
  s.node.weights["threshold"] = Vec({9.0, 9.0, 9.0});
  EXPECT_EQ((RunRaw<kK, int64_t>(s, {-113, -112, 0})), (std::vector<int64_t>{-1, 1, 1}));
  // With a saturating input type it saturates to 7.9375 (raw 127) instead.
  auto t = MakeSetup(kK, "ap_fixed<8,4,AP_TRN,AP_SAT>", 1, {{"result", "ap_int<2>"}},
                     {{"levels", int64_t{2}}});
  t.node.weights["threshold"] = Vec({9.0, 9.0});
  EXPECT_EQ((RunRaw<kK, int64_t>(t, {126, 127})), (std::vector<int64_t>{-1, 1}));
}

TEST(BatchNormQuantizedTanhTest, TernaryHasAMiddleBand) {
  auto s = MakeSetup(kK, "ap_int<6>", 1, {{"result", "ap_int<2>"}}, {{"levels", int64_t{3}}});
  s.node.weights["threshold_hi"] = Vec({2, 2, 2, 2, 2, 2});
  s.node.weights["threshold_lo"] = Vec({-3, -3, -3, -3, -3, -3});
  // x > 2 -> 1; x <= -3 -> -1; else 0.
  auto y = RunRaw<kK, int64_t>(s, {3, 2, -2, -3, 31, -32});
  EXPECT_EQ(y, (std::vector<int64_t>{1, 0, 0, -1, 1, -1}));
  // The float reference uses the same comparisons on the (unfloored) reference values.
  s.node.weights["threshold_hi"] = Vec({2, 2, 2, 2});
  s.node.weights["threshold_lo"] = Vec({-3, -3, -3, -3});
  EXPECT_EQ(RunFloat<kK>(s, {2.5, 2.0, -3.0, -2.9}), (std::vector<double>{1, 0, -1, 0}));
}

TEST(BatchNormQuantizedTanhTest, SchemaErrors) {
  auto s = MakeSetup(kK, "ap_int<6>", 1, {}, {{"levels", int64_t{3}}});
  s.node.weights["threshold"] = Vec({1});
  Status st = LayerImpl<kK>::CheckWeights(s.node);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "levels=3 needs exactly the weights 'threshold_hi' and 'threshold_lo'");
  s.node.attrs["levels"] = int64_t{4};
  st = LayerImpl<kK>::CheckWeights(s.node);
  EXPECT_EQ(st.message(), "attribute 'levels' must be 2 (binary) or 3 (ternary), got 4");
  // Three thresholds for an input of 2 values.
  auto b = MakeSetup(kK, "ap_int<6>", 2, {}, {{"levels", int64_t{2}}});
  b.node.weights["threshold"] = Vec({1, 2, 3});
  st = LayerImpl<kK>::InferShape(b.node, b.inputs());
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("3 thresholds for an input of shape [2]"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace firmnet::layers
