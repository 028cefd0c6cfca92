// Golden files of the Verilog backend for a tiny model (tests/golden/verilog/tiny.fnir: dense
// with a zero weight and Multiplier auto, ReLU to an unsigned type, dense with Multiplier lut and
// a rounding, saturating result, softmax with 64-entry tables). The test diffs every generated
// file with tests/golden/verilog/tiny/ (FIRMNET_UPDATE_GOLDEN=1 rewrites them), then lints the
// golden project and simulates it under Icarus against the emulator, so the golden files are
// proven, not just stored. A change in the generator, its delay model or its schedule shows up
// here as a readable diff.
#include <cstdlib>
#include <fstream>
#include <random>

#include "e2e_util.h"
#include "firmnet/backend/verilog/design.h"
#include "firmnet/backend/verilog/simulate.h"

namespace firmnet::e2e {
namespace {

TEST(VerilogGolden, TinyProjectMatchesGoldenAndSimulatesBitExact) {
  const fs::path golden = SourceDir() / "tests/golden/verilog/tiny";
  auto g = Load((SourceDir() / "tests/golden/verilog/tiny.fnir").string());
  ASSERT_TRUE(g.ok()) << g.status().message();
  auto project = verilog::BuildProject(*g, "tiny");
  ASSERT_TRUE(project.ok()) << project.status().message();
  const auto& files = project->files;
  const char* update = std::getenv("FIRMNET_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::remove_all(golden);
    fs::create_directories(golden);
    for (const auto& [path, text] : files) {
      std::ofstream((golden / path).string(), std::ios::binary) << text;
    }
  }
  size_t on_disk = 0;
  for (const auto& e : fs::recursive_directory_iterator(golden)) {
    if (!e.is_regular_file()) continue;
    ++on_disk;
    EXPECT_TRUE(files.count(fs::relative(e.path(), golden).string()))
        << "golden file no longer generated: " << e.path();
  }
  EXPECT_EQ(on_disk, files.size());
  for (const auto& [path, text] : files) {
    EXPECT_EQ(ReadText((golden / path).string()), text)
        << path << " differs from the golden copy; if intended, rerun with FIRMNET_UPDATE_GOLDEN=1";
  }

  // Lint and simulate the golden project itself (a copy, so the source tree stays clean).
  TempDir tmp;
  const fs::path dir = tmp.path() / "prj";
  fs::copy(golden, dir, fs::copy_options::recursive);
  Status lint = verilog::Lint(dir.string());
  EXPECT_TRUE(lint.ok()) << lint.message();
  emu::Batch x;
  x.cols = 4;
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-18.0, 18.0);  // beyond <8,3>'s range: saturation
  for (x.rows = 0; x.rows < 400; ++x.rows) {
    for (int c = 0; c < 4; ++c) x.data.push_back(u(rng));
  }
  verilog::SimOptions o;
  o.dir = dir.string();
  o.simulator = "icarus";
  // The emulator runs the resolved model stored in the golden project, as `firmnet sim` does.
  auto model = verilog::ProjectModelPath(o.dir);
  ASSERT_TRUE(model.ok()) << model.status().message();
  auto stored = Load(*model);
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  auto r = verilog::Simulate(o, *stored, x);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->failed, 0) << r->first_mismatch;
  EXPECT_EQ(r->passed, x.rows);
  EXPECT_EQ(r->latency, project->info.latency);
}

}  // namespace
}  // namespace firmnet::e2e
