#include "firmnet/serve/model_config.h"

#include <gtest/gtest.h>

#include "firmnet/ir/parser.h"

namespace firmnet::serve {
namespace {

// A resolved two-input graph: a [4] and b [2,3] inputs, one output (dense on a) of type <16,6>
// and one (relu on b) of type <40,20>.
ir::Graph TwoInputGraph() {
  auto g = ir::ParseGraph(R"(graph two {
  %a = input() shape=[4] precision{result=ap_fixed<16,6>}
  %b = input() shape=[2,3] precision{result=ap_fixed<16,6>}
  %d = dense(%a) shape=[2] precision{result=ap_fixed<16,6>, weight=ap_fixed<16,6>, bias=ap_fixed<16,6>, accum=ap_fixed<40,20>}
    bias f64[2] = [0, 0]
    weight f64[4,2] = [1, 2, 3, 4, 5, 6, 7, 8]
  %r = relu(%b) shape=[2,3] precision{result=ap_fixed<40,20>}
  outputs %d, %r
})");
  EXPECT_TRUE(g.ok()) << g.status().message();
  return *g;
}

inference::ModelConfig Parse(const std::string& text) {
  auto c = ParseModelConfig(text, "m/config.pbtxt");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? *c : inference::ModelConfig{};
}

TEST(ModelConfig, ParsesTritonTextFormatAndNamesTheLineOfAnError) {
  const auto c = Parse(R"(
name: "jet"
backend: "firmnet"
max_batch_size: 64
input [ { name: "input" data_type: TYPE_FP32 dims: [ 16 ] } ]
output [ { name: "output" data_type: TYPE_FP32 dims: [ 5 ] } ]
dynamic_batching { max_queue_delay_microseconds: 100 preferred_batch_size: [ 8, 16 ] }
instance_group [ { count: 2 kind: KIND_CPU } ]
model_repository_agents { agents [ { name: "checksum" parameters { key: "MD5:1/model.onnx" value: "abc" } } ] }
)");
  EXPECT_EQ(c.max_batch_size(), 64);
  EXPECT_EQ(c.input(0).dims(0), 16);
  EXPECT_EQ(c.model_repository_agents().agents(0).parameters().at("MD5:1/model.onnx"), "abc");
  auto bad = ParseModelConfig("name: \"x\"\nmax_batch_sise: 4\n", "m/config.pbtxt");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("m/config.pbtxt:2:"), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("max_batch_sise"), std::string::npos);
  auto truncated = ParseModelConfig("input [ { name: \"a\" ", "m/config.pbtxt");
  EXPECT_FALSE(truncated.ok());
}

TEST(ModelConfig, CheckConfigReadsBatchingInstancesAndParameters) {
  auto spec = CheckConfig(Parse(R"(
max_batch_size: 32
dynamic_batching { max_queue_delay_microseconds: 250 preferred_batch_size: [ 16, 4 ]
                   default_queue_policy { max_queue_size: 1000 } }
instance_group [ { count: 2 }, { kind: KIND_GPU } ]
parameters { key: "config" value { string_value: "firmnet.yml" } }
parameters { key: "float" value { string_value: "false" } }
)"),
                          "m");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_TRUE(spec->dynamic_batching);
  EXPECT_EQ(spec->max_queue_delay_us, 250u);
  EXPECT_EQ(spec->preferred_batch_sizes, (std::vector<int64_t>{4, 16}));
  EXPECT_EQ(spec->max_queue_size, 1000u);
  EXPECT_EQ(spec->instances, 3);
  EXPECT_EQ(spec->precision_config, "firmnet.yml");
  EXPECT_FALSE(spec->float_reference);

  auto err = [](const std::string& text) {
    auto s = CheckConfig(Parse(text), "m");
    return s.ok() ? std::string() : s.status().message();
  };
  EXPECT_NE(err("backend: \"onnxruntime\"").find("backend 'onnxruntime'"), std::string::npos);
  EXPECT_NE(err("name: \"other\"").find("folder name"), std::string::npos);
  EXPECT_NE(err("max_batch_size: -1").find("max_batch_size"), std::string::npos);
  EXPECT_NE(err("dynamic_batching { }").find("needs max_batch_size > 0"), std::string::npos);
  EXPECT_NE(err("max_batch_size: 4 dynamic_batching { preferred_batch_size: 8 }")
                .find("preferred_batch_size 8"),
            std::string::npos);
  EXPECT_NE(err("sequence_batching { }").find("sequence_batching is not supported"),
            std::string::npos);
  EXPECT_NE(err("parameters { key: \"float\" value { string_value: \"yes\" } }")
                .find("parameters 'float'"),
            std::string::npos);
}

TEST(ModelConfig, BindCompletesAMissingInterfaceFromTheModel) {
  const ir::Graph g = TwoInputGraph();
  inference::ModelConfig c = Parse("max_batch_size: 8");
  auto spec = CheckConfig(c, "two");
  ASSERT_TRUE(spec.ok());
  ASSERT_TRUE(BindToGraph(c, g, {}, *spec).ok());
  ASSERT_EQ(c.input_size(), 2);
  EXPECT_EQ(c.input(1).name(), "b");
  EXPECT_EQ(c.input(1).dims_size(), 2);
  ASSERT_EQ(c.output_size(), 2);
  EXPECT_EQ(c.output(0).data_type(), inference::TYPE_FP32);  // <16,6>
  EXPECT_EQ(c.output(1).data_type(), inference::TYPE_FP64);  // <40,20>: 39 bits
  EXPECT_EQ(c.name(), "two");
  EXPECT_EQ(c.backend(), "firmnet");
  EXPECT_EQ(spec->inputs[1].elements, 6);
  // Source names replace firmnet's when the model file has them.
  inference::ModelConfig named = Parse("");
  auto spec2 = CheckConfig(named, "two");
  ASSERT_TRUE(BindToGraph(named, g, {{"in_a", "in_b"}, {"y", "z"}}, *spec2).ok());
  EXPECT_EQ(named.input(0).name(), "in_a");
  EXPECT_EQ(named.output(1).name(), "z");
}

TEST(ModelConfig, BindRefusesAMismatchNamingTheTensor) {
  const ir::Graph g = TwoInputGraph();
  auto bind = [&](const std::string& text) {
    inference::ModelConfig c = Parse(text);
    auto spec = CheckConfig(c, "two");
    EXPECT_TRUE(spec.ok());
    const Status s = BindToGraph(c, g, {}, *spec);
    return s.ok() ? std::string() : s.message();
  };
  const std::string ok_inputs =
      "input [ { name: \"a\" data_type: TYPE_FP32 dims: [4] },"
      "        { name: \"b\" data_type: TYPE_INT16 dims: [2,3] } ]\n";
  EXPECT_EQ(bind(ok_inputs + "output [ { name: \"d\" data_type: TYPE_FP32 dims: [2] } ]"), "");
  EXPECT_EQ(bind(ok_inputs + "output [ { name: \"r\" data_type: TYPE_FP64 dims: [-1,3] } ]"), "");
  const std::string wide =
      bind(ok_inputs + "output [ { name: \"r\" data_type: TYPE_FP32 dims: [2,3] } ]");
  EXPECT_NE(wide.find("output 'r' is TYPE_FP32, which cannot hold"), std::string::npos) << wide;
  const std::string name = bind(
      "input [ { name: \"a\" data_type: TYPE_FP32 dims: [4] },"
      "        { name: \"c\" data_type: TYPE_FP32 dims: [2,3] } ]");
  EXPECT_NE(name.find("input 'c' is not an input of the model; its inputs are 'a', 'b'"),
            std::string::npos)
      << name;
  const std::string dims = bind(
      "input [ { name: \"a\" data_type: TYPE_FP32 dims: [5] },"
      "        { name: \"b\" data_type: TYPE_FP32 dims: [2,3] } ]");
  EXPECT_NE(dims.find("input 'a' has dims [5]; the model's is [4]"), std::string::npos) << dims;
  const std::string reshape = bind(
      "input [ { name: \"a\" data_type: TYPE_FP32 dims: [4] },"
      "        { name: \"b\" data_type: TYPE_FP32 dims: [6] reshape { shape: [2,3] } } ]");
  EXPECT_EQ(reshape, "");
  const std::string count = bind("input [ { name: \"a\" data_type: TYPE_FP32 dims: [4] } ]");
  EXPECT_NE(count.find("declares 1 input(s); the model has 2"), std::string::npos) << count;
  const std::string str = bind(
      "input [ { name: \"a\" data_type: TYPE_STRING dims: [4] },"
      "        { name: \"b\" data_type: TYPE_FP32 dims: [2,3] } ]");
  EXPECT_NE(str.find("TYPE_STRING"), std::string::npos) << str;
}

}  // namespace
}  // namespace firmnet::serve
