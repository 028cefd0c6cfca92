// The HLS backend's project writer without external tools: determinism, output discipline
// (atomic, --force), the error for an invalid ReuseFactor, the embedded layer library, and
// support for every layer kind the test models use. C-simulation lives in hls_*_tool_test.cc.
#include <fstream>
#include <map>
#include <set>

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/backend/hls/project.h"
#include "firmnet/backend/hls/runtime_files.h"
#include "firmnet/ir/parser.h"
#include "firmnet/layers/layer.h"
#include "hls_util.h"

namespace firmnet::e2e {
namespace {

// Runs the CLI; returns its exit code, with stderr in *err.
int Cli(const std::string& args, std::string* err) {
  TempDir t;
  const std::string e = t / "err";
  const int status =
      std::system((Quote(FIRMNET_BINARY) + " " + args + " >/dev/null 2>" + Quote(e)).c_str());
  *err = ReadText(e);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::map<std::string, std::string> ReadTree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file())
      files[fs::relative(e.path(), dir).string()] = ReadText(e.path().string());
  }
  return files;
}

TEST(HlsProject, GenerationIsDeterministicAndHasNoAbsolutePaths) {
  auto g = Load((SourceDir() / "examples/jet_tagger/jet_tagger.onnx").string(), "",
                (SourceDir() / "examples/jet_tagger/config.yml").string());
  ASSERT_TRUE(g.ok()) << g.status().message();
  auto a = backend::hls::GenerateHlsProject(*g, {});
  auto b = backend::hls::GenerateHlsProject(*g, {});
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(*a == *b);
  for (const auto& [path, text] : *a) {
    EXPECT_EQ(text.find(SourceDir().string()), std::string::npos) << path;
    EXPECT_EQ(text.find("/tmp/"), std::string::npos) << path;
  }
  for (const char* f :
       {"firmware/myproject.cpp", "firmware/myproject.h", "firmware/defines.h",
        "firmware/parameters.h", "firmware/fnet/fnet_dense.h", "firmware/fnet/fnet_tables.h",
        "myproject_test.cpp", "build_prj.tcl", "vivado_synth.tcl", "README.md",
        "tb_data/tb_input_features.dat", "tb_data/tb_output_predictions.dat"}) {
    EXPECT_TRUE(a->count(f)) << f;
  }
  // 1000 testbench samples by default.
  const std::string& in = a->at("tb_data/tb_input_features.dat");
  EXPECT_EQ(std::count(in.begin(), in.end(), '\n'), 1000);
  // Part and clock come from the config.
  EXPECT_NE(a->at("build_prj.tcl").find("set part \"" + g->settings.part + "\""),
            std::string::npos);
}

TEST(HlsProject, CliBuildTwiceGivesIdenticalTreesAndRefusesNonEmptyDir) {
  TempDir t;
  const std::string model = (SourceDir() / "tests/models/mlp_acts_a.onnx").string();
  std::string err;
  ASSERT_EQ(Cli("build " + Quote(model) + " --backend hls -o " + Quote(t / "a"), &err), 0) << err;
  ASSERT_EQ(Cli("build " + Quote(model) + " --backend hls -o " + Quote(t / "b"), &err), 0) << err;
  EXPECT_TRUE(ReadTree(t / "a") == ReadTree(t / "b"));
  EXPECT_EQ(Cli("build " + Quote(model) + " --backend hls -o " + Quote(t / "a"), &err), 1);
  EXPECT_NE(err.find("--force"), std::string::npos) << err;
  EXPECT_EQ(
      Cli("build " + Quote(model) + " --backend hls --force --project other -o " + Quote(t / "a"),
          &err),
      0)
      << err;
  EXPECT_TRUE(fs::exists(t / "a/firmware/other.cpp"));
  EXPECT_FALSE(fs::exists(t / "a/firmware/myproject.cpp"));
}

TEST(HlsProject, CliTbSamplesSetsTheTestbenchSize) {
  TempDir t;
  const std::string model = (SourceDir() / "tests/models/mlp_acts_a.onnx").string();
  std::string err;
  ASSERT_EQ(
      Cli("build " + Quote(model) + " --backend hls --tb-samples 7 -o " + Quote(t / "a"), &err), 0)
      << err;
  const std::string in = ReadText(t / "a/tb_data/tb_input_features.dat");
  EXPECT_EQ(std::count(in.begin(), in.end(), '\n'), 7);
  EXPECT_EQ(
      Cli("build " + Quote(model) + " --backend verilog --tb-samples 7 -o " + Quote(t / "v"), &err),
      1);
  EXPECT_NE(err.find("--tb-samples applies to --backend hls only"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(t / "v"));
  EXPECT_NE(
      Cli("build " + Quote(model) + " --backend hls --tb-samples 0 -o " + Quote(t / "z"), &err), 0);
  EXPECT_NE(err.find("--tb-samples"), std::string::npos) << err;
}

TEST(HlsProject, InvalidReuseFactorListsValidValuesAndLeavesNothing) {
  TempDir t;
  const std::string cfg = t / "bad.yml";
  // mlp_relu_bn: dense 8 -> 16 first; 3 does not divide 128.
  WriteText(cfg, "Model:\n  ReuseFactor: 3\n");
  std::string err;
  const std::string model = (SourceDir() / "tests/models/mlp_relu_bn.onnx").string();
  EXPECT_EQ(
      Cli("build " + Quote(model) + " -c " + Quote(cfg) + " --backend hls -o " + Quote(t / "out"),
          &err),
      1);
  EXPECT_NE(err.find("ReuseFactor 3 is not valid"), std::string::npos) << err;
  EXPECT_NE(err.find("Valid values: 1, 2, 4, 8, 16, 32, 64, 128"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(t / "out"));
  for (const auto& e : fs::directory_iterator(t.path())) {
    EXPECT_EQ(e.path().filename(), "bad.yml") << "left behind: " << e.path();
  }
}

TEST(HlsProject, BadProjectNameIsAnError) {
  auto g = Load(TestModel("act_relu"));
  ASSERT_TRUE(g.ok());
  backend::hls::HlsProjectOptions o;
  o.project_name = "my-project";
  auto files = backend::hls::GenerateHlsProject(*g, o);
  ASSERT_FALSE(files.ok());
  EXPECT_NE(files.status().message().find("not a valid C identifier"), std::string::npos);
}

TEST(HlsProject, EmbeddedLibraryIsTheSourceTreeCopy) {
  const fs::path dir = SourceDir() / "src/firmnet/backend/hls/runtime";
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".h";
  ASSERT_EQ(backend::hls::RuntimeHeaders().size(), n);
  for (const auto& [name, text] : backend::hls::RuntimeHeaders()) {
    EXPECT_EQ(std::string(text), ReadText((dir / std::string(name)).string())) << name;
  }
}

// Every layer of every model the C-sim grid runs is supported (asked of the backend, not listed
// here); every kind with an HLS facet appears in one of those models, so no facet is untested;
// and a kind without a facet is refused by EmitHlsLayer as Unimplemented, naming the layer.
TEST(HlsProject, EveryLayerOfEveryTestModelIsSupported) {
  std::set<LayerKind> seen;
  std::vector<std::pair<std::string, std::string>> models;
  for (const std::string& name : TestModelNames()) models.push_back({TestModel(name), ""});
  const std::string keras = (SourceDir() / "tests/models/keras").string();
  models.push_back({keras + "/tiny_seq.json", keras + "/tiny_seq_weights.h5"});
  models.push_back({keras + "/tiny_full_fixed.h5", ""});
  models.push_back({(SourceDir() / "tests/golden/hls/tiny.fnir").string(), ""});
  for (const std::string& path : HlsGraphModels()) models.push_back({path, ""});
  for (const std::string& path : CnnTestModels()) models.push_back({path, ""});
  for (const auto& [model, weights] : models) {
    SCOPED_TRACE(model);
    auto g = Load(model, weights);
    ASSERT_TRUE(g.ok()) << g.status().message();
    for (const ir::Node& n : g->nodes) {
      seen.insert(n.kind);
      auto ins = layers::ResolveInputs(*g, n);
      ASSERT_TRUE(ins.ok()) << ins.status().message();
      backend::hls::HlsLayerContext ctx{&*g, &n, nullptr, "x", ins->nodes};
      if (!ctx.inputs.empty()) ctx.input = ctx.inputs[0];
      auto e = backend::hls::EmitHlsLayer(ctx);
      EXPECT_TRUE(e.ok()) << n.name << ": " << e.status().message();
    }
  }
#define FIRMNET_LAYER(Enum, id, ConfigName)                                                    \
  if (backend::hls::HlsSupports(LayerKind::Enum)) {                                            \
    EXPECT_TRUE(seen.count(LayerKind::Enum)) << #id << " has an HLS facet but is in no model " \
                                             << "that the C-sim grid runs";                    \
  } else {                                                                                     \
    ir::Node n;                                                                                \
    n.kind = LayerKind::Enum;                                                                  \
    n.name = "some_" #id;                                                                      \
    auto e = backend::hls::EmitHlsLayer({nullptr, &n, nullptr, "x", {}});                      \
    ASSERT_FALSE(e.ok()) << #id;                                                               \
    EXPECT_EQ(e.status().code(), StatusCode::kUnimplemented) << #id;                           \
    EXPECT_NE(e.status().message().find("'some_" #id "'"), std::string::npos)                  \
        << e.status().message();                                                               \
  }
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
}

// The io_parallel port protocol: parsed by name, written into the INTERFACE pragma, refused for
// io_stream (whose ports are AXI streams).
TEST(HlsProject, PortProtocolOption) {
  EXPECT_EQ(*backend::hls::ParseHlsPort("ap_none"), backend::hls::HlsPort::kApNone);
  EXPECT_EQ(*backend::hls::ParseHlsPort("ap_vld"), backend::hls::HlsPort::kApVld);
  auto bad = backend::hls::ParseHlsPort("ap_hs");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'ap_hs'"), std::string::npos) << bad.status().message();
  const std::string text = R"(graph p {
  settings project=p io=IO
  %x = input() shape=[3] precision{result=ap_fixed<16,6>}
  %y = relu(%x) shape=[3] precision{result=ap_fixed<16,6>}
  outputs %y
})";
  backend::hls::HlsProjectOptions o;
  o.port = backend::hls::HlsPort::kApNone;
  for (const char* io : {"io_parallel", "io_stream"}) {
    std::string t = text;
    t.replace(t.find("IO"), 2, io);
    auto g = ir::ParseGraph(t);
    ASSERT_TRUE(g.ok()) << g.status().message();
    auto files = backend::hls::GenerateHlsProject(*g, o);
    if (std::string(io) == "io_parallel") {
      ASSERT_TRUE(files.ok()) << files.status().message();
      EXPECT_NE(files->at("firmware/p.cpp").find("#pragma HLS INTERFACE ap_none port = x,y_out\n"),
                std::string::npos)
          << files->at("firmware/p.cpp");
    } else {
      ASSERT_FALSE(files.ok());
      EXPECT_NE(files.status().message().find("io_stream"), std::string::npos)
          << files.status().message();
    }
  }
}

// A layer that feeds two layers builds in both io types: io_stream copies the tensor into one
// FIFO per reader (fnet::clone_stream). An output that another layer reads is copied to its port.
TEST(HlsProject, BranchingGraphBuildsInBothIoTypes) {
  const std::string text = R"(graph branch {
  settings project=branch io=IO
  %x = input() shape=[3] precision{result=ap_fixed<16,6>}
  %a = relu(%x) shape=[3] precision{result=ap_fixed<16,6>}
  %b = linear(%x) shape=[3] precision{result=ap_fixed<16,6>}
  %c = relu(%b) shape=[3] precision{result=ap_fixed<16,6>}
  outputs %c, %b
})";
  for (const char* io : {"io_parallel", "io_stream"}) {
    SCOPED_TRACE(io);
    std::string t = text;
    t.replace(t.find("IO"), 2, io);
    auto g = ir::ParseGraph(t);
    ASSERT_TRUE(g.ok()) << g.status().message();
    auto files = backend::hls::GenerateHlsProject(*g, {});
    ASSERT_TRUE(files.ok()) << files.status().message();
    const std::string& top = files->at("firmware/branch.cpp");
    EXPECT_TRUE(files->count("tb_data/tb_output_predictions_1.dat"));
    if (std::string(io) == "io_parallel") {
      EXPECT_NE(files->at("firmware/branch.h").find("c_out[N_OUTPUT_0], "), std::string::npos)
          << files->at("firmware/branch.h");
      EXPECT_NE(top.find("fnet::copy_array<config_b::n_out>(b_local, b_out);"), std::string::npos)
          << top;
    } else {
      EXPECT_NE(top.find("fnet::clone_stream<1>(x, x_cpy0, x_cpy1);"), std::string::npos) << top;
      EXPECT_NE(top.find("fnet::clone_stream<1>(b_local, b_cpy0, b_out);"), std::string::npos)
          << top;
    }
  }
}

// The default testbench shrinks with the model's cost, so that writing a project for a large
// CNN does not spend minutes emulating it; the estimate is the weights times output positions.
TEST(HlsProject, TestbenchSamplesShrinkForCostlyModels) {
  auto graph = [](int64_t side, int64_t c_in, int64_t c_out) {
    ir::Graph g;
    ir::Node x;
    x.name = "x";
    x.shape = {side, side, c_in};
    g.AddNode(std::move(x));
    ir::Node conv;
    conv.name = "c";
    conv.kind = LayerKind::kConv2D;
    conv.inputs = {"x"};
    conv.shape = {side, side, c_out};
    conv.weights["weight"].shape = {3, 3, c_in, c_out};
    g.AddNode(std::move(conv));
    g.outputs = {"c"};
    return g;
  };
  using backend::hls::DefaultTestbenchSamples;
  using backend::hls::EstimatedMultiplyAdds;
  const ir::Graph big = graph(32, 16, 32);
  const int64_t macs = 32 * 32 * (3 * 3 * 16 * 32) + 32 * 32 * 16;  // conv, plus the input layer
  EXPECT_EQ(EstimatedMultiplyAdds(big), macs);
  EXPECT_EQ(DefaultTestbenchSamples(big), backend::hls::kTbMultiplyAddBudget / macs);
  EXPECT_EQ(DefaultTestbenchSamples(graph(4, 2, 2)), 1000);
  EXPECT_EQ(DefaultTestbenchSamples(graph(256, 64, 64)), 4);  // never fewer than 4
  // A project holds the count it is given (GenerationIsDeterministicAndHasNoAbsolutePaths,
  // CliTbSamplesSetsTheTestbenchSize); emulating a costly model here would take seconds.
  // check that a project holds the count; emulating a costly model for it takes a second.
}

TEST(HlsProject, TestInputsCoverTheRangeAndBeyond) {
  FixedType t{8, 3, true};
  emu::Batch b = backend::hls::GenerateTestInputs(t, 4, 1000);
  ASSERT_EQ(b.data.size(), 4000u);
  double lo = 0, hi = 0;
  for (double v : b.data) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_LT(lo, t.MinValue());
  EXPECT_GT(hi, t.MaxValue());
  EXPECT_EQ(backend::hls::FormatRoundTrip(0.1), "0.1");
}

}  // namespace
}  // namespace firmnet::e2e
