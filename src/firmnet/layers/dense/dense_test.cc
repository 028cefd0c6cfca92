// Exact integer tests of dense, batchnorm and reshape through the emulator (both engines).
#include <gtest/gtest.h>

#include <random>

#include "firmnet/emu/emulator.h"
#include "firmnet/layers/layer.h"

namespace firmnet {
namespace {

FixedType T(const char* s) { return *ParseFixedType(s); }

ir::Graph DenseGraph(const char* accum, const char* result) {
  ir::Graph g;
  ir::Node in;
  in.name = "x";
  in.kind = LayerKind::kInput;
  in.shape = {3};
  in.precision["result"] = T("ap_fixed<8,3>");
  g.AddNode(in);
  ir::Node d;
  d.name = "fc";
  d.kind = LayerKind::kDense;
  d.inputs = {"x"};
  d.weights["weight"] = {{3, 2}, {0.5, -1.25, 0.75, 0.0, 1.984375, -0.015625}};
  d.weights["bias"] = {{2}, {0.1, -0.5}};
  d.precision = {{"weight", T("ap_fixed<8,2>")},
                 {"bias", T("ap_fixed<8,2>")},
                 {"accum", T(accum)},
                 {"result", T(result)}};
  EXPECT_TRUE(layers::InferShape(d, {&g.nodes[0]}).ok());
  g.AddNode(d);
  g.outputs = {"fc"};
  return g;
}

struct Out {
  std::vector<int64_t> raw;
  emu::LayerCounters counters;
};

Out RunBoth(const ir::Graph& g, const std::vector<double>& x) {
  Out out;
  std::vector<std::vector<int64_t>> per_engine;
  for (auto engine : {emu::Engine::kInt64, emu::Engine::kBigInt}) {
    auto e = emu::Emulator::CreateWithEngine(g, engine);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    emu::RunOptions opt;
    opt.keep_raw = true;
    auto r = (*e)->Run({1, static_cast<int64_t>(x.size()), x}, opt);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<int64_t> raw;
    for (const auto& v : r->raw_outputs[0]) raw.push_back(v.ToInt64());
    per_engine.push_back(raw);
    out.counters = r->layers.back().counters;
    out.raw = raw;
  }
  EXPECT_EQ(per_engine[0], per_engine[1]) << "int64 and BigInt engines disagree";
  return out;
}

// x = [1.5, -0.75, 0.28125] -> raw (5 fractional bits) [48, -24, 9]
// w raw (6 fractional bits) [[32, -80], [48, 0], [127, -1]], bias raw [6, -32] (0.1 truncates).
// products at 2^-11 cast to the accumulator (2^-6) by flooring >> 5:
//   j=0: 1536>>5=48, -1152>>5=-36, 1143>>5=35; acc = 6+48-36+35 = 53
//   j=1: -3840>>5=-120, (zero weight skipped), -9>>5=-1; acc = -32-120-1 = -153
TEST(Dense, HandComputedTrn) {
  Out o = RunBoth(DenseGraph("ap_fixed<10,4>", "ap_fixed<8,3>"), {1.5, -0.75, 0.28125});
  EXPECT_EQ(o.raw, (std::vector<int64_t>{26, -77}));  // 53>>1, -153>>1 (floor)
  EXPECT_EQ(o.counters.wraps, 0u);
}

TEST(Dense, ResultRoundingTiesUp) {
  Out o = RunBoth(DenseGraph("ap_fixed<10,4>", "ap_fixed<8,3,AP_RND>"), {1.5, -0.75, 0.28125});
  EXPECT_EQ(o.raw, (std::vector<int64_t>{27, -76}));  // 26.5 -> 27, -76.5 -> -76
}

TEST(Dense, WrappingAccumulatorWrapsOnceAtTheEnd) {
  // accum <8,2>: raw range [-128, 127]; -153 wraps to 103.
  Out o = RunBoth(DenseGraph("ap_fixed<8,2>", "ap_fixed<8,3>"), {1.5, -0.75, 0.28125});
  EXPECT_EQ(o.raw, (std::vector<int64_t>{26, 51}));
  EXPECT_EQ(o.counters.wraps, 1u);
}

TEST(Dense, SaturatingAccumulatorSaturatesEveryStep) {
  // -32 + -120 = -152 -> -128 (1), -128 + -1 -> -128 (2); result -128 >> 1 = -64.
  Out o =
      RunBoth(DenseGraph("ap_fixed<8,2,AP_TRN,AP_SAT>", "ap_fixed<8,3>"), {1.5, -0.75, 0.28125});
  EXPECT_EQ(o.raw, (std::vector<int64_t>{26, -64}));
  EXPECT_EQ(o.counters.saturations, 2u);
}

TEST(Dense, FloatPath) {
  const ir::Graph g = DenseGraph("ap_fixed<10,4>", "ap_fixed<8,3>");
  auto f = emu::FloatEmulator::Create(g);
  ASSERT_TRUE(f.ok());
  auto r = (*f)->Run({1, 3, {1.5, -0.75, 0.28125}});
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->outputs[0].data[0], 0.1 + 0.75 - 0.5625 + 0.28125 * 1.984375);
  EXPECT_DOUBLE_EQ(r->outputs[0].data[1], -0.5 - 1.875 - 0.28125 * 0.015625);
}

// The vectorized int32 path against the BigInt reference on a random layer with overflows.
TEST(Dense, RandomLayerBothEnginesAgree) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (const char* accum : {"ap_fixed<16,6>", "ap_fixed<12,3>", "ap_fixed<16,6,AP_RND,AP_SAT>"}) {
    ir::Graph g;
    ir::Node in;
    in.name = "x";
    in.kind = LayerKind::kInput;
    in.shape = {40};
    in.precision["result"] = T("ap_fixed<16,6>");
    g.AddNode(in);
    ir::Node d;
    d.name = "fc";
    d.kind = LayerKind::kDense;
    d.inputs = {"x"};
    ir::Tensor w{{40, 33}, {}}, b{{33}, {}};
    for (int k = 0; k < 40 * 33; ++k) w.data.push_back(k % 7 == 0 ? 0.0 : 2 * normal(rng));
    for (int k = 0; k < 33; ++k) b.data.push_back(normal(rng));
    d.weights = {{"weight", w}, {"bias", b}};
    d.precision = {{"weight", T("ap_fixed<16,6>")},
                   {"bias", T("ap_fixed<16,6>")},
                   {"accum", T(accum)},
                   {"result", T("ap_fixed<16,6>")}};
    ASSERT_TRUE(layers::InferShape(d, {&g.nodes[0]}).ok());
    g.AddNode(d);
    g.outputs = {"fc"};
    emu::Batch batch{200, 40, {}};
    // Sample scales 0.25, 4 and 12 alternate: the int32 path sees samples whose inputs all stay
    // below the per-row safe bound (no product can wrap), samples with a few wrapping products
    // and samples with many.
    for (int k = 0; k < 200 * 40; ++k) {
      const double scale[] = {0.25, 4.0, 12.0};
      batch.data.push_back(scale[(k / 40) % 3] * normal(rng));
    }
    auto a = emu::Emulator::CreateWithEngine(g, emu::Engine::kInt64);
    auto c = emu::Emulator::CreateWithEngine(g, emu::Engine::kBigInt);
    ASSERT_TRUE(a.ok() && c.ok());
    auto ra = (*a)->Run(batch), rc = (*c)->Run(batch);
    ASSERT_TRUE(ra.ok() && rc.ok());
    EXPECT_EQ(ra->outputs[0].data, rc->outputs[0].data) << accum;
    EXPECT_EQ(ra->layers[1].counters.wraps, rc->layers[1].counters.wraps) << accum;
    EXPECT_EQ(ra->layers[1].counters.saturations, rc->layers[1].counters.saturations) << accum;
    EXPECT_GT(ra->layers[1].counters.wraps + ra->layers[1].counters.saturations, 0u) << accum;
  }
}

TEST(Dense, ShapeErrorsNameTheLayer) {
  ir::Node in;
  in.name = "x";
  in.kind = LayerKind::kInput;
  in.shape = {4};
  ir::Node d;
  d.name = "fc1";
  d.kind = LayerKind::kDense;
  d.weights["weight"] = {{3, 2}, std::vector<double>(6)};
  d.weights["bias"] = {{2}, {0, 0}};
  Status s = layers::InferShape(d, {&in});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("dense layer 'fc1'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("4 features but the weight expects 3"), std::string::npos);
}

// batchnorm: x=1.5 (raw 48 @2^-5), scale 0.75 (raw 48 @2^-6), bias -0.3 (raw -20 @2^-6, floor
// of -19.2): 48*48 = 2304 @2^-11, bias aligned -20<<5 = -640: sum 1664 @2^-11 = 0.8125.
TEST(BatchNorm, HandComputed) {
  ir::Graph g;
  ir::Node in;
  in.name = "x";
  in.kind = LayerKind::kInput;
  in.shape = {2};
  in.precision["result"] = T("ap_fixed<8,3>");
  g.AddNode(in);
  ir::Node bn;
  bn.name = "bn";
  bn.kind = LayerKind::kBatchNorm;
  bn.inputs = {"x"};
  bn.weights["scale"] = {{2}, {0.75, 1.9}};
  bn.weights["bias"] = {{2}, {-0.3, 0.0}};
  bn.precision = {{"scale", T("ap_fixed<8,2>")},
                  {"bias", T("ap_fixed<8,2>")},
                  {"result", T("ap_fixed<6,2,AP_RND,AP_SAT>")}};
  ASSERT_TRUE(layers::InferShape(bn, {&g.nodes[0]}).ok());
  g.AddNode(bn);
  g.outputs = {"bn"};
  // Second element: scale 1.9 -> raw 121 (1.890625); 1.5*1.890625 = 2.84 saturates the <6,2>
  // result at 1.9375 (raw 31).
  Out o = RunBoth(g, {1.5, 1.5});
  EXPECT_EQ(o.raw, (std::vector<int64_t>{13, 31}));  // 0.8125 at 2^-4 = 13
  EXPECT_EQ(o.counters.saturations, 1u);
}

TEST(Reshape, InfersMinusOneAndRejectsBadSizes) {
  ir::Node in;
  in.name = "x";
  in.kind = LayerKind::kInput;
  in.shape = {4, 3};
  ir::Node r;
  r.name = "flat";
  r.kind = LayerKind::kReshape;
  r.attrs["target_shape"] = std::vector<int64_t>{-1};
  ASSERT_TRUE(layers::InferShape(r, {&in}).ok());
  EXPECT_EQ(r.shape, (ir::Shape{12}));
  r.attrs["target_shape"] = std::vector<int64_t>{5};
  Status s = layers::InferShape(r, {&in});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot reshape [4,3] (12 values) to [5]"), std::string::npos)
      << s.message();
}

TEST(Emulator, RejectsWrongInputWidthAndNonFiniteValues) {
  const ir::Graph g = DenseGraph("ap_fixed<10,4>", "ap_fixed<8,3>");
  auto e = emu::Emulator::Create(g);
  ASSERT_TRUE(e.ok());
  auto r = (*e)->Run({1, 2, {1.0, 2.0}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("expects 3 input values per sample, but the input has 2"),
            std::string::npos);
  r = (*e)->Run({1, 3, {1.0, NAN, 2.0}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("row 1, column 2 is not a finite number"), std::string::npos);
}

}  // namespace
}  // namespace firmnet
