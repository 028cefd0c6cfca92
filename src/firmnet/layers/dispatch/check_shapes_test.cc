// layers::CheckShapes: a node's stored shape against what its layer infers from its inputs.
#include <gtest/gtest.h>

#include "firmnet/ir/parser.h"
#include "firmnet/layers/layer.h"

namespace firmnet::layers {
namespace {

constexpr char kGraph[] = R"txt(graph g {
  %in = input() shape=[2]
  %fc = dense(%in) shape=[3]
    weight f64[2,3] = [1, 2, 3, 4, 5, 6]
    bias f64[3] = [0, 0, 0]
  %relu = relu(%fc) shape=[3] origin="m.onnx node 'Relu_1' (Relu)"
  %flat = reshape(%relu, target_shape=[3, 1]) shape=[3,1]
  outputs %flat
}
)txt";

Status Check(const std::string& from, const std::string& to) {
  std::string text = kGraph;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  auto g = ir::ParseGraph(text, "check_shapes_test");
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return g.ok() ? CheckShapes(*g) : g.status();
}

TEST(CheckShapes, AcceptsConsistentShapes) { EXPECT_TRUE(Check("", "").ok()); }

TEST(CheckShapes, NamesTheNodeWhoseShapeDiffers) {
  Status st = Check("relu(%fc) shape=[3]", "relu(%fc) shape=[4]");
  EXPECT_EQ(st.message(),
            "layer 'relu' (relu, from m.onnx node 'Relu_1' (Relu)): shape [4] differs from the "
            "shape its inputs give, [3]");
  st = Check("dense(%in) shape=[3]", "dense(%in) shape=[2]");
  EXPECT_EQ(st.message(),
            "layer 'fc' (dense): shape [2] differs from the shape its inputs give, [3]");
  st = Check("shape=[3,1]", "shape=[1,3]");
  EXPECT_EQ(st.message(),
            "layer 'flat' (reshape): shape [1,3] differs from the shape its inputs give, [3,1]");
}

TEST(CheckShapes, ReportsInputsTheLayerCannotTake) {
  const Status st = Check("input() shape=[2]", "input() shape=[1,2]");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("layer 'fc' (dense)"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("[1,2]"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace firmnet::layers
