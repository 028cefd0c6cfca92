#include "firmnet/passes/fuse_batchnorm.h"

#include <gtest/gtest.h>

#include "firmnet/passes/pass_test_util.h"

namespace firmnet::passes {
namespace {

using testing::Canonical;
using testing::RunOn;

std::string Fuse(const std::string& in, bool* changed = nullptr) {
  FuseBatchNormPass pass;
  return RunOn(pass, in, changed);
}

constexpr char kHeader[] = "graph g {\n  %x = input() shape=[1]\n";

TEST(FuseBatchNormTest, FoldsIntoDenseWhoseResultIsAutoAndRewiresReadersAndOutputs) {
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[2] reuse=2 precision{result=auto, weight=ap_fixed<8,3>}
    weight f64[1,2] = [1, 2]
    bias f64[2] = [1, 1]
  %bn = batchnorm(%fc) shape=[2] precision{result=ap_fixed<10,4>, scale=ap_fixed<8,3>}
    scale f64[2] = [2, -1]
    bias f64[2] = [0.5, 0]
  %r = relu(%bn) shape=[2]
  outputs %r, %bn
})";
  // hls4ml drops the batchnorm's types: the dense's result stays auto.
  const std::string want = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[2] reuse=2 precision{result=auto, weight=ap_fixed<8,3>}
    weight f64[1,2] = [2, -2]
    bias f64[2] = [2.5, -1]
  %r = relu(%fc) shape=[2]
  outputs %r, %fc
})";
  bool changed = false;
  EXPECT_EQ(Fuse(in, &changed), Canonical(want));
  EXPECT_TRUE(changed);
  // A second run finds nothing to do.
  changed = true;
  EXPECT_EQ(Fuse(want, &changed), Canonical(want));
  EXPECT_FALSE(changed);
}

TEST(FuseBatchNormTest, KeepsTheBatchNormWhenTheDenseResultIsATypeOrUnset) {
  // hls4ml's rule: with an explicit result type the dense output is cast first, so folding would
  // change the numbers. An unresolved graph (no precision at all) is not auto either.
  for (const char* precision : {" precision{result=ap_fixed<16,6>}", ""}) {
    const std::string in = std::string(kHeader) + "  %fc = dense(%x) shape=[2]" + precision + R"(
    weight f64[1,2] = [1, 2]
    bias f64[2] = [1, 1]
  %bn = batchnorm(%fc) shape=[2]
    scale f64[2] = [2, -1]
    bias f64[2] = [0.5, 0]
  outputs %bn
})";
    bool changed = true;
    EXPECT_EQ(Fuse(in, &changed), Canonical(in));
    EXPECT_FALSE(changed);
  }
}

TEST(FuseBatchNormTest, AutoResultsInferredBeforeAreDroppedForInference) {
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[1] precision{result=auto:ap_fixed<20,8>, accum=auto:ap_fixed<20,8>, weight=ap_fixed<8,3>}
    weight f64[1,1] = [1]
    bias f64[1] = [0]
  %bn = batchnorm(%fc) shape=[1]
    scale f64[1] = [3]
    bias f64[1] = [0]
  outputs %bn
})";
  const std::string want = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[1] precision{result=auto, accum=auto, weight=ap_fixed<8,3>}
    weight f64[1,1] = [3]
    bias f64[1] = [0]
  outputs %fc
})";
  EXPECT_EQ(Fuse(in), Canonical(want));
}

TEST(FuseBatchNormTest, Float32WeightsAreFoldedInFloat32AsNumpyDoes) {
  // 0.1f * 0.3f rounds to float32; computed in float64 it would not be a float32 value at all.
  const float w = 0.1f, s = 0.3f, b = 0.7f, t = 0.2f;
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[1] precision{result=auto}
    weight f32[1,1] = [0.10000000149011612]
    bias f32[1] = [0.699999988079071]
  %bn = batchnorm(%fc) shape=[1]
    scale f32[1] = [0.30000001192092896]
    bias f32[1] = [0.20000000298023224]
  outputs %bn
})";
  auto g = ir::ParseGraph(in);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  FuseBatchNormPass pass;
  ASSERT_TRUE(pass.Run(*g).ok());
  ASSERT_EQ(g->nodes.size(), 2u);
  const ir::Node& fc = g->nodes[1];
  const float product = s * b;  // separate statements: one float32 rounding each
  const float fused_bias = product + t;
  EXPECT_EQ(fc.Weight("weight")->data[0], static_cast<double>(s * w));
  EXPECT_EQ(fc.Weight("weight")->dtype, ir::ElementType::kF32);
  EXPECT_EQ(fc.Weight("bias")->data[0], static_cast<double>(fused_bias));
  EXPECT_EQ(fc.Weight("bias")->dtype, ir::ElementType::kF32);
  EXPECT_NE(fc.Weight("weight")->data[0], 0.10000000149011612 * 0.30000001192092896);
  // The float reference keeps the same steps in float64.
  EXPECT_EQ(fc.Weight("weight")->ReferenceData()[0], 0.30000001192092896 * 0.10000000149011612);
  const double ref_product = 0.30000001192092896 * 0.699999988079071;
  EXPECT_EQ(fc.Weight("bias")->ReferenceData()[0], ref_product + 0.20000000298023224);
}

TEST(FuseBatchNormTest, Float64WhereEitherOperandIsFloat64) {
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[3] precision{result=auto}
    weight f64[2,3] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    bias f64[3] = [0.7, 0.8, 0.9]
  %bn = batchnorm(%fc) shape=[3]
    scale f32[3] = [3, 0.100000001490116119384765625, -7]
    bias f64[3] = [0.3, 0.2, 0.1]
  outputs %bn
})";
  auto g = ir::ParseGraph(in);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  FuseBatchNormPass pass;
  ASSERT_TRUE(pass.Run(*g).ok());
  ASSERT_EQ(g->nodes.size(), 2u);
  const ir::Node& fc = g->nodes[1];
  const double w[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  const double s[3] = {3, static_cast<double>(0.1f), -7};
  const double b[3] = {0.7, 0.8, 0.9};
  const double t[3] = {0.3, 0.2, 0.1};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(fc.Weight("weight")->data[i], s[i % 3] * w[i]) << i;
  for (int j = 0; j < 3; ++j) {
    const double product = s[j] * b[j];  // separate statement: no fused multiply-add
    EXPECT_EQ(fc.Weight("bias")->data[j], product + t[j]) << j;
  }
  EXPECT_EQ(fc.Weight("weight")->dtype, ir::ElementType::kF64);
  EXPECT_EQ(g->outputs, std::vector<ir::TensorRef>{"fc"});
}

TEST(FuseBatchNormTest, ConsecutiveBatchNormsMergeIntoTheSecondFirst) {
  // hls4ml tries the batchnorm-after-batchnorm pattern first; the merged batchnorm keeps the
  // second one's name and types, then folds into the dense (whose result is auto).
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[1] precision{result=auto}
    weight f64[1,1] = [1]
    bias f64[1] = [1]
  %bn1 = batchnorm(%fc) shape=[1] precision{result=auto}
    scale f64[1] = [2]
    bias f64[1] = [3]
  %bn2 = batchnorm(%bn1) shape=[1] precision{result=ap_fixed<10,4>}
    scale f64[1] = [5]
    bias f64[1] = [7]
  outputs %bn2
})";
  // bn2(bn1(v)) = 5*(2v + 3) + 7 = 10v + 22; into the dense: w = 10, b = 10*1 + 22.
  const std::string want = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[1] precision{result=auto}
    weight f64[1,1] = [10]
    bias f64[1] = [32]
  outputs %fc
})";
  EXPECT_EQ(Fuse(in), Canonical(want));
  // With an explicit result on the dense, only the two batchnorms merge.
  const std::string fixed_dense = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[1] precision{result=ap_fixed<16,6>}
    weight f64[1,1] = [1]
    bias f64[1] = [1]
  %bn1 = batchnorm(%fc) shape=[1] precision{result=auto}
    scale f64[1] = [2]
    bias f64[1] = [3]
  %bn2 = batchnorm(%bn1) shape=[1] precision{result=ap_fixed<10,4>}
    scale f64[1] = [5]
    bias f64[1] = [7]
  outputs %bn2
})";
  const std::string merged = std::string(kHeader) + R"(
  %fc = dense(%x) shape=[1] precision{result=ap_fixed<16,6>}
    weight f64[1,1] = [1]
    bias f64[1] = [1]
  %bn2 = batchnorm(%fc) shape=[1] precision{result=ap_fixed<10,4>}
    scale f64[1] = [10]
    bias f64[1] = [22]
  outputs %bn2
})";
  EXPECT_EQ(Fuse(fixed_dense), Canonical(merged));
}

TEST(FuseBatchNormTest, LeavesOtherPatternsAlone) {
  const std::string dense = R"(
  %fc = dense(%x) shape=[1] precision{result=auto}
    weight f64[1,1] = [1]
    bias f64[1] = [0]
)";
  const std::string bn = R"(
    scale f64[1] = [2]
    bias f64[1] = [0]
)";
  const std::string cases[] = {
      // The dense has a second reader.
      std::string(kHeader) + dense + "  %bn = batchnorm(%fc)" + bn +
          "  %r = relu(%fc)\n  outputs %bn, %r\n}",
      // The dense itself is a model output.
      std::string(kHeader) + dense + "  %bn = batchnorm(%fc)" + bn + "  outputs %bn, %fc\n}",
      // Not a dense before the batchnorm.
      std::string(kHeader) + "  %r = relu(%x) precision{result=auto}\n  %bn = batchnorm(%r)" + bn +
          "  outputs %bn\n}",
  };
  for (const std::string& in : cases) {
    bool changed = true;
    EXPECT_EQ(Fuse(in, &changed), Canonical(in));
    EXPECT_FALSE(changed) << in;
  }
}

TEST(FuseBatchNormTest, MismatchedSizesAreAnError) {
  const std::string in = std::string(kHeader) + R"(
  %fc = dense(%x) precision{result=auto}
    weight f64[1,2] = [1, 2]
    bias f64[2] = [0, 0]
  %bn = batchnorm(%fc)
    scale f64[3] = [1, 1, 1]
    bias f64[3] = [0, 0, 0]
  outputs %bn
})";
  EXPECT_EQ(Fuse(in),
            "fuse_batchnorm: layer 'bn' (batchnorm) after layer 'fc' (dense): sizes disagree: "
            "weight [1,2], bias [2], batchnorm scale [3], bias [3]");
}

TEST(RemoveNopBatchNormTest, RemovesScaleOneBiasZeroWithItsCast) {
  const std::string in = std::string(kHeader) + R"(
  %bn = batchnorm(%x) shape=[1] precision{result=ap_fixed<4,2>}
    scale f64[1] = [1]
    bias f64[1] = [0]
  %r = relu(%bn) shape=[1]
  %bn2 = batchnorm(%r) shape=[1]
    scale f64[1] = [1]
    bias f64[1] = [0.5]
  outputs %bn2, %bn
})";
  const std::string want = std::string(kHeader) + R"(
  %r = relu(%x) shape=[1]
  %bn2 = batchnorm(%r) shape=[1]
    scale f64[1] = [1]
    bias f64[1] = [0.5]
  outputs %bn2, %x
})";
  RemoveNopBatchNormPass pass;
  bool changed = false;
  EXPECT_EQ(RunOn(pass, in, &changed), Canonical(want));
  EXPECT_TRUE(changed);
}

}  // namespace
}  // namespace firmnet::passes
