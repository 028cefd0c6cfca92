#include "firmnet/layers/common/po2_product.h"

#include <gtest/gtest.h>

namespace firmnet::layers::common {
namespace {

FixedType T(const char* s) { return *ParseFixedType(s); }

ir::Node Po2Node(int64_t bits) {
  ir::Node n;
  n.name = "fc";
  n.kind = LayerKind::kDense;
  n.attrs["po2_weight_bits"] = bits;
  return n;
}

// hls4ml's weight_exponential for quantized_po2(4) weights on ap_ufixed<2,0> inputs:
// r_t = ap_fixed<2*(4+2), 4+2> = ap_fixed<12,6> (lsb 2^-6).
TEST(Po2ProductTest, ShiftsTruncateInTheProductType) {
  const FixedType in = T("ap_ufixed<2,0>"), w = T("ap_fixed<10,2>");  // w lsb 2^-8
  auto p = Po2Product::For(Po2Node(4), in, w);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->has_value());
  EXPECT_EQ(FormatFixedType((*p)->type()), "ap_fixed<12,6>");
  emu::LayerCounters c;
  // x = 0.75 (raw 3): times 2^-5 = 0.0234375 exactly, but (r_t) 0.75 >> 5 keeps 1 lsb: 2^-6.
  EXPECT_EQ((**p)(int64_t{3}, int64_t{8}, c), 1);
  // times 2^-8: everything shifts out; times -2^-5: -(2^-6), the truncation before the sign.
  EXPECT_EQ((**p)(int64_t{3}, int64_t{1}, c), 0);
  EXPECT_EQ((**p)(int64_t{3}, int64_t{-8}, c), -1);
  // times 2^0 and -2^0: exact (48 lsb = 0.75).
  EXPECT_EQ((**p)(int64_t{3}, int64_t{256}, c), 48);
  EXPECT_EQ((**p)(int64_t{3}, int64_t{-256}, c), -48);
  EXPECT_EQ(c.wraps, 0u);
}

TEST(Po2ProductTest, NegativeInputsRoundTowardMinusInfinityAndLeftShiftsWrap) {
  // ap_fixed<3,1> input (lsb 1/4), bits 1: r_t = ap_fixed<8,4> (lsb 2^-4, range [-8, 8)).
  const FixedType in = T("ap_fixed<3,1>"), w = T("ap_fixed<12,6>");  // w lsb 2^-6
  auto p = Po2Product::For(Po2Node(1), in, w);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ(FormatFixedType((*p)->type()), "ap_fixed<8,4>");
  emu::LayerCounters c;
  // x = -0.75 (raw -3, r_t raw -12) times 2^-4: -12 >> 4 = -1 (floor), not -0.75 lsb.
  EXPECT_EQ((**p)(int64_t{-3}, int64_t{4}, c), -1);
  // ... times -2^-4: -(-1) = +1.
  EXPECT_EQ((**p)(int64_t{-3}, int64_t{-4}, c), 1);
  // x = 0.75 times 2^4 = 12: wraps in ap_fixed<8,4> to 12 - 16 = -4 (raw -64).
  EXPECT_EQ((**p)(int64_t{3}, int64_t{1024}, c), -64);
  EXPECT_EQ(c.wraps, 1u);
  // The BigInt representation agrees.
  EXPECT_TRUE((**p)(BigInt(3), BigInt(1024), c) == BigInt(-64));
}

TEST(Po2ProductTest, WithoutTheAttributeProductsAreExactAndWideShiftsAreRefused) {
  ir::Node plain = Po2Node(4);
  plain.attrs.clear();
  auto none = Po2Product::For(plain, T("ap_fixed<16,6>"), T("ap_fixed<10,2>"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto wide = Po2Product::For(Po2Node(8), T("ap_fixed<30,6>"), T("ap_fixed<10,2>"));
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.status().message().find("76-bit shift register"), std::string::npos)
      << wide.status().message();
}

}  // namespace
}  // namespace firmnet::layers::common
