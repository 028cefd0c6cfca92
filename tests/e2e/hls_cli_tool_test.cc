// The HLS backend through the CLI, on the jet tagger (the issue's "done when"): the ONNX and
// Keras forms build into projects whose C-simulation passes bit-exactly in io_parallel and
// io_stream, and `firmnet csim --input --output` writes exactly what `firmnet predict` writes
// (also for a project of two inputs and two outputs).
#include <nlohmann/json.hpp>

#include "firmnet/io/npy.h"
#include "firmnet/io/npz.h"
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

// Samples of shape [N, *shape] on the grid 1/16 in [-4, 4) (exact in <16,6>).
io::NdArray Sixteenths(std::vector<int64_t> shape, int seed) {
  io::NdArray a{std::move(shape), {}};
  int64_t n = 1;
  for (int64_t d : a.shape) n *= d;
  for (int64_t i = 0; i < n; ++i) a.data.push_back(((i * 37 + seed * 11) % 128 - 64) / 16.0);
  return a;
}

std::vector<io::NpzEntry> ReadArrays(const std::string& path) {
  auto e = io::ReadNpz(path);
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? *e : std::vector<io::NpzEntry>{};
}

// A project of two inputs and two outputs: `csim --input a.npy --input b.npy --output x.npz`
// (and one .npz of both inputs) equals `predict` on the same files, array for array.
TEST(HlsCli, CsimInputsOfATwoInputTwoOutputProjectEqualPredict) {
  TempDir t;
  const std::string model = (SourceDir() / "tests/models/hls_graphs/merge2_two_io.fnir").string();
  Out r = Cli("build " + Quote(model) + " --backend hls -o " + Quote(t / "prj"), t);
  ASSERT_EQ(r.code, 0) << r.out;
  const io::NdArray a = Sixteenths({50, 4, 3}, 1), b = Sixteenths({50, 4, 3}, 2);
  WriteText(t / "a.npy", io::EncodeNpyArray(a));
  WriteText(t / "b.npy", io::EncodeNpyArray(b));
  ASSERT_TRUE(io::WriteNpz(t / "ab.npz", {{"b", b}, {"a", a}}).ok());
  const std::string files = " --input " + Quote(t / "a.npy") + " --input " + Quote(t / "b.npy");
  r = Cli("predict " + Quote(model) + files + " --output " + Quote(t / "ref.npz"), t);
  ASSERT_EQ(r.code, 0) << r.out;
  r = Cli("csim " + Quote(t / "prj") + kInclude + files + " --output " + Quote(t / "csim.npz"), t);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("50 samples"), std::string::npos) << r.out;
  r = Cli("csim " + Quote(t / "prj") + kInclude + " --input " + Quote(t / "ab.npz") + " --output " +
              Quote(t / "csim_npz.npz"),
          t);
  ASSERT_EQ(r.code, 0) << r.out;
  const std::vector<io::NpzEntry> ref = ReadArrays(t / "ref.npz");
  ASSERT_EQ(ref.size(), 2u);
  EXPECT_EQ(ref[0].name, "c0");
  EXPECT_EQ(ref[1].name, "c1");
  for (const char* out : {"csim.npz", "csim_npz.npz"}) {
    SCOPED_TRACE(out);
    const std::vector<io::NpzEntry> got = ReadArrays(t / out);
    ASSERT_EQ(got.size(), ref.size());
    for (size_t k = 0; k < ref.size(); ++k) {
      EXPECT_EQ(got[k].name, ref[k].name);
      EXPECT_EQ(got[k].array.shape, ref[k].array.shape);
      EXPECT_EQ(got[k].array.data, ref[k].array.data);  // bit for bit
    }
  }
}

TEST(HlsCli, CsimInputErrorsNameTheFilesAndInputs) {
  TempDir t;
  const std::string model = (SourceDir() / "tests/models/hls_graphs/merge2_two_io.fnir").string();
  Out r = Cli("build " + Quote(model) + " --backend hls -o " + Quote(t / "prj"), t);
  ASSERT_EQ(r.code, 0) << r.out;
  WriteText(t / "a.npy", io::EncodeNpyArray(Sixteenths({5, 4, 3}, 1)));
  WriteText(t / "short.npy", io::EncodeNpyArray(Sixteenths({5, 4, 2}, 1)));
  ASSERT_TRUE(io::WriteNpz(t / "only_a.npz", {{"a", Sixteenths({5, 4, 3}, 1)}}).ok());
  const std::string csim = "csim " + Quote(t / "prj") + kInclude;
  // One file for two inputs.
  r = Cli(csim + " --input " + Quote(t / "a.npy") + " --output " + Quote(t / "o.npz"), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("a.npy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 inputs ('a' [4,3], 'b' [4,3])"), std::string::npos) << r.out;
  // The second file has the wrong shape.
  r = Cli(csim + " --input " + Quote(t / "a.npy") + " --input " + Quote(t / "short.npy") +
              " --output " + Quote(t / "o.npz"),
          t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("short.npy: array of shape [5,4,2] does not fit input 'b' [4,3]"),
            std::string::npos)
      << r.out;
  // An .npz without the array of input 'b'.
  r = Cli(csim + " --input " + Quote(t / "only_a.npz") + " --output " + Quote(t / "o.npz"), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("only_a.npz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(missing 'b')"), std::string::npos) << r.out;
  // Two outputs do not fit one .npy.
  r = Cli(csim + " --input " + Quote(t / "only_a.npz") + " --output " + Quote(t / "o.npy"), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("2 outputs ('c0', 'c1')"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(t / "o.npz"));
  EXPECT_FALSE(fs::exists(t / "o.npy"));
  // A damaged ports file must not size anything.
  WriteText(
      t / "prj/tb_data/ports.json",
      R"({"inputs": [{"name": "a", "shape": [-4, 3]}], "outputs": [{"name": "c0", "shape": [1]}]})");
  r = Cli(csim + " --input " + Quote(t / "a.npy") + " --output " + Quote(t / "o.npz"), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("port 'a' has shape [-4,3]"), std::string::npos) << r.out;
}

TEST(HlsCli, CsimOfANonProjectIsAnError) {
  TempDir t;
  Out r = Cli("csim " + Quote(t.path().string()), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("not an HLS project"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace firmnet::e2e
