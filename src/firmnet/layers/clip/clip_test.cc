#include "firmnet/layers/clip/clip.h"

#include <gtest/gtest.h>

#include "firmnet/layers/common/test_util.h"
#include "firmnet/layers/hard_sigmoid/hard_sigmoid.h"

namespace firmnet::layers {
namespace {

using testing::MakeSetup;
using testing::RunRaw;

TEST(ClipTest, Relu6) {
  auto s = MakeSetup(LayerKind::kClip, "ap_fixed<8,4>", 1, {{"result", "ap_fixed<8,4>"}},
                     {{"min", 0.0}, {"max", 6.0}});
  // 100 = 6.25 -> 6 = 96; -5 -> 0; 37 stays; 96 = 6.0 stays.
  auto y = RunRaw<LayerKind::kClip, int64_t>(s, {100, -5, 37, 96}, nullptr);
  EXPECT_EQ(y, (std::vector<int64_t>{96, 0, 37, 96}));
}

TEST(ClipTest, QuantizedBoundComparedExactly) {
  // min = -0.3 in ap_fixed<16,6> (lsb 2^-10): -307.2 -> -308 (TRN) = -0.30078125.
  auto s = MakeSetup(LayerKind::kClip, "ap_fixed<8,4>", 1,
                     {{"result", "ap_fixed<10,4,AP_RND,AP_SAT>"}, {"param", "ap_fixed<16,6>"}},
                     {{"min", -0.3}, {"max", 1.0}});
  emu::LayerCounters c;
  // -5 = -0.3125 < -0.30078125 -> min: -308 at 2^-10 -> -19.25 at 2^-6 -> -19 (RND).
  // -4 = -0.25 stays: -16 at 2^-6. 20 = 1.25 -> 1.0 = 64.
  auto y = RunRaw<LayerKind::kClip, int64_t>(s, {-5, -4, 20}, &c);
  EXPECT_EQ(y, (std::vector<int64_t>{-19, -16, 64}));
  EXPECT_EQ(c.saturations, 0u);
}

TEST(ClipTest, BadBoundsAreErrors) {
  auto s = MakeSetup(LayerKind::kClip, "ap_fixed<8,4>", 1, {}, {{"min", 2.0}, {"max", 1.0}});
  Status st = LayerImpl<LayerKind::kClip>::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.message(), "layer 'act' (clip): attribute 'min' = 2 is greater than 'max' = 1");
  s.node.attrs["max"] = std::string("six");
  st = LayerImpl<LayerKind::kClip>::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.message(), "layer 'act': attribute 'max' is a string, expected a float");
  s.node.attrs["max"] = 1e300 * 1e300;
  st = LayerImpl<LayerKind::kClip>::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.message(), "layer 'act' (clip): attribute 'max' is inf; it must be a finite number");
}

// alpha = 0.2 -> 204 (lsb 2^-10, TRN), beta = 0.5 -> 512; input lsb 2^-4, so the exact sum
// lives on 2^-14: v = 204 x + 8192, clamped to [0, 16384].
TEST(HardSigmoidTest, ExactAffineThenClampThenOneCast) {
  auto s =
      MakeSetup(LayerKind::kHardSigmoid, "ap_fixed<8,4>", 1, {}, {{"alpha", 0.2}, {"beta", 0.5}});
  // 16 -> 11456 -> 716 (exact at 2^-10); 127 -> 1.0 = 1024; -128 -> 0;
  // 3 -> 8804 -> 550.25 -> 550; 5 -> 9212 -> 575.75 -> 575 (TRN).
  auto y = RunRaw<LayerKind::kHardSigmoid, int64_t>(s, {16, 127, -128, 3, 5}, nullptr);
  EXPECT_EQ(y, (std::vector<int64_t>{716, 1024, 0, 550, 575}));
  auto r = MakeSetup(LayerKind::kHardSigmoid, "ap_fixed<8,4>", 1,
                     {{"result", "ap_fixed<16,6,AP_RND,AP_SAT>"}}, {{"alpha", 0.2}, {"beta", 0.5}});
  auto yr = RunRaw<LayerKind::kHardSigmoid, int64_t>(r, {3, 5}, nullptr);
  EXPECT_EQ(yr, (std::vector<int64_t>{550, 576}));
  // 1.0 in ap_fixed<4,1,AP_TRN,AP_SAT> saturates to 0.875 (raw 7): counted.
  auto n = MakeSetup(LayerKind::kHardSigmoid, "ap_fixed<8,4>", 1,
                     {{"result", "ap_fixed<4,1,AP_TRN,AP_SAT>"}}, {{"alpha", 0.2}, {"beta", 0.5}});
  emu::LayerCounters c;
  auto yn = RunRaw<LayerKind::kHardSigmoid, int64_t>(n, {127, 16}, &c);
  EXPECT_EQ(yn, (std::vector<int64_t>{7, 5}));  // 0.69921875 -> 5.59 -> 5
  EXPECT_EQ(c.saturations, 1u);
}

}  // namespace
}  // namespace firmnet::layers
