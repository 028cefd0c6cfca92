// The HLS backend through the CLI, on the jet tagger (the "done when"): the ONNX and
// Keras forms build into projects whose C-simulation passes bit-exactly in io_parallel and
// io_stream, and `firmnet csim --input --output` writes exactly what `firmnet predict` writes.
#include "hls_util.h"

namespace firmnet::e2e {
namespace {

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

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

TEST(HlsCli, CsimOfANonProjectIsAnError) {
  TempDir t;
  Out r = Cli("csim " + Quote(t.path().string()), t);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("not an HLS project"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace firmnet::e2e
