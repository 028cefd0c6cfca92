#include "firmnet/layers/relu/relu.h"

#include <gtest/gtest.h>

#include "firmnet/layers/common/test_util.h"
#include "firmnet/layers/linear/linear.h"

namespace firmnet::layers {
namespace {

using testing::MakeSetup;
using testing::RunRaw;

// Input ap_fixed<8,4> (lsb 2^-4), result ap_fixed<6,3> (lsb 2^-3): one fractional bit is lost.
TEST(ReluTest, TruncatesAndWrapsLikeHls4ml) {
  auto s = MakeSetup(LayerKind::kRelu, "ap_fixed<8,4>", 1, {{"result", "ap_fixed<6,3>"}});
  emu::LayerCounters c;
  // 37 = 2.3125 -> 18.5 -> 18 (TRN); -5 -> 0; 0 -> 0; 100 = 6.25 -> 50 -> wraps to 50-64 = -14.
  auto y = RunRaw<LayerKind::kRelu, int64_t>(s, {37, -5, 0, 100, 35}, &c);
  EXPECT_EQ(y, (std::vector<int64_t>{18, 0, 0, -14, 17}));
  EXPECT_EQ(c.wraps, 1u);
  EXPECT_EQ(c.saturations, 0u);
}

TEST(ReluTest, RoundsAndSaturates) {
  auto s =
      MakeSetup(LayerKind::kRelu, "ap_fixed<8,4>", 1, {{"result", "ap_fixed<6,3,AP_RND,AP_SAT>"}});
  emu::LayerCounters c;
  // 37 -> 18.5 -> 19 (RND ties up); 35 -> 17.5 -> 18; 100 -> 50 -> saturates to 31.
  auto y = RunRaw<LayerKind::kRelu, int64_t>(s, {37, 35, 100, -128}, &c);
  EXPECT_EQ(y, (std::vector<int64_t>{19, 18, 31, 0}));
  EXPECT_EQ(c.saturations, 1u);
  EXPECT_EQ(c.wraps, 0u);
}

TEST(ReluTest, ErrorsNameTheLayer) {
  auto s = MakeSetup(LayerKind::kRelu, "ap_fixed<8,4>", 3);
  Status st = LayerImpl<LayerKind::kRelu>::InferShape(s.node, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "layer 'act' (relu): expects exactly 1 input, got 0");
  ASSERT_TRUE(LayerImpl<LayerKind::kRelu>::InferShape(s.node, s.inputs()).ok());
  EXPECT_EQ(s.node.shape, (ir::Shape{3}));
}

TEST(LinearTest, CastsNegativeValues) {
  auto s = MakeSetup(LayerKind::kLinear, "ap_fixed<8,4>", 1, {{"result", "ap_fixed<6,3>"}});
  emu::LayerCounters c;
  // -37 -> -18.5 -> -19 (TRN is toward minus infinity); -100 -> -50 -> wraps to 14.
  auto y = RunRaw<LayerKind::kLinear, int64_t>(s, {-37, -100, 5}, &c);
  EXPECT_EQ(y, (std::vector<int64_t>{-19, 14, 2}));
  EXPECT_EQ(c.wraps, 1u);
  auto r = MakeSetup(LayerKind::kLinear, "ap_fixed<8,4>", 1,
                     {{"result", "ap_fixed<6,3,AP_RND,AP_SAT>"}});
  emu::LayerCounters cr;
  // -37 -> -18.5 -> -18 (RND ties toward plus infinity); -100 -> saturates to -32.
  auto yr = RunRaw<LayerKind::kLinear, int64_t>(r, {-37, -100, 5}, &cr);
  EXPECT_EQ(yr, (std::vector<int64_t>{-18, -32, 3}));
  EXPECT_EQ(cr.saturations, 1u);
}

}  // namespace
}  // namespace firmnet::layers
