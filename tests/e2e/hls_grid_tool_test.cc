// The HLS backend's bit-exactness grid: every test model (tests/models, the Keras fixtures, the
// jet tagger in both forms, the example-models MLPs) is built into an HLS project at points of
// the config grid (hls_util.h: <16,6>, <8,3>, RND/SAT variants, per-layer overrides, ReuseFactor
// 1/2/4/n_in, Latency and Resource, io_parallel and io_stream, a 40-bit type), C-simulated with g++
// on 1000 inputs, and compared exactly with the emulator by the project's own testbench.
//
// Each test model runs one io_parallel and one io_stream point; the example-models MLPs run one
// point each (alternating), which keeps the suite to about 50 compiles. The graph models
// (tests/models/hls_graphs: several inputs/outputs, branches, merges, spatial moves) run
// <16,6> and an RND/SAT point, each once in io_parallel and once in io_stream.
#include "hls_util.h"

namespace firmnet::e2e {
namespace {

struct GridCase {
  std::string label;
  std::string model;
  std::string weights;
  std::vector<int> profiles;  // indices into HlsProfiles()
};

void PrintTo(const GridCase& c, std::ostream* os) { *os << c.label; }

std::vector<GridCase> Cases() {
  std::vector<GridCase> cases;
  int i = 0;
  auto both = [&i]() {
    static const int kStream[] = {1, 3, 4};
    std::vector<int> p = {2 * (i % 2), kStream[i % 3]};
    ++i;
    return p;
  };
  for (const std::string& name : TestModelNames()) {
    cases.push_back({name, TestModel(name), "", both()});
  }
  const std::string keras = (SourceDir() / "tests/models/keras").string();
  cases.push_back(
      {"keras_tiny_seq", keras + "/tiny_seq.json", keras + "/tiny_seq_weights.h5", both()});
  cases.push_back({"keras_tiny_full_fixed", keras + "/tiny_full_fixed.h5", "", both()});
  cases.push_back({"keras_tiny_full_vlen", keras + "/tiny_full_vlen.h5", "", both()});
  cases.push_back(
      {"golden_tiny", (SourceDir() / "tests/golden/hls/tiny.fnir").string(), "", both()});
  const std::string jt = (SourceDir() / "examples/jet_tagger").string();
  cases.push_back({"jet_tagger_onnx", jt + "/jet_tagger.onnx", "", both()});
  cases.push_back(
      {"jet_tagger_keras", jt + "/jet_tagger.json", jt + "/jet_tagger_weights.h5", both()});
  // The graph models: <16,6> and an RND/SAT point, each in both io types.
  int g = 0;
  for (const std::string& path : HlsGraphModels()) {
    cases.push_back({"graph_" + std::filesystem::path(path).stem().string(), path, "",
                     g % 2 == 0 ? std::vector<int>{0, 3} : std::vector<int>{5, 2}});
    ++g;
  }
  // The torch CNNs: one io_parallel and one io_stream point each (convolutions, pools, pads,
  // upsampling, residual adds, concatenation, several inputs).
  for (const std::string& path : CnnTestModels()) {
    cases.push_back({"cnn_" + std::filesystem::path(path).stem().string(), path, "", both()});
  }
  int k = 0;
  for (const auto& [model, weights] : ExampleMlps()) {
    std::string label =
        "example_" + std::filesystem::path(weights.empty() ? model : weights).stem().string();
    cases.push_back({label,
                     (ExampleModels() / model).string(),
                     weights.empty() ? "" : (ExampleModels() / weights).string(),
                     {k % 4}});
    ++k;
  }
  return cases;
}

class HlsGrid : public ::testing::TestWithParam<GridCase> {};

TEST_P(HlsGrid, CsimMatchesEmulatorBitForBit) {
  const GridCase& c = GetParam();
  if (c.label.rfind("example_", 0) == 0 && !HaveExampleModels()) {
    GTEST_SKIP() << ExampleModels() << " is absent";
  }
  auto shaped = driver::LoadShapedGraph(driver::ModelSource{c.model, c.weights, ""});
  ASSERT_TRUE(shaped.ok()) << shaped.status().message();
  for (int p : c.profiles) {
    const HlsProfile& prof = HlsProfiles()[p];
    SCOPED_TRACE(c.label + " @ " + prof.label);
    TempDir tmp;
    const std::string cfg = tmp / "config.yml";
    WriteText(cfg, HlsProfileConfig(*shaped, prof));
    auto g = Load(c.model, c.weights, cfg);
    ASSERT_TRUE(g.ok()) << g.status().message();
    HlsRun run;
    BuildAndCsim(*g, tmp / "prj", 1000, &run);
    EXPECT_EQ(run.csim.failed, 0) << run.csim.output.substr(0, 2000);
    EXPECT_EQ(run.csim.passed, 1000);
  }
}

INSTANTIATE_TEST_SUITE_P(AllModels, HlsGrid, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<GridCase>& info) {
                           std::string n = info.param.label;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n + "_" + std::to_string(info.index);
                         });

// The typed graphs keep their own precisions (no config) and are built in both io types:
// mixed_types: merges of inputs of different types (signed and unsigned, other widths and modes
// than the result), with 3 inputs, and dot with its own accum type; selu_types: selu and elu over
// signed, unsigned, coarse and 40-bit inputs with their own table, param and result types and
// sizes, in both table styles.
class HlsTypedGraph : public ::testing::TestWithParam<std::string> {};

TEST_P(HlsTypedGraph, MatchesEmulatorBitForBit) {
  const std::string text =
      ReadText((SourceDir() / "tests/models/hls_graphs/typed" / (GetParam() + ".fnir")).string());
  for (const char* io : {"io_parallel", "io_stream"}) {
    SCOPED_TRACE(io);
    std::string t = text;
    const size_t at = t.find("io=io_parallel");
    ASSERT_NE(at, std::string::npos) << GetParam() << " has no io=io_parallel setting";
    t.replace(at, 14, std::string("io=") + io);
    TempDir tmp;
    WriteText(tmp / "graph.fnir", t);
    auto g = Load(tmp / "graph.fnir");
    ASSERT_TRUE(g.ok()) << g.status().message();
    HlsRun run;
    BuildAndCsim(*g, tmp / "prj", 1000, &run);
    EXPECT_EQ(run.csim.failed, 0) << run.csim.output.substr(0, 2000);
    EXPECT_EQ(run.csim.passed, 1000);
  }
}

INSTANTIATE_TEST_SUITE_P(Typed, HlsTypedGraph, ::testing::Values("mixed_types", "selu_types"));

}  // namespace
}  // namespace firmnet::e2e
