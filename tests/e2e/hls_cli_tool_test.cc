// The HLS backend through the CLI, on the jet tagger (the "done when"): the ONNX and
// Keras forms build into projects whose C-simulation passes bit-exactly in io_parallel and
// io_stream, and `firmnet csim --input --output` writes exactly what `firmnet predict` writes.
#include <nlohmann/json.hpp>

#include "hls_util.h"

namespace firmnet::e2e {
namespace {

struct Out {
  int code = -1;
  std::string out;
};

Out Cli(const std::string& args, const TempDir& t) {
  const std::string o = t / ".out";
  const int status =
      std::system((Quote(FIRMNET_BINARY) + " " + args + " >" + Quote(o) + " 2>&1").c_str());
  Out r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadText(o);
  return r;
}

const std::string kJt = (SourceDir() / "examples/jet_tagger").string();
const std::string kInclude = std::string(" --hls-include ") + FIRMNET_HLS_INCLUDE;

TEST(HlsCli, JetTaggerOnnxIoParallelBuildCsimPasses) {
  TempDir t;
  Out r = Cli("build " + Quote(kJt + "/jet_tagger.onnx") + " -c " + Quote(kJt + "/config.yml") +
                  " --backend hls -o " + Quote(t / "prj") + " --csim",
              t);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1000 passed, 0 failed"), std::string::npos) << r.out;
  // The C-sim on the demo's own inputs equals predict, byte for byte.
  r = Cli("csim " + Quote(t / "prj") + kInclude + " --input " + Quote(kJt + "/inputs.npy") +
              " --output " + Quote(t / "csim.txt"),
          t);
  ASSERT_EQ(r.code, 0) << r.out;
  r = Cli("predict " + Quote(kJt + "/jet_tagger.onnx") + " -c " + Quote(kJt + "/config.yml") +
              " --input " + Quote(kJt + "/inputs.npy") + " --output " + Quote(t / "predict.txt"),
          t);
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string csim = ReadText(t / "csim.txt");
  EXPECT_FALSE(csim.empty());
  EXPECT_EQ(csim, ReadText(t / "predict.txt"));
}

TEST(HlsCli, CsimJsonReportsTheTestbench) {
  TempDir t;
  const std::string tiny = (SourceDir() / "tests/models/mlp_relu_bn.onnx").string();
  Out r = Cli("build " + Quote(tiny) + " --backend hls -o " + Quote(t / "prj"), t);
  ASSERT_EQ(r.code, 0) << r.out;
  r = Cli("csim " + Quote(t / "prj") + kInclude + " --json", t);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["samples"].get<int>(), 0);
  EXPECT_EQ(j["passed"], j["samples"]);
  EXPECT_EQ(j["failed"], 0);
}

TEST(HlsCli, JetTaggerKerasIoStreamBuildThenCsimPasses) {
  TempDir t;
  const std::string cfg = t / "stream.yml";
  WriteText(cfg, ReadText(kJt + "/config.yml") + "IOType: io_stream\n");
  Out r = Cli("build " + Quote(kJt + "/jet_tagger.json") + " --weights " +
                  Quote(kJt + "/jet_tagger_weights.h5") + " -c " + Quote(cfg) +
                  " --backend hls -o " + Quote(t / "prj"),
              t);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(ReadText(t / "prj/firmware/myproject.cpp").find("#pragma HLS DATAFLOW"),
            std::string::npos);
  r = Cli("csim " + Quote(t / "prj") + kInclude, t);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1000 passed, 0 failed"), std::string::npos) << r.out;
  // A broken expectation is reported as a failure with a non-zero exit.
  std::string expected = ReadText(t / "prj/tb_data/tb_output_predictions.dat");
  const size_t sp = expected.find(' ');
  expected.replace(0, sp, "0.5");
  WriteText(t / "prj/tb_data/tb_output_predictions.dat", expected);
  r = Cli("csim " + Quote(t / "prj") + kInclude, t);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("999 passed, 1 failed"), std::string::npos) << r.out;
}

// --hls-port picks the INTERFACE mode of the io_parallel ports; an ap_none project still
// C-simulates bit-exactly (one small compile).
TEST(HlsCli, HlsPortSetsTheInterfacePragmaAndApNoneCsimPasses) {
  TempDir t;
  const std::string tiny = (SourceDir() / "tests/golden/hls/tiny.fnir").string();
  Out r = Cli("build " + Quote(tiny) + " --backend hls -o " + Quote(t / "vld"), t);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(
      ReadText(t / "vld/firmware/tiny.cpp").find("#pragma HLS INTERFACE ap_vld port = x,sig_out\n"),
      std::string::npos);
  r = Cli(
      "build " + Quote(tiny) + " --backend hls --hls-port ap_none --csim -o " + Quote(t / "none"),
      t);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1000 passed, 0 failed"), std::string::npos) << r.out;
  const std::string top = ReadText(t / "none/firmware/tiny.cpp");
  EXPECT_NE(top.find("#pragma HLS INTERFACE ap_none port = x,sig_out\n"), std::string::npos) << top;
  EXPECT_EQ(top.find("ap_vld"), std::string::npos) << top;
}

TEST(HlsCli, HlsPortErrors) {
  TempDir t;
  const std::string tiny = (SourceDir() / "tests/golden/hls/tiny.fnir").string();
  // A misspelled value is named in the error, and nothing is written.
  Out r = Cli("build " + Quote(tiny) + " --backend hls --hls-port ap_vlid -o " + Quote(t / "a"), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("'ap_vlid'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ap_vld or ap_none"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(t / "a"));
  // Other backends refuse it rather than ignore it.
  r = Cli("build " + Quote(tiny) + " --backend verilog --hls-port ap_none -o " + Quote(t / "b"), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("--hls-port applies to --backend hls only"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(t / "b"));
  // io_stream ports are AXI streams.
  const std::string cfg = t / "stream.yml";
  WriteText(cfg, ReadText(kJt + "/config.yml") + "IOType: io_stream\n");
  r = Cli("build " + Quote(kJt + "/jet_tagger.onnx") + " -c " + Quote(cfg) +
              " --backend hls --hls-port ap_none -o " + Quote(t / "c"),
          t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("io_stream"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(t / "c"));
}

TEST(HlsCli, CsimOfANonProjectIsAnError) {
  TempDir t;
  Out r = Cli("csim " + Quote(t.path().string()), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("not an HLS project"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace firmnet::e2e
