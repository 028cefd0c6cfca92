#include "firmnet/layers/binary_tanh/binary_tanh.h"

#include <gtest/gtest.h>

#include "firmnet/layers/common/test_util.h"
#include "firmnet/layers/ternary_tanh/ternary_tanh.h"

namespace firmnet::layers {
namespace {

using testing::MakeSetup;
using testing::RunRaw;

// hls4ml's nnet::binary_tanh: x >= 0 -> 1, else -1 (zero is positive), cast to the result.
TEST(BinaryTanhTest, SignWithZeroPositive) {
  auto s = MakeSetup(LayerKind::kBinaryTanh, "ap_fixed<8,4>", 1, {{"result", "ap_int<2>"}});
  auto y = RunRaw<LayerKind::kBinaryTanh, int64_t>(s, {37, -1, 0, -128, 127});
  EXPECT_EQ(y, (std::vector<int64_t>{1, -1, 1, -1, 1}));
  // In ap_fixed<16,6> (lsb 2^-10) the values are +-1024.
  auto f = MakeSetup(LayerKind::kBinaryTanh, "ap_fixed<8,4>", 1, {{"result", "ap_fixed<16,6>"}});
  EXPECT_EQ((RunRaw<LayerKind::kBinaryTanh, int64_t>(f, {-3, 3})),
            (std::vector<int64_t>{-1024, 1024}));
  // An unsigned result saturating: -1 -> 0 with AP_SAT.
  auto u = MakeSetup(LayerKind::kBinaryTanh, "ap_fixed<8,4>", 1,
                     {{"result", "ap_ufixed<4,2,AP_TRN,AP_SAT>"}});
  emu::LayerCounters c;
  EXPECT_EQ((RunRaw<LayerKind::kBinaryTanh, int64_t>(u, {-3, 3}, &c)),
            (std::vector<int64_t>{0, 4}));
  EXPECT_EQ(c.saturations, 1u);
}

// xnor=1: hls4ml's XNOR encoding of the sign, 1 for +1 and 0 for -1, in an ap_uint<1>.
TEST(BinaryTanhTest, XnorWritesOneAndZero) {
  auto s = MakeSetup(LayerKind::kBinaryTanh, "ap_fixed<8,4>", 1, {{"result", "ap_uint<1>"}},
                     {{"xnor", int64_t{1}}});
  emu::LayerCounters c;
  EXPECT_EQ((RunRaw<LayerKind::kBinaryTanh, int64_t>(s, {37, -1, 0, -128}, &c)),
            (std::vector<int64_t>{1, 0, 1, 0}));
  EXPECT_EQ(c.wraps + c.saturations, 0u);
  ir::Node bad = s.node;
  bad.attrs["xnor"] = int64_t{2};
  EXPECT_FALSE(LayerImpl<LayerKind::kBinaryTanh>::InferShape(bad, s.inputs()).ok());
}

TEST(BinaryTanhTest, BigIntEngineAgrees) {
  auto s = MakeSetup(LayerKind::kBinaryTanh, "ap_fixed<8,4>", 1, {{"result", "ap_fixed<70,10>"}});
  auto y = RunRaw<LayerKind::kBinaryTanh, BigInt>(s, {BigInt(-5), BigInt(0)});
  ASSERT_EQ(y.size(), 2u);
  EXPECT_TRUE(y[0] == -BigInt::PowerOfTwo(60));
  EXPECT_TRUE(y[1] == BigInt::PowerOfTwo(60));
}

// hls4ml's nnet::ternary_tanh: d = (data_T)(2x); d > 1 -> 1, -1 < d <= 1 -> 0, else -1.
TEST(TernaryTanhTest, ThresholdsAtHalfAfterDoublingInTheInputType) {
  // ap_fixed<8,4>: lsb 1/16; 0.5 is raw 8 (2x = 1: not > 1 -> 0), 9 -> 1; -8 -> d = -1 -> -1.
  auto s = MakeSetup(LayerKind::kTernaryTanh, "ap_fixed<8,4>", 1, {{"result", "ap_int<2>"}});
  auto y = RunRaw<LayerKind::kTernaryTanh, int64_t>(s, {8, 9, -7, -8, 0});
  EXPECT_EQ(y, (std::vector<int64_t>{0, 1, 0, -1, 0}));
  // 2x wraps in the input type: 5.0 (raw 80) doubles to 10 -> wraps to -6 -> -1, as hls4ml's
  // `data_T datareg = 2 * data[ii]` does.
  emu::LayerCounters c;
  EXPECT_EQ((RunRaw<LayerKind::kTernaryTanh, int64_t>(s, {80}, &c)), (std::vector<int64_t>{-1}));
  EXPECT_EQ(c.wraps, 1u);
  // An integer input (lsb 1): 1 -> d = 2 > 1 -> 1; 0 -> 0; -1 -> d = -2 -> -1.
  auto i = MakeSetup(LayerKind::kTernaryTanh, "ap_int<4>", 1, {{"result", "ap_int<2>"}});
  EXPECT_EQ((RunRaw<LayerKind::kTernaryTanh, int64_t>(i, {1, 0, -1})),
            (std::vector<int64_t>{1, 0, -1}));
}

}  // namespace
}  // namespace firmnet::layers
