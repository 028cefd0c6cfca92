#include "firmnet/fixed/fixed_type.h"

#include <gtest/gtest.h>

namespace firmnet {
namespace {

TEST(FixedType, ParsesEverySpelling) {
  struct Case {
    const char* text;
    FixedType expect;
  };
  const Case cases[] = {
      {"ap_fixed<16,6>", {16, 6, true}},
      {" ap_fixed < 16 , 6 > ", {16, 6, true}},
      {"ap_fixed<16,6,AP_RND,AP_SAT>", {16, 6, true, Rounding::kRnd, Overflow::kSat}},
      {"fixed<16,6,RND,SAT>", {16, 6, true, Rounding::kRnd, Overflow::kSat}},
      {"ap_fixed<8,3,AP_RND_CONV,AP_WRAP,2>", {8, 3, true, Rounding::kRndConv, Overflow::kWrap, 2}},
      {"ap_ufixed<8,0>", {8, 0, false}},
      {"ufixed<8,-2,TRN_ZERO,SAT_SYM>", {8, -2, false, Rounding::kTrnZero, Overflow::kSatSym}},
      {"ap_int<8>", {8, 8, true}},
      {"int<8>", {8, 8, true}},
      {"ap_uint<8>", {8, 8, false}},
      {"uint<1>", {1, 1, false}},
      {"ap_fixed<128,200>", {128, 200, true}},
      {"ap_fixed<6,2,AP_RND_MIN_INF,AP_SAT_ZERO>",
       {6, 2, true, Rounding::kRndMinInf, Overflow::kSatZero}},
      {"ap_fixed<6,2,AP_RND_INF>", {6, 2, true, Rounding::kRndInf}},
      {"ap_fixed<6,2,AP_RND_ZERO>", {6, 2, true, Rounding::kRndZero}},
  };
  for (const auto& c : cases) {
    auto t = ParseFixedType(c.text);
    ASSERT_TRUE(t.ok()) << c.text << ": " << t.status().ToString();
    EXPECT_EQ(*t, c.expect) << c.text;
    // The canonical spelling parses back to the same type.
    auto again = ParseFixedType(FormatFixedType(*t));
    ASSERT_TRUE(again.ok()) << FormatFixedType(*t);
    EXPECT_EQ(*again, *t);
  }
  EXPECT_EQ(FormatFixedType({16, 6, true}), "ap_fixed<16,6>");
  EXPECT_EQ(FormatFixedType({16, 6, true, Rounding::kRnd, Overflow::kSat}),
            "ap_fixed<16,6,AP_RND,AP_SAT>");
  EXPECT_EQ(FormatFixedType({16, 6, true, Rounding::kRnd}), "ap_fixed<16,6,AP_RND>");
  EXPECT_EQ(FormatFixedType({8, 8, false}), "ap_uint<8>");
}

TEST(FixedType, RejectsMalformedTypesWithAReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"ap_fixed<16>", "2 to 5 parameters"},
      {"ap_fixed<0,0>", "width 0 is out of range"},
      {"ap_fixed<129,6>", "width 129 is out of range"},
      {"ap_fixed<16,6,AP_RUND>", "unknown quantization mode 'AP_RUND'"},
      {"ap_fixed<16,6,AP_RND,AP_SATURATE>", "unknown overflow mode 'AP_SATURATE'"},
      {"ap_fixed<16,6,AP_RND,AP_SAT,2>", "apply only to AP_WRAP"},
      {"ap_fixed<4,2,AP_RND,AP_WRAP,5>", "N=5 are out of range"},
      {"ap_fixd<16,6>", "unknown type name 'ap_fixd'"},
      {"ap_fixed<16,x>", "integer bits 'x' is not an integer"},
      {"ap_int<8,2>", "exactly one parameter"},
      {"ap_fixed<16,6", "expected a form like"},
      {"", "expected a form like"},
      {"ap_fixed<,6>", "empty parameter"},
  };
  for (const auto& [text, why] : cases) {
    auto t = ParseFixedType(text);
    ASSERT_FALSE(t.ok()) << text;
    EXPECT_NE(t.status().message().find(why), std::string::npos)
        << text << " -> " << t.status().message();
    EXPECT_NE(t.status().message().find(std::string("'") + text + "'"), std::string::npos);
  }
}

TEST(FixedType, ArithmeticResultTypes) {
  const FixedType a{16, 6, true}, b{8, 3, false};
  EXPECT_EQ(ProductType(a, b), (FixedType{24, 9, true}));
  // Unsigned operand gains a bit when mixed with a signed one.
  EXPECT_EQ(SumType(a, b), (FixedType{17, 7, true}));
  EXPECT_EQ(SumType(b, b), (FixedType{9, 4, false}));
  EXPECT_EQ(SumType(FixedType{8, 2, true}, FixedType{4, 4, true}), (FixedType{11, 5, true}));
}

TEST(FixedType, Ranges) {
  const FixedType t{16, 6, true};
  EXPECT_EQ(t.MinValue(), -32.0);
  EXPECT_EQ(t.MaxValue(), 32.0 - 1.0 / 1024);
  EXPECT_EQ(t.Lsb(), 1.0 / 1024);
  EXPECT_EQ((FixedType{8, 0, false}).MaxValue(), 255.0 / 256);
}

}  // namespace
}  // namespace firmnet
