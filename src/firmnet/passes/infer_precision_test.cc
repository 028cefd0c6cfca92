#include "firmnet/passes/infer_precision.h"

#include <gtest/gtest.h>

#include "firmnet/fixed/fixed_value.h"
#include "firmnet/ir/parser.h"
#include "firmnet/ir/printer.h"
#include "firmnet/ir/verifier.h"

namespace firmnet::passes {
namespace {

StatusOr<ir::Graph> Infer(const std::string& text) {
  FIRMNET_ASSIGN_OR_RETURN(ir::Graph g, ir::ParseGraph(text, "in"));
  InferPrecisionPass pass;
  FIRMNET_RETURN_IF_ERROR(pass.Run(g).status());
  return g;
}

std::string P(const ir::Graph& g, const std::string& node, const std::string& slot) {
  const ir::Node* n = g.Find(node);
  if (!n) return "<no node>";
  auto it = n->precision.find(slot);
  return it == n->precision.end() ? "<no slot>" : FormatFixedType(it->second);
}

// x -> fc (2 inputs, 2 outputs) -> r (relu) -> flat (reshape) -> bn -> sm
std::string Model(const std::string& x_type, const std::string& fc_precision,
                  const std::string& settings = "") {
  return R"(graph g {
  settings project=p part=p clock=5 io=io_parallel)" +
         settings + R"(
  %x = input() shape=[2] precision{result=)" +
         x_type + R"(}
  %fc = dense(%x) shape=[2] precision{)" +
         fc_precision + R"(}
    weight f64[2,2] = [0.5, -0.25, 1, 0.125]
    bias f64[2] = [1, -2]
  %r = relu(%fc) shape=[2] precision{result=auto}
  %flat = reshape(%r, target_shape=[2]) shape=[2] precision{result=auto}
  %bn = batchnorm(%flat) shape=[2] precision{result=auto, scale=ap_fixed<16,6>, bias=auto}
    scale f64[2] = [1, 2]
    bias f64[2] = [0, 1]
  %sm = softmax(%bn, axis=-1) shape=[2] precision{result=auto, exp_table=auto, inv_table=ap_ufixed<18,1>, accum=ap_ufixed<24,7>}
  outputs %sm
})";
}

TEST(InferPrecisionTest, DenseAccumAndResultHoldEveryExactSumAsHls4mlInfersThem) {
  // hls4ml's _infer_common_precision: products <8,3> x <8,2> summed over 2 inputs: 8+8+1 = 17
  // bits, 3+2+1 = 6 integer bits, 11 fractional; with the <8,3> bias: max(6, 3) + 1 = 7 integer
  // bits, max(11, 5) fractional.
  auto g = Infer(
      Model("ap_fixed<8,3>", "result=auto, weight=ap_fixed<8,2>, bias=ap_fixed<8,3>, accum=auto"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(P(*g, "fc", "accum"), "ap_fixed<18,7>");
  EXPECT_EQ(P(*g, "fc", "result"), "ap_fixed<18,7>");
  // Without a rule: the default precision (relu, softmax result and tables, batchnorm bias).
  EXPECT_EQ(P(*g, "r", "result"), "ap_fixed<16,6>");
  EXPECT_EQ(P(*g, "sm", "result"), "ap_fixed<16,6>");
  EXPECT_EQ(P(*g, "sm", "exp_table"), "ap_fixed<16,6>");
  EXPECT_EQ(P(*g, "bn", "bias"), "ap_fixed<16,6>");
  // A reshape keeps its input's type.
  EXPECT_EQ(P(*g, "flat", "result"), "ap_fixed<16,6>");
  // Batchnorm: <16,6> x <16,6> = 32 bits, 12 integer; plus the <16,6> bias: 13 integer bits,
  // 20 fractional.
  EXPECT_EQ(P(*g, "bn", "result"), "ap_fixed<33,13>");
  // The slots stay marked auto, and the graph now verifies as resolved.
  EXPECT_EQ(g->Find("fc")->auto_precision, (std::set<std::string>{"accum", "result"}));
  const Status verified = ir::VerifyGraph(*g, ir::VerifyLevel::kResolved);
  EXPECT_TRUE(verified.ok()) << verified.ToString();
  // A second run changes nothing.
  InferPrecisionPass pass;
  auto again = pass.Run(*g);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST(InferPrecisionTest, WeightsAndBiasesFirstThenTheSumsThatReadThem) {
  // weight and bias auto take the default, <12,4> here; the accum reads them.
  auto g = Infer(Model("ap_fixed<8,3>", "result=auto, weight=auto, bias=auto, accum=auto",
                       " precision=ap_fixed<12,4>"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(P(*g, "fc", "weight"), "ap_fixed<12,4>");
  EXPECT_EQ(P(*g, "fc", "bias"), "ap_fixed<12,4>");
  // 12+8+1 = 21 bits, 4+3+1 = 8 integer; bias: 9 integer, max(13, 8) fractional.
  EXPECT_EQ(P(*g, "fc", "accum"), "ap_fixed<22,9>");
}

TEST(InferPrecisionTest, Signedness) {
  // Unsigned input, signed weights: the products are signed; 8+4+1 = 13 bits, 2+0+1 = 3 integer,
  // 10 fractional; bias <8,3>: 4 integer bits.
  auto a = Infer(
      Model("ap_ufixed<4,0>", "result=auto, weight=ap_fixed<8,2>, bias=ap_fixed<8,3>, accum=auto"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(P(*a, "fc", "accum"), "ap_fixed<14,4>");
  // Everything unsigned stays unsigned.
  auto b = Infer(Model("ap_ufixed<4,0>",
                       "result=auto, weight=ap_ufixed<8,2>, bias=ap_ufixed<8,3>, accum=auto"));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(P(*b, "fc", "accum"), "ap_ufixed<14,4>");
  // An unsigned sum plus a signed bias needs one more integer bit on the sum's side:
  // max(3 + 1, 3) + 1 = 5.
  auto c = Infer(Model("ap_ufixed<4,0>",
                       "result=auto, weight=ap_ufixed<8,2>, bias=ap_fixed<8,3>, accum=auto"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(P(*c, "fc", "accum"), "ap_fixed<15,5>");
}

TEST(InferPrecisionTest, InferredTypesNeverRoundOrOverflow) {
  // Every input at every value of a small type, the exact sums of the quantized products and
  // bias, checked against the inferred accumulator: representable without rounding or wrap.
  auto g = Infer(
      Model("ap_fixed<5,2>", "result=auto, weight=ap_fixed<6,1>, bias=ap_fixed<7,4>, accum=auto"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const ir::Node& fc = *g->Find("fc");
  const FixedType acc = fc.Precision("accum");
  const FixedType x = g->Find("x")->Precision("result");
  const FixedType wt = fc.Precision("weight"), bt = fc.Precision("bias");
  const int lo = -(1 << (x.width - 1)), hi = (1 << (x.width - 1)) - 1;
  for (int j = 0; j < 2; ++j) {
    const BigInt b = QuantizeWeight(fc.weights.at("bias").data[j], bt);
    for (int x0 = lo; x0 <= hi; ++x0) {
      for (int x1 = lo; x1 <= hi; ++x1) {
        // Everything in units of the accumulator's lsb.
        const int e = acc.lsb_exponent();
        BigInt sum = b << (bt.lsb_exponent() - e);
        const int xs[2] = {x0, x1};
        for (int i = 0; i < 2; ++i) {
          const BigInt w = QuantizeWeight(fc.weights.at("weight").data[i * 2 + j], wt);
          sum = sum + ((w * BigInt(xs[i])) << (wt.lsb_exponent() + x.lsb_exponent() - e));
        }
        ASSERT_TRUE(sum.FitsSigned(acc.width)) << j << " " << x0 << " " << x1;
      }
    }
    EXPECT_GE(-acc.lsb_exponent(), -(wt.lsb_exponent() + x.lsb_exponent()));
    EXPECT_GE(-acc.lsb_exponent(), -bt.lsb_exponent());
  }
}

TEST(InferPrecisionTest, MaximumCapsWidthAndIntegerBits) {
  auto g = Infer(Model("ap_fixed<8,3>",
                       "result=auto, weight=ap_fixed<8,2>, bias=ap_fixed<8,3>, accum=auto",
                       " max_precision=ap_fixed<16,5>"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(P(*g, "fc", "accum"), "ap_fixed<16,5>");
  EXPECT_EQ(P(*g, "bn", "result"), "ap_fixed<16,5>");
}

TEST(InferPrecisionTest, TooWideIsAnErrorNamingLayerAndSlot) {
  auto g = Infer(Model("ap_fixed<100,50>",
                       "result=auto, weight=ap_fixed<100,50>, bias=ap_fixed<8,3>, accum=auto"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(
      g.status().message(),
      "layer 'fc' (dense): precision 'accum': 'auto' needs 202 bits, more than the maximum of "
      "128; give an explicit type, or cap inferred types with Model.Precision.maximum");
}

}  // namespace
}  // namespace firmnet::passes
