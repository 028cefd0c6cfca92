// hls4ml's batchnorm rule through both backends: the batch-normalized jet tagger with a typed
// Dense result (four batchnorm layers) and with an auto one (folded into the Dense layers, whose
// sums are then up to 37 bits wide), built as an HLS project and as Verilog, C-simulated and
// RTL-simulated, and compared with the emulator bit for bit.
#include "e2e_util.h"

namespace firmnet::e2e {
namespace {

class BatchNormBackends : public ::testing::TestWithParam<std::string> {
 protected:
  CliResult Cli(const std::vector<std::string>& args) { return RunFirmnet(args, tmp_.path()); }
  TempDir tmp_;
};

TEST_P(BatchNormBackends, HlsCsimAndVerilogSimEqualTheEmulator) {
  if (!HaveExampleModels()) GTEST_SKIP() << ExampleModels() << " is absent";
  const std::string mode = GetParam();
  const fs::path ref = SourceDir() / "tests/models/bn_reference";
  const std::vector<std::string> model = {
      (ExampleModels() / "keras/KERAS_3layer_batch_norm.json").string(), "--weights",
      (ExampleModels() / "keras/KERAS_3layer_batch_norm_weights.h5").string(), "-c",
      (ref / (mode + ".yml")).string()};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin() + 1, model.begin(), model.end());
    return args;
  };
  const std::string inputs = (ref / "inputs.npy").string();

  CliResult r = Cli(with({"predict", "--input", inputs, "--output", tmp_ / "emu.txt"}));
  ASSERT_EQ(r.code, 0) << r.err;

  // HLS: the project's own testbench compares every output with the emulator's.
  r = Cli(with({"build", "--backend", "hls", "-o", tmp_ / "hls", "--csim"}));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(" passed, 0 failed"), std::string::npos) << r.out;
  r = Cli({"csim", tmp_ / "hls", "--input", inputs, "--output", tmp_ / "csim.txt"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(ReadText(tmp_ / "csim.txt"), ReadText(tmp_ / "emu.txt"));

  // Verilog under Verilator.
  r = Cli(with({"build", "--backend", "verilog", "-o", tmp_ / "rtl"}));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  r = Cli({"sim", tmp_ / "rtl", "--input", inputs, "--output", tmp_ / "rtl.txt"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("400 passed, 0 failed"), std::string::npos) << r.out;
  EXPECT_EQ(ReadText(tmp_ / "rtl.txt"), ReadText(tmp_ / "emu.txt"));
}

INSTANTIATE_TEST_SUITE_P(Configs, BatchNormBackends, ::testing::Values("fixed", "auto"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace firmnet::e2e
