#include "firmnet/passes/infer_shapes.h"

#include <gtest/gtest.h>

#include "firmnet/ir/parser.h"
#include "firmnet/ir/printer.h"

namespace firmnet::passes {
namespace {

TEST(InferShapesTest, SetsShapesInTopologicalOrder) {
  auto g = ir::ParseGraph(R"(graph g {
  %x = input() shape=[4]
  %fc = dense(%x)
    weight f64[4,3] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    bias f64[3] = [0, 0, 0]
  %r = relu(%fc)
  %s = softmax(%r, axis=-1)
  outputs %s
})");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  InferShapesPass pass;
  auto changed = pass.Run(*g);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);
  EXPECT_EQ(g->nodes[1].shape, (ir::Shape{3}));
  EXPECT_EQ(g->nodes[2].shape, (ir::Shape{3}));
  EXPECT_EQ(g->nodes[3].shape, (ir::Shape{3}));
  const std::string once = ir::PrintGraph(*g);
  changed = pass.Run(*g);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(*changed);
  EXPECT_EQ(ir::PrintGraph(*g), once);
}

TEST(InferShapesTest, ReportsTheLayerThatDoesNotFit) {
  auto g = ir::ParseGraph(R"(graph g {
  %x = input() shape=[5]
  %fc = dense(%x)
    weight f64[4,3] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    bias f64[3] = [0, 0, 0]
  outputs %fc
})");
  ASSERT_TRUE(g.ok());
  InferShapesPass pass;
  auto r = pass.Run(*g);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("fc"), std::string::npos) << r.status().message();
}

TEST(InferShapesTest, MissingInputIsAnError) {
  auto g = ir::ParseGraph("graph g {\n  %r = relu(%nowhere)\n  outputs %r\n}");
  ASSERT_TRUE(g.ok());
  InferShapesPass pass;
  auto r = pass.Run(*g);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "layer 'r' (relu): input 'nowhere' is not defined");
}

}  // namespace
}  // namespace firmnet::passes
