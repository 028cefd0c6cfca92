#include "firmnet/config/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "firmnet/config/config_keys.h"
#include "firmnet/layers/registry.h"

namespace firmnet::config {
namespace {

FixedType T(const std::string& s) {
  auto t = ParseFixedType(s);
  EXPECT_TRUE(t.ok()) << s << ": " << t.status().ToString();
  return t.ok() ? *t : FixedType{};
}

std::string TableTypes() {
  std::string out;
  for (const auto& n : TableLayerTypeNames()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

ir::Node MakeNode(std::string name, LayerKind kind, std::vector<std::string> inputs,
                  ir::Shape shape) {
  ir::Node n;
  n.name = std::move(name);
  n.kind = kind;
  n.inputs.assign(inputs.begin(), inputs.end());
  n.shape = std::move(shape);
  return n;
}

ir::Node MakeDense(std::string name, std::string input, int64_t n_in, int64_t n_out,
                   std::vector<double> w, std::vector<double> b) {
  ir::Node n = MakeNode(std::move(name), LayerKind::kDense, {std::move(input)}, {n_out});
  n.weights["weight"] = ir::Tensor{{n_in, n_out}, std::move(w)};
  n.weights["bias"] = ir::Tensor{{n_out}, std::move(b)};
  return n;
}

// x[2] -> fc1 dense[2] -> relu1 -> fc2 dense[2] -> sm softmax
ir::Graph MakeMlp() {
  ir::Graph g;
  g.AddNode(MakeNode("x", LayerKind::kInput, {}, {2}));
  g.AddNode(MakeDense("fc1", "x", 2, 2, {0.5, -0.25, 1.0, 0.125}, {1.0, -2.0}));
  g.AddNode(MakeNode("relu1", LayerKind::kRelu, {"fc1"}, {2}));
  g.AddNode(MakeDense("fc2", "relu1", 2, 2, {0.75, -1.5, 0.25, 2.0}, {0.0, 0.5}));
  g.AddNode(MakeNode("sm", LayerKind::kSoftmax, {"fc2"}, {2}));
  g.outputs = {"sm"};
  return g;
}

StatusOr<ir::Graph> Apply(const std::string& yaml, ir::Graph g = MakeMlp()) {
  FIRMNET_ASSIGN_OR_RETURN(Config c, ParseConfig(yaml, "cfg.yml"));
  FIRMNET_RETURN_IF_ERROR(ApplyConfig(c, g));
  return g;
}

ir::Graph MustApply(const std::string& yaml, ir::Graph g = MakeMlp()) {
  auto r = Apply(yaml, std::move(g));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ir::Graph{};
}

std::string ErrorOf(const std::string& yaml, ir::Graph g = MakeMlp()) {
  auto r = Apply(yaml, std::move(g));
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << yaml;
  return r.ok() ? "" : r.status().message();
}

std::string P(const ir::Graph& g, const std::string& node, const std::string& slot) {
  const ir::Node* n = g.Find(node);
  if (n == nullptr) return "<no node>";
  auto it = n->precision.find(slot);
  return it == n->precision.end() ? "<no slot>" : FormatFixedType(it->second);
}

// The registry's default for a slot, formatted (tables and softmax have their own defaults).
std::string Default(LayerKind kind, std::string_view slot) {
  for (const auto& s : GetLayerInfo(kind).slots) {
    if (s.name == slot) {
      return FormatFixedType(T(std::string(SlotDefault(s, HasHls4mlTableStyle(kind)))));
    }
  }
  return "<no slot>";
}

// ---------------------------------------------------------------- defaults and precedence

TEST(ConfigApply, EmptyConfigGivesBuiltInDefaults) {
  ir::Graph g = MakeMlp();
  ASSERT_TRUE(ApplyConfig(Config{}, g).ok());
  for (const auto& n : g.nodes) {
    const LayerInfo& info = GetLayerInfo(n.kind);
    ASSERT_EQ(n.precision.size(), info.slots.size()) << n.name;
    for (const auto& s : info.slots) {
      EXPECT_EQ(n.Precision(std::string(s.name)),
                T(std::string(SlotDefault(s, HasHls4mlTableStyle(n.kind)))))
          << n.name << "." << s.name;
    }
    EXPECT_EQ(n.settings.reuse_factor, 1);
    EXPECT_EQ(n.settings.strategy, ir::Strategy::kLatency);
    EXPECT_EQ(n.settings.table_size, info.default_table_size);
  }
  EXPECT_EQ(g.Find("sm")->settings.table_size, 1024);
  EXPECT_EQ(g.Find("fc1")->settings.table_size, 0);
  EXPECT_EQ(g.Find("x")->precision.size(), 1u);  // input: only result
  EXPECT_EQ(g.settings, ir::ModelSettings{});
  EXPECT_EQ(P(g, "fc1", "accum"), "ap_fixed<16,6>");
  EXPECT_EQ(P(g, "sm", "exp_table"), Default(LayerKind::kSoftmax, "exp_table"));
}

// hls4ml gives padding, cropping, resize, transpose and an in-place reshape their input's type,
// whatever the Model and LayerType sections say: the slot stays `auto` (inferred later). Only
// the layer's own LayerName section sets it.
TEST(ConfigApply, LayersOfTheInputsTypeIgnoreModelAndLayerTypePrecision) {
  ir::Graph g;
  g.AddNode(MakeNode("x", LayerKind::kInput, {}, {4, 4, 2}));
  ir::Node pad = MakeNode("pad", LayerKind::kZeroPad2D, {"x"}, {6, 6, 2});
  pad.attrs["pads"] = std::vector<int64_t>{1, 1, 1, 1};
  g.AddNode(std::move(pad));
  ir::Node flat = MakeNode("flat", LayerKind::kReshape, {"pad"}, {72});
  flat.attrs["target_shape"] = std::vector<int64_t>{72};
  g.AddNode(std::move(flat));
  ir::Node pad2 = MakeNode("pad2", LayerKind::kZeroPad2D, {"pad"}, {8, 8, 2});
  pad2.attrs["pads"] = std::vector<int64_t>{1, 1, 1, 1};
  g.AddNode(std::move(pad2));
  g.outputs = {"flat", "pad2"};
  ir::Graph r = MustApply(
      "Model:\n  Precision: ap_fixed<10,4>\nLayerType:\n  ZeroPadding2D:\n    Precision:\n"
      "      result: ap_fixed<12,4>\nLayerName:\n  pad2:\n    Precision: ap_fixed<9,3>\n",
      g);
  EXPECT_EQ(P(r, "x", "result"), "ap_fixed<10,4>");
  for (const char* n : {"pad", "flat"}) {
    EXPECT_EQ(P(r, n, "result"), "<no slot>") << n;
    EXPECT_EQ(r.Find(n)->auto_precision, std::set<std::string>{"result"}) << n;
  }
  EXPECT_EQ(P(r, "pad2", "result"), "ap_fixed<9,3>");
  EXPECT_TRUE(r.Find("pad2")->auto_precision.empty());
}

// Types the model fixes (QKeras quantizers): a result type replaces the Model default and yields
// to LayerType/LayerName; a weight type wins over every section, as hls4ml's quantizers do.
TEST(ConfigApply, ModelPrecisionFromQuantizers) {
  ir::Graph g = MakeMlp();
  g.Find("fc1")->model_precision["weight"] = T("ap_fixed<6,1>");
  g.Find("relu1")->model_precision["result"] = T("ap_ufixed<6,0,AP_RND_CONV,AP_SAT>");
  ir::Graph a = MustApply("Model:\n  Precision: ap_fixed<20,8>\n", g);
  EXPECT_EQ(P(a, "fc1", "weight"), "ap_fixed<6,1>");
  EXPECT_EQ(P(a, "fc1", "bias"), "ap_fixed<20,8>");
  EXPECT_EQ(P(a, "relu1", "result"), "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>");
  ir::Graph b = MustApply(
      "LayerName:\n  fc1:\n    Precision:\n      weight: ap_fixed<3,1>\n  relu1:\n"
      "    Precision: ap_fixed<12,4>\n",
      g);
  EXPECT_EQ(P(b, "fc1", "weight"), "ap_fixed<6,1>");
  EXPECT_EQ(P(b, "relu1", "result"), "ap_fixed<12,4>");
  ir::Graph c = MustApply("LayerType:\n  Activation:\n    Precision: ap_fixed<10,4>\n", g);
  EXPECT_EQ(P(c, "relu1", "result"), "ap_fixed<10,4>");
}

// A QONNX Quant cast (linear, quant=1) is its type whatever the config says.
TEST(ConfigApply, QuantCastKeepsTheModelsTypeAgainstLayerName) {
  ir::Graph g = MakeMlp();
  ir::Node q = MakeNode("q", LayerKind::kLinear, {"relu1"}, {2});
  q.attrs["quant"] = int64_t{1};
  q.model_precision["result"] = T("ap_fixed<4,0,AP_RND_CONV,AP_SAT>");
  g.nodes.insert(g.nodes.begin() + 3, q);
  g.Find("fc2")->inputs = {"q"};
  ir::Graph a = MustApply("LayerName:\n  q:\n    Precision: ap_fixed<12,4>\n", g);
  EXPECT_EQ(P(a, "q", "result"), "ap_fixed<4,0,AP_RND_CONV,AP_SAT>");
  EXPECT_FALSE(a.settings.bit_exact);
}

// hls4ml's BitExact: on for models with HGQ quantizers, every result and accumulator `auto`
// whatever the config says, weights and biases in the narrowest exact type; off on request.
TEST(ConfigApply, BitExactLeavesTypesToInference) {
  ir::Graph g = MakeMlp();
  ir::Node q = MakeNode("q", LayerKind::kFixedPointQuantizer, {"relu1"}, {2});
  q.attrs = {{"rounding", std::string("TRN")}, {"overflow", std::string("WRAP")}};
  q.weights["keep_negative"] = ir::Tensor{{2}, {1, 0}};
  q.weights["bits"] = ir::Tensor{{2}, {6, 3}};
  q.weights["integers"] = ir::Tensor{{2}, {2, 1}};
  g.nodes.insert(g.nodes.begin() + 3, q);
  g.Find("fc2")->inputs = {"q"};
  const std::string layers =
      "LayerName:\n  fc1:\n    Precision:\n      result: ap_fixed<5,2>\n"
      "      weight: ap_fixed<3,1>\n";
  ir::Graph a = MustApply("Model:\n  Precision: ap_fixed<6,2>\n" + layers, g);
  EXPECT_TRUE(a.settings.bit_exact);
  EXPECT_TRUE(a.Find("fc1")->auto_precision.count("result"));
  EXPECT_TRUE(a.Find("fc1")->auto_precision.count("accum"));
  EXPECT_TRUE(a.Find("relu1")->auto_precision.count("result"));
  // fc1's weights 0.5, -0.25, 1, 0.125: three fractional bits, signed, up to 1.
  EXPECT_EQ(P(a, "fc1", "weight"), "ap_fixed<5,2>");
  EXPECT_EQ(P(a, "fc1", "bias"), "ap_int<2>");      // 1 and -2
  EXPECT_EQ(P(a, "x", "result"), "ap_fixed<6,2>");  // the input keeps the config's type
  ir::Graph b = MustApply("Model:\n  Precision: ap_fixed<6,2>\n  BitExact: false\n" + layers, g);
  EXPECT_FALSE(b.settings.bit_exact);
  EXPECT_EQ(P(b, "fc1", "result"), "ap_fixed<5,2>");
  EXPECT_EQ(P(b, "fc1", "weight"), "ap_fixed<3,1>");
  EXPECT_NE(ErrorOf("Model:\n  BitExact: maybe\n", g).find("cfg.yml: Model.BitExact"),
            std::string::npos);
  EXPECT_NE(ErrorOf("LayerName:\n  fc1:\n    BitExact: true\n", g)
                .find("BitExact is only valid in the Model section"),
            std::string::npos);
}

TEST(ConfigApply, EmptyYamlDocumentGivesDefaults) {
  ir::Graph a = MustApply("");
  ir::Graph b = MustApply("# only a comment\n");
  ir::Graph c = MakeMlp();
  ASSERT_TRUE(ApplyConfig(Config{}, c).ok());
  EXPECT_EQ(a, c);
  EXPECT_EQ(b, c);
}

TEST(ConfigApply, OneStringSetsEveryNonTableSlot) {
  ir::Graph g = MustApply("Model:\n  Precision: ap_fixed<10,4>\n");
  for (const char* slot : {"result", "weight", "bias", "accum"}) {
    EXPECT_EQ(P(g, "fc1", slot), "ap_fixed<10,4>") << slot;
  }
  EXPECT_EQ(P(g, "x", "result"), "ap_fixed<10,4>");
  EXPECT_EQ(P(g, "relu1", "result"), "ap_fixed<10,4>");
  EXPECT_EQ(P(g, "sm", "result"), "ap_fixed<10,4>");
  // Table slots keep their own defaults; in hls4ml's style (the default) softmax's accum
  // follows the model precision, as hls4ml's does.
  EXPECT_EQ(P(g, "sm", "exp_table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(P(g, "sm", "inv_table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(P(g, "sm", "inv_inp"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(P(g, "sm", "accum"), "ap_fixed<10,4>");
  EXPECT_EQ(g.Find("sm")->settings.table_style, ir::TableStyle::kHls4ml);
  EXPECT_EQ(g.Find("sm")->settings.softmax_impl, ir::SoftmaxImpl::kStable);
}

TEST(ConfigApply, TableStyleFirmnetKeepsFirmnetDefaults) {
  ir::Graph g = MustApply("Model:\n  Precision: ap_fixed<10,4>\n  TableStyle: firmnet\n");
  EXPECT_EQ(g.Find("sm")->settings.table_style, ir::TableStyle::kFirmnet);
  EXPECT_EQ(P(g, "sm", "result"), "ap_fixed<10,4>");
  EXPECT_EQ(P(g, "sm", "exp_table"), "ap_ufixed<18,1,AP_RND,AP_SAT>");
  EXPECT_EQ(P(g, "sm", "accum"), "ap_ufixed<24,7,AP_RND,AP_SAT>");
  // The most specific section decides the style, which decides the defaults.
  g = MustApply(
      "Model:\n  TableStyle: firmnet\nLayerName:\n  sm:\n    TableStyle: hls4ml\n"
      "    Implementation: latency\n");
  EXPECT_EQ(g.Find("sm")->settings.table_style, ir::TableStyle::kHls4ml);
  EXPECT_EQ(g.Find("sm")->settings.softmax_impl, ir::SoftmaxImpl::kLatency);
  EXPECT_EQ(P(g, "sm", "result"), "ap_fixed<16,6>");
  EXPECT_EQ(P(g, "sm", "exp_table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
}

TEST(ConfigApply, TableStyleAndImplementationErrors) {
  std::string e = ErrorOf("Model:\n  TableStyle: hls4mll\n");
  EXPECT_NE(e.find("unknown TableStyle 'hls4mll'"), std::string::npos) << e;
  e = ErrorOf("LayerName:\n  sm:\n    Implementation: argmax\n");
  EXPECT_NE(e.find("Implementation 'argmax' is not supported"), std::string::npos) << e;
  e = ErrorOf("LayerName:\n  fc1:\n    TableStyle: firmnet\n");
  EXPECT_NE(e.find("has no lookup table"), std::string::npos) << e;
  e = ErrorOf("LayerName:\n  fc1:\n    Implementation: stable\n");
  EXPECT_NE(e.find("Implementation applies only to Softmax"), std::string::npos) << e;
}

TEST(ConfigApply, PrecedenceModelLayerTypeLayerNamePerSlot) {
  ir::Graph g = MustApply(R"(
Model:
  Precision: ap_fixed<10,4>
  ReuseFactor: 2
  Strategy: Latency
LayerType:
  Dense:
    Precision:
      weight: ap_fixed<8,2>
    ReuseFactor: 4
    Strategy: resource
LayerName:
  fc1:
    Precision:
      bias: ap_fixed<12,3>
  fc2:
    Precision: ap_fixed<20,10>
    ReuseFactor: 8
    Strategy: LATENCY
)");
  EXPECT_EQ(P(g, "fc1", "result"), "ap_fixed<10,4>");
  EXPECT_EQ(P(g, "fc1", "weight"), "ap_fixed<8,2>");
  EXPECT_EQ(P(g, "fc1", "bias"), "ap_fixed<12,3>");
  EXPECT_EQ(P(g, "fc1", "accum"), "ap_fixed<10,4>");
  // A LayerName one-string beats a LayerType dict slot.
  for (const char* slot : {"result", "weight", "bias", "accum"}) {
    EXPECT_EQ(P(g, "fc2", slot), "ap_fixed<20,10>") << slot;
  }
  EXPECT_EQ(P(g, "relu1", "result"), "ap_fixed<10,4>");
  EXPECT_EQ(g.Find("relu1")->settings.reuse_factor, 2);
  EXPECT_EQ(g.Find("fc1")->settings.reuse_factor, 4);
  EXPECT_EQ(g.Find("fc2")->settings.reuse_factor, 8);
  EXPECT_EQ(g.Find("relu1")->settings.strategy, ir::Strategy::kLatency);
  EXPECT_EQ(g.Find("fc1")->settings.strategy, ir::Strategy::kResource);
  EXPECT_EQ(g.Find("fc2")->settings.strategy, ir::Strategy::kLatency);
}

TEST(ConfigApply, LayerTypeOneStringBeatsModelDict) {
  ir::Graph g = MustApply(R"(
Model:
  Precision: {accum: 'ap_fixed<30,12>', weight: 'ap_fixed<6,1>'}
LayerType:
  Dense:
    Precision: ap_fixed<9,3>
)");
  EXPECT_EQ(P(g, "fc1", "accum"), "ap_fixed<9,3>");
  EXPECT_EQ(P(g, "fc1", "weight"), "ap_fixed<9,3>");
  // Model dict slots reach only layers that have them; softmax's accum is one of its slots.
  EXPECT_EQ(P(g, "sm", "accum"), "ap_fixed<30,12>");
  EXPECT_EQ(P(g, "relu1", "result"), "ap_fixed<16,6>");
}

TEST(ConfigApply, KindNameBeatsAliasWhateverTheFileOrder) {
  ir::Graph g = MustApply(R"(
LayerType:
  Softmax:
    Precision: ap_fixed<14,5>
  Activation:
    Precision: ap_fixed<12,5>
    ReuseFactor: 3
)");
  EXPECT_EQ(P(g, "sm", "result"), "ap_fixed<14,5>");
  EXPECT_EQ(P(g, "relu1", "result"), "ap_fixed<12,5>");
  EXPECT_EQ(g.Find("sm")->settings.reuse_factor, 3);
  EXPECT_EQ(P(g, "fc1", "result"), "ap_fixed<16,6>");  // Dense is no Activation
}

TEST(ConfigApply, NarrowerAliasBeatsBroaderAlias) {
  ir::Graph g;
  g.AddNode(MakeNode("x", LayerKind::kInput, {}, {2}));
  ir::Node lr = MakeNode("lr", LayerKind::kLeakyRelu, {"x"}, {2});
  lr.attrs["alpha"] = 0.1;
  g.AddNode(lr);
  ir::Graph r = MustApply(R"(
LayerType:
  ParametrizedActivation: {Precision: {param: 'ap_fixed<8,1>'}}
  Activation: {Precision: 'ap_fixed<12,4>'}
  InputLayer: {Precision: 'ap_fixed<7,2>'}
)",
                          g);
  EXPECT_EQ(P(r, "lr", "param"), "ap_fixed<8,1>");
  EXPECT_EQ(P(r, "lr", "result"), "ap_fixed<12,4>");
  EXPECT_EQ(P(r, "x", "result"), "ap_fixed<7,2>");
}

TEST(ConfigApply, DefaultKeyInDictIsTheOneStringMeaning) {
  ir::Graph g = MustApply(R"(
LayerName:
  fc1:
    Precision:
      accum: ap_fixed<20,8>
      default: ap_fixed<9,3>
)");
  EXPECT_EQ(P(g, "fc1", "result"), "ap_fixed<9,3>");
  EXPECT_EQ(P(g, "fc1", "weight"), "ap_fixed<9,3>");
  EXPECT_EQ(P(g, "fc1", "bias"), "ap_fixed<9,3>");
  EXPECT_EQ(P(g, "fc1", "accum"), "ap_fixed<20,8>");  // named slot beats default, any order
}

TEST(ConfigApply, TableSlotsAndTableSize) {
  ir::Graph g = MustApply(R"(
HLSConfig:
  Model:
    TableSize: 4096
  LayerName:
    sm:
      Precision:
        exp_table: ap_fixed<20,10,AP_RND,AP_SAT>
        inv_table: ap_ufixed<16,4>
        accum: ap_fixed<24,12>
      table_size: 256
)");
  EXPECT_EQ(P(g, "sm", "exp_table"), "ap_fixed<20,10,AP_RND,AP_SAT>");
  EXPECT_EQ(P(g, "sm", "inv_table"), "ap_ufixed<16,4>");
  EXPECT_EQ(P(g, "sm", "accum"), "ap_fixed<24,12>");
  EXPECT_EQ(P(g, "sm", "result"), Default(LayerKind::kSoftmax, "result"));
  EXPECT_EQ(g.Find("sm")->settings.table_size, 256);
  // Model TableSize reaches only layers with a table.
  EXPECT_EQ(g.Find("fc1")->settings.table_size, 0);

  ir::Graph h = MustApply(
      "LayerName:\n  sm:\n    exp_table_t: ap_fixed<12,4>\n"
      "    inv_table_t: ap_fixed<13,4>\n");
  EXPECT_EQ(P(h, "sm", "exp_table"), "ap_fixed<12,4>");
  EXPECT_EQ(P(h, "sm", "inv_table"), "ap_fixed<13,4>");
  EXPECT_EQ(h.Find("sm")->settings.table_size, 1024);

  ir::Graph k = MustApply("LayerType:\n  Activation:\n    TableSize: 512\n");
  EXPECT_EQ(k.Find("sm")->settings.table_size, 512);
  EXPECT_EQ(k.Find("relu1")->settings.table_size, 0);
}

TEST(ConfigApply, TopLevelSettings) {
  ir::Graph g = MustApply(R"(
KerasJson: keras/KERAS_3layer.json
KerasH5: keras/KERAS_3layer_weights.h5
OutputDir: my-hls-test
Backend: Vivado
InputData: in.dat
OutputPredictions: out.dat
ProjectName: jet_tagger
XilinxPart: xcvu9p-flga2104-2L-e
ClockPeriod: 3.125
IOType: io_stream
)");
  EXPECT_EQ(g.settings.project_name, "jet_tagger");
  EXPECT_EQ(g.settings.part, "xcvu9p-flga2104-2L-e");
  EXPECT_EQ(g.settings.clock_period_ns, 3.125);
  EXPECT_EQ(g.settings.io_type, ir::IoType::kStream);

  ir::Graph h = MustApply("Part: xcku115-flvb2104-2-i\nClockPeriod: 4\nIOType: io_parallel\n");
  EXPECT_EQ(h.settings.part, "xcku115-flvb2104-2-i");
  EXPECT_EQ(h.settings.clock_period_ns, 4.0);
  EXPECT_EQ(h.settings.io_type, ir::IoType::kParallel);
  EXPECT_EQ(h.settings.project_name, "myproject");
}

TEST(ConfigApply, IgnoredHls4mlKeysAreAcceptedButChecked) {
  ir::Graph g = MustApply(R"(
HLSConfig:
  Model:
    Precision: ap_fixed<16,6>
    ReuseFactor: 1
    BramFactor: 1000000000
    TraceOutput: false
    Compression: True
  LayerName:
    fc1: {Trace: true}
)");
  EXPECT_EQ(P(g, "fc1", "result"), "ap_fixed<16,6>");
  EXPECT_NE(ErrorOf("LayerName:\n  fc1:\n    Trace: maybe\n")
                .find("cfg.yml: LayerName.fc1.Trace: expected true or false, got 'maybe'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("Model:\n  BramFactor: lots\n")
                .find("cfg.yml: Model.BramFactor: expected an integer, got 'lots'"),
            std::string::npos);
}

// The per-layer keys hls4ml 1.x's config_from_*_model(..., backend='Vitis') writes from its
// backends' layer attributes are taken as they are; values that would change the numbers are
// refused, naming the key.
TEST(ConfigApply, Hls4ml1BackendKeysAreAcceptedAndChecked) {
  ir::Graph g = MustApply(R"(
Model:
  Precision:
    default: fixed<16,6>
  ReuseFactor: 1
  Strategy: Latency
  BramFactor: 1000000000
  TraceOutput: false
LayerName:
  fc1:
    Precision:
      result: auto
      weight: auto
      bias: auto
      accum: auto
    ReuseFactor: 1
    Trace: false
    ParallelizationFactor: 1
    ConvImplementation: LineBuffer
    DepthwiseReuseFactor: 1
    PointwiseReuseFactor: 1
    Skip: false
)");
  EXPECT_EQ(g.Find("fc1")->auto_precision,
            (std::set<std::string>{"accum", "bias", "result", "weight"}));
  EXPECT_NE(ErrorOf("LayerName:\n  fc1:\n    Skip: true\n")
                .find("cfg.yml: LayerName.fc1.Skip: Skip: true (hls4ml leaves the softmax out) is "
                      "not supported"),
            std::string::npos);
  EXPECT_NE(ErrorOf("LayerName:\n  fc1:\n    ConvImplementation: Winograd\n")
                .find("cfg.yml: LayerName.fc1.ConvImplementation: unknown ConvImplementation "
                      "'Winograd'; expected LineBuffer or Encoded"),
            std::string::npos);
  EXPECT_NE(ErrorOf("Model:\n  ParallelizationFactor: 0\n")
                .find("cfg.yml: Model.ParallelizationFactor: ParallelizationFactor must be 1 or "
                      "more, got 0"),
            std::string::npos);
}

TEST(ConfigApply, TypicalHls4mlFile) {
  // The shape of the keras-to-hls YAML files hls4ml users keep.
  ir::Graph g = MustApply(R"(
KerasJson: keras/KERAS_3layer.json
KerasH5: keras/KERAS_3layer_weights.h5
OutputDir: my-hls-test
ProjectName: myproject
XilinxPart: xcku115-flvb2104-2-i
ClockPeriod: 5
Backend: Vivado
IOType: io_parallel
HLSConfig:
  Model:
    Precision: ap_fixed<16,6>
    ReuseFactor: 1
    Strategy: Latency
  LayerType:
    Dense:
      ReuseFactor: 2
      Strategy: Resource
      Compression: True
  LayerName:
    sm:
      Precision: ap_fixed<16,6>
      table_size: 1024
      exp_table_t: ap_fixed<18,8,AP_RND,AP_SAT>
      inv_table_t: ap_fixed<18,8,AP_RND,AP_SAT>
)");
  EXPECT_EQ(g.settings, ir::ModelSettings{});
  EXPECT_EQ(g.Find("fc1")->settings, (ir::LayerSettings{2, ir::Strategy::kResource, 0}));
  EXPECT_EQ(g.Find("relu1")->settings, (ir::LayerSettings{1, ir::Strategy::kLatency, 0}));
  EXPECT_EQ(P(g, "sm", "result"), "ap_fixed<16,6>");
  EXPECT_EQ(P(g, "sm", "exp_table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(P(g, "sm", "inv_table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(P(g, "sm", "accum"), "ap_fixed<16,6>");  // hls4ml: from the model precision
}

// ---------------------------------------------------------------- auto

// `auto` slots are only marked here; the infer_precision pass gives them types
// (passes/infer_precision_test.cc has the rules).
std::set<std::string> AutoSlots(const ir::Graph& g, const std::string& node) {
  return g.Find(node)->auto_precision;
}

TEST(ConfigAuto, MarksAutoSlotsAndLeavesThemWithoutAType) {
  ir::Graph g = MustApply(R"(
LayerName:
  x: {Precision: 'ap_fixed<8,3>'}
  fc1:
    Precision: {weight: 'ap_fixed<8,2>', accum: auto, result: auto}
)");
  EXPECT_EQ(AutoSlots(g, "fc1"), (std::set<std::string>{"accum", "result"}));
  EXPECT_EQ(P(g, "fc1", "accum"), "<no slot>");
  EXPECT_EQ(P(g, "fc1", "result"), "<no slot>");
  EXPECT_EQ(P(g, "fc1", "weight"), "ap_fixed<8,2>");
  EXPECT_TRUE(AutoSlots(g, "fc2").empty());
  // A later section's type replaces an earlier auto, and the other way round.
  ir::Graph h = MustApply(R"(
Model: {Precision: auto}
LayerName:
  fc1: {Precision: {result: 'ap_fixed<12,4>'}}
)");
  EXPECT_EQ(AutoSlots(h, "fc1"), (std::set<std::string>{"weight", "bias", "accum"}));
  EXPECT_EQ(P(h, "fc1", "result"), "ap_fixed<12,4>");
  // The one-string rule: table slots keep their defaults, auto or not; in hls4ml's table style
  // softmax's accum follows the model precision (auto here), as in hls4ml.
  EXPECT_EQ(AutoSlots(h, "sm"), (std::set<std::string>{"accum", "result"}));
  EXPECT_EQ(P(h, "sm", "exp_table"), Default(LayerKind::kSoftmax, "exp_table"));
  // Applying a config again starts from scratch.
  ir::Graph k = MustApply("LayerName:\n  fc1: {Precision: 'ap_fixed<10,2>'}\n", h);
  EXPECT_TRUE(AutoSlots(k, "fc1").empty());
  EXPECT_EQ(P(k, "fc1", "accum"), "ap_fixed<10,2>");
}

TEST(ConfigAuto, ModelDefaultAndMaximumAreWhatInferenceUses) {
  ir::Graph g = MustApply(R"(
Model:
  Precision: {default: 'ap_fixed<12,4>', maximum: 'ap_fixed<24,8>'}
)");
  EXPECT_EQ(FormatFixedType(g.settings.default_precision), "ap_fixed<12,4>");
  ASSERT_TRUE(g.settings.max_precision.has_value());
  EXPECT_EQ(FormatFixedType(*g.settings.max_precision), "ap_fixed<24,8>");
  EXPECT_EQ(P(g, "fc1", "weight"), "ap_fixed<12,4>");
  // Without them: ap_fixed<16,6> and no bound; a one-string Model precision is the default too.
  ir::Graph h = MustApply("Model: {Precision: 'ap_fixed<18,8>'}\n");
  EXPECT_EQ(FormatFixedType(h.settings.default_precision), "ap_fixed<18,8>");
  EXPECT_FALSE(h.settings.max_precision.has_value());
  EXPECT_EQ(MustApply("").settings.default_precision, FixedType{});
}

TEST(ConfigAuto, Errors) {
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1:\n    Precision: {maximum: 'ap_fixed<8,3>'}\n"),
            "cfg.yml: LayerName.fc1.Precision.maximum: 'maximum' is only valid under "
            "Model.Precision");
  EXPECT_EQ(ErrorOf("Model:\n  Precision: {maximum: auto}\n"),
            "cfg.yml: Model.Precision.maximum: 'maximum' must be a type, not auto");
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1:\n    Precision: {acum: auto}\n"),
            "cfg.yml: LayerName.fc1.Precision.acum: unknown precision slot 'acum' for layer 'fc1' "
            "(dense); expected one of result, weight, bias, accum");
}

// ---------------------------------------------------------------- error paths

TEST(ConfigErrors, UnknownSlotForNamedLayer) {
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1:\n    Precision:\n      acum: ap_fixed<16,6>\n"),
            "cfg.yml: LayerName.fc1.Precision.acum: unknown precision slot 'acum' for layer 'fc1' "
            "(dense); expected one of result, weight, bias, accum");
  EXPECT_EQ(ErrorOf("HLSConfig:\n  LayerName:\n    relu1:\n      table_t: ap_fixed<8,2>\n"),
            "cfg.yml: HLSConfig.LayerName.relu1.table_t: unknown precision slot 'table' for layer "
            "'relu1' (relu); expected one of result");
}

TEST(ConfigErrors, UnknownSlotInBroadSections) {
  EXPECT_NE(ErrorOf("Model:\n  Precision: {acum: 'ap_fixed<16,6>'}\n")
                .find("cfg.yml: Model.Precision.acum: unknown precision slot 'acum' here; "
                      "expected one of result, weight, bias, accum"),
            std::string::npos);
  EXPECT_NE(ErrorOf("Model:\n  Precision: {acum: 'ap_fixed<16,6>'}\n").find("did you mean 'accum'"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("LayerType:\n  ReLU:\n    Precision: {weight: 'ap_fixed<16,6>'}\n"),
            "cfg.yml: LayerType.ReLU.Precision.weight: unknown precision slot 'weight' here; "
            "expected one of result");
}

TEST(ConfigErrors, UnknownLayerTypeAndLayerName) {
  std::string e = ErrorOf("LayerType:\n  Dens:\n    ReuseFactor: 2\n");
  EXPECT_NE(e.find("cfg.yml: LayerType.Dens: unknown LayerType 'Dens'; expected one of Input, "
                   "InputLayer, Dense,"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("(did you mean 'Dense'?)"), std::string::npos) << e;

  auto r = Apply("LayerName:\n  fc9:\n    ReuseFactor: 2\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            "cfg.yml: LayerName.fc9: no layer named 'fc9' in the model; its layers are: x, fc1, "
            "relu1, fc2, sm");
}

TEST(ConfigErrors, UnknownKeysQuoteTheKey) {
  EXPECT_NE(ErrorOf("Parts: xcku115\n")
                .find("cfg.yml: Parts: unknown top-level key 'Parts'; expected one of "
                      "ProjectName, Part,"),
            std::string::npos);
  EXPECT_NE(ErrorOf("Parts: xcku115\n").find("(did you mean 'Part'?)"), std::string::npos);
  EXPECT_NE(ErrorOf("Model:\n  Reusefactor: 2\n")
                .find("cfg.yml: Model.Reusefactor: unknown key 'Reusefactor'; expected one of "
                      "Precision, ReuseFactor,"),
            std::string::npos);
  EXPECT_NE(ErrorOf("Model:\n  Reusefactor: 2\n").find("did you mean 'ReuseFactor'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("HLSConfig:\n  Modle: {}\n")
                .find("cfg.yml: HLSConfig.Modle: unknown key 'Modle'; expected one of Model, "
                      "LayerType, LayerName (did you mean 'Model'?)"),
            std::string::npos);
  EXPECT_NE(ErrorOf("LayerName:\n  fc1:\n    Precison: ap_fixed<8,3>\n")
                .find("cfg.yml: LayerName.fc1.Precison: unknown key 'Precison'"),
            std::string::npos);
}

TEST(ConfigErrors, MalformedTypeQuotesPathAndParserMessage) {
  const std::string e = ErrorOf("LayerName:\n  fc1:\n    Precision:\n      weight: ap_fixd<8,3>\n");
  auto parsed = ParseFixedType("ap_fixd<8,3>");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(e, "cfg.yml: LayerName.fc1.Precision.weight: " + parsed.status().message());
  EXPECT_NE(ErrorOf("Model:\n  Precision: ap_fixed<0,3>\n").find("cfg.yml: Model.Precision: "),
            std::string::npos);
  EXPECT_EQ(ErrorOf("Model:\n  Precision: [ap_fixed<8,3>]\n"),
            "cfg.yml: Model.Precision: expected a type string such as ap_fixed<16,6>, got a list");
}

TEST(ConfigErrors, SettingValues) {
  EXPECT_EQ(ErrorOf("Model:\n  ReuseFactor: 0\n"),
            "cfg.yml: Model.ReuseFactor: ReuseFactor must be an integer >= 1, got 0");
  EXPECT_EQ(ErrorOf("Model:\n  ReuseFactor: two\n"),
            "cfg.yml: Model.ReuseFactor: expected an integer, got 'two'");
  EXPECT_EQ(ErrorOf("Model:\n  ReuseFactor: 1.5\n"),
            "cfg.yml: Model.ReuseFactor: expected an integer, got '1.5'");
  EXPECT_EQ(ErrorOf("Model:\n  ReuseFactor: 99999999999999999999\n"),
            "cfg.yml: Model.ReuseFactor: expected an integer, got '99999999999999999999'");
  EXPECT_EQ(ErrorOf("Model:\n  Strategy: Fast\n"),
            "cfg.yml: Model.Strategy: unknown Strategy 'Fast'; expected Latency or Resource");
  EXPECT_EQ(ErrorOf("Model:\n  TableSize: 1000\n"),
            "cfg.yml: Model.TableSize: TableSize must be a power of two between 2 and 16777216, "
            "got 1000");
  EXPECT_NE(ErrorOf("Model:\n  TableSize: 1\n").find("power of two"), std::string::npos);
  EXPECT_EQ(ErrorOf("LayerType:\n  Dense:\n    TableSize: 256\n"),
            "cfg.yml: LayerType.Dense.TableSize: TableSize applies only to layers with a lookup "
            "table (" +
                TableTypes() + ")");
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1:\n    TableSize: 256\n"),
            "cfg.yml: LayerName.fc1.TableSize: layer 'fc1' (dense) has no lookup table; TableSize "
            "applies only to " +
                TableTypes());
  EXPECT_NE(ErrorOf("LayerName:\n  sm:\n    TableSize: 256\n    table_size: 512\n")
                .find("cfg.yml: LayerName.sm.table_size: TableSize is also set by "
                      "LayerName.sm.TableSize"),
            std::string::npos);
  EXPECT_NE(ErrorOf("LayerName:\n  sm:\n    exp_table_t: ap_fixed<8,3>\n"
                    "    Precision: {exp_table: 'ap_fixed<9,3>'}\n")
                .find("cfg.yml: LayerName.sm.Precision.exp_table: precision slot 'exp_table' is "
                      "also set by LayerName.sm.exp_table_t"),
            std::string::npos);
}

TEST(ConfigErrors, UnquotedTypeInFlowMappingGetsAHint) {
  // In YAML's {...} style a comma ends the value: ap_fixed<8,3> becomes "ap_fixed<8" and "3>".
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1: {Precision: ap_fixed<8,3>}\n"),
            "cfg.yml: LayerName.fc1.Precision: " + ParseFixedType("ap_fixed<8").status().message() +
                " (inside {...} a comma ends a YAML value: quote the type, e.g. "
                "'ap_fixed<16,6>')");
}

TEST(ConfigErrors, TopLevelValues) {
  EXPECT_EQ(ErrorOf("ClockPeriod: 0\n"),
            "cfg.yml: ClockPeriod: ClockPeriod (ns) must be > 0, got 0");
  EXPECT_EQ(ErrorOf("ClockPeriod: -5\n"),
            "cfg.yml: ClockPeriod: ClockPeriod (ns) must be > 0, got -5");
  EXPECT_EQ(ErrorOf("ClockPeriod: 5ns\n"), "cfg.yml: ClockPeriod: expected a number, got '5ns'");
  EXPECT_EQ(ErrorOf("ClockPeriod: .nan\n"), "cfg.yml: ClockPeriod: expected a number, got '.nan'");
  EXPECT_EQ(ErrorOf("IOType: io_serial\n"),
            "cfg.yml: IOType: unknown IOType 'io_serial'; expected io_parallel or io_stream");
  EXPECT_NE(
      ErrorOf("ProjectName: 1abc\n").find("cfg.yml: ProjectName: '1abc' is not a C identifier"),
      std::string::npos);
  EXPECT_NE(ErrorOf("ProjectName: my-proj\n").find("'my-proj' is not a C identifier"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf("Part: 'xc ku115'\n").find("cfg.yml: Part: 'xc ku115' is not an FPGA part name"),
      std::string::npos);
  EXPECT_EQ(ErrorOf("Part: xcku115-flvb2104-2-i\nXilinxPart: xcvu9p-flga2104-2L-e\n"),
            "cfg.yml: XilinxPart: 'xcvu9p-flga2104-2L-e' disagrees with Part "
            "'xcku115-flvb2104-2-i'");
  EXPECT_EQ(ErrorOf("Part: [a, b]\n"), "cfg.yml: Part: expected an FPGA part name, got a list");
}

TEST(ConfigErrors, SectionsAtBothLevels) {
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1: {ReuseFactor: 2}\nHLSConfig:\n  LayerName:\n"
                    "    fc2: {ReuseFactor: 2}\n"),
            "cfg.yml: LayerName: LayerName is given both at the top level and under HLSConfig; "
            "keep one");
}

TEST(ConfigErrors, DuplicateKeys) {
  EXPECT_EQ(ErrorOf("ClockPeriod: 5\nClockPeriod: 4\n"),
            "cfg.yml: ClockPeriod: duplicate key (line 2, first given at line 1)");
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1:\n    ReuseFactor: 2\n    ReuseFactor: 3\n"),
            "cfg.yml: LayerName.fc1.ReuseFactor: duplicate key (line 4, first given at line 3)");
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1: {ReuseFactor: 2}\n  fc1: {ReuseFactor: 3}\n"),
            "cfg.yml: LayerName.fc1: duplicate key (line 3, first given at line 2)");
  EXPECT_NE(ErrorOf("Model: {Precision: {result: 'ap_fixed<8,3>', result: 'ap_fixed<9,3>'}}\n")
                .find("Model.Precision.result: duplicate key"),
            std::string::npos);
}

TEST(ConfigErrors, BadYamlNeverCrashes) {
  // Truncated flow collection: a yaml-cpp parse error with file:line:column.
  std::string e = ErrorOf("HLSConfig:\n  Model: {Precision: 'ap_fixed<16,6>'\n");
  EXPECT_TRUE(e.starts_with("cfg.yml:")) << e;
  EXPECT_NE(e.find("invalid YAML"), std::string::npos) << e;
  EXPECT_NE(ErrorOf("Model: [1, 2\n").find("cfg.yml:2:1: invalid YAML: "), std::string::npos);
  // Garbage, binary bytes, a list where a map is expected, a bare scalar.
  EXPECT_FALSE(Apply(std::string("\x01\x02\xff{{{]]]::\t\"\0x", 15)).ok());
  EXPECT_EQ(ErrorOf("- a\n- b\n"), "cfg.yml: expected a map of keys, got a list");
  EXPECT_EQ(ErrorOf("just a string\n"), "cfg.yml: expected a map of keys, got 'just a string'");
  EXPECT_EQ(ErrorOf("Model: [1, 2]\n"), "cfg.yml: Model: expected a map of keys, got a list");
  EXPECT_EQ(ErrorOf("LayerName:\n  fc1: 5\n"),
            "cfg.yml: LayerName.fc1: expected a map of keys, got '5'");
  EXPECT_EQ(ErrorOf("HLSConfig: ap_fixed<16,6>\n"),
            "cfg.yml: HLSConfig: expected a map of keys, got 'ap_fixed<16,6>'");
  EXPECT_EQ(ErrorOf("Model:\n  Strategy: [Latency]\n"),
            "cfg.yml: Model.Strategy: expected Latency or Resource, got a list");
  EXPECT_EQ(ErrorOf("Model:\n  ReuseFactor: {a: 1}\n"),
            "cfg.yml: Model.ReuseFactor: expected an integer, got a map");
  EXPECT_NE(ErrorOf("? [a, b]\n: 1\n").find("keys must be plain names"), std::string::npos);
  EXPECT_EQ(ErrorOf("ProjectName:\n"),
            "cfg.yml: ProjectName: expected a project name, got nothing");
  // Anchors and aliases are plain YAML and work; a self-referencing alias does not hang.
  EXPECT_EQ(P(MustApply("Model: &m {ReuseFactor: 2, Precision: 'ap_fixed<9,4>'}\n"
                        "LayerType: {Dense: *m}\n"),
              "fc1", "result"),
            "ap_fixed<9,4>");
  EXPECT_FALSE(Apply("Model: &a [*a]\n").ok());
  // Deep nesting.
  EXPECT_FALSE(Apply(std::string(20000, '[')).ok());
  EXPECT_FALSE(Apply("Model:\n  Precision:\n" + std::string(5000, ' ') + "x").ok());
  // Every prefix of a valid config either parses or fails cleanly.
  const std::string full = DefaultConfigYaml(MakeMlp());
  for (size_t n = 0; n < full.size(); n += 7) {
    auto r = ParseConfig(full.substr(0, n), "cut.yml");
    if (!r.ok()) {
      EXPECT_TRUE(r.status().message().starts_with("cut.yml")) << r.status().message();
    }
  }
}

TEST(ConfigErrors, FailedApplyLeavesTheGraphUnchanged) {
  ir::Graph g = MakeMlp();
  const ir::Graph before = g;
  auto c = ParseConfig(
      "ProjectName: other\nLayerName:\n  sm:\n    Precision: {acum: 'ap_fixed<8,3>'}\n", "cfg.yml");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(ApplyConfig(*c, g).ok());
  EXPECT_EQ(g, before);
}

TEST(ConfigFile, LoadsAFileAndNamesItInErrors) {
  const auto dir = std::filesystem::temp_directory_path() / "firmnet_config_test";
  std::filesystem::create_directories(dir);
  const std::string good = (dir / "good.yml").string();
  const std::string bad = (dir / "bad.yml").string();
  std::ofstream(good) << "IOType: io_stream\nLayerName:\n  fc1: {ReuseFactor: 4}\n";
  std::ofstream(bad) << "IOType: io_stream\nLayerName:\n  fc1: {ReuseFator: 4}\n";
  auto c = LoadConfigFile(good);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->source_name, good);
  ir::Graph g = MakeMlp();
  ASSERT_TRUE(ApplyConfig(*c, g).ok());
  EXPECT_EQ(g.Find("fc1")->settings.reuse_factor, 4);
  EXPECT_EQ(g.settings.io_type, ir::IoType::kStream);

  auto b = LoadConfigFile(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(b.status().message().starts_with(bad + ": LayerName.fc1.ReuseFator: unknown key"))
      << b.status().message();

  auto missing = LoadConfigFile((dir / "missing.yml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("missing.yml"), std::string::npos);
  auto directory = LoadConfigFile(dir.string());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.status().message().find("is a directory"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------- emitted configs

TEST(ConfigEmit, DefaultConfigRoundTripsToTheBuiltInDefaults) {
  ir::Graph g = MakeMlp();
  ir::Node lr = MakeNode("odd: name/with#chars", LayerKind::kElu, {"sm"}, {2});
  lr.attrs["alpha"] = 1.0;
  g.AddNode(lr);
  const std::string yaml = DefaultConfigYaml(g);
  EXPECT_EQ(yaml, DefaultConfigYaml(g));  // deterministic
  for (const auto& n : g.nodes) EXPECT_NE(yaml.find(n.name.substr(0, 3)), std::string::npos);
  EXPECT_NE(yaml.find("exp_table: " + Default(LayerKind::kSoftmax, "exp_table")), std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("table: " + Default(LayerKind::kElu, "table")), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("TableSize: 1024"), std::string::npos) << yaml;

  auto parsed = ParseConfig(yaml, "default.yml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << yaml;
  EXPECT_EQ(parsed->layer_names.size(), g.nodes.size());
  ir::Graph from_default = g;
  ASSERT_TRUE(ApplyConfig(*parsed, from_default).ok());
  ir::Graph from_nothing = g;
  ASSERT_TRUE(ApplyConfig(Config{}, from_nothing).ok());
  EXPECT_EQ(from_default, from_nothing);
}

TEST(ConfigEmit, ResolvedConfigReproducesTheGraph) {
  const std::string cfg = R"(
ProjectName: tagger
Part: xcvu13p-flga2577-2-e
ClockPeriod: 2.5
IOType: io_stream
Model:
  Precision: {default: 'ap_fixed<14,5>', maximum: 'ap_fixed<40,12>'}
LayerName:
  x: {Precision: 'ap_fixed<8,3>'}
  fc1:
    Precision: {weight: 'ap_fixed<8,2>', bias: 'ap_fixed<8,3>', accum: auto, result: auto}
    ReuseFactor: 4
    Strategy: Resource
  sm: {TableSize: 2048, Precision: {inv_table: 'ap_ufixed<18,8,AP_RND_CONV,AP_SAT>'}}
)";
  ir::Graph g = MustApply(cfg);
  const std::string resolved = ResolvedConfigYaml(g);
  EXPECT_EQ(resolved, ResolvedConfigYaml(MustApply(cfg)));  // deterministic
  EXPECT_NE(resolved.find("accum: auto"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("default: ap_fixed<14,5>"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("maximum: ap_fixed<40,12>"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("ClockPeriod: 2.5"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("TableSize: 2048"), std::string::npos) << resolved;

  auto again = ParseConfig(resolved, "resolved.yml");
  ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << resolved;
  ir::Graph h = MakeMlp();
  ASSERT_TRUE(ApplyConfig(*again, h).ok());
  EXPECT_EQ(h, g);
  EXPECT_EQ(ResolvedConfigYaml(h), resolved);
  // Once inferred, an auto slot still reads `auto`, with the type it became as a comment.
  g.Find("fc1")->precision["accum"] = T("ap_fixed<21,7>");
  EXPECT_NE(ResolvedConfigYaml(g).find("accum: auto  # ap_fixed<21,7>"), std::string::npos)
      << ResolvedConfigYaml(g);
}

// ---------------------------------------------------------------- Multiplier (Verilog backend)

TEST(ConfigApply, MultiplierPrecedenceAndCase) {
  ir::Graph g = MustApply(R"(
Model:
  Multiplier: LUT
LayerName:
  fc2:
    Multiplier: dsp
)");
  EXPECT_EQ(g.Find("fc1")->settings.multiplier, ir::Multiplier::kLut);
  EXPECT_EQ(g.Find("fc2")->settings.multiplier, ir::Multiplier::kDsp);
  EXPECT_EQ(MustApply("").Find("fc1")->settings.multiplier, ir::Multiplier::kAuto);
  // The resolved config names it for the layers with constant products, and re-applies.
  const std::string resolved = ResolvedConfigYaml(g);
  EXPECT_NE(resolved.find("Multiplier: dsp"), std::string::npos) << resolved;
  ir::Graph again = MustApply(resolved);
  EXPECT_EQ(again.Find("fc2")->settings.multiplier, ir::Multiplier::kDsp);
}

TEST(ConfigApply, MultiplierMisspelledValueIsAnError) {
  const std::string msg = ErrorOf("Model:\n  Multiplier: luts\n");
  EXPECT_NE(msg.find("Model.Multiplier"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown Multiplier 'luts'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("auto, lut or dsp"), std::string::npos) << msg;
}

}  // namespace
}  // namespace firmnet::config
