#include "firmnet/ir/printer.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "firmnet/ir/parser.h"
#include "firmnet/layers/registry.h"

namespace firmnet::ir {
namespace {

FixedType Type(std::string_view text) {
  auto t = ParseFixedType(text);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : FixedType{};
}

Node MakeNode(std::string name, LayerKind kind, std::vector<std::string> inputs, Shape shape) {
  Node n;
  n.name = std::move(name);
  n.kind = kind;
  n.inputs.assign(inputs.begin(), inputs.end());
  n.shape = std::move(shape);
  // Every slot the registry lists, each with a different type so that a mix-up shows.
  constexpr const char* kTypes[] = {"ap_fixed<16,6>", "ap_fixed<18,8,AP_RND,AP_SAT>",
                                    "ap_ufixed<8,0>", "ap_fixed<24,-2,AP_RND_CONV,AP_SAT_SYM>",
                                    "ap_int<9>",      "ap_fixed<12,14,AP_TRN_ZERO,AP_WRAP,3>"};
  int k = 0;
  for (const PrecisionSlot& s : GetLayerInfo(kind).slots) {
    n.precision[std::string(s.name)] = Type(kTypes[k++ % 6]);
  }
  return n;
}

// A chain through every layer kind of layers.def, with every attribute kind graph.h defines.
Graph EveryKindGraph() {
  Graph g;
  g.name = "every_kind";
  g.settings.project_name = "my project";
  g.settings.part = "xcvu9p-flga2104-2-e";
  g.settings.clock_period_ns = 10.0 / 3.0;
  g.settings.io_type = IoType::kStream;
  g.AddNode(MakeNode("input_1", LayerKind::kInput, {}, {4}));
  Node dense = MakeNode("dense/BiasAdd:0", LayerKind::kDense, {"input_1"}, {3});
  dense.weights["weight"] = {{4, 3},
                             {0.1, -1.5e-3, 1e300, 5e-324, -0.0, 1.0 / 3, 9007199254740993.0,
                              -2.2250738585072014e-308, 1, 2, 3, 123456789.125}};
  dense.weights["bias"] = {{3}, {0.5, -0.25, 0}};
  dense.settings = {4, Strategy::kResource, 0};
  g.AddNode(dense);
  Node bn = MakeNode("onnx::Gemm_12", LayerKind::kBatchNorm, {"dense/BiasAdd:0"}, {3});
  bn.weights["scale"] = {{3}, {1.5, 2, -3}};
  bn.weights["bias"] = {{3}, {0, 0.125, 7}};
  g.AddNode(bn);
  std::string prev = "onnx::Gemm_12";
  auto chain = [&](const std::string& name, LayerKind kind) -> Node& {
    Node& n = g.AddNode(MakeNode(name, kind, {prev}, {3}));
    prev = name;
    return n;
  };
  chain("linear", LayerKind::kLinear);
  chain("relu", LayerKind::kRelu);
  chain("leaky", LayerKind::kLeakyRelu).attrs["alpha"] = 0.01;
  Node& clip = chain("relu6", LayerKind::kClip);
  clip.attrs["min"] = 0.0;
  clip.attrs["max"] = 6.0;
  chain("sigmoid", LayerKind::kSigmoid).settings.table_size = 2048;
  chain("tanh", LayerKind::kTanh);
  Node& hs = chain("hard_sigmoid", LayerKind::kHardSigmoid);
  hs.attrs["alpha"] = 0.2;
  hs.attrs["beta"] = 0.5;
  chain("softmax", LayerKind::kSoftmax).attrs["axis"] = int64_t{-1};
  chain("softsign", LayerKind::kSoftsign);
  chain("softplus", LayerKind::kSoftplus);
  chain("elu", LayerKind::kElu).attrs["alpha"] = 1.0;
  chain("selu", LayerKind::kSelu).attrs = {{"alpha", 1.5}, {"gamma", 1.25}};
  // A multi-output layer, and a layer that reads its port 2 and port 0.
  Node& split = chain("split", LayerKind::kSplit);
  split.attrs = {{"axis", int64_t{0}}, {"sizes", std::vector<int64_t>{1, 1, 1}}};
  split.shape = {1};
  split.extra_outputs = {{1}, {1}};
  Node& after = chain("after_split", LayerKind::kAdd);
  after.inputs = {TensorRef("split", 2), TensorRef("split")};
  Node& slice = chain("slice", LayerKind::kSlice);
  slice.attrs = {{"starts", std::vector<int64_t>{1}}, {"ends", std::vector<int64_t>{3}}};
  Node& reshape = chain("flatten", LayerKind::kReshape);
  reshape.attrs["target_shape"] = std::vector<int64_t>{3, 1};
  reshape.shape = {3, 1};
  // Pooling, padding, cropping, upsampling, transpose (shapes are not checked here).
  using Ints = std::vector<int64_t>;
  chain("max_pool1d", LayerKind::kMaxPool1D).attrs["pool_size"] = Ints{2};
  Node& mp2 = chain("max_pool2d", LayerKind::kMaxPool2D);
  mp2.attrs = {{"pool_size", Ints{3, 3}}, {"strides", Ints{2, 1}}, {"pads", Ints{1, 0, 1, 2}}};
  chain("avg_pool1d", LayerKind::kAvgPool1D).attrs["pool_size"] = Ints{2};
  Node& ap2 = chain("avg_pool2d", LayerKind::kAvgPool2D);
  ap2.attrs = {{"pool_size", Ints{2, 2}}, {"count_include_pad", int64_t{1}}};
  chain("global_max_pool1d", LayerKind::kGlobalMaxPool1D);
  chain("global_max_pool2d", LayerKind::kGlobalMaxPool2D);
  chain("global_avg_pool1d", LayerKind::kGlobalAvgPool1D);
  chain("global_avg_pool2d", LayerKind::kGlobalAvgPool2D);
  chain("zero_pad1d", LayerKind::kZeroPad1D).attrs["pads"] = Ints{1, 2};
  chain("zero_pad2d", LayerKind::kZeroPad2D).attrs["pads"] = Ints{1, 2, 0, 1};
  chain("cropping1d", LayerKind::kCropping1D).attrs["crops"] = Ints{0, 1};
  chain("cropping2d", LayerKind::kCropping2D).attrs["crops"] = Ints{1, 1, 0, 0};
  chain("upsampling1d", LayerKind::kUpSampling1D).attrs["size"] = Ints{2};
  chain("upsampling2d", LayerKind::kUpSampling2D).attrs["size"] = Ints{2, 3};
  chain("transpose", LayerKind::kTranspose).attrs["perm"] = Ints{2, 0, 1};
  chain("binary_tanh", LayerKind::kBinaryTanh).model_precision["result"] =
      *ParseFixedType("int<2>");
  chain("ternary_tanh", LayerKind::kTernaryTanh);
  Node& q = chain("bnqt", LayerKind::kBatchNormQuantizedTanh);
  q.attrs["levels"] = int64_t{3};
  q.weights["threshold_hi"] = {{3}, {0.5, 1, 2}};
  q.weights["threshold_lo"] = {{3}, {-0.5, -1, -2}};
  Node& fq = chain("fpq", LayerKind::kFixedPointQuantizer);
  fq.attrs = {{"rounding", std::string("RND")}, {"overflow", std::string("WRAP")}};
  fq.weights["keep_negative"] = {{3}, {1, 0, 0}};
  fq.weights["bits"] = {{3}, {6, 0, 3}};
  fq.weights["integers"] = {{3}, {2, 0, -1}};
  // Merges read several earlier nodes.
  for (auto [name, kind] : {std::pair{"add", LayerKind::kAdd},
                            {"subtract", LayerKind::kSubtract},
                            {"multiply", LayerKind::kMultiply},
                            {"average", LayerKind::kAverage},
                            {"maximum", LayerKind::kMaximum},
                            {"minimum", LayerKind::kMinimum}}) {
    g.AddNode(MakeNode(name, kind, {"linear", "relu"}, {3}));
  }
  g.AddNode(MakeNode("add3", LayerKind::kAdd, {"linear", "relu", "add"}, {3}));
  g.AddNode(MakeNode("concat", LayerKind::kConcatenate, {"linear", "relu"}, {6})).attrs["axis"] =
      int64_t{-1};
  g.AddNode(MakeNode("dot", LayerKind::kDot, {"linear", "relu"}, {1}));
  // The convolutions (the round trip does not check shapes against each other).
  Node conv1d = MakeNode("conv1d", LayerKind::kConv1D, {"flatten"}, {2, 1});
  conv1d.weights["weight"] = {{2, 1, 1}, {0.5, -0.25}};
  conv1d.weights["bias"] = {{1}, {0.125}};
  conv1d.attrs["strides"] = std::vector<int64_t>{1};
  conv1d.attrs["pads"] = std::vector<int64_t>{0, 0};
  g.AddNode(conv1d);
  Node dw1d = MakeNode("dw1d", LayerKind::kDepthwiseConv1D, {"conv1d"}, {2, 2});
  dw1d.weights["weight"] = {{1, 1, 2}, {1.5, -2}};
  dw1d.weights["bias"] = {{2}, {0, 0}};
  dw1d.attrs["strides"] = std::vector<int64_t>{1};
  dw1d.attrs["pads"] = std::vector<int64_t>{0, 0};
  dw1d.attrs["dilations"] = std::vector<int64_t>{1};
  g.AddNode(dw1d);
  Node conv2d = MakeNode("conv2d", LayerKind::kConv2D, {"dw1d"}, {1, 1, 1});
  conv2d.weights["weight"] = {{2, 2, 2, 1}, {1, 2, 3, 4, 5, 6, 7, 8}};
  conv2d.weights["bias"] = {{1}, {-1}};
  conv2d.attrs["strides"] = std::vector<int64_t>{2, 1};
  conv2d.attrs["pads"] = std::vector<int64_t>{1, 0, 0, 1};
  g.AddNode(conv2d);
  Node dw2d = MakeNode("dw2d", LayerKind::kDepthwiseConv2D, {"conv2d"}, {1, 1, 1});
  dw2d.weights["weight"] = {{1, 1, 1, 1}, {0.75}};
  dw2d.weights["bias"] = {{1}, {0.5}};
  dw2d.attrs["strides"] = std::vector<int64_t>{1, 1};
  dw2d.attrs["pads"] = std::vector<int64_t>{0, 0, 0, 0};
  g.AddNode(dw2d);
  g.outputs = {"flatten", "softmax", "dw2d"};
  return g;
}

// Everything a Graph can hold that a valid graph never does: the text must still carry it.
Graph OddGraph() {
  Graph g;
  g.name = "odd name {with} \"quotes\"";
  g.settings.project_name = "";
  g.settings.part = "p\tq\n\x01\x7f\xc3\xa9";
  g.settings.default_precision = Type("ap_fixed<12,3,AP_RND>");
  g.settings.max_precision = Type("ap_ufixed<30,10>");
  Node n;
  n.name = "";
  n.kind = LayerKind::kInput;
  n.inputs = {"%weird", "a b", "outputs", "settings"};
  n.attrs["i"] = int64_t{-9223372036854775807 - 1};
  n.attrs["d"] = 1.0;
  n.attrs["neg_zero"] = -0.0;
  n.attrs["s"] = std::string("line1\nline2 \\ \"q\"");
  n.attrs["empty_ints"] = std::vector<int64_t>{};
  n.attrs["empty_doubles"] = std::vector<double>{};
  n.attrs["doubles"] = std::vector<double>{1, 2.5, -1e-300};
  n.attrs["ints"] = std::vector<int64_t>{9223372036854775807, 0, -3};
  n.attrs["has space"] = std::string("v");
  n.attrs["0starts_with_digit"] = 2.0;
  n.weights["outputs"] = {{2, 10}, std::vector<double>(20, 0.75)};
  n.weights["settings"] = {{}, {}};
  n.weights["graph"] = {{-1, 0}, {1, 2, 3}};
  n.weights["single"] = {
      {3}, {0.5, -0.10000000149011612, 3.4028234663852886e38}, ElementType::kF32};
  n.precision["no such slot"] = Type("ap_uint<3>");
  // An auto slot not yet inferred, and one inferred (it has a type too).
  n.auto_precision = {"pending", "no such slot"};
  n.settings = {0, Strategy::kResource, -7};
  g.nodes.push_back(n);
  Node m = n;
  m.name = "second";
  m.kind = LayerKind::kSoftplus;
  m.shape = {1, 2, 3};
  m.precision.clear();
  m.weights.clear();
  m.attrs.clear();
  g.nodes.push_back(m);
  g.outputs = {"", "no such node", ""};
  return g;
}

void ExpectRoundTrip(const Graph& g) {
  const std::string text = PrintGraph(g);
  auto parsed = ParseGraph(text, "roundtrip");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << text;
  EXPECT_TRUE(*parsed == g) << text << "\nreprinted:\n" << PrintGraph(*parsed);
  EXPECT_EQ(PrintGraph(*parsed), text);
}

TEST(PrinterTest, EveryLayerKindRoundTrips) {
  const Graph g = EveryKindGraph();
  // The graph covers the whole registry, so a new layer kind that the text IR misses shows up.
  std::set<LayerKind> kinds;
  for (const Node& n : g.nodes) kinds.insert(n.kind);
  EXPECT_EQ(kinds.size(), static_cast<size_t>(kNumLayerKinds));
  ExpectRoundTrip(g);
}

TEST(PrinterTest, OddValuesRoundTrip) { ExpectRoundTrip(OddGraph()); }

TEST(PrinterTest, EmptyGraphRoundTrips) {
  Graph g;
  ExpectRoundTrip(g);
  EXPECT_EQ(PrintGraph(g),
            "graph model {\n"
            "  settings project=myproject part=xcku115-flvb2104-2-i clock=5 io=io_parallel\n"
            "  outputs\n"
            "}\n");
}

TEST(PrinterTest, ExactTextOfSmallGraph) {
  Graph g;
  g.name = "jet";
  Node in = MakeNode("x", LayerKind::kInput, {}, {2});
  in.precision = {{"result", Type("ap_fixed<16,6>")}};
  g.AddNode(in);
  Node d = MakeNode("fc", LayerKind::kDense, {"x"}, {});
  d.precision = {{"weight", Type("ap_fixed<8,3>")},
                 {"result", Type("ap_fixed<16,6,AP_RND,AP_SAT>")}};
  d.weights["weight"] = {{2, 1}, {0.5, -1.25}};
  d.weights["bias"] = {{1}, {0.1}};
  d.settings.reuse_factor = 2;
  g.AddNode(d);
  Node a = MakeNode("act/LeakyRelu:0", LayerKind::kLeakyRelu, {"fc"}, {1});
  a.precision.clear();
  a.attrs["alpha"] = 3.0;
  g.AddNode(a);
  Node big = MakeNode("big", LayerKind::kBatchNorm, {"act/LeakyRelu:0"}, {10});
  big.precision.clear();
  big.weights["scale"] = {{10}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}};
  g.AddNode(big);
  g.outputs = {"act/LeakyRelu:0"};
  EXPECT_EQ(PrintGraph(g),
            "graph jet {\n"
            "  settings project=myproject part=xcku115-flvb2104-2-i clock=5 io=io_parallel\n"
            "  %x = input() shape=[2] precision{result=ap_fixed<16,6>}\n"
            "  %fc = dense(%x) reuse=2 precision{result=ap_fixed<16,6,AP_RND,AP_SAT>, "
            "weight=ap_fixed<8,3>}\n"
            "    bias f64[1] = [0.1]\n"
            "    weight f64[2,1] = [0.5, -1.25]\n"
            "  %\"act/LeakyRelu:0\" = leaky_relu(%fc, alpha=3.0) shape=[1]\n"
            "  %big = batchnorm(%\"act/LeakyRelu:0\") shape=[10]\n"
            "    scale f64[10] = [\n"
            "      1, 2, 3, 4, 5, 6, 7, 8,\n"
            "      9, 10\n"
            "    ]\n"
            "  outputs %\"act/LeakyRelu:0\"\n"
            "}\n");
}

TEST(PrinterTest, RandomDoublesRoundTripBitExactly) {
  std::mt19937_64 rng(12345);
  Graph g;
  Node n;
  n.name = "w";
  n.kind = LayerKind::kDense;
  Tensor t;
  for (int k = 0; k < 20000; ++k) {
    const double v = std::bit_cast<double>(rng());
    if (std::isfinite(v)) t.data.push_back(v);
  }
  // Values near the ends of the range and simple decimals too.
  for (double v : {std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
                   0.1, 0.2, 0.3, -0.0, 1e23, 5e-324}) {
    t.data.push_back(v);
  }
  t.shape = {static_cast<int64_t>(t.data.size())};
  n.weights["weight"] = t;
  n.attrs["list"] = t.data;
  g.nodes.push_back(n);
  auto parsed = ParseGraph(PrintGraph(g));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& got = parsed->nodes[0].weights["weight"].data;
  const auto& got_attr = std::get<std::vector<double>>(parsed->nodes[0].attrs["list"]);
  ASSERT_EQ(got.size(), t.data.size());
  ASSERT_EQ(got_attr.size(), t.data.size());
  for (size_t k = 0; k < got.size(); ++k) {
    ASSERT_EQ(std::bit_cast<uint64_t>(got[k]), std::bit_cast<uint64_t>(t.data[k])) << k;
    ASSERT_EQ(std::bit_cast<uint64_t>(got_attr[k]), std::bit_cast<uint64_t>(t.data[k])) << k;
  }
}

TEST(PrinterTest, NonFiniteValuesPrintAndParse) {
  EXPECT_EQ(FormatDoubleShortest(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatDoubleShortest(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(FormatDoubleShortest(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(FormatDoubleShortest(0.1), "0.1");
  EXPECT_EQ(FormatDoubleShortest(1e21), "1e+21");
  Graph g;
  Node n;
  n.name = "x";
  n.attrs["a"] = std::numeric_limits<double>::infinity();
  n.attrs["b"] = std::numeric_limits<double>::quiet_NaN();
  n.weights["w"] = {
      {2}, {-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}};
  g.nodes.push_back(n);
  const std::string text = PrintGraph(g);
  EXPECT_NE(text.find("a=inf, b=nan)"), std::string::npos) << text;
  auto parsed = ParseGraph(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(std::get<double>(parsed->nodes[0].attrs["a"]), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(std::get<double>(parsed->nodes[0].attrs["b"])));
  EXPECT_EQ(parsed->nodes[0].weights["w"].data[0], -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(parsed->nodes[0].weights["w"].data[1]));
  EXPECT_EQ(PrintGraph(*parsed), text);
}

TEST(PrinterTest, QuotingAndNames) {
  EXPECT_EQ(FormatNodeRef("dense_1"), "%dense_1");
  EXPECT_EQ(FormatNodeRef("a.b-c"), "%a.b-c");
  EXPECT_EQ(FormatNodeRef("dense/BiasAdd:0"), "%\"dense/BiasAdd:0\"");
  EXPECT_EQ(FormatNodeRef(""), "%\"\"");
  EXPECT_EQ(QuoteString("a\"b\\c\nd\te\r\x01\x7f\xc3\xa9"),
            "\"a\\\"b\\\\c\\nd\\te\\r\\x01\\x7f\xc3\xa9\"");
}

}  // namespace
}  // namespace firmnet::ir
