// The ReuseFactor rule (dense_reuse.h) and the dense layer's HLS emission.
#include <gtest/gtest.h>

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/backend/hls/hls_types.h"
#include "firmnet/layers/dense/dense_reuse.h"

namespace firmnet::backend::hls {
namespace {

ir::Node Dense(int64_t n_in, int64_t n_out, int reuse) {
  ir::Node n;
  n.name = "fc1";
  n.kind = LayerKind::kDense;
  n.inputs = {"x"};
  n.shape = {n_out};
  n.weights["weight"] = ir::Tensor{{n_in, n_out}, std::vector<double>(n_in * n_out, 0.5)};
  n.weights["bias"] = ir::Tensor{{n_out}, std::vector<double>(n_out, 0.25)};
  for (const char* slot : {"result", "weight", "bias", "accum"}) n.precision[slot] = FixedType{};
  n.settings.reuse_factor = reuse;
  return n;
}

TEST(ReuseFactor, ValidValuesAreTheDivisorsOfNinTimesNout) {
  EXPECT_EQ(layers::ValidReuseFactors(4, 3), (std::vector<int>{1, 2, 3, 4, 6, 12}));
  EXPECT_EQ(layers::ValidReuseFactors(1, 1), (std::vector<int>{1}));
  EXPECT_EQ(layers::ValidReuseFactors(7, 1), (std::vector<int>{1, 7}));
  EXPECT_TRUE(layers::ValidReuseFactors(0, 3).empty());
  const std::vector<int> big = layers::ValidReuseFactors(500, 500);
  EXPECT_EQ(big.front(), 1);
  EXPECT_EQ(big.back(), 250000);
  for (int r : big) EXPECT_EQ(250000 % r, 0);
  EXPECT_TRUE(std::is_sorted(big.begin(), big.end()));
}

TEST(ReuseFactor, CheckAcceptsValidAndListsValuesOtherwise) {
  for (int r : {1, 2, 4, 16, 64}) EXPECT_TRUE(layers::CheckReuseFactor(Dense(16, 4, r)).ok()) << r;
  const Status bad = layers::CheckReuseFactor(Dense(16, 4, 5));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("'fc1'"), std::string::npos) << bad.message();
  EXPECT_NE(bad.message().find("ReuseFactor 5"), std::string::npos) << bad.message();
  EXPECT_NE(bad.message().find("1, 2, 4, 8, 16, 32, 64"), std::string::npos) << bad.message();
  EXPECT_FALSE(layers::CheckReuseFactor(Dense(16, 4, 0)).ok());
  EXPECT_FALSE(layers::CheckReuseFactor(Dense(16, 4, 128)).ok());
  // Other layers have no multipliers to share.
  ir::Node relu;
  relu.kind = LayerKind::kRelu;
  relu.settings.reuse_factor = 3;
  EXPECT_TRUE(layers::CheckReuseFactor(relu).ok());
}

TEST(DenseHls, InvalidReuseFactorIsAnErrorNotASnap) {
  ir::Node n = Dense(6, 5, 4);
  HlsLayerContext ctx{nullptr, &n, nullptr, "fc1"};
  auto e = EmitHlsLayer(ctx);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("Valid values: 1, 2, 3, 5, 6, 10, 15, 30"), std::string::npos)
      << e.status().message();
}

TEST(DenseHls, ZeroWeightsAreCountedOutAndQuantizedLikeTheEmulator) {
  ir::Node n = Dense(2, 2, 2);
  n.weights["weight"].data = {0.0, 1.5, 0.0001, -2.25};  // 0.0001 quantizes to 0 in <16,6>
  n.settings.strategy = ir::Strategy::kResource;
  HlsLayerContext ctx{nullptr, &n, nullptr, "fc1"};
  auto e = EmitHlsLayer(ctx);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->library_struct, "fnet::dense_resource");
  EXPECT_EQ(e->multipliers, 2);
  ASSERT_EQ(e->arrays.size(), 2u);
  EXPECT_EQ(e->arrays[0].raw[1].ToInt64(), 1536);   // 1.5 * 2^10
  EXPECT_EQ(e->arrays[0].raw[3].ToInt64(), -2304);  // -2.25 * 2^10
  EXPECT_EQ(e->arrays[1].raw[0].ToInt64(), 256);    // bias 0.25
  bool has_n_mult = false;
  for (const auto& m : e->config_members) has_n_mult |= m == "static const unsigned n_mult = 2;";
  EXPECT_TRUE(has_n_mult);
}

TEST(HlsTypes, SpellingsAndIdentifiers) {
  EXPECT_EQ(CppType(FixedType{}), "ap_fixed<16,6>");
  auto t = ParseFixedType("ufixed<8,0,RND,SAT>");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(CppType(*t), "ap_ufixed<8,0,AP_RND,AP_SAT>");
  auto n = ParseFixedType("ap_fixed<4,4,AP_RND,AP_WRAP,1>");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(CppType(*n), "ap_fixed<4,4,AP_RND,AP_WRAP,1>");
  EXPECT_EQ(*RawCType(FixedType{}, "w"), "int16_t");
  EXPECT_EQ(*RawCType(*t, "w"), "uint8_t");
  FixedType wide{65, 1, true};
  EXPECT_FALSE(RawCType(wide, "w").ok());
  FixedType w64{64, 1, true};
  EXPECT_EQ(RawLiteral(BigInt(INT64_MIN), w64), "(-INT64_C(9223372036854775807) - 1)");
  EXPECT_EQ(CIdentifier("/fc1/Gemm"), "fc1_Gemm");
  EXPECT_EQ(CIdentifier("0dense"), "layer_0dense");
  EXPECT_EQ(CIdentifier("int"), "layer_int");
  EXPECT_EQ(CIdentifier("a__b"), "a_b");
  EXPECT_TRUE(IsCIdentifier("myproject"));
  EXPECT_FALSE(IsCIdentifier("my-project"));
}

}  // namespace
}  // namespace firmnet::backend::hls
