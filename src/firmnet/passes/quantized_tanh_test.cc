#include "firmnet/passes/quantized_tanh.h"

#include <gtest/gtest.h>

#include "firmnet/passes/fuse_batchnorm.h"
#include "firmnet/passes/pass_test_util.h"

namespace firmnet::passes {
namespace {

using testing::Canonical;
using testing::RunOn;

// The dense's result has 4 fractional bits: thresholds are floored to multiples of 1/16.
constexpr char kBinary[] = R"(graph g {
  %x = input() shape=[2] precision{result=ap_fixed<8,4>}
  %fc = dense(%x, weight_quantizer="binary") shape=[2] precision{result=ap_fixed<10,6>, weight=ap_int<2>, bias=ap_uint<1>, accum=ap_fixed<10,6>} model_precision{weight=ap_int<2>, bias=ap_uint<1>}
    weight f64[2,2] = [1, -1, -1, 1]
    bias f64[2] = [0, 0]
  %bn = batchnorm(%fc) shape=[2] precision{result=ap_fixed<16,6>, scale=ap_fixed<16,6>, bias=ap_fixed<16,6>}
    scale f64[2] = [3, 4]
    bias f64[2] = [1, -1]
  %act = binary_tanh(%bn) shape=[2] precision{result=ap_fixed<16,6>}
  outputs %act
})";

TEST(MergeBatchNormQuantizedTanhTest, BinaryThresholdsAreFlooredToTheInputGrid) {
  MergeBatchNormQuantizedTanhPass pass;
  bool changed = false;
  // -1/3 = -0.333.. -> floor(-5.33)/16 = -6/16 = -0.375; 1/4 -> 4/16 = 0.25 exactly. The float
  // reference keeps -1/3.
  const std::string want = R"(graph g {
  %x = input() shape=[2] precision{result=ap_fixed<8,4>}
  %fc = dense(%x, weight_quantizer="binary") shape=[2] precision{result=ap_fixed<10,6>, weight=ap_int<2>, bias=ap_uint<1>, accum=ap_fixed<10,6>} model_precision{weight=ap_int<2>, bias=ap_uint<1>}
    weight f64[2,2] = [1, -1, -1, 1]
    bias f64[2] = [0, 0]
  %bnbt_bn = batchnorm_quantized_tanh(%fc, levels=2, xnor=1) shape=[2] precision{result=ap_uint<1>} model_precision{result=ap_uint<1>}
    threshold f64[2] = [-0.375, 0.25] reference [-0.33333333333333331, 0.25]
  outputs %bnbt_bn
})";
  // A graph output: hls4ml's XNOR bits (xnor=1, ap_uint<1>).
  EXPECT_EQ(RunOn(pass, kBinary, &changed), Canonical(want));
  EXPECT_TRUE(changed);
}

TEST(MergeBatchNormQuantizedTanhTest, InsideTheModelBinaryStaysPlusMinusOne) {
  // Read by another layer and an output too: the readers get -1/+1 and the output the bits of a
  // binary_tanh (xnor=1) after the merged layer.
  std::string in = kBinary;
  in.replace(in.find("  outputs %act"), 14,
             "  %r = relu(%act) shape=[2] precision{result=ap_fixed<4,2>}\n  outputs %act, %r");
  MergeBatchNormQuantizedTanhPass pass;
  const std::string out = RunOn(pass, in);
  EXPECT_NE(out.find("%bnbt_bn = batchnorm_quantized_tanh(%fc, levels=2) shape=[2] "
                     "precision{result=ap_int<2>}"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("%r = relu(%bnbt_bn)"), std::string::npos) << out;
  EXPECT_NE(out.find("%bnbt_bn_xnor = binary_tanh(%bnbt_bn, xnor=1) shape=[2] "
                     "precision{result=ap_uint<1>}"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("outputs %bnbt_bn_xnor, %r"), std::string::npos) << out;
  // Not an output at all: -1/+1.
  std::string inner = kBinary;
  inner.replace(inner.find("  outputs %act"), 14,
                "  %r = relu(%act) shape=[2] precision{result=ap_fixed<4,2>}\n  outputs %r");
  const std::string out2 = RunOn(pass, inner);
  EXPECT_EQ(out2.find("xnor"), std::string::npos) << out2;
}

TEST(MergeBatchNormQuantizedTanhTest, TernaryHasTwoThresholdsAtPlusMinusHalf) {
  std::string in = kBinary;
  in.replace(in.find("binary_tanh"), 11, "ternary_tanh");
  MergeBatchNormQuantizedTanhPass pass;
  auto out = RunOn(pass, in);
  // hi = 0.5/s - b/s: (0.5-1)/3 = -1/6 -> floor(-2.67)/16 = -0.1875; (0.5+1)/4 = 0.375.
  // lo = -0.5/s - b/s: -0.5 -> -0.5; (-0.5+1)/4 = 0.125.
  EXPECT_NE(out.find("levels=3"), std::string::npos) << out;
  EXPECT_NE(out.find("threshold_hi f64[2] = [-0.1875, 0.375]"), std::string::npos) << out;
  EXPECT_NE(out.find("threshold_lo f64[2] = [-0.5, 0.125]"), std::string::npos) << out;
}

TEST(MergeBatchNormQuantizedTanhTest, LeavesABatchnormWithAnotherReaderAlone) {
  std::string in = kBinary;
  in.replace(in.find("  outputs %act"), 14, "  outputs %act, %bn");
  MergeBatchNormQuantizedTanhPass pass;
  bool changed = true;
  EXPECT_EQ(RunOn(pass, in, &changed), Canonical(in));
  EXPECT_FALSE(changed);
}

TEST(QuantizeDenseOutputTest, BinaryDenseAfterThresholdsSumsIntegers) {
  const std::string in = R"(graph g {
  %x = input() shape=[2] precision{result=ap_fixed<8,4>}
  %t = batchnorm_quantized_tanh(%x, levels=2) shape=[2] precision{result=ap_int<2>}
    threshold f64[2] = [0.5, -0.25]
  %fc = dense(%t, weight_quantizer="binary") shape=[3] precision{result=auto:ap_fixed<16,6>, weight=ap_int<2>, bias=ap_int<2>, accum=auto:ap_fixed<16,6>}
    weight f64[2,3] = [1, -1, -1, 1, 1, 1]
    bias f64[3] = [1, -1, 1]
  %t2 = batchnorm_quantized_tanh(%fc, levels=3) shape=[3] precision{result=ap_int<2>}
    threshold_hi f64[3] = [0.5, 1.25, -0.75]
    threshold_lo f64[3] = [-0.5, -1.25, -1.75]
  outputs %t2
})";
  // n_in = 2: ap_int<ceil(log2 2) + 2> = ap_int<3>; the bias is dropped; the thresholds after it
  // are floored (their float reference stays).
  const std::string want = R"(graph g {
  %x = input() shape=[2] precision{result=ap_fixed<8,4>}
  %t = batchnorm_quantized_tanh(%x, levels=2) shape=[2] precision{result=ap_int<2>}
    threshold f64[2] = [0.5, -0.25]
  %fc = dense(%t, weight_quantizer="binary") shape=[3] precision{result=ap_int<3>, weight=ap_int<2>, bias=ap_int<2>, accum=ap_int<3>}
    weight f64[2,3] = [1, -1, -1, 1, 1, 1]
    bias f64[3] = [0, 0, 0]
  %t2 = batchnorm_quantized_tanh(%fc, levels=3) shape=[3] precision{result=ap_int<2>}
    threshold_hi f64[3] = [0, 1, -1] reference [0.5, 1.25, -0.75]
    threshold_lo f64[3] = [-1, -2, -2] reference [-0.5, -1.25, -1.75]
  outputs %t2
})";
  QuantizeDenseOutputPass pass;
  bool changed = false;
  EXPECT_EQ(RunOn(pass, in, &changed), Canonical(want));
  EXPECT_TRUE(changed);
  changed = true;
  EXPECT_EQ(RunOn(pass, want, &changed), Canonical(want));
  EXPECT_FALSE(changed);
}

TEST(QuantizeDenseOutputTest, OnlyBinaryOrTernaryWeightsAfterThresholds) {
  // A dense with ordinary weights after thresholds, and a binary dense after an input: unchanged.
  const std::string in = R"(graph g {
  %x = input() shape=[2] precision{result=ap_fixed<8,4>}
  %t = batchnorm_quantized_tanh(%x, levels=2) shape=[2] precision{result=ap_int<2>}
    threshold f64[2] = [0.5, -0.25]
  %fc = dense(%t) shape=[1] precision{result=ap_fixed<16,6>, weight=ap_fixed<16,6>, bias=ap_fixed<16,6>, accum=ap_fixed<16,6>}
    weight f64[2,1] = [1, -1]
    bias f64[1] = [0.5]
  %fc2 = dense(%x, weight_quantizer="ternary") shape=[1] precision{result=ap_fixed<16,6>, weight=ap_int<2>, bias=ap_int<2>, accum=ap_fixed<16,6>}
    weight f64[2,1] = [0, -1]
    bias f64[1] = [0]
  outputs %fc, %fc2
})";
  QuantizeDenseOutputPass pass;
  bool changed = true;
  EXPECT_EQ(RunOn(pass, in, &changed), Canonical(in));
  EXPECT_FALSE(changed);
}

TEST(FuseBatchNormQuantizersTest, AQuantizedDenseKeepsItsBatchnorm) {
  // hls4ml fuses a batchnorm into a dense with quantized weights only when its scale is all 1.
  const std::string in = R"(graph g {
  %x = input() shape=[1]
  %fc = dense(%x) shape=[2] precision{result=auto, weight=ap_fixed<6,1>} model_precision{weight=ap_fixed<6,1>}
    weight f64[1,2] = [0.5, 0.25]
    bias f64[2] = [0, 0]
  %bn = batchnorm(%fc) shape=[2]
    scale f64[2] = [2, 1]
    bias f64[2] = [0.5, 0]
  outputs %bn
})";
  FuseBatchNormPass pass;
  bool changed = true;
  EXPECT_EQ(RunOn(pass, in, &changed), Canonical(in));
  EXPECT_FALSE(changed);
  std::string ones = in;
  ones.replace(ones.find("scale f64[2] = [2, 1]"), 21, "scale f64[2] = [1, 1]");
  changed = false;
  const std::string out = RunOn(pass, ones, &changed);
  EXPECT_TRUE(changed);
  EXPECT_EQ(out.find("batchnorm"), std::string::npos) << out;
}

}  // namespace
}  // namespace firmnet::passes
