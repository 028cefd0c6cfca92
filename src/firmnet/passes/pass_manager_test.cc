#include "firmnet/passes/pass_manager.h"

#include <gtest/gtest.h>

#include "firmnet/ir/parser.h"
#include "firmnet/ir/printer.h"
#include "firmnet/passes/pass_registry.h"

namespace firmnet::passes {
namespace {

// A dense whose result precision the config left `auto`, so that the batchnorm after it fuses.
constexpr char kModel[] = R"(graph g {
  %x = input() shape=[2] precision{result=ap_fixed<16,6>}
  %fc = dense(%x) precision{result=auto, weight=ap_fixed<16,6>, bias=ap_fixed<16,6>, accum=auto}
    weight f64[2,1] = [1, 2]
    bias f64[1] = [0.5]
  %bn = batchnorm(%fc) precision{result=ap_fixed<16,6>, scale=ap_fixed<16,6>, bias=ap_fixed<16,6>}
    scale f64[1] = [4]
    bias f64[1] = [1]
  %r = relu(%bn) precision{result=ap_fixed<16,6>}
  outputs %r
}
)";

ir::Graph Parse(const std::string& text) {
  auto g = ir::ParseGraph(text, "test");
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return g.ok() ? *g : ir::Graph{};
}

TEST(PassManagerTest, DefaultThenResolvePipelines) {
  ir::Graph g = Parse(kModel);
  std::vector<std::string> dumps;
  PassManagerOptions options;
  options.dump_after = {"infer_shapes"};
  options.dump = [&](std::string_view pass, const ir::Graph& graph) {
    dumps.push_back(std::string(pass) + "\n" + ir::PrintGraph(graph));
  };
  auto changed = PassManager(options).RunPipeline(g, "default");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].rfind("infer_shapes\n", 0), 0u);
  EXPECT_NE(dumps[0].find("%bn = batchnorm(%fc) shape=[1]"), std::string::npos) << dumps[0];

  options.dump_after = {"fuse_batchnorm", "infer_precision"};
  changed = PassManager(options).RunPipeline(g, "resolve");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);
  // 2 inputs: ap_fixed<16,6> x ap_fixed<16,6> products (32 bits, 12 integer) plus one bit for
  // the sum of two, plus the ap_fixed<16,6> bias: 14 integer bits, 20 fractional.
  const std::string want = R"(graph g {
  %x = input() shape=[2] precision{result=ap_fixed<16,6>}
  %fc = dense(%x) shape=[1] precision{result=auto:ap_fixed<34,14>, weight=ap_fixed<16,6>,
                                      bias=ap_fixed<16,6>, accum=auto:ap_fixed<34,14>}
    weight f64[2,1] = [4, 8]
    bias f64[1] = [3]
  %r = relu(%fc) shape=[1] precision{result=ap_fixed<16,6>}
  outputs %r
})";
  EXPECT_EQ(ir::PrintGraph(g), ir::PrintGraph(Parse(want)));
  ASSERT_EQ(dumps.size(), 3u);
  EXPECT_EQ(dumps[1].rfind("fuse_batchnorm\n", 0), 0u);
  EXPECT_NE(dumps[1].find("result=auto, weight"), std::string::npos) << dumps[1];
  EXPECT_EQ(dumps[2], "infer_precision\n" + ir::PrintGraph(g));
  // Running again changes nothing.
  auto again = PassManager().RunPipeline(g, "resolve");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST(PassManagerTest, UnknownNamesListTheKnownOnes) {
  ir::Graph g = Parse(kModel);
  const ir::Graph original = g;
  auto r = PassManager().Run(g, {"infer_shapes", "fuse_bn"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            "unknown pass 'fuse_bn' (known passes: infer_shapes, fuse_batchnorm, "
            "merge_linear_activation, infer_precision, "
            "remove_nop_batchnorm, merge_batchnorm_quantized_tanh, quantize_dense_output)");
  EXPECT_TRUE(g == original);  // nothing ran
  auto p = PassManager().RunPipeline(g, "fast");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "unknown pipeline 'fast' (known pipelines: default, resolve)");
  PassManagerOptions options;
  options.dump_after = {"fuse_batchnorm"};
  auto d = PassManager(options).RunPipeline(g, "default");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "--dump-after: pass 'fuse_batchnorm' is not part of this run (infer_shapes)");
  options.dump_after = {"nope"};
  d = PassManager(options).RunPipeline(g, "default");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "--dump-after: unknown pass 'nope' (known passes: infer_shapes, fuse_batchnorm, "
            "merge_linear_activation, infer_precision, remove_nop_batchnorm, "
            "merge_batchnorm_quantized_tanh, "
            "quantize_dense_output)");
}

TEST(PassManagerTest, RegistryListsEveryPassWithSummary) {
  std::vector<std::string> names;
  for (const PassInfo& p : AllPasses()) {
    names.emplace_back(p.name);
    EXPECT_FALSE(p.summary.empty()) << p.name;
    auto pass = CreatePass(p.name);
    ASSERT_TRUE(pass.ok());
    EXPECT_EQ((*pass)->Name(), p.name);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"infer_shapes", "fuse_batchnorm", "merge_linear_activation",
                                      "infer_precision", "remove_nop_batchnorm",
                                      "merge_batchnorm_quantized_tanh", "quantize_dense_output"}));
  for (const Pipeline& pipeline : AllPipelines()) {
    for (auto name : pipeline.passes) EXPECT_TRUE(CreatePass(name).ok()) << name;
  }
}

// A pass that breaks the IR on purpose: the manager must name it.
class DanglingInputPass final : public Pass {
 public:
  std::string_view Name() const override { return "dangle"; }
  std::string_view Summary() const override { return "points a layer at a missing input"; }
  StatusOr<bool> Run(ir::Graph& g) override {
    g.nodes.back().inputs = {"ghost"};
    return true;
  }
};

class FailingPass final : public Pass {
 public:
  std::string_view Name() const override { return "fail"; }
  std::string_view Summary() const override { return "always fails"; }
  StatusOr<bool> Run(ir::Graph&) override { return InvalidArgument("layer 'x': no good"); }
};

TEST(PassManagerTest, VerifiesBeforeAndAfterEveryPass) {
  ir::Graph g = Parse(kModel);
  DanglingInputPass dangle;
  auto r = PassManager().RunPasses(g, {&dangle});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_EQ(r.status().message(),
            "pass dangle produced an invalid graph: layer 'r' (relu): input 'ghost' is not "
            "defined");
  // Without verification the broken graph goes through (the CLI's release path).
  ir::Graph g2 = Parse(kModel);
  PassManagerOptions no_verify;
  no_verify.verify = false;
  EXPECT_TRUE(PassManager(no_verify).RunPasses(g2, {&dangle}).ok());
  // A bad input graph is reported before any pass runs.
  auto before = PassManager().RunPasses(g2, {});
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().message(),
            "before the first pass: layer 'r' (relu): input 'ghost' is not defined");
  ir::Graph g3 = Parse(kModel);
  FailingPass fail;
  auto f = PassManager().RunPasses(g3, {&fail});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(), "pass fail: layer 'x': no good");
}

}  // namespace
}  // namespace firmnet::passes
