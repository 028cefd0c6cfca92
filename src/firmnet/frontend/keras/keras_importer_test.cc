#include "firmnet/frontend/keras/keras_importer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "firmnet/emu/emulator.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/frontend/keras/h5_reader.h"
#include "firmnet/ir/verifier.h"

#if defined(__SANITIZE_ADDRESS__)
// HDF5 1.10 itself leaks metadata-cache entries (allocated under H5C_protect) when it rejects a
// corrupted object header, which MutatedInputsNeverCrash provokes on purpose. Only that stack is
// suppressed, so a leak of ours (an unreclaimed variable-length string, say, allocated by HDF5's
// type conversion) is still reported. The suppression needs full allocation stacks: libhdf5 is
// built without frame pointers, so the fast unwinder stops inside it.
extern "C" const char* __lsan_default_suppressions() { return "leak:H5C_protect\n"; }
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }
#endif

namespace firmnet::keras {
namespace {

// gmock is not linked; this is EXPECT_CONTAINS(s, sub) with the full text on failure.
#define EXPECT_CONTAINS(s, sub) \
  EXPECT_NE(std::string(s).find(sub), std::string::npos) << "in: " << (s)

using json = nlohmann::json;

std::string Shared(const std::string& name) {
  return std::string(FIRMNET_SHARED_DIR) + "/example-models/keras/" + name;
}
std::string Fixture(const std::string& name) {
  return std::string(FIRMNET_SOURCE_DIR) + "/tests/models/keras/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A per-test scratch file.
std::string WriteTemp(const std::string& name, const std::string& content) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "firmnet_keras_test" /
                              (std::string(info->test_suite_name()) + "." + info->name());
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

ir::Graph MustImport(const std::string& model, const std::string& weights) {
  auto g = ImportKeras(model, weights);
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  if (!g.ok()) return {};
  Status v = ir::VerifyGraph(*g, ir::VerifyLevel::kStructure);
  EXPECT_TRUE(v.ok()) << v.ToString();
  return std::move(g).value();
}

Status ImportError(const std::string& model, const std::string& weights) {
  auto g = ImportKeras(model, weights);
  EXPECT_FALSE(g.ok()) << "expected an error for " << model;
  return g.ok() ? Status() : g.status();
}

std::vector<std::string> Kinds(const ir::Graph& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes) out.emplace_back(LayerKindId(n.kind));
  return out;
}
std::vector<std::string> Names(const ir::Graph& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes) out.push_back(n.name);
  return out;
}

const ir::Node& NodeOf(const ir::Graph& g, const std::string& name) {
  const ir::Node* n = g.Find(name);
  FIRMNET_CHECK(n != nullptr) << "no node " << name;
  return *n;
}

double At(const ir::Node& n, const std::string& w, std::vector<int64_t> idx) {
  const ir::Tensor* t = n.Weight(w);
  FIRMNET_CHECK(t != nullptr) << n.name << " has no " << w;
  FIRMNET_CHECK(idx.size() == t->shape.size());
  int64_t flat = 0;
  for (size_t i = 0; i < idx.size(); ++i)
    flat = flat * t->shape[i] + (idx[i] < 0 ? t->shape[i] + idx[i] : idx[i]);
  return t->data[static_cast<size_t>(flat)];
}

// Every node (but the first) reads the node before it: the graph is one chain.
void ExpectChain(const ir::Graph& g) {
  ASSERT_FALSE(g.nodes.empty());
  EXPECT_TRUE(g.nodes[0].inputs.empty());
  for (size_t i = 1; i < g.nodes.size(); ++i) {
    EXPECT_EQ(g.nodes[i].inputs, std::vector<ir::TensorRef>{g.nodes[i - 1].name})
        << g.nodes[i].name;
  }
  EXPECT_EQ(g.outputs, std::vector<ir::TensorRef>{g.nodes.back().name});
}

// ---------------------------------------------------------------------------------------------
// The example models in ../shared.

TEST(KerasImporter, ThreeLayerJetTagger) {
  ir::Graph g = MustImport(Shared("KERAS_3layer.json"), Shared("KERAS_3layer_weights.h5"));
  EXPECT_EQ(Kinds(g), (std::vector<std::string>{"input", "dense", "relu", "dense", "relu", "dense",
                                                "relu", "dense", "softmax"}));
  EXPECT_EQ(Names(g), (std::vector<std::string>{"input_1", "fc1_relu", "fc1_relu_relu", "fc2_relu",
                                                "fc2_relu_relu", "fc3_relu", "fc3_relu_relu",
                                                "output_softmax", "output_softmax_softmax"}));
  ExpectChain(g);
  EXPECT_EQ(g.name, "model_1");
  EXPECT_EQ(g.nodes[0].shape, (ir::Shape{16}));
  const int64_t widths[] = {16, 64, 32, 32, 5};
  const char* dense[] = {"fc1_relu", "fc2_relu", "fc3_relu", "output_softmax"};
  for (int i = 0; i < 4; ++i) {
    const ir::Node& n = NodeOf(g, dense[i]);
    EXPECT_EQ(n.Weight("weight")->shape, (ir::Shape{widths[i], widths[i + 1]})) << dense[i];
    EXPECT_EQ(n.Weight("bias")->shape, (ir::Shape{widths[i + 1]})) << dense[i];
    EXPECT_EQ(n.shape, (ir::Shape{widths[i + 1]}));
    EXPECT_TRUE(n.precision.empty());
  }
  EXPECT_EQ(NodeOf(g, "output_softmax_softmax").GetInt("axis").value(), -1);
  // Baked from h5py (see the comment at ThreeLayerWeightsMatchOnnx for the command):
  //   f['fc1_relu/fc1_relu/kernel:0'][0,0], [3,7], [-1,-1]; bias [0], [-1]; same for output.
  const ir::Node& fc1 = NodeOf(g, "fc1_relu");
  EXPECT_EQ(At(fc1, "weight", {0, 0}), 0.2731347382068634);
  EXPECT_EQ(At(fc1, "weight", {3, 7}), -2.7024316787719727);
  EXPECT_EQ(At(fc1, "weight", {-1, -1}), -0.3651207387447357);
  EXPECT_EQ(At(fc1, "bias", {0}), -0.6503423452377319);
  EXPECT_EQ(At(fc1, "bias", {-1}), 0.0);
  const ir::Node& out = NodeOf(g, "output_softmax");
  EXPECT_EQ(At(out, "weight", {0, 0}), 0.33954036235809326);
  EXPECT_EQ(At(out, "weight", {3, 4}), -0.6296612024307251);
  EXPECT_EQ(At(out, "weight", {-1, -1}), 0.2742963135242462);
  EXPECT_EQ(At(out, "bias", {0}), -0.32101622223854065);
  EXPECT_EQ(At(out, "bias", {-1}), 0.019465582445263863);
}

// The pruned jet taggers share the architecture; their weights are mostly exact zeros.
// Baked with h5py: k = f['fc2_relu/fc2_relu/kernel:0'][()]; (k == 0).sum(), k[0,0], b[0], b[-1].
TEST(KerasImporter, PrunedJetTaggers) {
  struct Case {
    const char* weights;
    int zeros;
    double k00, b0, b_last;
  };
  const Case cases[] = {
      {"KERAS_3layer_70pruned_retrained_weights.h5", 1579, 0.13293451070785522, 0.3856663703918457,
       0.195322647690773},
      {"KERAS_3layer_95pruned_retrained_weights.h5", 2043, 0.0, 0.23136058449745178,
       -1.019636631011963},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.weights);
    ir::Graph g = MustImport(Shared("KERAS_3layer.json"), Shared(c.weights));
    EXPECT_EQ(g.nodes.size(), 9u);
    const ir::Node& fc2 = NodeOf(g, "fc2_relu");
    ASSERT_EQ(fc2.Weight("weight")->shape, (ir::Shape{64, 32}));
    int zeros = 0;
    for (double v : fc2.Weight("weight")->data) zeros += v == 0.0;
    EXPECT_EQ(zeros, c.zeros);
    EXPECT_EQ(At(fc2, "weight", {0, 0}), c.k00);
    EXPECT_EQ(At(fc2, "bias", {0}), c.b0);
    EXPECT_EQ(At(fc2, "bias", {-1}), c.b_last);
  }
}

TEST(KerasImporter, ThreeLayerBatchNorm) {
  ir::Graph g = MustImport(Shared("KERAS_3layer_batch_norm.json"),
                           Shared("KERAS_3layer_batch_norm_weights.h5"));
  EXPECT_EQ(Kinds(g), (std::vector<std::string>{"input", "dense", "batchnorm", "relu", "dense",
                                                "batchnorm", "relu", "dense", "batchnorm", "relu",
                                                "dense", "batchnorm", "softmax"}));
  ExpectChain(g);
  // Linear dense layers get no activation node; Activation layers keep their Keras names.
  EXPECT_EQ(g.nodes[3].name, "relu1");
  EXPECT_EQ(g.nodes[12].name, "softmax");
  EXPECT_EQ(NodeOf(g, "bn4").Weight("scale")->shape, (ir::Shape{5}));
  // bn1 channel 0 and 63, baked with h5py from bn1/bn1/{gamma,beta,moving_mean,moving_variance}:0;
  // epsilon is 1e-6 in the JSON. The frontend contract: scale = gamma/sqrt(var+eps),
  // bias = beta - scale*mean, in numpy's float32 arithmetic on the float32 arrays (what hls4ml
  // quantizes), and in float64 for the float reference.
  const ir::Node& bn1 = NodeOf(g, "bn1");
  ASSERT_EQ(bn1.Weight("scale")->shape, (ir::Shape{64}));
  struct Ch {
    int index;
    double gamma, beta, mean, var;
  };
  for (const Ch& c :
       {Ch{0, 1.086281418800354, 0.09981481730937958, -0.003627292811870575, 0.6466774940490723},
        Ch{63, 0.9727256894111633, -0.07734691351652145, -0.01405780017375946,
           0.7062110304832458}}) {
    const double scale = c.gamma / std::sqrt(c.var + 1e-6);
    const size_t i = static_cast<size_t>(c.index);
    EXPECT_EQ(bn1.Weight("scale")->ReferenceData()[i], scale);
    EXPECT_EQ(bn1.Weight("bias")->ReferenceData()[i], c.beta - c.mean * scale);
    const float denom = static_cast<float>(c.var) + 1e-6f;
    const float scale32 = static_cast<float>(c.gamma) / std::sqrt(denom);
    const float product32 = scale32 * static_cast<float>(c.mean);
    EXPECT_EQ(At(bn1, "scale", {c.index}), static_cast<double>(scale32));
    EXPECT_EQ(At(bn1, "bias", {c.index}),
              static_cast<double>(static_cast<float>(c.beta) - product32));
  }
  // Keras's zero-initialised bias is still read from the file.
  EXPECT_EQ(NodeOf(g, "fc1_relu").Weight("bias")->shape, (ir::Shape{64}));
}

TEST(KerasImporter, OneLayer) {
  ir::Graph g = MustImport(Shared("KERAS_1layer.json"), Shared("KERAS_1layer_weights.h5"));
  EXPECT_EQ(Kinds(g), (std::vector<std::string>{"input", "dense", "relu", "dense", "sigmoid"}));
  EXPECT_EQ(g.nodes[0].shape, (ir::Shape{10}));
  EXPECT_EQ(NodeOf(g, "fc1_relu").Weight("weight")->shape, (ir::Shape{10, 32}));
  const ir::Node& out = NodeOf(g, "output_sigmoid");
  EXPECT_EQ(out.Weight("weight")->shape, (ir::Shape{32, 1}));
  // h5py: f['output_sigmoid/output_sigmoid/kernel:0'][5,0], f['.../bias:0'][0]
  EXPECT_EQ(At(out, "weight", {5, 0}), 0.6325696706771851);
  EXPECT_EQ(At(out, "bias", {0}), 0.09853196144104004);
  EXPECT_EQ(g.outputs, std::vector<ir::TensorRef>{"output_sigmoid_sigmoid"});
}

// Dropout layers disappear: the next dense reads the activation before the dropout.
TEST(KerasImporter, DeepDenseModelsDropDropout) {
  struct Case {
    int width;
    double fc3_k_last_1;  // h5py: f['fc3_relu/fc3_relu/kernel:0'][width-1, 1]
  };
  for (const Case& c : {Case{100, 1.177066479840505e-07}, Case{200, 1.88035380688234e-06},
                        Case{500, -8.706088578946947e-07}}) {
    const std::string w = std::to_string(c.width);
    const std::string base = "KERAS_dense_16x" + w + "x" + w + "x" + w + "x" + w + "x" + w + "x5";
    SCOPED_TRACE(base);
    ir::Graph g = MustImport(Shared(base + ".json"), Shared(base + "_weights.h5"));
    ASSERT_EQ(g.nodes.size(), 13u);
    ExpectChain(g);
    for (const auto& n : g.nodes) EXPECT_EQ(n.name.find("dropout"), std::string::npos) << n.name;
    EXPECT_EQ(NodeOf(g, "fc2_relu").inputs, std::vector<ir::TensorRef>{"fc1_relu_relu"});
    EXPECT_EQ(NodeOf(g, "fc1_relu").Weight("weight")->shape, (ir::Shape{16, c.width}));
    EXPECT_EQ(NodeOf(g, "fc4_relu").Weight("weight")->shape, (ir::Shape{c.width, c.width}));
    EXPECT_EQ(NodeOf(g, "output_softmax").Weight("weight")->shape, (ir::Shape{c.width, 5}));
    EXPECT_EQ(At(NodeOf(g, "fc3_relu"), "weight", {c.width - 1, 1}), c.fc3_k_last_1);
  }
}

// shared/example-models/onnx/three_layer_keras.onnx holds the same weights as the json+h5 jet
// tagger (W, B, W1, ... are MatMul/Add initializers in the Keras [in, out] layout). Without the
// ONNX frontend, the ONNX side is baked as two sequential float64 checksums per tensor (the plain
// sum, and the sum of value*(flat index+1), which catches permutations and transposes):
//   /usr/bin/python3 -c "import onnx; from onnx import numpy_helper as nh
//   m = onnx.load('three_layer_keras.onnx')
//   for i in m.graph.initializer:
//     s = w = 0.0
//     for j, v in enumerate(nh.to_array(i).astype('float64').flat): s += float(v); w +=
//     float(v)*(j+1) print(i.name, repr(s), repr(w))"
// The spot values in the tests above came from h5py the same way, e.g.
//   /usr/bin/python3 -c "import h5py; f = h5py.File('KERAS_3layer_weights.h5');
//   print(repr(float(f['fc1_relu/fc1_relu/kernel:0'][3, 7])))"
TEST(KerasImporter, ThreeLayerWeightsMatchOnnx) {
  ir::Graph g = MustImport(Shared("KERAS_3layer.json"), Shared("KERAS_3layer_weights.h5"));
  struct Sum {
    const char* node;
    const char* weight;
    double sum, weighted;
  };
  const Sum sums[] = {
      {"fc1_relu", "weight", -17.441249780531507, -7546.270126762509},
      {"fc1_relu", "bias", -0.06306678056716919, -39.991128370165825},
      {"fc2_relu", "weight", 5.601303817364169, 10302.989087624244},
      {"fc2_relu", "bias", -0.7512673176825047, -20.496049597859383},
      {"fc3_relu", "weight", -14.171968951701274, -8658.629795498255},
      {"fc3_relu", "bias", -0.33962177531793714, 5.069242256227881},
      {"output_softmax", "weight", -0.6908644569339231, -196.9859718370717},
      {"output_softmax", "bias", 0.09496560879051685, 0.6833825651556253},
  };
  for (const Sum& s : sums) {
    const ir::Tensor* t = NodeOf(g, s.node).Weight(s.weight);
    ASSERT_NE(t, nullptr);
    double sum = 0.0, weighted = 0.0;
    for (size_t j = 0; j < t->data.size(); ++j) {
      sum += t->data[j];
      weighted += t->data[j] * static_cast<double>(j + 1);
    }
    EXPECT_EQ(sum, s.sum) << s.node << "." << s.weight;
    EXPECT_EQ(weighted, s.weighted) << s.node << "." << s.weight;
  }
}

TEST(KerasImporter, Deterministic) {
  auto a = ImportKeras(Shared("KERAS_3layer_batch_norm.json"),
                       Shared("KERAS_3layer_batch_norm_weights.h5"));
  auto b = ImportKeras(Shared("KERAS_3layer_batch_norm.json"),
                       Shared("KERAS_3layer_batch_norm_weights.h5"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(*a == *b);
}

// ---------------------------------------------------------------------------------------------
// The fixtures from tests/models/keras/make_keras_fixtures.py (weights are multiples of 1/8).

double Ramp(int64_t flat, double start) { return static_cast<double>(flat) / 8.0 + start; }

TEST(KerasImporter, FullModelWithVariableLengthStrings) {
  ir::Graph g = MustImport(Fixture("tiny_full_vlen.h5"), "");
  EXPECT_EQ(g.name, "tiny_vlen");
  EXPECT_EQ(Names(g), (std::vector<std::string>{"in", "d1", "d1_relu", "bn", "d2", "d2_softmax"}));
  EXPECT_EQ(Kinds(g),
            (std::vector<std::string>{"input", "dense", "relu", "batchnorm", "dense", "softmax"}));
  ExpectChain(g);
  EXPECT_EQ(g.nodes[0].shape, (ir::Shape{4}));
  const ir::Node& d1 = NodeOf(g, "d1");  // float32 datasets
  ASSERT_EQ(d1.Weight("weight")->shape, (ir::Shape{4, 3}));
  for (int64_t i = 0; i < 12; ++i) EXPECT_EQ(d1.Weight("weight")->data[i], Ramp(i, -0.75));
  for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(d1.Weight("bias")->data[i], Ramp(i, 0.5));
  // center=False (no beta), epsilon=1: scale = 0.5/sqrt(3+1) = 0.25, bias = -mean*0.25.
  const ir::Node& bn = NodeOf(g, "bn");
  EXPECT_EQ(bn.Weight("scale")->data, (std::vector<double>{0.25, 0.25, 0.25}));
  EXPECT_EQ(bn.Weight("bias")->data, (std::vector<double>{-0.25, -0.28125, -0.3125}));
  const ir::Node& d2 = NodeOf(g, "d2");  // float64 datasets
  EXPECT_EQ(d2.Weight("weight")->data, (std::vector<double>{-0.25, -0.125, 0, 0.125, 0.25, 0.375}));
  EXPECT_EQ(d2.Weight("bias")->data, (std::vector<double>{-1.0, -0.875}));

  // A full model may also be given as its own weights file.
  ir::Graph again = MustImport(Fixture("tiny_full_vlen.h5"), Fixture("tiny_full_vlen.h5"));
  EXPECT_TRUE(again == g);
}

TEST(KerasImporter, FullModelWithFixedLengthStringsAndOldSequentialLayout) {
  ir::Graph g = MustImport(Fixture("tiny_full_fixed.h5"), "");
  EXPECT_EQ(Names(g), (std::vector<std::string>{"fc_input", "fc", "fc_hard_sigmoid", "leaky",
                                                "relu6", "elu", "act"}));
  EXPECT_EQ(Kinds(g), (std::vector<std::string>{"input", "dense", "hard_sigmoid", "leaky_relu",
                                                "clip", "elu", "tanh"}));
  ExpectChain(g);
  EXPECT_EQ(g.nodes[0].shape, (ir::Shape{2}));
  const ir::Node& fc = NodeOf(g, "fc");
  for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(fc.Weight("weight")->data[i], Ramp(i, 0.125));
  EXPECT_EQ(fc.Weight("bias")->data, (std::vector<double>{-0.25, -0.125, 0.0}));
  const ir::Node& hs = NodeOf(g, "fc_hard_sigmoid");
  EXPECT_EQ(hs.GetDouble("alpha").value(), 0.2);
  EXPECT_EQ(hs.GetDouble("beta").value(), 0.5);
  EXPECT_EQ(NodeOf(g, "leaky").GetDouble("alpha").value(), 0.3);  // Keras 2 default
  EXPECT_EQ(NodeOf(g, "relu6").GetDouble("min").value(), 0.0);
  EXPECT_EQ(NodeOf(g, "relu6").GetDouble("max").value(), 6.0);
  EXPECT_EQ(NodeOf(g, "elu").GetDouble("alpha").value(), 0.5);
}

TEST(KerasImporter, JsonWithoutWeightNamesFlattenReshapeNoBias) {
  ir::Graph g = MustImport(Fixture("tiny_seq.json"), Fixture("tiny_seq_weights.h5"));
  EXPECT_EQ(Names(g), (std::vector<std::string>{"x", "flat", "nobias", "rs", "flat2", "sm"}));
  EXPECT_EQ(Kinds(g), (std::vector<std::string>{"input", "reshape", "dense", "reshape", "reshape",
                                                "softmax"}));
  ExpectChain(g);
  EXPECT_EQ(g.nodes[0].shape, (ir::Shape{2, 3}));
  EXPECT_EQ(NodeOf(g, "flat").GetInts("target_shape").value(), (std::vector<int64_t>{6}));
  EXPECT_EQ(NodeOf(g, "rs").GetInts("target_shape").value(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(NodeOf(g, "flat2").shape, (ir::Shape{4}));
  const ir::Node& d = NodeOf(g, "nobias");
  ASSERT_EQ(d.Weight("weight")->shape, (ir::Shape{6, 4}));
  for (int64_t i = 0; i < 24; ++i) EXPECT_EQ(d.Weight("weight")->data[i], Ramp(i, -1.5));
  EXPECT_EQ(d.Weight("bias")->data, (std::vector<double>(4, 0.0)));
  EXPECT_EQ(NodeOf(g, "sm").GetInt("axis").value(), -1);
}

// Conv1D padding='causal': Keras pads dilation*(kernel-1) on the left (hls4ml's kernel-stride is
// the same for stride 1); output t reads inputs t-2..t. The float reference against a loop.
TEST(KerasImporter, Conv1DCausalPadsTheLeft) {
  ir::Graph g = MustImport(Fixture("tiny_causal.json"), Fixture("tiny_causal_weights.h5"));
  const ir::Node& conv = NodeOf(g, "conv");
  EXPECT_EQ(conv.GetInts("pads").value(), (std::vector<int64_t>{2, 0}));
  EXPECT_EQ(conv.shape, (ir::Shape{5, 2}));
  auto emu = emu::FloatEmulator::Create(g);
  ASSERT_TRUE(emu.ok()) << emu.status().ToString();
  std::vector<double> x(10), y(10);
  for (int i = 0; i < 10; ++i) x[i] = 0.5 * i - 2;
  (*emu)->RunOne(x.data(), y.data());
  for (int t = 0; t < 5; ++t) {
    for (int f = 0; f < 2; ++f) {
      double want = Ramp(f, 0.25);
      for (int k = 0; k < 3; ++k) {
        const int src = t + k - 2;
        if (src < 0) continue;
        for (int c = 0; c < 2; ++c) want += x[src * 2 + c] * Ramp((k * 2 + c) * 2 + f, -0.75);
      }
      EXPECT_EQ(y[t * 2 + f], want) << t << " " << f;
    }
  }
  // A strided causal conv is refused: Keras and hls4ml pad it differently.
  json model = json::parse(ReadFile(Fixture("tiny_causal.json")));
  model["config"]["layers"][1]["config"]["strides"] = json::array({2});
  const Status s =
      ImportError(WriteTemp("strided.json", model.dump()), Fixture("tiny_causal_weights.h5"));
  EXPECT_CONTAINS(s.message(), "layer 'conv' (Conv1D)");
  EXPECT_CONTAINS(s.message(), "padding 'causal' with strides 2 is not supported");
}

// Layers without weights, written inline: a Keras 3 style Functional chain (inbound "args" with
// keras_history, "batch_shape"), ReLU variants and the Activation layer's own kinds.
TEST(KerasImporter, ActivationLayerVariants) {
  json layers = json::array();
  auto add = [&](const std::string& cls, json cfg, const std::string& prev) {
    json l = {{"class_name", cls}, {"config", cfg}, {"name", cfg["name"]}};
    l["inbound_nodes"] = json::array();
    if (!prev.empty()) {
      json arg = {{"class_name", "__keras_tensor__"},
                  {"config", {{"keras_history", json::array({prev, 0, 0})}}}};
      l["inbound_nodes"].push_back({{"args", json::array({arg})}, {"kwargs", json::object()}});
    }
    layers.push_back(l);
  };
  add("InputLayer", {{"name", "x"}, {"batch_shape", {nullptr, 8}}}, "");
  add("ReLU", {{"name", "leaky"}, {"negative_slope", 0.125}, {"max_value", nullptr}}, "x");
  add("ReLU", {{"name", "capped"}, {"max_value", 4.0}}, "leaky");
  add("ReLU", {{"name", "plain"}}, "capped");
  add("Activation", {{"name", "ss"}, {"activation", "softsign"}}, "plain");
  add("Activation", {{"name", "sp"}, {"activation", "softplus"}}, "ss");
  add("Activation", {{"name", "lin"}, {"activation", "linear"}}, "sp");
  add("Activation", {{"name", "hs"}, {"activation", "hard_sigmoid"}}, "lin");
  add("Activation", {{"name", "r6"}, {"activation", "relu6"}}, "hs");
  add("Softmax", {{"name", "sm"}, {"axis", 1}}, "r6");
  json model = {{"class_name", "Functional"},
                {"config",
                 {{"name", "k3"},
                  {"layers", layers},
                  {"input_layers", json::array({"x", 0, 0})},
                  {"output_layers", json::array({"sm", 0, 0})}}}};
  std::string m = WriteTemp("k3.json", model.dump());
  ir::Graph g = MustImport(m, Fixture("tiny_seq_weights.h5"));
  EXPECT_EQ(Kinds(g),
            (std::vector<std::string>{"input", "leaky_relu", "clip", "relu", "softsign", "softplus",
                                      "linear", "hard_sigmoid", "clip", "softmax"}));
  ExpectChain(g);
  EXPECT_EQ(g.nodes[0].shape, (ir::Shape{8}));
  EXPECT_EQ(NodeOf(g, "leaky").GetDouble("alpha").value(), 0.125);
  EXPECT_EQ(NodeOf(g, "capped").GetDouble("max").value(), 4.0);
  EXPECT_EQ(NodeOf(g, "r6").GetDouble("max").value(), 6.0);
  EXPECT_EQ(NodeOf(g, "sm").GetInt("axis").value(), -1);

  // Options that have no firmnet equivalent are errors naming the layer and the option.
  struct Case {
    int layer;
    const char* key;
    json value;
    const char* expected;
  };
  const Case cases[] = {
      {1, "threshold", 0.5, "layer 'leaky' (ReLU): a non-zero 'threshold' is not supported"},
      {2, "negative_slope", 0.1,
       "layer 'capped' (ReLU): 'max_value' together with 'negative_slope' is not supported"},
      {4, "activation", "gelu", "layer 'ss' (Activation): unsupported activation 'gelu'"},
      {4, "activation", json::object(), "layer 'ss' (Activation): 'activation' must be a name"},
      {9, "axis", 0, "layer 'sm' (Softmax): axis 0 is not supported; only the last axis (-1) is"},
      {0, "batch_shape", json::array({nullptr, 65536, 65536}),
       "layer 'x' (InputLayer): input shape [null,65536,65536] has more than 16777216 elements"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected);
    json bad = model;
    bad["config"]["layers"][c.layer]["config"][c.key] = c.value;
    std::string path = WriteTemp("bad.json", bad.dump());
    Status s = ImportError(path, Fixture("tiny_seq_weights.h5"));
    EXPECT_CONTAINS(s.message(), path + ": " + c.expected);
  }
}

// Both string layouts, read directly.
// QKeras (issue 17): quantizers read from the JSON; weights hold QKeras' quantized values
// (expected values computed with numpy from the h5 file: round half to even of x*32, clipped to
// [-1, 31/32] for quantized_bits(6,0)); the types are hls4ml's.
std::string Type(const ir::Node& n, const std::string& slot) {
  auto it = n.model_precision.find(slot);
  return it == n.model_precision.end() ? "none" : FormatFixedType(it->second);
}

TEST(KerasImporterQuantized, QKerasThreeLayer) {
  ir::Graph g = MustImport(Shared("qkeras_3layer.json"), Shared("qkeras_3layer_weights.h5"));
  EXPECT_EQ(Kinds(g), (std::vector<std::string>{"input", "dense", "relu", "dense", "relu", "dense",
                                                "relu", "dense", "softmax"}));
  ExpectChain(g);
  const ir::Node& fc1 = NodeOf(g, "fc1");
  EXPECT_EQ(Type(fc1, "weight"), "ap_fixed<6,1>");
  EXPECT_EQ(Type(fc1, "bias"), "ap_fixed<6,1>");
  EXPECT_EQ(Type(fc1, "result"), "none");
  // -0.11841583 -> -0.125; -0.043221105 -> -0.03125; 0.015743807 -> 0.03125; bias 0.086514056
  // -> 0.09375.
  EXPECT_EQ(At(fc1, "weight", {0, 0}), -0.125);
  EXPECT_EQ(At(fc1, "weight", {3, 7}), -0.03125);
  EXPECT_EQ(At(fc1, "weight", {-1, -1}), 0.03125);
  EXPECT_EQ(At(fc1, "bias", {0}), 0.09375);
  for (const char* r : {"relu1", "relu2", "relu3"}) {
    EXPECT_EQ(Type(NodeOf(g, r), "result"), "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>") << r;
  }
  EXPECT_TRUE(NodeOf(g, "softmax").model_precision.empty());
}

TEST(KerasImporterQuantized, QKerasMnistDenseWithPowerOfTwoWeightsAndStringQuantizers) {
  ir::Graph g =
      MustImport(Shared("qkeras_mnist_dense.json"), Shared("qkeras_mnist_dense_weights.h5"));
  EXPECT_EQ(Kinds(g),
            (std::vector<std::string>{"input", "relu", "dense", "relu", "dense", "softmax"}));
  // 'quantized_relu(2)' and 'quantized_relu(3,1)' as strings.
  EXPECT_EQ(Type(NodeOf(g, "q_activation_2"), "result"), "ap_ufixed<2,0,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Type(NodeOf(g, "q_activation_3"), "result"), "ap_ufixed<3,1,AP_RND_CONV,AP_SAT>");
  const ir::Node& d = NodeOf(g, "q_dense_2");
  // quantized_po2(4, max_value=1): powers of two 2^-8 .. 2^0 (h5: 0.03125, -0.45141676, -0.0625).
  EXPECT_EQ(At(d, "weight", {0, 0}), 0.03125);
  EXPECT_EQ(At(d, "weight", {100, 3}), -0.5);
  EXPECT_EQ(At(d, "weight", {-1, -1}), -0.0625);
  for (double v : d.Weight("weight")->data) {
    int e = 0;
    EXPECT_EQ(std::abs(std::frexp(v, &e)), 0.5) << v;
    EXPECT_LE(std::abs(v), 1.0);
    EXPECT_GE(std::abs(v), 1.0 / 256);
  }
  EXPECT_EQ(Type(d, "weight"), "ap_fixed<10,2>");
  EXPECT_EQ(d.GetInt("po2_weight_bits").value(), 4);  // hls4ml's shift product
  EXPECT_FALSE(NodeOf(g, "q_dense_3").attrs.count("po2_weight_bits"));
  EXPECT_EQ(Type(d, "bias"), "ap_fixed<2,1>");
}

TEST(KerasImporterQuantized, QKerasMnistCnn) {
  ir::Graph g = MustImport(Shared("qkeras_mnist_cnn.json"), Shared("qkeras_mnist_cnn_weights.h5"));
  EXPECT_EQ(Kinds(g), (std::vector<std::string>{"input", "conv2d", "relu", "relu", "max_pool2d",
                                                "conv2d", "relu", "relu", "max_pool2d", "reshape",
                                                "dense", "softmax"}));
  EXPECT_EQ(Type(NodeOf(g, "q_conv2d"), "weight"), "ap_fixed<6,1>");
  EXPECT_EQ(Type(NodeOf(g, "q_conv2d_1"), "bias"), "ap_fixed<6,1>");
  EXPECT_EQ(Type(NodeOf(g, "q_activation"), "result"), "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>");
  for (double v : NodeOf(g, "q_conv2d").Weight("weight")->data) {
    EXPECT_EQ(v * 32, std::round(v * 32)) << v;
    EXPECT_GE(v, -1.0);
    EXPECT_LE(v, 31.0 / 32);
  }
}

TEST(KerasImporterQuantized, BinaryAndTernaryDense) {
  ir::Graph t = MustImport(Shared("KERAS_3layer_ternary_small.json"),
                           Shared("KERAS_3layer_ternary_small_weights.h5"));
  EXPECT_EQ(Kinds(t),
            (std::vector<std::string>{"input", "dense", "batchnorm", "ternary_tanh", "dense",
                                      "batchnorm", "ternary_tanh", "dense", "batchnorm",
                                      "ternary_tanh", "dense", "batchnorm"}));
  const ir::Node& fc1 = NodeOf(t, "fc1");
  EXPECT_EQ(fc1.GetString("weight_quantizer").value(), "ternary");
  EXPECT_EQ(Type(fc1, "weight"), "ap_int<2>");
  EXPECT_EQ(Type(fc1, "bias"), "ap_uint<1>");  // hls4ml's type for a missing bias
  // h5: 0.49993202 -> 0 (not above 0.5); -1.0 -> -1; 250 values > 0.5, 265 <= -0.5 of 1024.
  EXPECT_EQ(At(fc1, "weight", {0, 0}), 0.0);
  EXPECT_EQ(At(fc1, "weight", {3, 7}), -1.0);
  const auto& w = fc1.Weight("weight")->data;
  EXPECT_EQ(std::count(w.begin(), w.end(), 1.0), 250);
  EXPECT_EQ(std::count(w.begin(), w.end(), -1.0), 265);
  EXPECT_EQ(std::count(w.begin(), w.end(), 0.0), 1024 - 250 - 265);

  ir::Graph b = MustImport(Shared("KERAS_3layer_binary_smaller.json"),
                           Shared("KERAS_3layer_binary_smaller_weights.h5"));
  EXPECT_EQ(NodeOf(b, "act1").kind, LayerKind::kBinaryTanh);
  EXPECT_EQ(NodeOf(b, "fc2").GetString("weight_quantizer").value(), "binary");
  for (double v : NodeOf(b, "fc2").Weight("weight")->data) EXPECT_EQ(std::abs(v), 1.0);

  ir::Graph r = MustImport(Shared("KERAS_3layer_binarydense_relu_max.json"),
                           Shared("KERAS_3layer_binarydense_relu_max_weights.h5"));
  const ir::Node& relu1 = NodeOf(r, "act1");  // Activation('relu1'): hls4ml's relu_max<1>
  EXPECT_EQ(relu1.kind, LayerKind::kClip);
  EXPECT_EQ(relu1.GetDouble("min").value(), 0.0);
  EXPECT_EQ(relu1.GetDouble("max").value(), 1.0);
}

json QKerasJson() { return json::parse(ReadFile(Shared("qkeras_3layer.json"))); }

TEST(KerasImporterErrors, QKerasQuantizersNameLayerKeyAndValue) {
  const std::string w = Shared("qkeras_3layer_weights.h5");
  // layers[1] is QDense fc1, layers[2] QActivation relu1.
  json j = QKerasJson();
  j["config"]["layers"][1]["config"]["kernel_quantizer"]["class_name"] = "quantized_magic";
  std::string m = WriteTemp("unknown.json", j.dump());
  EXPECT_CONTAINS(ImportError(m, w).message(),
                  m + ": layer 'fc1' (QDense): kernel_quantizer: unsupported QKeras quantizer "
                      "'quantized_magic'; supported: quantized_bits, quantized_relu");
  j = QKerasJson();
  j["config"]["layers"][1]["config"]["kernel_quantizer"]["config"]["bits"] = 0;
  m = WriteTemp("bits.json", j.dump());
  EXPECT_CONTAINS(ImportError(m, w).message(), m + ": layer 'fc1' (QDense): kernel_quantizer: ");
  EXPECT_CONTAINS(ImportError(m, w).message(), "'bits'");
  j = QKerasJson();
  j["config"]["layers"][1]["config"]["kernel_quantizer"]["config"]["alpha"] = "auto_po2";
  m = WriteTemp("alpha.json", j.dump());
  EXPECT_CONTAINS(ImportError(m, w).message(),
                  m + ": layer 'fc1' (QDense): kernel_quantizer: quantized_bits with alpha other "
                      "than 1 or None is not supported yet");
  j = QKerasJson();
  j["config"]["layers"][2]["config"]["activation"] = "quantized_po2(4)";
  m = WriteTemp("po2.json", j.dump());
  EXPECT_CONTAINS(ImportError(m, w).message(),
                  m + ": layer 'relu1' (QActivation): activation: quantized_po2 is not "
                      "supported as an activation yet");
  j = QKerasJson();
  j["config"]["layers"][2]["config"]["activation"] = "quantized_relu(4,";
  m = WriteTemp("syntax.json", j.dump());
  EXPECT_CONTAINS(ImportError(m, w).message(), m + ": layer 'relu1' (QActivation): activation");
}

TEST(H5Reader, FixedAndVariableLengthStrings) {
  auto vlen = H5File::Open(Fixture("tiny_full_vlen.h5"));
  ASSERT_TRUE(vlen.ok()) << vlen.status().ToString();
  auto names = vlen->ReadStringAttribute("model_weights", "layer_names");
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_EQ(*names, (std::vector<std::string>{"in", "d1", "bn", "drop", "d2"}));
  auto fixed = H5File::Open(Fixture("tiny_full_fixed.h5"));
  ASSERT_TRUE(fixed.ok());
  names = fixed->ReadStringAttribute("/model_weights", "layer_names");
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_EQ(*names, (std::vector<std::string>{"fc", "leaky", "relu6", "elu", "act"}));
  auto one = fixed->ReadStringAttribute("model_weights", "backend");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, std::vector<std::string>{"tensorflow"});
  // Keras writes an empty float64 array for layers without weights.
  auto empty = fixed->ReadStringAttribute("model_weights/leaky", "weight_names");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto missing = fixed->ReadStringAttribute("model_weights/nope", "weight_names");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_CONTAINS(missing.status().message(), "tiny_full_fixed.h5: 'model_weights/nope'");
  auto not_string = fixed->ReadTensor("model_weights/fc/fc/kernel:0");
  ASSERT_TRUE(not_string.ok());
  EXPECT_EQ(not_string->shape, (ir::Shape{2, 3}));
  auto no_ds = fixed->ReadTensor("model_weights/fc/fc/gamma:0");
  EXPECT_CONTAINS(no_ds.status().message(), "'model_weights/fc/fc/gamma:0': no such dataset");
  EXPECT_FALSE(fixed->Exists("model_weights/fc/fc/kernel:0/deeper"));
  EXPECT_TRUE(fixed->Exists("/model_weights/fc/"));
}

// ---------------------------------------------------------------------------------------------
// Errors: each names the file, the layer/class or weight, and what is wrong.

json ThreeLayerJson() { return json::parse(ReadFile(Shared("KERAS_3layer.json"))); }

TEST(KerasImporterErrors, MissingFiles) {
  Status s = ImportError("/nonexistent/model.json", Shared("KERAS_3layer_weights.h5"));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "/nonexistent/model.json: no such file");
  s = ImportError(Shared("KERAS_3layer.json"), "/nonexistent/w.h5");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "/nonexistent/w.h5: no such file");
  s = ImportError("/nonexistent/model.h5", "");
  EXPECT_EQ(s.message(), "/nonexistent/model.h5: no such file");
  s = ImportError(Shared("KERAS_3layer.json"), "");
  EXPECT_CONTAINS(s.message(),
                  "KERAS_3layer.json: a Keras JSON architecture needs its weights file");
  s = ImportError(Fixture(""), "");
  EXPECT_CONTAINS(s.message(), "is a directory");
}

TEST(KerasImporterErrors, TruncatedH5) {
  const std::string full = ReadFile(Shared("KERAS_3layer_weights.h5"));
  ASSERT_GT(full.size(), 30000u);
  // Cut inside the superblock, inside the metadata, and inside the weight data.
  for (size_t len : {size_t{0}, size_t{7}, size_t{100}, size_t{2000}, size_t{6000}, size_t{20000},
                     full.size() - 100}) {
    SCOPED_TRACE(len);
    std::string w = WriteTemp("cut.h5", full.substr(0, len));
    Status s = ImportError(Shared("KERAS_3layer.json"), w);
    EXPECT_CONTAINS(s.message(), w);
  }
  std::string w = WriteTemp("cut.h5", full.substr(0, 2000));
  Status s = ImportError(Shared("KERAS_3layer.json"), w);
  EXPECT_CONTAINS(s.message(), "cannot open the HDF5 file; is it truncated or damaged?");
  // A full model cut short.
  const std::string model = ReadFile(Fixture("tiny_full_vlen.h5"));
  for (size_t len : {size_t{600}, model.size() / 2, model.size() - 50}) {
    std::string m = WriteTemp("cut_model.h5", model.substr(0, len));
    Status st = ImportError(m, "");
    EXPECT_CONTAINS(st.message(), m);
  }
}

TEST(KerasImporterErrors, GarbageBytes) {
  std::mt19937 rng(1234);
  std::string junk(4096, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  std::string h5 = WriteTemp("junk.h5", junk);
  Status s = ImportError(h5, "");
  EXPECT_EQ(s.message(), h5 + ": not an HDF5 file (no HDF5 signature found)");
  s = ImportError(Shared("KERAS_3layer.json"), h5);
  EXPECT_EQ(s.message(), h5 + ": not an HDF5 file (no HDF5 signature found)");
  std::string js = WriteTemp("junk.json", junk);
  s = ImportError(js, Shared("KERAS_3layer_weights.h5"));
  EXPECT_EQ(s.message(), js + ": not valid JSON");
  // Deep nesting must not exhaust the stack.
  std::string deep = WriteTemp("deep.json", std::string(200000, '[') + std::string(200000, ']'));
  s = ImportError(deep, Shared("KERAS_3layer_weights.h5"));
  EXPECT_CONTAINS(s.message(), "not a Keras model");
}

TEST(KerasImporterErrors, JsonThatIsNotAModel) {
  const std::string w = Shared("KERAS_3layer_weights.h5");
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"[1, 2, 3]", "not a Keras model (expected a JSON object with 'class_name' and 'config'"},
      {"{\"foo\": 1}", "not a Keras model (expected a JSON object"},
      {"{\"class_name\": \"Dense\", \"config\": {}}", "not a Keras model: class_name is 'Dense'"},
      {"{\"class_name\": \"Model\", \"config\": {\"layers\": 3}}",
       "not a Keras model: Model config has no 'layers' list"},
      {"{\"class_name\": \"Sequential\", \"config\": []}", "the model has no layers"},
      {"{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\"}]}",
       "layer #0 is not a Keras layer"},
      {"{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", \"config\": "
       "{\"name\": \"d\", \"units\": 4}}]}",
       "layer 'd' (Dense): the model has no InputLayer and no 'batch_input_shape'"},
      {"{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", \"config\": "
       "{\"name\": \"d\", \"units\": \"4\", \"batch_input_shape\": [null, 16]}}]}",
       "layer 'd' (Dense): 'units' must be an integer, got \"4\""},
      {"{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"InputLayer\", \"config\": "
       "{\"name\": \"x\", \"batch_input_shape\": [null, null]}}]}",
       "layer 'x' (InputLayer): input dimension 1 is null"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    std::string m = WriteTemp("m.json", c.text);
    Status s = ImportError(m, w);
    EXPECT_CONTAINS(s.message(), m + ": " + c.expected);
  }
}

TEST(KerasImporterErrors, UnsupportedLayerNamesFileLayerClassAndAlternatives) {
  const std::string model = Shared("garnet_1layer.json");
  Status s = ImportError(model, Shared("garnet_1layer_weights.h5"));
  EXPECT_EQ(s.code(), StatusCode::kUnimplemented);
  EXPECT_EQ(
      s.message(),
      model + ": layer 'gar_1' (GarNet): unsupported: GarNet; supported layers: " + [] {
        std::vector<std::string_view> names = SupportedKerasLayers();
        std::sort(names.begin(), names.end());
        std::string s;
        for (auto n : names) s += (s.empty() ? "" : ", ") + std::string(n);
        return s;
      }());
}

TEST(KerasImporterErrors, UnsupportedActivation) {
  json j = ThreeLayerJson();
  j["config"]["layers"][2]["config"]["activation"] = "gelu";
  std::string m = WriteTemp("gelu.json", j.dump());
  Status s = ImportError(m, Shared("KERAS_3layer_weights.h5"));
  EXPECT_CONTAINS(s.message(), m + ": layer 'fc2_relu' (Dense): unsupported activation 'gelu'; "
                                   "supported activations: linear, relu, sigmoid, tanh");
}

TEST(KerasImporterErrors, WeightsMissingForLayer) {
  const std::string w = Shared("KERAS_3layer_weights.h5");
  json j = ThreeLayerJson();
  j["config"]["layers"][2]["config"]["name"] = "fc9";
  j["config"]["layers"][2]["name"] = "fc9";
  j["config"]["layers"][3]["inbound_nodes"][0][0][0] = "fc9";
  std::string m = WriteTemp("renamed.json", j.dump());
  Status s = ImportError(m, w);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_CONTAINS(s.message(), w + ": layer 'fc9' (Dense): no weights (group '/fc9' is missing)");
  EXPECT_CONTAINS(s.message(), m);

  // One weight of a layer missing: the bias of a Dense with use_bias=true.
  json seq = json::parse(ReadFile(Fixture("tiny_seq.json")));
  seq["config"]["layers"][2]["config"]["use_bias"] = true;
  m = WriteTemp("bias.json", seq.dump());
  s = ImportError(m, Fixture("tiny_seq_weights.h5"));
  EXPECT_CONTAINS(s.message(),
                  "tiny_seq_weights.h5: layer 'nobias' (Dense): weight 'bias' is "
                  "missing from the weights file");
  // A weights-only file passed as a full model.
  s = ImportError(w, "");
  EXPECT_CONTAINS(s.message(), w + ": no 'model_config' attribute");
}

TEST(KerasImporterErrors, WeightShapeMismatch) {
  const std::string w = Shared("KERAS_3layer_weights.h5");
  json j = ThreeLayerJson();
  j["config"]["layers"][1]["config"]["units"] = 65;
  std::string m = WriteTemp("units.json", j.dump());
  Status s = ImportError(m, w);
  EXPECT_EQ(s.message(),
            w +
                ": layer 'fc1_relu' (Dense): weight 'kernel' has shape [16,64] but the "
                "architecture in " +
                m + " needs [16,65]");
  j = ThreeLayerJson();
  j["config"]["layers"][0]["config"]["batch_input_shape"] = {nullptr, 15};
  m = WriteTemp("input.json", j.dump());
  s = ImportError(m, w);
  EXPECT_CONTAINS(s.message(), "weight 'kernel' has shape [16,64] but the architecture in " + m +
                                   " needs [15,64]");
  // Weights of another model.
  s = ImportError(Shared("KERAS_3layer.json"), Shared("KERAS_1layer_weights.h5"));
  EXPECT_CONTAINS(s.message(),
                  "KERAS_1layer_weights.h5: layer 'fc1_relu' (Dense): weight "
                  "'kernel' has shape [10,32]");
  // Dense on a rank-2 input.
  json seq = json::parse(ReadFile(Fixture("tiny_seq.json")));
  seq["config"]["layers"].erase(1);
  m = WriteTemp("noflat.json", seq.dump());
  s = ImportError(m, Fixture("tiny_seq_weights.h5"));
  EXPECT_CONTAINS(s.message(),
                  "layer 'nobias' (Dense): input has shape [2,3]; Dense needs a "
                  "1-D input (add a Flatten before it)");
}

TEST(KerasImporterErrors, FunctionalGraphs) {
  const std::string w = Shared("KERAS_3layer_weights.h5");
  // fc3 reads fc1 as well as fc2 reading it: a branch, imported; here the weights do not fit.
  json j = ThreeLayerJson();
  j["config"]["layers"][3]["inbound_nodes"][0][0][0] = "fc1_relu";
  std::string m = WriteTemp("branch.json", j.dump());
  Status s = ImportError(m, w);
  EXPECT_CONTAINS(s.message(),
                  "layer 'fc3_relu' (Dense): weight 'kernel' has shape [32,32] but "
                  "the architecture in " +
                      m + " needs [64,32]");
  // A Dense with two inputs.
  j = ThreeLayerJson();
  j["config"]["layers"][4]["inbound_nodes"][0].push_back(
      json::array({"fc2_relu", 0, 0, json::object()}));
  m = WriteTemp("merge.json", j.dump());
  s = ImportError(m, w);
  EXPECT_EQ(s.message(), m + ": layer 'output_softmax' (Dense): has 2 inputs ('fc3_relu', "
                             "'fc2_relu'); a dense layer takes 1");
  // Two outputs: both become graph outputs.
  j = ThreeLayerJson();
  j["config"]["output_layers"].push_back(json::array({"fc2_relu", 0, 0}));
  m = WriteTemp("outputs.json", j.dump());
  auto g = ImportKeras(m, w);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_EQ(g->outputs.size(), 2u);
  EXPECT_EQ(g->outputs[1], "fc2_relu_relu");
  // A shared layer (called twice).
  j = ThreeLayerJson();
  j["config"]["layers"][2]["inbound_nodes"].push_back(j["config"]["layers"][2]["inbound_nodes"][0]);
  m = WriteTemp("shared.json", j.dump());
  s = ImportError(m, w);
  EXPECT_CONTAINS(s.message(), "layer 'fc2_relu' (Dense): is shared (called 2 times)");
}

// Truncating a valid JSON anywhere, or flipping bytes in a full-model .h5, gives an error or a
// valid graph, never a crash (run under ASan+UBSan in CI).
TEST(KerasImporterErrors, MutatedInputsNeverCrash) {
  const std::string text = ReadFile(Fixture("tiny_seq.json"));
  for (size_t len = 0; len + 2 < text.size(); len += 7) {  // "}\n" ends the text
    std::string m = WriteTemp("t.json", text.substr(0, len));
    auto g = ImportKeras(m, Fixture("tiny_seq_weights.h5"));
    EXPECT_FALSE(g.ok());
  }
  const std::string model = ReadFile(Fixture("tiny_full_fixed.h5"));
  std::mt19937 rng(42);
  int ok = 0;
  for (int i = 0; i < 200; ++i) {
    std::string mutated = model;
    for (int k = 0; k < 4; ++k) mutated[rng() % mutated.size()] = static_cast<char>(rng());
    std::string m = WriteTemp("mut.h5", mutated);
    auto g = ImportKeras(m, "");
    if (g.ok()) {
      ++ok;
      EXPECT_TRUE(ir::VerifyGraph(*g, ir::VerifyLevel::kStructure).ok());
    } else {
      EXPECT_CONTAINS(g.status().message(), m);
    }
  }
  EXPECT_GT(ok, 0);  // most flips land in padding or unused space
}

}  // namespace
}  // namespace firmnet::keras
