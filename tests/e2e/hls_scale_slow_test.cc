// Scale: the HLS project of KERAS_dense_16x500x500x500x500x500x5 (about 1 M weights) compiles
// with g++ and its C-simulation passes bit-exactly on 1000 samples. hls4ml users hit g++ crashes
// on weight arrays this size; firmnet writes them as plain integer arrays (bench/hls_csim_scale.sh
// measures time and memory).
#include "hls_util.h"

namespace firmnet::e2e {
namespace {

TEST(HlsScale, DenseFiveHundredWideCsimPasses) {
  if (!HaveExampleModels()) GTEST_SKIP() << ExampleModels() << " is absent";
  const std::string prefix =
      (ExampleModels() / "keras/KERAS_dense_16x500x500x500x500x500x5").string();
  auto g = Load(prefix + ".json", prefix + "_weights.h5");
  ASSERT_TRUE(g.ok()) << g.status().message();
  TempDir tmp;
  HlsRun run;
  BuildAndCsim(*g, tmp / "prj", 1000, &run);
  EXPECT_EQ(run.csim.failed, 0) << run.csim.output.substr(0, 2000);
  EXPECT_EQ(run.csim.passed, 1000);
  std::printf("compile %.1f s, run %.1f s\n", run.csim.compile_seconds, run.csim.run_seconds);
}

}  // namespace
}  // namespace firmnet::e2e
