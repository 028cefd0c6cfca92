// Convolutional networks through the HLS backend: projects C-simulated with g++ and compared
// bit for bit with the emulator by their own testbench (hls_util.h).
//
// - Two chains in text IR with seeded weights, which use every convolution and pool kind that
//   the backend builds (conv1d/2d, depthwise with a multiplier, windowed pools with pads and both
//   count_include_pad values, global pools, batchnorm per channel, reshape to a dense head), at
//   <16,6> Latency, at a Resource point with ReuseFactors > 1 and a narrow saturating
//   accumulator, and at an io_stream point.
// - The torch CNNs of tests/models/cnn that are chains, and the Keras CNNs of the example
//   models, at <16,6> Latency: skipped, with the reason, while the model does not import or a
//   layer has no HLS facet yet (transpose, zero_pad: the layout and padding layers).
#include <random>

#include "firmnet/backend/hls/hls_layer.h"
#include "hls_util.h"

namespace firmnet::e2e {
namespace {

std::string Weights(std::mt19937& rng, const std::string& key, const std::vector<int64_t>& shape,
                    double scale, bool sparse) {
  int64_t n = 1;
  std::string s = "    " + key + " f64[";
  for (size_t i = 0; i < shape.size(); ++i) {
    n *= shape[i];
    s += (i ? "," : "") + std::to_string(shape[i]);
  }
  s += "] = [";
  std::normal_distribution<double> d(0.0, scale);
  for (int64_t i = 0; i < n; ++i) {
    char buf[40];
    const double v = sparse && rng() % 5 == 0 ? 0.0 : d(rng);
    std::snprintf(buf, sizeof buf, "%.9g", v);
    s += (i ? ", " : "") + std::string(buf);
  }
  return s + "]\n";
}

// input [12,12,3] -> conv2d 3x3 same (8) -> relu -> batchnorm -> max_pool2d 2x2 -> depthwise
// 3x3 M=2 stride 2 pad [1,1,0,0] -> avg_pool2d 2x2 stride 1 pads [1,0,0,1] count_include_pad 0
// -> conv2d 1x1 (6) -> relu -> global_avg_pool2d -> dense (5) -> softmax.
std::string Cnn2d() {
  std::mt19937 rng(101);
  std::string t = "graph cnn2d_chain {\n";
  t += "  %x = input() shape=[12,12,3]\n";
  t += "  %c1 = conv2d(%x, strides=[1,1], pads=[1,1,1,1])\n";
  t += Weights(rng, "weight", {3, 3, 3, 8}, 0.4, true) + Weights(rng, "bias", {8}, 0.2, false);
  t += "  %r1 = relu(%c1)\n";
  t += "  %bn = batchnorm(%r1)\n";
  t += Weights(rng, "scale", {8}, 0.8, false) + Weights(rng, "bias", {8}, 0.3, false);
  t += "  %mp = max_pool2d(%bn, pool_size=[2,2], strides=[2,2])\n";
  t += "  %dw = depthwise_conv2d(%mp, strides=[2,2], pads=[1,1,0,0])\n";
  t += Weights(rng, "weight", {3, 3, 8, 2}, 0.5, true) + Weights(rng, "bias", {16}, 0.2, false);
  t += "  %ap = avg_pool2d(%dw, pool_size=[2,2], strides=[1,1], pads=[1,0,0,1], "
       "count_include_pad=0)\n";
  t += "  %c2 = conv2d(%ap, strides=[1,1], pads=[0,0,0,0])\n";
  t += Weights(rng, "weight", {1, 1, 16, 6}, 0.4, true) + Weights(rng, "bias", {6}, 0.2, false);
  t += "  %r2 = relu(%c2)\n";
  t += "  %gp = global_avg_pool2d(%r2)\n";
  t += "  %fc = dense(%gp)\n";
  t += Weights(rng, "weight", {6, 5}, 0.6, false) + Weights(rng, "bias", {5}, 0.2, false);
  t += "  %sm = softmax(%fc, axis=-1)\n";
  t += "  outputs %sm\n}\n";
  return t;
}

// input [40,2] -> conv1d k5 pad 2 (4) -> relu -> avg_pool1d 3 stride 2 pads [1,1]
// count_include_pad 1 -> depthwise_conv1d k3 M=1 stride 1 -> max_pool1d 2 pads [1,0] ->
// conv1d k3 stride 2 (4) -> reshape (flatten) -> dense (3).
std::string Cnn1d() {
  std::mt19937 rng(202);
  std::string t = "graph cnn1d_chain {\n";
  t += "  %x = input() shape=[40,2]\n";
  t += "  %c1 = conv1d(%x, strides=[1], pads=[2,2])\n";
  t += Weights(rng, "weight", {5, 2, 4}, 0.4, true) + Weights(rng, "bias", {4}, 0.2, false);
  t += "  %r1 = relu(%c1)\n";
  t += "  %ap = avg_pool1d(%r1, pool_size=[3], strides=[2], pads=[1,1], count_include_pad=1)\n";
  t += "  %dw = depthwise_conv1d(%ap, strides=[1], pads=[0,0])\n";
  t += Weights(rng, "weight", {3, 4, 1}, 0.6, false) + Weights(rng, "bias", {4}, 0.2, false);
  t += "  %mp = max_pool1d(%dw, pool_size=[2], strides=[2], pads=[1,0])\n";
  t += "  %c2 = conv1d(%mp, strides=[2], pads=[0,0])\n";
  t += Weights(rng, "weight", {3, 4, 4}, 0.4, true) + Weights(rng, "bias", {4}, 0.2, false);
  t += "  %fl = reshape(%c2, target_shape=[16])\n";
  t += "  %fc = dense(%fl)\n";
  t += Weights(rng, "weight", {16, 3}, 0.4, false) + Weights(rng, "bias", {3}, 0.2, false);
  t += "  outputs %fc\n}\n";
  return t;
}

struct CnnCase {
  std::string label;
  std::string model;    // a path, or "" for text IR given in `text`
  std::string weights;  // Keras .h5 beside a .json
  std::string text;
  std::string config;
  bool skip_unsupported = false;  // a model whose import or layers may not be there yet
  int samples = 200;              // testbench samples
};

void PrintTo(const CnnCase& c, std::ostream* os) { *os << c.label; }

const char kLatency[] =
    "IOType: io_parallel\nModel:\n  Precision: ap_fixed<16,6>\n"
    "  ReuseFactor: 1\n  Strategy: Latency\n";

std::vector<CnnCase> Cases() {
  std::vector<CnnCase> cases;
  cases.push_back({"cnn2d_chain_latency", "", "", Cnn2d(), kLatency});
  cases.push_back({"cnn1d_chain_latency", "", "", Cnn1d(), kLatency});
  // Resource with ReuseFactors that divide each layer's products, and a narrow saturating
  // accumulator on the first convolution, where the order of the additions matters.
  cases.push_back({"cnn2d_chain_resource_r", "", "", Cnn2d(),
                   "IOType: io_parallel\nModel:\n  Precision: ap_fixed<16,6>\n  ReuseFactor: 1\n"
                   "  Strategy: Resource\nLayerName:\n  c1:\n    ReuseFactor: 9\n    Precision:\n"
                   "      accum: ap_fixed<12,4,AP_RND,AP_SAT>\n      result: "
                   "ap_fixed<10,4,AP_RND_CONV,AP_SAT>\n"
                   "  dw:\n    ReuseFactor: 3\n  c2:\n    ReuseFactor: 4\n"
                   "  fc:\n    ReuseFactor: 2\n"});
  cases.push_back({"cnn1d_chain_stream_8_3", "", "", Cnn1d(),
                   "IOType: io_stream\nModel:\n  Precision: ap_fixed<8,3,AP_RND,AP_SAT>\n"
                   "  ReuseFactor: 1\n  Strategy: Latency\n"});
  const fs::path cnn = SourceDir() / "tests/models/cnn";
  for (const char* name : {"cnn1d_pulse", "cnn2d_depthwise", "cnn2d_upsample_pad"}) {
    cases.push_back({std::string("torch_") + name, (cnn / (std::string(name) + ".onnx")).string(),
                     "", "", kLatency, true});
  }
  for (const char* name : {"conv1d_small_keras", "conv2d_small_keras"}) {
    cases.push_back({std::string("onnx_") + name,
                     (ExampleModels() / "onnx" / (std::string(name) + ".onnx")).string(), "", "",
                     kLatency, true});
  }
  for (const char* name :
       {"KERAS_conv1d_small", "KERAS_conv2d_model", "jetTagger_Conv2D_Small_NoBatchNorm"}) {
    cases.push_back({std::string("keras_") + name,
                     (ExampleModels() / "keras" / (std::string(name) + ".json")).string(),
                     (ExampleModels() / "keras" / (std::string(name) + "_weights.h5")).string(), "",
                     kLatency, true});
  }
  // QONNX channels-last Brevitas exports (512x512 and 256x256 inputs; quantized depthwise and
  // pointwise convolutions, LeakyReLU, max pooling, nearest resize, concatenation) in io_stream,
  // with the results and accumulators left to inference as hls4ml's config_from_onnx_model
  // writes them; a few samples, each millions of values.
  const char kQonnx[] =
      "IOType: io_stream\nModel:\n  Precision: ap_fixed<24,12>\n  ReuseFactor: 1\n"
      "  Strategy: Latency\nLayerType:\n  Conv2D:\n    Precision:\n      result: auto\n"
      "      accum: auto\n  DepthwiseConv2D:\n    Precision:\n      result: auto\n"
      "      accum: auto\n  LeakyReLU:\n    Precision:\n      result: auto\n";
  for (const auto& [name, samples] :
       {std::pair<const char*, int>{"separable_conv_model_ch_last", 1},
        std::pair<const char*, int>{"branched_model_ch_last", 2}}) {
    CnnCase c{std::string("qonnx_") + name,
              (ExampleModels() / "onnx" / (std::string(name) + ".onnx")).string(), "", "", kQonnx};
    c.samples = samples;
    cases.push_back(c);
  }
  return cases;
}

class HlsCnn : public ::testing::TestWithParam<CnnCase> {};

TEST_P(HlsCnn, CsimMatchesEmulatorBitForBit) {
  const CnnCase& c = GetParam();
  if ((c.label.rfind("keras_", 0) == 0 || c.label.rfind("onnx_", 0) == 0 ||
       c.label.rfind("qonnx_", 0) == 0) &&
      !HaveExampleModels()) {
    GTEST_SKIP() << ExampleModels() << " is absent";
  }
  TempDir tmp;
  std::string model = c.model;
  if (model.empty()) {
    model = tmp / "model.fnir";
    WriteText(model, c.text);
  }
  const std::string cfg = tmp / "config.yml";
  WriteText(cfg, c.config);
  auto g = Load(model, c.weights, cfg);
  if (!g.ok() && c.skip_unsupported)
    GTEST_SKIP() << "does not import yet: " << g.status().message();
  ASSERT_TRUE(g.ok()) << g.status().message();
  if (c.skip_unsupported) {
    for (const ir::Node& n : g->nodes) {
      if (!backend::hls::HlsSupports(n.kind)) {
        GTEST_SKIP() << "layer '" << n.name << "' (" << LayerKindId(n.kind)
                     << ") has no HLS facet yet";
      }
    }
  }
  HlsRun run;
  BuildAndCsim(*g, tmp / "prj", c.samples, &run);
  EXPECT_EQ(run.csim.failed, 0) << run.csim.output.substr(0, 2000);
  EXPECT_EQ(run.csim.passed, c.samples);
  std::printf("[ %s ] csim compile %.1f s, run %.2f s\n", c.label.c_str(), run.csim.compile_seconds,
              run.csim.run_seconds);
}

INSTANTIATE_TEST_SUITE_P(Cnns, HlsCnn, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<CnnCase>& info) {
                           return info.param.label;
                         });

// A convolution whose io_parallel datapath is absurd still emits, with a warning that names the
// layer and the size; io_stream has none.
TEST(HlsCnnWarnings, HugeIoParallelConvolutionWarns) {
  std::mt19937 rng(5);
  std::string t = "graph big {\n  %x = input() shape=[128,128,16]\n";
  t += "  %c = conv2d(%x, strides=[1,1], pads=[1,1,1,1])\n";
  t += Weights(rng, "weight", {3, 3, 16, 32}, 0.3, false) + Weights(rng, "bias", {32}, 0.1, false);
  t += "  outputs %c\n}\n";
  TempDir tmp;
  WriteText(tmp / "big.fnir", t);
  for (const bool stream : {false, true}) {
    WriteText(tmp / "config.yml", std::string("IOType: ") + (stream ? "io_stream" : "io_parallel") +
                                      "\nModel:\n  Precision: ap_fixed<16,6>\n");
    auto g = Load(tmp / "big.fnir", "", tmp / "config.yml");
    ASSERT_TRUE(g.ok()) << g.status().message();
    const std::vector<std::string> w = backend::hls::HlsWarnings(*g);
    if (stream) {
      EXPECT_TRUE(w.empty()) << w.front();
      continue;
    }
    ASSERT_FALSE(w.empty());
    EXPECT_NE(w[0].find("'c'"), std::string::npos) << w[0];
    // 128*128 pixels * 4608 weights, less the few that quantize to zero.
    EXPECT_NE(w[0].find("unrolls about 754"), std::string::npos) << w[0];
  }
}

}  // namespace
}  // namespace firmnet::e2e
