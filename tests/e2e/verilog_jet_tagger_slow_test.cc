// The jet tagger (examples/jet_tagger: 16-64-32-32-5, ReLU, softmax) through the CLI: Keras
// files to Verilog, then 10 000 samples simulated under Verilator, bit for bit against the
// emulator. Large (a minute or more of Verilator build): label 'slow'.
#include <sys/wait.h>

#include <chrono>
#include <random>

#include "e2e_util.h"
#include "firmnet/io/samples.h"

namespace firmnet::e2e {
namespace {

TEST(VerilogJetTaggerSlow, TenThousandSamplesBitExact) {
  TempDir tmp;
  const fs::path jet = SourceDir() / "examples/jet_tagger";
  // Samples like the example inputs: each feature with its own mean and spread.
  emu::Batch ex = ReadBatch((jet / "inputs.npy").string());
  ASSERT_EQ(ex.cols, 16);
  std::vector<double> mean(16, 0), sd(16, 0);
  for (int64_t r = 0; r < ex.rows; ++r) {
    for (int c = 0; c < 16; ++c) mean[c] += ex.data[r * 16 + c] / ex.rows;
  }
  for (int64_t r = 0; r < ex.rows; ++r) {
    for (int c = 0; c < 16; ++c) {
      const double d = ex.data[r * 16 + c] - mean[c];
      sd[c] += d * d / ex.rows;
    }
  }
  std::mt19937 rng(10000);
  io::Matrix m{10000, 16, {}};
  for (int64_t r = 0; r < m.rows; ++r) {
    for (int c = 0; c < 16; ++c) {
      std::normal_distribution<double> n(mean[c], std::sqrt(sd[c]) * 1.5);
      m.data.push_back(n(rng));
    }
  }
  const std::string inputs = tmp / "x.npy";
  ASSERT_TRUE(io::WriteSamples(inputs, m).ok());

  auto run = [&](const std::string& args) {
    const std::string cmd =
        std::string(FIRMNET_BINARY) + " " + args + " > " + (tmp / "out.txt") + " 2>&1";
    const int status = std::system(cmd.c_str());
    std::printf("%s", ReadText(tmp / "out.txt").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  const std::string proj = tmp / "rtl";
  ASSERT_EQ(run("build " + (jet / "jet_tagger.json").string() + " --weights " +
                (jet / "jet_tagger_weights.h5").string() + " -c " + (jet / "config.yml").string() +
                " --backend verilog -o " + proj),
            0);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run("sim " + proj + " --input " + inputs + " --output " + (tmp / "y.txt")), 0);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("sim through the CLI: %.1f s\n", s);
  const std::string out = ReadText(tmp / "out.txt");
  EXPECT_NE(out.find("10000 passed, 0 failed"), std::string::npos) << out;
  ASSERT_EQ(run("predict " + (jet / "jet_tagger.json").string() + " --weights " +
                (jet / "jet_tagger_weights.h5").string() + " -c " + (jet / "config.yml").string() +
                " --input " + inputs + " --output " + (tmp / "emu.txt")),
            0);
  EXPECT_EQ(ReadText(tmp / "y.txt"), ReadText(tmp / "emu.txt"));
}

}  // namespace
}  // namespace firmnet::e2e
