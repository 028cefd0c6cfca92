// conv1d and depthwise_conv1d on hand-computed layers (strided, padded, depth multiplier 2), and
// their 1-D shape errors. The grid against a BigInt reference is in layers/common/conv_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "firmnet/emu/emulator.h"
#include "firmnet/ir/parser.h"
#include "firmnet/layers/layer.h"

namespace firmnet {
namespace {

std::vector<double> RunBoth(const char* text, const std::vector<double>& x) {
  auto g = ir::ParseGraph(text, "conv1d_test");
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  if (!g.ok()) return {};
  Status shapes = layers::CheckShapes(*g);
  EXPECT_TRUE(shapes.ok()) << shapes.ToString();
  std::vector<std::vector<double>> got;
  for (auto engine : {emu::Engine::kInt64, emu::Engine::kBigInt}) {
    auto e = emu::Emulator::CreateWithEngine(*g, engine);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (!e.ok()) return {};
    auto r = (*e)->Run({1, static_cast<int64_t>(x.size()), x});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    got.push_back(r->outputs[0].data);
  }
  EXPECT_EQ(got[0], got[1]) << "int64 and BigInt engines disagree";
  return got[0];
}

// x [4, 2] = [[1,2],[3,4],[5,6],[7,8]]; kernel [kw=2, C=2, F=1]: kw0 (1, -1), kw1 (2, 0);
// stride 2, pads [1, 0]: windows at positions {-1, 0} and {1, 2}:
//   out0 = 2*1 = 2 (position -1 is padding); out1 = (3 - 4) + 2*5 = 9.
TEST(Conv1D, HandComputedStridedPadded) {
  constexpr char kText[] = R"txt(graph g {
  %x = input() shape=[4,2] precision{result=ap_fixed<8,8>}
  %c = conv1d(%x, strides=[2], pads=[1, 0]) shape=[2,1] precision{result=ap_fixed<8,8>, weight=ap_fixed<8,8>, bias=ap_fixed<8,8>, accum=ap_fixed<16,16>}
    weight f64[2,2,1] = [1, -1, 2, 0]
    bias f64[1] = [0]
  outputs %c
}
)txt";
  EXPECT_EQ(RunBoth(kText, {1, 2, 3, 4, 5, 6, 7, 8}), (std::vector<double>{2, 9}));
}

// x [3, 2] = [[1,2],[3,4],[5,6]]; weight [kw=2, C=2, M=2]: kw0 c0 (1, 2), c0... see below;
// output channel c*M + m; pads [0, 1].
//   kw0: c0 -> (1, 2), c1 -> (-1, 0);  kw1: c0 -> (0, 1), c1 -> (1, 1);  bias (0, 0, 0, 10)
//   out0 (positions 0, 1): 1*1+0*3 = 1, 2*1+1*3 = 5, -1*2+1*4 = 2, 10+0*2+1*4 = 14
//   out1 (positions 1, 2): 3, 6+5 = 11, -4+6 = 2, 10+6 = 16
//   out2 (position 2, then padding): 5, 10, -6, 10
TEST(DepthwiseConv1D, HandComputedMultiplierTwo) {
  constexpr char kText[] = R"txt(graph g {
  %x = input() shape=[3,2] precision{result=ap_fixed<8,8>}
  %c = depthwise_conv1d(%x, strides=[1], pads=[0, 1]) shape=[3,4] precision{result=ap_fixed<8,8>, weight=ap_fixed<8,8>, bias=ap_fixed<8,8>, accum=ap_fixed<16,16>}
    weight f64[2,2,2] = [1, 2, -1, 0, 0, 1, 1, 1]
    bias f64[4] = [0, 0, 0, 10]
  outputs %c
}
)txt";
  EXPECT_EQ(RunBoth(kText, {1, 2, 3, 4, 5, 6}),
            (std::vector<double>{1, 5, 2, 14, 3, 11, 2, 16, 5, 10, -6, 10}));
}

Status Infer(LayerKind kind, ir::Shape in_shape, ir::Shape w_shape, int64_t n_bias,
             std::vector<int64_t> strides, std::vector<int64_t> pads) {
  ir::Node in;
  in.name = "x";
  in.kind = LayerKind::kInput;
  in.shape = std::move(in_shape);
  ir::Node node;
  node.name = "c1";
  node.kind = kind;
  int64_t n = 1;
  for (int64_t d : w_shape) n *= d;
  node.weights["weight"] = {w_shape, std::vector<double>(n, 0.5)};
  node.weights["bias"] = {{n_bias}, std::vector<double>(n_bias, 0.0)};
  node.attrs["strides"] = std::move(strides);
  node.attrs["pads"] = std::move(pads);
  Status st = layers::InferShape(node, {&in});
  if (st.ok()) {
    EXPECT_EQ(node.shape.size(), 2u);
  }
  return st;
}

TEST(Conv1D, ShapeErrors) {
  using K = LayerKind;
  EXPECT_TRUE(Infer(K::kConv1D, {7, 2}, {3, 2, 4}, 4, {2}, {1, 1}).ok());
  EXPECT_EQ(Infer(K::kConv1D, {4, 4, 2}, {3, 2, 4}, 4, {1}, {0, 0}).message(),
            "layer 'c1' (conv1d): conv1d expects an input [L, C], got [4,4,2]");
  EXPECT_EQ(Infer(K::kConv1D, {2, 2}, {3, 2, 4}, 4, {1}, {0, 0}).message(),
            "layer 'c1' (conv1d): kernel 3 is larger than the padded input 2");
  EXPECT_EQ(Infer(K::kConv1D, {8, 2}, {3, 2, 4}, 4, {1}, {3, 0}).message(),
            "layer 'c1' (conv1d): pads [3,0] exceed the kernel size 3 (each pad must be smaller "
            "than the kernel along its axis; hls4ml cannot build a window that lies wholly in the "
            "padding)");
  EXPECT_EQ(Infer(K::kConv1D, {8, 2}, {3, 2, 4}, 4, {1, 1}, {0, 0}).message(),
            "layer 'c1' (conv1d): attribute 'strides' must hold 1 value, got [1,1]");
  EXPECT_EQ(Infer(K::kConv1D, {8, 2}, {3, 2, 4}, 4, {1}, {0, 0, 0, 0}).message(),
            "layer 'c1' (conv1d): attribute 'pads' must hold 2 values, [left, right], got "
            "[0,0,0,0]");
  EXPECT_EQ(Infer(K::kConv1D, {8, 3}, {3, 2, 4}, 4, {1}, {0, 0}).message(),
            "layer 'c1' (conv1d): the input has 3 channels (shape [8,3]) but the weight [3,2,4] "
            "expects 2");
  EXPECT_EQ(Infer(K::kDepthwiseConv1D, {8, 3}, {3, 3, 2}, 3, {1}, {0, 0}).message(),
            "layer 'c1' (depthwise_conv1d): bias shape [3] does not match weight shape [3,3,2] "
            "(expected [6], C_in*M)");
  EXPECT_EQ(Infer(K::kDepthwiseConv1D, {8, 3}, {3, 3, 0}, 0, {1}, {0, 0}).message(),
            "layer 'c1' (depthwise_conv1d): weight shape [3,3,0] has a dimension that is not "
            "positive (expected [kw, C_in, M])");
}

}  // namespace
}  // namespace firmnet
