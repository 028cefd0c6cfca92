#include "firmnet/layers/leaky_relu/leaky_relu.h"

#include <gtest/gtest.h>

#include "firmnet/layers/common/test_util.h"

namespace firmnet::layers {
namespace {

using testing::MakeSetup;
using testing::RunRaw;

// alpha = 0.3 in ap_fixed<8,1> (lsb 2^-7): 38.4 -> 38 (TRN), i.e. 0.296875.
TEST(LeakyReluTest, ExactProductThenOneCast) {
  auto s = MakeSetup(LayerKind::kLeakyRelu, "ap_fixed<8,4>", 1,
                     {{"result", "ap_fixed<10,4>"}, {"param", "ap_fixed<8,1>"}}, {{"alpha", 0.3}});
  // x = -13 (-0.8125): 38 * -13 = -494 at 2^-11 -> result lsb 2^-6: -15.4375 -> -16 (TRN).
  // x = 20 (1.25) -> 80 at 2^-6.
  auto y = RunRaw<LayerKind::kLeakyRelu, int64_t>(s, {-13, 20, 0, -128}, nullptr);
  // -128 (-8): 38 * -128 = -4864 at 2^-11 -> -152 exactly.
  EXPECT_EQ(y, (std::vector<int64_t>{-16, 80, 0, -152}));
  auto r = MakeSetup(LayerKind::kLeakyRelu, "ap_fixed<8,4>", 1,
                     {{"result", "ap_fixed<10,4,AP_RND,AP_SAT>"}, {"param", "ap_fixed<8,1>"}},
                     {{"alpha", 0.3}});
  auto yr = RunRaw<LayerKind::kLeakyRelu, int64_t>(r, {-13}, nullptr);
  EXPECT_EQ(yr, (std::vector<int64_t>{-15}));  // -15.4375 rounds to -15
}

TEST(LeakyReluTest, CountsResultOverflow) {
  auto s = MakeSetup(LayerKind::kLeakyRelu, "ap_fixed<8,4>", 1,
                     {{"result", "ap_fixed<6,2,AP_TRN,AP_SAT>"}, {"param", "ap_fixed<8,1>"}},
                     {{"alpha", 0.3}});
  emu::LayerCounters c;
  // 127 (7.9375) saturates to 31 (1.9375); -128 -> -2.375 saturates to -32 (-2.0).
  auto y = RunRaw<LayerKind::kLeakyRelu, int64_t>(s, {127, -128, -16}, &c);
  // -16 (-1.0): 38 * -16 = -608 at 2^-11 -> -4.75 at 2^-4 -> -5 (TRN).
  EXPECT_EQ(y, (std::vector<int64_t>{31, -32, -5}));
  EXPECT_EQ(c.saturations, 2u);
}

TEST(LeakyReluTest, ParamOverflowIsAnError) {
  auto s = MakeSetup(LayerKind::kLeakyRelu, "ap_fixed<8,4>", 2, {{"param", "ap_fixed<8,1>"}},
                     {{"alpha", 3.0}});
  ASSERT_TRUE(LayerImpl<LayerKind::kLeakyRelu>::InferShape(s.node, s.inputs()).ok());
  auto k = LayerImpl<LayerKind::kLeakyRelu>::MakeKernel<int64_t>(s.node, s.inputs());
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().message(),
            "layer 'act' (leaky_relu): attribute 'alpha' = 3 does not fit the \"param\" precision "
            "ap_fixed<8,1>; give the layer a wider param type");
  s.node.attrs.clear();
  Status st = LayerImpl<LayerKind::kLeakyRelu>::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.message(), "layer 'act': missing attribute 'alpha'");
}

}  // namespace
}  // namespace firmnet::layers
