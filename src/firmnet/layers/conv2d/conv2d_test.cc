// conv2d: a hand-computed layer run end to end from text IR, the shape and attribute errors of
// the convolutions, and hls4ml's `auto` rule. The grid against a BigInt reference is in
// layers/common/conv_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "firmnet/emu/emulator.h"
#include "firmnet/ir/parser.h"
#include "firmnet/ir/verifier.h"
#include "firmnet/layers/layer.h"

namespace firmnet {
namespace {

FixedType T(const char* s) { return *ParseFixedType(s); }

// x (3x3x1)          kernel 2x2x1x2: f0 [[1, 0], [0, -1]], f1 all 0.5; bias [0.25, -1]
//   1   2   0        stride 1, pads [top 0, left 0, bottom 1, right 1]: out 3x3x2,
//  -1 0.5   3          f0 = 0.25 + x[i][j] - x[i+1][j+1]
//   2  -2   1          f1 = -1 + (x[i][j] + x[i][j+1] + x[i+1][j] + x[i+1][j+1]) / 2
// (x outside the input is 0).
constexpr char kGraph[] = R"txt(graph g {
  %x = input() shape=[3,3,1] precision{result=ap_fixed<8,4>}
  %c = conv2d(%x, strides=[1, 1], pads=[0, 0, 1, 1]) shape=[3,3,2] precision{result=ap_fixed<8,4>, weight=ap_fixed<8,2>, bias=ap_fixed<8,2>, accum=ap_fixed<16,8>}
    weight f64[2,2,1,2] = [1, 0.5, 0, 0.5, 0, 0.5, -1, 0.5]
    bias f64[2] = [0.25, -1]
  %r = relu(%c) shape=[3,3,2] precision{result=ap_fixed<8,4>}
  outputs %c, %r
}
)txt";

const std::vector<double> kX = {1, 2, 0, -1, 0.5, 3, 2, -2, 1};
const std::vector<double> kConv = {0.75, 0.25,  -0.75, 1.75, 0.25, 0.5,  //
                                   1.25, -1.25, -0.25, 0.25, 3.25, 1,    //
                                   2.25, -1,    -1.75, -1.5, 1.25, -0.5};

TEST(Conv2D, HandComputedFromTextIrThroughRelu) {
  auto g = ir::ParseGraph(kGraph, "conv2d_test");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  Status v = ir::VerifyGraph(*g, ir::VerifyLevel::kResolved);
  ASSERT_TRUE(v.ok()) << v.ToString();
  ASSERT_TRUE(layers::CheckShapes(*g).ok());
  std::vector<double> relu = kConv;
  for (double& y : relu) y = std::max(y, 0.0);
  for (auto engine : {emu::Engine::kInt64, emu::Engine::kBigInt}) {
    auto e = emu::Emulator::CreateWithEngine(*g, engine);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    auto r = (*e)->Run({1, 9, kX});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->outputs[0].data, kConv);
    EXPECT_EQ(r->outputs[1].data, relu);
  }
  auto e = emu::Emulator::Create(*g);  // the engine the emulator picks
  ASSERT_TRUE(e.ok());
  auto r = (*e)->Run({1, 9, kX});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outputs[1].data, relu);
  auto f = emu::FloatEmulator::Create(*g);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto fr = (*f)->Run({1, 9, kX});
  ASSERT_TRUE(fr.ok());
  EXPECT_EQ(fr->outputs[0].data, kConv);  // every value is exact in float64
}

// A narrower result that rounds and saturates (ap_fixed<3,2>: [-2, 1.5] on a 0.5 grid): 0.75 -> 1
// and -0.75 -> -0.5 (AP_RND: ties up), 1.25 -> 1.5, -1.25 -> -1; 1.75, 3.25 and 2.25 saturate.
TEST(Conv2D, SaturatingRoundedResult) {
  std::string text = kGraph;
  const std::string from = "shape=[3,3,2] precision{result=ap_fixed<8,4>,";
  text.replace(text.find(from), from.size(),
               "shape=[3,3,2] precision{result=ap_fixed<3,2,AP_RND,AP_SAT>,");
  auto g = ir::ParseGraph(text, "conv2d_test");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  for (auto engine : {emu::Engine::kInt64, emu::Engine::kBigInt}) {
    auto e = emu::Emulator::CreateWithEngine(*g, engine);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    auto r = (*e)->Run({1, 9, kX});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const std::vector<double> want = {1,   0.5, -0.5, 1.5,  0.5, 0.5,  //
                                      1.5, -1,  0,    0.5,  1.5, 1,    //
                                      1.5, -1,  -1.5, -1.5, 1.5, -0.5};
    EXPECT_EQ(r->outputs[0].data, want);
    EXPECT_EQ(r->layers[1].counters.saturations, 3u);
  }
}

// A conv node reading an input of `in_shape`, with the given weight shape, attributes and bias.
struct ConvNode {
  ir::Node in, node;
  ConvNode(LayerKind kind, ir::Shape in_shape, ir::Shape w_shape, int64_t n_bias,
           std::vector<int64_t> strides, std::vector<int64_t> pads) {
    in.name = "x";
    in.kind = LayerKind::kInput;
    in.shape = std::move(in_shape);
    in.precision["result"] = T("ap_fixed<8,3>");
    node.name = "c1";
    node.kind = kind;
    node.inputs = {"x"};
    int64_t n = 1;
    for (int64_t d : w_shape) n *= d;
    node.weights["weight"] = {w_shape, std::vector<double>(n, 0.5)};
    node.weights["bias"] = {{n_bias}, std::vector<double>(n_bias, 0.0)};
    node.attrs["strides"] = std::move(strides);
    node.attrs["pads"] = std::move(pads);
    node.precision = {{"weight", T("ap_fixed<6,2>")},
                      {"bias", T("ap_fixed<8,3>")},
                      {"accum", T("ap_fixed<16,6>")},
                      {"result", T("ap_fixed<16,6>")}};
  }
  Status Infer() { return layers::InferShape(node, {&in}); }
};

void ExpectError(ConvNode s, const std::string& message) {
  Status st = s.Infer();
  ASSERT_FALSE(st.ok()) << "expected: " << message;
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "layer 'c1' (" + std::string(LayerKindId(s.node.kind)) + "): " + message);
}

TEST(Conv2D, Shapes) {
  ConvNode s(LayerKind::kConv2D, {8, 7, 3}, {3, 3, 3, 5}, 5, {2, 1}, {1, 0, 1, 2});
  ASSERT_TRUE(s.Infer().ok());
  // (8 + 2 - 3) / 2 + 1 = 4; (7 + 2 - 3) / 1 + 1 = 7
  EXPECT_EQ(s.node.shape, (ir::Shape{4, 7, 5}));
  s.node.attrs["dilations"] = std::vector<int64_t>{1, 1};
  ASSERT_TRUE(s.Infer().ok());
  ConvNode d(LayerKind::kDepthwiseConv2D, {5, 5, 3}, {3, 3, 3, 2}, 6, {2, 2}, {0, 0, 0, 0});
  ASSERT_TRUE(d.Infer().ok());
  EXPECT_EQ(d.node.shape, (ir::Shape{2, 2, 6}));
}

TEST(Conv2D, ShapeErrors) {
  using K = LayerKind;
  ExpectError(ConvNode(K::kConv2D, {16}, {3, 3, 1, 2}, 2, {1, 1}, {0, 0, 0, 0}),
              "conv2d expects an input [H, W, C], got [16]");
  ExpectError(ConvNode(K::kDepthwiseConv2D, {4, 4}, {3, 3, 1, 1}, 1, {1, 1}, {0, 0, 0, 0}),
              "depthwise_conv2d expects an input [H, W, C], got [4,4]");
  ExpectError(ConvNode(K::kConv2D, {5, 5, 3}, {3, 3, 4, 8}, 8, {1, 1}, {0, 0, 0, 0}),
              "the input has 3 channels (shape [5,5,3]) but the weight [3,3,4,8] expects 4");
  ExpectError(ConvNode(K::kConv2D, {3, 3, 1}, {5, 5, 1, 1}, 1, {1, 1}, {1, 1, 0, 0}),
              "kernel 5x5 is larger than the padded input 4x4");
  ExpectError(ConvNode(K::kConv2D, {9, 9, 1}, {3, 3, 1, 1}, 1, {1, 1}, {1, 1, 3, 0}),
              "pads [1,1,3,0] exceed the kernel size 3x3 (each pad must be smaller than the kernel "
              "along its axis; hls4ml cannot build a window that lies wholly in the padding)");
  // A 3x1 kernel: a left pad of 1 is already too much.
  ExpectError(ConvNode(K::kConv2D, {9, 9, 1}, {3, 1, 1, 1}, 1, {1, 1}, {1, 1, 1, 0}),
              "pads [1,1,1,0] exceed the kernel size 3x1 (each pad must be smaller than the kernel "
              "along its axis; hls4ml cannot build a window that lies wholly in the padding)");
  ExpectError(ConvNode(K::kConv2D, {9, 9, 1}, {3, 3, 1, 1}, 1, {0, 1}, {0, 0, 0, 0}),
              "attribute 'strides' = [0,1]: every stride must be at least 1");
  ExpectError(ConvNode(K::kConv2D, {9, 9, 1}, {3, 3, 1, 1}, 1, {1}, {0, 0, 0, 0}),
              "attribute 'strides' must hold 2 values, [height, width], got [1]");
  ExpectError(ConvNode(K::kConv2D, {9, 9, 1}, {3, 3, 1, 1}, 1, {1, 1}, {1, 1}),
              "attribute 'pads' must hold 4 values, [top, left, bottom, right], got [1,1]");
  ExpectError(ConvNode(K::kConv2D, {9, 9, 1}, {3, 3, 1, 1}, 1, {1, 1}, {0, -1, 0, 0}),
              "attribute 'pads' = [0,-1,0,0]: pads must not be negative");
  ExpectError(ConvNode(K::kConv2D, {9, 9, 1}, {3, 3, 1, 4}, 3, {1, 1}, {0, 0, 0, 0}),
              "bias shape [3] does not match weight shape [3,3,1,4] (expected [4])");
  ExpectError(ConvNode(K::kConv2D, {9, 9, 1}, {3, 3, 4}, 4, {1, 1}, {0, 0, 0, 0}),
              "needs a 'weight' tensor [kh, kw, C_in, C_out], got [3,3,4]");
  // Depthwise: the weight's C_in against the input, and the bias against C_in*M.
  ExpectError(ConvNode(K::kDepthwiseConv2D, {5, 5, 3}, {3, 3, 4, 1}, 4, {1, 1}, {0, 0, 0, 0}),
              "the input has 3 channels (shape [5,5,3]) but the weight [3,3,4,1] expects 4");
  ExpectError(ConvNode(K::kDepthwiseConv2D, {5, 5, 3}, {3, 3, 3, 2}, 3, {1, 1}, {0, 0, 0, 0}),
              "bias shape [3] does not match weight shape [3,3,3,2] (expected [6], C_in*M)");
  ExpectError(ConvNode(K::kDepthwiseConv2D, {5, 5, 3}, {3, 3, 3}, 3, {1, 1}, {0, 0, 0, 0}),
              "needs a 'weight' tensor [kh, kw, C_in, M], got [3,3,3]");
  ConvNode missing(K::kConv2D, {9, 9, 1}, {3, 3, 1, 1}, 1, {1, 1}, {0, 0, 0, 0});
  missing.node.attrs.erase("strides");
  ExpectError(missing, "missing attribute 'strides' (one stride per spatial axis)");
}

TEST(Conv2D, DilationsOtherThanOneAreRefused) {
  ConvNode s(LayerKind::kConv2D, {9, 9, 1}, {3, 3, 1, 1}, 1, {1, 1}, {0, 0, 0, 0});
  s.node.attrs["dilations"] = std::vector<int64_t>{2, 2};
  ExpectError(s,
              "attribute 'dilations' = [2,2]: dilated convolutions are not supported (hls4ml's "
              "io_parallel convolution ignores the dilation and would compute a different layer); "
              "only dilations of 1");
  s.node.attrs["dilations"] = std::vector<int64_t>{0, 1};
  ExpectError(s, "attribute 'dilations' = [0,1]: every dilation must be at least 1");
  s.node.attrs["dilations"] = std::vector<int64_t>{1};
  ExpectError(s, "attribute 'dilations' must hold 2 values, [height, width], got [1]");
}

// The verifier runs the same attribute and weight checks (without an input shape).
TEST(Conv2D, VerifierChecksAttributes) {
  std::string text = kGraph;
  const std::string from = "pads=[0, 0, 1, 1]";
  text.replace(text.find(from), from.size(), "pads=[0, 0, 2, 1]");
  auto g = ir::ParseGraph(text, "conv2d_test");
  ASSERT_TRUE(g.ok());
  Status st = ir::VerifyGraph(*g, ir::VerifyLevel::kStructure);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("pads [0,0,2,1] exceed the kernel size 2x2"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("'c'"), std::string::npos) << st.message();
}

// hls4ml's _infer_conv_precision (n_ops = n_chan * filt_height * filt_width) and
// _infer_depthconv_precision (n_ops = filt_height * filt_width), through _infer_common_precision:
// in <8,3>, weight <6,2>, bias <8,3>.
TEST(Conv2D, AutoAccumAndResult) {
  const layers::PrecisionContext ctx{T("ap_fixed<16,6>"), std::nullopt};
  // 3x3x4 = 36 products: ceil(log2 36) = 6; W = 6+8+6 = 20, I = 2+3+6 = 11 (9 fractional
  // bits); with the bias I = max(11, 3) + 1 = 12, W = 12 + max(9, 5) = 21.
  ConvNode c(LayerKind::kConv2D, {5, 5, 4}, {3, 3, 4, 2}, 2, {1, 1}, {0, 0, 0, 0});
  auto t = layers::InferPrecision(c.node, {&c.in}, "accum", ctx);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, T("ap_fixed<21,12>"));
  t = layers::InferPrecision(c.node, {&c.in}, "result", ctx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, T("ap_fixed<21,12>"));
  // weight and bias: the default.
  t = layers::InferPrecision(c.node, {&c.in}, "weight", ctx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, T("ap_fixed<16,6>"));
  // Depthwise 3x3 (whatever the channels): 9 products, ceil(log2 9) = 4: W = 18, I = 9;
  // I = 10, W = 19.
  ConvNode d(LayerKind::kDepthwiseConv2D, {5, 5, 4}, {3, 3, 4, 2}, 8, {1, 1}, {0, 0, 0, 0});
  t = layers::InferPrecision(d.node, {&d.in}, "accum", ctx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, T("ap_fixed<19,10>"));
  // conv1d, kernel 5 over 4 channels: 20 products, 5 extra bits: W = 19, I = 10; I = 11, W = 20.
  ConvNode c1(LayerKind::kConv1D, {9, 4}, {5, 4, 3}, 3, {1}, {0, 0});
  t = layers::InferPrecision(c1.node, {&c1.in}, "accum", ctx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, T("ap_fixed<20,11>"));
  // Model.Precision.maximum caps width and integer bits.
  const layers::PrecisionContext capped{T("ap_fixed<16,6>"), T("ap_fixed<18,8>")};
  t = layers::InferPrecision(c.node, {&c.in}, "accum", capped);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, T("ap_fixed<18,8>"));
}

}  // namespace
}  // namespace firmnet
