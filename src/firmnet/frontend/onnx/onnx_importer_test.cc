#include "firmnet/frontend/onnx/onnx_importer.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "firmnet/emu/emulator.h"

namespace firmnet::frontend {
namespace {

// `haystack` contains `needle` (gmock's HasSubstr without linking gmock).
#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "message: " << (haystack)

const std::string kModelDir = std::string(FIRMNET_SHARED_DIR) + "/example-models/onnx/";
const std::string kRefDir = std::string(FIRMNET_SOURCE_DIR) + "/tests/models/onnx_ref/";

std::string ModelPath(const std::string& name) { return kModelDir + name + ".onnx"; }

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

onnx::ModelProto LoadProto(const std::string& path) {
  onnx::ModelProto m;
  const std::string bytes = ReadBytes(path);
  EXPECT_TRUE(m.ParseFromString(bytes)) << path;
  return m;
}

// The initializer's values, decoded here independently of the importer (raw_data is
// little-endian, as is every machine this test runs on).
std::vector<double> InitializerValues(const onnx::ModelProto& m, const std::string& name,
                                      std::vector<int64_t>* dims) {
  static_assert(std::endian::native == std::endian::little);
  for (const auto& t : m.graph().initializer()) {
    if (t.name() != name) continue;
    EXPECT_EQ(t.data_type(), onnx::TensorProto::FLOAT) << name;
    dims->assign(t.dims().begin(), t.dims().end());
    std::vector<double> out;
    if (!t.raw_data().empty()) {
      std::vector<float> f(t.raw_data().size() / 4);
      std::memcpy(f.data(), t.raw_data().data(), f.size() * 4);
      out.assign(f.begin(), f.end());
    } else {
      out.assign(t.float_data().begin(), t.float_data().end());
    }
    return out;
  }
  ADD_FAILURE() << "no initializer " << name;
  return {};
}

std::vector<std::string> Kinds(const ir::Graph& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes) out.emplace_back(LayerKindId(n.kind));
  return out;
}

std::vector<const ir::Node*> NodesOf(const ir::Graph& g, LayerKind kind) {
  std::vector<const ir::Node*> out;
  for (const auto& n : g.nodes) {
    if (n.kind == kind) out.push_back(&n);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A float64 forward pass over the imported graph (one sample), written from the IR conventions
// in ir/graph.h, to check that the import means what the ONNX file means.

std::vector<double> Forward(const ir::Graph& g, const std::vector<double>& x) {
  std::map<std::string, std::vector<double>> v;
  for (const auto& n : g.nodes) {
    std::vector<double> in = n.kind == LayerKind::kInput ? x : v.at(n.inputs.at(0).node);
    std::vector<double> out = in;
    switch (n.kind) {
      case LayerKind::kInput:
        EXPECT_EQ(static_cast<int64_t>(x.size()), ir::NumElements(n.shape));
        break;
      case LayerKind::kDense: {
        const ir::Tensor& w = *n.Weight("weight");
        const ir::Tensor& b = *n.Weight("bias");
        const int64_t n_in = w.shape[0], n_out = w.shape[1];
        EXPECT_EQ(static_cast<int64_t>(in.size()), n_in) << n.name;
        out.assign(b.data.begin(), b.data.end());
        for (int64_t j = 0; j < n_out; ++j) {
          for (int64_t i = 0; i < n_in; ++i) out[j] += in[i] * w.data[i * n_out + j];
        }
        break;
      }
      case LayerKind::kBatchNorm:
        for (size_t i = 0; i < in.size(); ++i) {
          // The float64 fold (the float reference's values), not the float32 one hls4ml
          // quantizes.
          out[i] =
              in[i] * n.Weight("scale")->ReferenceData()[i] + n.Weight("bias")->ReferenceData()[i];
        }
        break;
      case LayerKind::kRelu:
        for (double& o : out) o = o > 0 ? o : 0;
        break;
      case LayerKind::kSigmoid:
        for (double& o : out) o = 1 / (1 + std::exp(-o));
        break;
      case LayerKind::kSoftmax: {
        double mx = -INFINITY, sum = 0;
        for (double o : out) mx = std::max(mx, o);
        for (double& o : out) sum += (o = std::exp(o - mx));
        for (double& o : out) o /= sum;
        break;
      }
      case LayerKind::kReshape:
        break;
      default:
        ADD_FAILURE() << "forward pass: no float model of " << LayerKindId(n.kind);
    }
    EXPECT_EQ(static_cast<int64_t>(out.size()), ir::NumElements(n.shape)) << n.name;
    v[n.name] = std::move(out);
  }
  return v.at(g.outputs.at(0).node);
}

struct Reference {
  int rows = 0, n_in = 0, n_out = 0;
  std::vector<std::vector<double>> inputs, outputs;
};

Reference LoadReference(const std::string& name) {
  std::ifstream in(kRefDir + name + ".txt");
  EXPECT_TRUE(in.good()) << "missing fixture " << name << ".txt (run make_onnx_ref.py)";
  Reference r;
  std::string line;
  while (in.peek() == '#') std::getline(in, line);
  in >> r.rows >> r.n_in >> r.n_out;
  for (int k = 0; k < r.rows; ++k) {
    std::vector<double> x(r.n_in), y(r.n_out);
    for (double& d : x) in >> d;
    for (double& d : y) in >> d;
    r.inputs.push_back(x);
    r.outputs.push_back(y);
  }
  EXPECT_FALSE(in.fail()) << name;
  return r;
}

// ---------------------------------------------------------------------------------------------
// The example models

struct ExampleCase {
  std::string name;
  std::vector<std::string> kinds;
  std::vector<std::string> weights;  // dense weight initializers, in order
  std::vector<std::string> biases;   // dense bias initializers, in order
  bool transposed;                   // weights stored [n_out, n_in] (PyTorch, Gemm transB=1)
  std::vector<std::vector<int64_t>> dense_shapes;
};

const std::vector<std::string> kThree = {"input", "dense", "relu",  "dense",  "relu",
                                         "dense", "relu",  "dense", "softmax"};
const std::vector<std::string> kTwo = {"input", "dense", "relu", "dense", "sigmoid"};
const std::vector<std::string> kThreeBn = {
    "input", "dense",     "batchnorm", "relu",  "dense",     "batchnorm", "relu",
    "dense", "batchnorm", "relu",      "dense", "batchnorm", "softmax"};
const std::vector<std::string> kBig = {"input", "dense", "relu",   "dense", "relu",
                                       "dense", "relu",  "dense",  "relu",  "dense",
                                       "relu",  "dense", "softmax"};
const std::vector<std::vector<int64_t>> kJetShapes = {{16, 64}, {64, 32}, {32, 32}, {32, 5}};

std::vector<ExampleCase> Examples() {
  return {
      {"three_layer_keras",
       kThree,
       {"W", "W1", "W2", "W3"},
       {"B", "B1", "B2", "B3"},
       false,
       kJetShapes},
      {"three_layer_pytorch", kThree, {"1", "3", "5", "7"}, {"2", "4", "6", "8"}, true, kJetShapes},
      {"two_layer_keras", kTwo, {"W", "W1"}, {"B", "B1"}, false, {{10, 32}, {32, 1}}},
      {"two_layer_pytorch", kTwo, {"1", "3"}, {"2", "4"}, true, {{10, 32}, {32, 1}}},
      {"three_layer_bn_keras",
       kThreeBn,
       {"W", "W1", "W2", "W3"},
       {"B", "B1", "B2", "B3"},
       false,
       kJetShapes},
      {"three_layer_bn_pytorch",
       kThreeBn,
       {"1", "8", "15", "22"},
       {"2", "9", "16", "23"},
       true,
       kJetShapes},
      {"dense_big_keras",
       kBig,
       {"W", "W1", "W2", "W3", "W4", "W5"},
       {"B", "B1", "B2", "B3", "B4", "B5"},
       false,
       {{16, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 5}}},
  };
}

class ExampleModelTest : public ::testing::TestWithParam<ExampleCase> {};

TEST_P(ExampleModelTest, KindsShapesAndWeights) {
  const ExampleCase& c = GetParam();
  StatusOr<ir::Graph> g = ImportOnnx(ModelPath(c.name));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->name, c.name);
  EXPECT_EQ(Kinds(*g), c.kinds);
  ASSERT_EQ(g->outputs.size(), 1u);
  EXPECT_EQ(g->outputs[0], g->nodes.back().name);
  EXPECT_EQ(g->nodes[0].shape, (ir::Shape{c.dense_shapes[0][0]}));
  // A chain: every node reads the one before it.
  for (size_t i = 1; i < g->nodes.size(); ++i) {
    EXPECT_EQ(g->nodes[i].inputs, std::vector<ir::TensorRef>{g->nodes[i - 1].name}) << i;
  }

  const onnx::ModelProto proto = LoadProto(ModelPath(c.name));
  const auto dense = NodesOf(*g, LayerKind::kDense);
  ASSERT_EQ(dense.size(), c.weights.size());
  for (size_t k = 0; k < dense.size(); ++k) {
    const ir::Tensor* w = dense[k]->Weight("weight");
    const ir::Tensor* b = dense[k]->Weight("bias");
    ASSERT_NE(w, nullptr);
    ASSERT_NE(b, nullptr);
    const int64_t n_in = c.dense_shapes[k][0], n_out = c.dense_shapes[k][1];
    EXPECT_EQ(w->shape, (ir::Shape{n_in, n_out})) << dense[k]->name;
    EXPECT_EQ(b->shape, (ir::Shape{n_out})) << dense[k]->name;
    EXPECT_EQ(dense[k]->shape, (ir::Shape{n_out}));
    std::vector<int64_t> dims;
    const std::vector<double> src = InitializerValues(proto, c.weights[k], &dims);
    ASSERT_EQ(dims, c.transposed ? (std::vector<int64_t>{n_out, n_in})
                                 : (std::vector<int64_t>{n_in, n_out}));
    ASSERT_EQ(w->data.size(), src.size());
    for (int64_t i = 0; i < n_in; ++i) {
      for (int64_t j = 0; j < n_out; ++j) {
        const double want = c.transposed ? src[j * n_in + i] : src[i * n_out + j];
        ASSERT_EQ(w->data[i * n_out + j], want) << dense[k]->name << " [" << i << "," << j << "]";
      }
    }
    EXPECT_EQ(b->data, InitializerValues(proto, c.biases[k], &dims));
  }
}

TEST_P(ExampleModelTest, FloatForwardMatchesOnnxGraph) {
  const ExampleCase& c = GetParam();
  StatusOr<ir::Graph> g = ImportOnnx(ModelPath(c.name));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const Reference ref = LoadReference(c.name);
  ASSERT_EQ(ref.n_in, c.dense_shapes.front()[0]);
  ASSERT_EQ(ref.n_out, c.dense_shapes.back()[1]);
  ASSERT_GT(ref.rows, 0);
  for (int r = 0; r < ref.rows; ++r) {
    const std::vector<double> y = Forward(*g, ref.inputs[r]);
    ASSERT_EQ(y.size(), ref.outputs[r].size());
    for (size_t j = 0; j < y.size(); ++j) {
      // Both sides compute in float64 from the same float32 weights, but numpy sums the dot
      // products in its own order and folds batch norm differently: only rounding differs.
      EXPECT_NEAR(y[j], ref.outputs[r][j], 1e-12) << c.name << " row " << r << " output " << j;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Onnx, ExampleModelTest, ::testing::ValuesIn(Examples()),
                         [](const auto& info) { return info.param.name; });

// Values printed by:
//   /usr/bin/python3 -c "import onnx; from onnx import numpy_helper as nh; ..." (three_layer_*:
//   initializer[3, 5] of the first weight and [4] of the last bias; bn: scale1/bias1/mean1/var1
//   folded as gamma/np.sqrt(var+eps), beta-mean*scale at feature 7: on the float32 arrays, as
//   hls4ml does, and on float64 copies for the float reference).
TEST(OnnxImporter, SpotValuesFromPython) {
  StatusOr<ir::Graph> pt = ImportOnnx(ModelPath("three_layer_pytorch"));
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  auto dense = NodesOf(*pt, LayerKind::kDense);
  // PyTorch stores [64, 16]; element [3, 5] lands at [5, 3] of the [16, 64] dense weight.
  EXPECT_EQ(dense[0]->Weight("weight")->data[5 * 64 + 3], 0.014486938714981079);
  EXPECT_EQ(dense[3]->Weight("bias")->data[4], 0.07031737267971039);

  StatusOr<ir::Graph> keras = ImportOnnx(ModelPath("three_layer_keras"));
  ASSERT_TRUE(keras.ok()) << keras.status().ToString();
  dense = NodesOf(*keras, LayerKind::kDense);
  EXPECT_EQ(dense[0]->Weight("weight")->data[3 * 64 + 5], 0.27330586314201355);
  EXPECT_EQ(dense[3]->Weight("bias")->data[4], 0.019465582445263863);

  StatusOr<ir::Graph> bn = ImportOnnx(ModelPath("three_layer_bn_keras"));
  ASSERT_TRUE(bn.ok()) << bn.status().ToString();
  auto norms = NodesOf(*bn, LayerKind::kBatchNorm);
  ASSERT_EQ(norms.size(), 4u);
  EXPECT_EQ(norms[1]->Weight("scale")->shape, (ir::Shape{32}));
  EXPECT_EQ(norms[1]->Weight("scale")->data[7], 2.7827959060668945);
  EXPECT_EQ(norms[1]->Weight("scale")->dtype, ir::ElementType::kF32);
  EXPECT_EQ(norms[1]->Weight("scale")->ReferenceData()[7], 2.7827959046754964);
  EXPECT_EQ(norms[1]->Weight("bias")->data[7], -0.315372496843338);
  EXPECT_EQ(norms[1]->Weight("bias")->ReferenceData()[7], -0.315372496843338);
}

TEST(OnnxImporter, NamesAreIdentifiersAndUnique) {
  StatusOr<ir::Graph> g = ImportOnnx(ModelPath("three_layer_pytorch"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  // PyTorch leaves nodes unnamed with numeric outputs: the kind becomes the prefix.
  EXPECT_EQ(g->nodes[0].name, "input_0");
  EXPECT_EQ(g->nodes[1].name, "dense_9");
  EXPECT_EQ(g->nodes[2].name, "relu_10");
  EXPECT_EQ(g->outputs, std::vector<ir::TensorRef>{"softmax_16"});

  StatusOr<ir::Graph> k = ImportOnnx(ModelPath("three_layer_keras"));
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->nodes[0].name, "input_1_0");
  // The MatMul names the fused dense; the Add disappears into its bias.
  EXPECT_EQ(k->nodes[1].name, "_class__keras_layers_core_Dense__");
  EXPECT_EQ(k->outputs, std::vector<ir::TensorRef>{"Softmax"});
}

TEST(OnnxImporter, Deterministic) {
  StatusOr<ir::Graph> a = ImportOnnx(ModelPath("three_layer_bn_pytorch"));
  StatusOr<ir::Graph> b = ImportOnnx(ModelPath("three_layer_bn_pytorch"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(*a == *b);
}

// ---------------------------------------------------------------------------------------------
// Synthetic models built with the protobuf API

class Builder {
 public:
  explicit Builder(int opset, const std::vector<int64_t>& feature_dims = {4}) {
    m_.set_ir_version(7);
    auto* op = m_.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    auto* in = m_.mutable_graph()->add_input();
    in->set_name("x");
    auto* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    tt->mutable_shape()->add_dim()->set_dim_param("N");
    for (int64_t d : feature_dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::TensorProto* Init(const std::string& name, const std::vector<int64_t>& dims,
                          const std::vector<float>& values, bool raw = false) {
    auto* t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    if (raw) {
      t->set_raw_data(
          std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
    } else {
      for (float v : values) t->add_float_data(v);
    }
    return t;
  }
  void InitInts(const std::string& name, const std::vector<int64_t>& values) {
    auto* t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
  }
  onnx::NodeProto* Node(const std::string& op, const std::string& name,
                        const std::vector<std::string>& inputs, const std::string& output) {
    auto* n = m_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& i : inputs) n->add_input(i);
    n->add_output(output);
    return n;
  }
  static void AttrF(onnx::NodeProto* n, const std::string& name, float v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void AttrI(onnx::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  void Output(const std::string& name) { m_.mutable_graph()->add_output()->set_name(name); }
  onnx::ModelProto& proto() { return m_; }
  StatusOr<ir::Graph> Import() const {
    return ImportOnnxFromBytes(m_.SerializeAsString(), "/models/synthetic.onnx");
  }

 private:
  onnx::ModelProto m_;
};

TEST(OnnxImporter, EveryActivationWithDefaults) {
  Builder b(13);
  b.Init("W", {4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  b.Init("B", {3}, {0.5f, -0.5f, 0.25f});
  b.Init("six", {}, {6.0f});
  b.Node("MatMul", "mm", {"x", "W"}, "t0");
  b.Node("Add", "add", {"B", "t0"}, "t1");  // constant first: still the bias
  b.Node("LeakyRelu", "", {"t1"}, "t2");
  Builder::AttrF(b.Node("Elu", "elu", {"t2"}, "t3"), "alpha", 0.5f);
  b.Node("HardSigmoid", "hs", {"t3"}, "t4");
  b.Node("Softsign", "ss", {"t4"}, "t5");
  b.Node("Softplus", "sp", {"t5"}, "t6");
  b.Node("Tanh", "th", {"t6"}, "t7");
  b.Node("Sigmoid", "sg", {"t7"}, "t8");
  b.Node("Clip", "relu6", {"t8", "", "six"}, "t9");
  b.Node("Dropout", "drop", {"t9"}, "t10");
  b.Node("Identity", "id", {"t10"}, "t11");
  b.Node("Softmax", "sm", {"t11"}, "y");
  b.Output("y");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->name, "synthetic");
  EXPECT_EQ(Kinds(*g), (std::vector<std::string>{"input", "dense", "leaky_relu", "elu",
                                                 "hard_sigmoid", "softsign", "softplus", "tanh",
                                                 "sigmoid", "clip", "softmax"}));
  const ir::Node& dense = g->nodes[1];
  EXPECT_EQ(dense.name, "mm");
  EXPECT_EQ(dense.Weight("weight")->data,
            (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_EQ(dense.Weight("bias")->data, (std::vector<double>{0.5, -0.5, 0.25}));
  EXPECT_EQ(g->nodes[2].name, "t2");  // unnamed: the output name, already an identifier
  EXPECT_EQ(*g->nodes[2].GetDouble("alpha"), static_cast<double>(0.01f));
  EXPECT_EQ(*g->nodes[3].GetDouble("alpha"), 0.5);
  EXPECT_EQ(*g->nodes[4].GetDouble("alpha"), static_cast<double>(0.2f));
  EXPECT_EQ(*g->nodes[4].GetDouble("beta"), 0.5);
  EXPECT_EQ(*g->nodes[9].GetDouble("min"),
            static_cast<double>(std::numeric_limits<float>::lowest()));
  EXPECT_EQ(*g->nodes[9].GetDouble("max"), 6.0);
  EXPECT_EQ(*g->nodes[10].GetInt("axis"), -1);
  for (const auto& n : g->nodes)
    EXPECT_EQ(n.shape, n.kind == LayerKind::kInput ? ir::Shape{4} : ir::Shape{3});
  EXPECT_EQ(g->outputs, std::vector<ir::TensorRef>{"sm"});
}

TEST(OnnxImporter, ClipAttributesBeforeOpset11) {
  Builder b(6);
  auto* clip = b.Node("Clip", "relu6", {"x"}, "y");
  Builder::AttrF(clip, "min", 0);
  Builder::AttrF(clip, "max", 6);
  b.Output("y");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(*g->nodes[1].GetDouble("min"), 0.0);
  EXPECT_EQ(*g->nodes[1].GetDouble("max"), 6.0);
}

TEST(OnnxImporter, GemmAlphaBetaTransBAndConstantNode) {
  Builder b(11);
  // W comes from a Constant node, [n_out=2, n_in=4] with transB=1; C is a double initializer.
  auto* cst = b.Node("Constant", "wconst", {}, "W");
  auto* attr = cst->add_attribute();
  attr->set_name("value");
  attr->set_type(onnx::AttributeProto::TENSOR);
  attr->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
  attr->mutable_t()->add_dims(2);
  attr->mutable_t()->add_dims(4);
  for (float v : {1, 2, 3, 4, 5, 6, 7, 8}) attr->mutable_t()->add_float_data(v);
  auto* c = b.proto().mutable_graph()->add_initializer();
  c->set_name("C");
  c->set_data_type(onnx::TensorProto::DOUBLE);
  c->add_dims(1);
  c->add_dims(2);
  c->add_double_data(0.1);
  c->add_double_data(-3);
  auto* gemm = b.Node("Gemm", "fc", {"x", "W", "C"}, "y");
  Builder::AttrI(gemm, "transB", 1);
  Builder::AttrF(gemm, "alpha", 2);
  Builder::AttrF(gemm, "beta", 0.5f);
  b.Output("y");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_EQ(Kinds(*g), (std::vector<std::string>{"input", "dense"}));
  const ir::Node& d = g->nodes[1];
  EXPECT_EQ(d.Weight("weight")->shape, (ir::Shape{4, 2}));
  EXPECT_EQ(d.Weight("weight")->data, (std::vector<double>{2, 10, 4, 12, 6, 14, 8, 16}));
  EXPECT_EQ(d.Weight("bias")->data, (std::vector<double>{0.05, -1.5}));
}

TEST(OnnxImporter, MatMulAloneGetsZeroBias) {
  Builder b(9);
  b.Init("W", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8}, /*raw=*/true);
  b.Node("MatMul", "", {"x", "W"}, "7");
  b.Output("7");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->nodes[1].name, "dense_7");
  EXPECT_EQ(g->nodes[1].Weight("weight")->data, (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(g->nodes[1].Weight("bias")->data, (std::vector<double>{0, 0}));
}

TEST(OnnxImporter, FlattenAndReshape) {
  Builder b(13, {2, 3});
  b.InitInts("keep", {-1, 6});
  b.InitInts("grid", {0, 3, -1});
  b.Init("W", {6, 1}, {1, 1, 1, 1, 1, 1});
  b.Node("Flatten", "flat", {"x"}, "f");           // [2,3] -> [6]: a reshape node
  b.Node("Reshape", "same", {"f", "keep"}, "f2");  // [6] -> [6]: folded away
  b.Node("Unsqueeze", "u", {"f2"}, "f3");          // layout only
  b.Node("Squeeze", "s", {"f3"}, "f4");            // layout only
  b.Node("Transpose", "t", {"f4"}, "f5");          // 1-D: layout only
  b.Node("Reshape", "grid", {"f5", "grid"}, "r");  // [6] -> [3,2]
  b.Node("Flatten", "flat2", {"r"}, "f6");         // [3,2] -> [6]
  b.Node("MatMul", "mm", {"f6", "W"}, "y");
  b.Output("y");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(Kinds(*g),
            (std::vector<std::string>{"input", "reshape", "reshape", "reshape", "dense"}));
  EXPECT_EQ(g->nodes[0].shape, (ir::Shape{2, 3}));
  EXPECT_EQ(*g->nodes[1].GetInts("target_shape"), (std::vector<int64_t>{6}));
  EXPECT_EQ(g->nodes[2].name, "grid");
  EXPECT_EQ(g->nodes[2].inputs, std::vector<ir::TensorRef>{"flat"});
  EXPECT_EQ(*g->nodes[2].GetInts("target_shape"), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(g->nodes[3].shape, (ir::Shape{6}));
}

// ---------------------------------------------------------------------------------------------
// Errors

class TempDir {
 public:
  TempDir() {
    path_ =
        std::filesystem::temp_directory_path() /
        ("firmnet_onnx_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

 private:
  std::filesystem::path path_;
};

TEST(OnnxImporterErrors, MissingFile) {
  StatusOr<ir::Graph> g = ImportOnnx("/nonexistent/dir/model.onnx");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(g.status().message(),
            "/nonexistent/dir/model.onnx: the ONNX model file does not exist");
}

TEST(OnnxImporterErrors, TruncatedFile) {
  TempDir dir;
  const std::string bytes = ReadBytes(ModelPath("three_layer_keras"));
  const std::string p = dir.Write("half.onnx", bytes.substr(0, bytes.size() / 2));
  StatusOr<ir::Graph> g = ImportOnnx(p);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
  EXPECT_CONTAINS(g.status().message(), p + ": not a valid ONNX model");
  EXPECT_CONTAINS(g.status().message(), "truncated");

  const std::string empty = dir.Write("empty.onnx", "");
  g = ImportOnnx(empty);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(), empty + ": the ONNX model file is empty");
}

TEST(OnnxImporterErrors, EveryTruncationIsAnErrorNotACrash) {
  const std::string bytes = ReadBytes(ModelPath("two_layer_keras"));
  ASSERT_GT(bytes.size(), 1000u);
  for (size_t len = 0; len < bytes.size(); ++len) {
    StatusOr<ir::Graph> g = ImportOnnxFromBytes(std::string_view(bytes).substr(0, len), "cut.onnx");
    ASSERT_FALSE(g.ok()) << "truncated to " << len << " bytes";
    ASSERT_EQ(g.status().message().rfind("cut.onnx: ", 0), 0u) << g.status().message();
  }
  EXPECT_TRUE(ImportOnnxFromBytes(bytes, "whole.onnx").ok());
}

TEST(OnnxImporterErrors, GarbageBytes) {
  TempDir dir;
  std::mt19937 rng(12345);
  std::string junk(4096, '\0');
  for (char& ch : junk) ch = static_cast<char>(rng());
  const std::string p = dir.Write("junk.onnx", junk);
  StatusOr<ir::Graph> g = ImportOnnx(p);
  ASSERT_FALSE(g.ok());
  EXPECT_CONTAINS(g.status().message(), p + ": not a valid ONNX model");

  // Text happens to be valid protobuf wire data only rarely; either way it is no model.
  for (const char* text : {"hello world\n", "\x08\x07", "ir_version: 7"}) {
    g = ImportOnnxFromBytes(text, "text.onnx");
    ASSERT_FALSE(g.ok()) << text;
    EXPECT_EQ(g.status().message().rfind("text.onnx: ", 0), 0u) << g.status().message();
  }
  // A well-formed protobuf message without a graph.
  g = ImportOnnxFromBytes(std::string("\x08\x07", 2), "nograph.onnx");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(),
            "nograph.onnx: not an ONNX model: it has no graph (is this an .onnx file?)");

  // Random mutations of a real model: errors or a graph, never a crash or a hang.
  std::string model = ReadBytes(ModelPath("two_layer_pytorch"));
  for (int trial = 0; trial < 300; ++trial) {
    std::string m = model;
    for (int k = 0; k < 4; ++k) m[rng() % m.size()] = static_cast<char>(rng());
    StatusOr<ir::Graph> r = ImportOnnxFromBytes(m, "mutated.onnx");
    if (!r.ok()) {
      EXPECT_EQ(r.status().message().rfind("mutated.onnx: ", 0), 0u);
    }
  }
}

TEST(OnnxImporterErrors, UnsupportedOpNamesFileNodeOpAndSupportedOps) {
  Builder b(13);
  b.Node("Relu", "r", {"x"}, "a");
  b.Node("NonMaxSuppression", "nms", {"a"}, "y");
  b.Output("y");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(g.status().message(),
            "/models/synthetic.onnx: node 'nms' has op type 'NonMaxSuppression', which firmnet "
            "cannot import; supported ONNX ops: " +
                std::string(SupportedOnnxOps()));
  EXPECT_CONTAINS(std::string(SupportedOnnxOps()),
                  "BatchNormalization, Cast, Clip, Concat, Constant, Conv");

  // Ops of another domain are named with it; QONNX's ops only in QONNX's domains.
  for (const std::string domain : {"com.microsoft", "qonnx.custom_op.channels_last"}) {
    Builder d(13);
    d.Node("Quant", "q", {"x"}, "y")->set_domain(domain);
    d.Output("y");
    g = d.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_CONTAINS(g.status().message(), "node 'q' has op type '" + domain + ".Quant'");
  }
}

TEST(OnnxImporterErrors, WrongRankWeight) {
  Builder b(13);
  b.Init("W", {4, 2, 1}, {1, 2, 3, 4, 5, 6, 7, 8});
  b.Node("MatMul", "mm", {"x", "W"}, "y");
  b.Output("y");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(g.status().message(),
            "/models/synthetic.onnx: node 'mm' (MatMul): weight 'W' has shape [4,2,1] (rank 3), "
            "expected a rank-2 matrix");
}

TEST(OnnxImporterErrors, DanglingInput) {
  Builder b(13);
  b.Node("Relu", "", {"nowhere"}, "y");
  b.Output("y");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(),
            "/models/synthetic.onnx: node #0 (output 'y') (Relu): input 'nowhere' is dangling: "
            "no graph input, initializer or earlier node produces it");

  Builder w(13);
  w.Node("MatMul", "mm", {"x", "W"}, "y");
  w.Output("y");
  g = w.Import();
  ASSERT_FALSE(g.ok());
  EXPECT_CONTAINS(g.status().message(), "node 'mm' (MatMul): weight input 'W' is dangling");

  Builder o(13);
  o.Node("Relu", "r", {"x"}, "y");
  o.Output("z");
  g = o.Import();
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(),
            "/models/synthetic.onnx: graph output 'z' is not produced by any node");
}

TEST(OnnxImporterErrors, BadTensorData) {
  {  // raw_data shorter than the dims promise
    Builder b(13);
    b.Init("W", {4, 2}, {1, 2, 3}, /*raw=*/true);
    b.Node("MatMul", "mm", {"x", "W"}, "y");
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_EQ(g.status().message(),
              "/models/synthetic.onnx: node 'mm' (MatMul): weight: tensor 'W': raw_data holds 12 "
              "bytes, but its dims [4,2] need 32 (8 FLOAT values)");
  }
  {  // dims whose product overflows
    Builder b(13);
    b.Init("W", {int64_t{1} << 40, int64_t{1} << 40}, {});
    b.Node("MatMul", "mm", {"x", "W"}, "y");
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_CONTAINS(g.status().message(), "tensor 'W' has dims whose product exceeds");
  }
  {  // negative dims
    Builder b(13);
    b.Init("W", {-4, 2}, {});
    b.Node("MatMul", "mm", {"x", "W"}, "y");
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_CONTAINS(g.status().message(), "tensor 'W' has a negative dimension -4");
  }
  {  // external data
    Builder b(13);
    auto* t = b.Init("W", {4, 2}, {});
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    b.Node("MatMul", "mm", {"x", "W"}, "y");
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_EQ(g.status().code(), StatusCode::kUnimplemented);
    EXPECT_CONTAINS(g.status().message(), "keeps its data in an external file");
  }
  {  // weight width does not match the input
    Builder b(13);
    b.Init("W", {5, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    b.Node("MatMul", "mm", {"x", "W"}, "y");
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_CONTAINS(g.status().message(),
                    "node 'mm' (MatMul): input 'x' has 4 features, but weight 'W' expects 5");
  }
  {  // NaN weight
    Builder b(13);
    b.Init("W", {4, 1}, {1, std::numeric_limits<float>::quiet_NaN(), 3, 4});
    b.Node("MatMul", "mm", {"x", "W"}, "y");
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_CONTAINS(g.status().message(), "weight 'W' holds a non-finite value at index 1");
  }
}

TEST(OnnxImporterErrors, UnsupportedForms) {
  {
    Builder b(13);
    b.Init("W", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    Builder::AttrI(b.Node("Gemm", "g", {"x", "W"}, "y"), "transA", 1);
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_EQ(g.status().code(), StatusCode::kUnimplemented);
    EXPECT_CONTAINS(g.status().message(), "node 'g' (Gemm): transA=1");
  }
  {
    Builder b(13);
    b.Node("Relu", "r", {"x"}, "a");
    b.Node("Add", "skip", {"x", "a"}, "y");
    b.Node("Add", "skip2", {"y", "y"}, "z");
    b.Output("z");
    // Two layer outputs make a merge (a residual add), not a bias.
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_TRUE(g.ok()) << g.status().message();
    const ir::Node* add = g->Find("skip");
    ASSERT_NE(add, nullptr);
    EXPECT_EQ(add->kind, LayerKind::kAdd);
    EXPECT_EQ(add->inputs, (std::vector<ir::TensorRef>{"x", "r"}));
    EXPECT_CONTAINS(add->origin, "node 'skip' (Add)");
  }
  {
    // A transpose that moves values of a 2-D tensor: the graph's output keeps the model's
    // layout, so the data is transposed once.
    Builder b(13, {2, 3});
    auto* t = b.Node("Transpose", "t", {"x"}, "y");
    auto* perm = t->add_attribute();
    perm->set_name("perm");
    perm->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : {0, 2, 1}) perm->add_ints(v);
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_TRUE(g.ok()) << g.status().message();
    ASSERT_EQ(g->outputs.size(), 1u);
    const ir::Node* out = g->Find(g->outputs[0].node);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->kind, LayerKind::kTranspose);
    EXPECT_EQ(out->shape, (ir::Shape{3, 2}));
    EXPECT_EQ(*out->GetInts("perm"), (std::vector<int64_t>{1, 0}));
  }
  {
    Builder b(13, {2, 3});
    auto* t = b.Node("Transpose", "t", {"x"}, "y");
    auto* perm = t->add_attribute();
    perm->set_name("perm");
    perm->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : {1, 0, 2}) perm->add_ints(v);
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_CONTAINS(g.status().message(), "node 't' (Transpose): Transpose with perm [1,0,2]");
  }
  {
    Builder b(13);
    b.Node("Dropout", "d", {"x"}, "y")->add_output("mask");
    b.Output("y");
    b.Output("mask");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_CONTAINS(g.status().message(), "output 1 'mask' is used");
  }
  for (int opset : {5, 18}) {
    Builder b(opset);
    b.Node("Relu", "r", {"x"}, "y");
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_EQ(g.status().message(), "/models/synthetic.onnx: the model uses ONNX opset " +
                                        std::to_string(opset) +
                                        "; firmnet imports opsets 6 to 17 (convert it with "
                                        "onnx.version_converter)");
  }
  {
    Builder b(13);
    Builder::AttrI(b.Node("Softmax", "sm", {"x"}, "y"), "axis", 0);
    b.Output("y");
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_CONTAINS(g.status().message(), "node 'sm' (Softmax): softmax along axis 0");
  }
}

// Split (sizes as input 1, opset 13; equal parts without them) and Slice (clamped starts/ends,
// negative indices, "to the end") of a [N, 6, 4] tensor, and the refusals naming the node.
TEST(OnnxImporter, SplitAndSliceOfFeatureAxes) {
  Builder b(13, {6, 4});
  b.InitInts("sizes", {2, 4});
  auto* split = b.Node("Split", "sp", {"x", "sizes"}, "a");
  split->add_output("b");
  Builder::AttrI(split, "axis", 1);
  auto* halves = b.Node("Split", "halves", {"b"}, "b0");
  halves->add_output("b1");
  Builder::AttrI(halves, "axis", -1);
  b.InitInts("st", {-3});
  b.InitInts("en", {INT64_MAX});
  b.InitInts("ax", {1});
  b.Node("Slice", "sl", {"x", "st", "en", "ax"}, "c");
  b.Output("a");
  b.Output("b1");
  b.Output("c");
  StatusOr<ir::Graph> g = b.Import();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(Kinds(*g), (std::vector<std::string>{"input", "split", "split", "slice"}));
  const ir::Node& sp = g->nodes[1];
  EXPECT_EQ(*sp.GetInts("sizes"), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(sp.shape, (ir::Shape{2, 4}));
  EXPECT_EQ(sp.extra_outputs, (std::vector<ir::Shape>{{4, 4}}));
  EXPECT_EQ(g->nodes[2].inputs, (std::vector<ir::TensorRef>{ir::TensorRef("sp", 1)}));
  EXPECT_EQ(*g->nodes[2].GetInts("sizes"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(*g->nodes[3].GetInts("starts"), (std::vector<int64_t>{3, 0}));
  EXPECT_EQ(*g->nodes[3].GetInts("ends"), (std::vector<int64_t>{6, 4}));
  EXPECT_EQ(g->outputs, (std::vector<ir::TensorRef>{ir::TensorRef("sp"), ir::TensorRef("halves", 1),
                                                    ir::TensorRef("sl")}));
  // The outputs the emulator gives are the slices of the input.
  auto e = emu::FloatEmulator::Create(*g);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  emu::Batch in{1, 24, {}};
  for (int i = 0; i < 24; ++i) in.data.push_back(i);
  auto r = (*e)->Run(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->outputs[0].data, (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(r->outputs[1].data, (std::vector<double>{10, 11, 14, 15, 18, 19, 22, 23}));
  EXPECT_EQ(r->outputs[2].data,
            (std::vector<double>{12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}));
}

TEST(OnnxImporter, SplitAndSliceRefusalsNameTheNode) {
  auto expect = [](Builder& b, const std::string& what) {
    StatusOr<ir::Graph> g = b.Import();
    ASSERT_FALSE(g.ok());
    EXPECT_NE(g.status().message().find(what), std::string::npos) << g.status().ToString();
  };
  {
    Builder b(13, {6});
    b.InitInts("sizes", {2, 3});
    auto* s = b.Node("Split", "bad_sizes", {"x", "sizes"}, "a");
    s->add_output("b");
    Builder::AttrI(s, "axis", 1);
    b.Output("a");
    expect(b, "node 'bad_sizes' (Split)");
  }
  {
    Builder b(13, {6});
    auto* s = b.Node("Split", "batch", {"x"}, "a");
    s->add_output("b");
    b.Output("a");
    expect(b, "is the batch axis");
  }
  {
    Builder b(13, {6});
    b.InitInts("st", {0});
    b.InitInts("en", {4});
    b.InitInts("ax", {1});
    b.InitInts("step", {2});
    b.Node("Slice", "strided", {"x", "st", "en", "ax", "step"}, "y");
    b.Output("y");
    expect(b, "node 'strided' (Slice): step 2 on axis 1");
  }
  {
    Builder b(13, {6});
    b.InitInts("st", {5});
    b.InitInts("en", {2});
    b.InitInts("ax", {-1});
    b.Node("Slice", "empty", {"x", "st", "en", "ax"}, "y");
    b.Output("y");
    expect(b, "the window [5, 2) of 6 positions is empty");
  }
}

}  // namespace
}  // namespace firmnet::frontend
