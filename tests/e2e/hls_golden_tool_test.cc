// Golden files of the HLS backend for a tiny model (tests/golden/hls/tiny.fnir: dense with
// ReuseFactor 2 and a zero weight, linear, a 32-entry sigmoid table). The test diffs every
// generated file with tests/golden/hls/tiny/ (FIRMNET_UPDATE_GOLDEN=1 rewrites them) and then
// compiles and runs the golden project itself, so the golden files are proven, not just stored.
#include <cstdlib>
#include <fstream>

#include "hls_util.h"

namespace firmnet::e2e {
namespace {

constexpr int64_t kGoldenSamples = 64;

TEST(HlsGolden, TinyProjectMatchesGoldenAndItsCsimPasses) {
  const fs::path golden = SourceDir() / "tests/golden/hls/tiny";
  auto g = Load((SourceDir() / "tests/golden/hls/tiny.fnir").string());
  ASSERT_TRUE(g.ok()) << g.status().message();
  backend::hls::HlsProjectOptions o;
  o.tb_samples = kGoldenSamples;
  auto files = backend::hls::GenerateHlsProject(*g, o);
  ASSERT_TRUE(files.ok()) << files.status().message();
  const char* update = std::getenv("FIRMNET_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::remove_all(golden);
    for (const auto& [path, text] : *files) {
      fs::create_directories((golden / path).parent_path());
      std::ofstream((golden / path).string(), std::ios::binary) << text;
    }
  }
  size_t on_disk = 0;
  for (const auto& e : fs::recursive_directory_iterator(golden)) {
    if (!e.is_regular_file()) continue;
    ++on_disk;
    EXPECT_TRUE(files->count(fs::relative(e.path(), golden).string()))
        << "golden file no longer generated: " << e.path();
  }
  EXPECT_EQ(on_disk, files->size());
  for (const auto& [path, text] : *files) {
    EXPECT_EQ(ReadText((golden / path).string()), text)
        << path << " differs from the golden copy; if intended, rerun with FIRMNET_UPDATE_GOLDEN=1";
  }
  // Compile and run the golden project (a copy, so the source tree stays clean).
  TempDir tmp;
  fs::copy(golden, tmp.path() / "prj", fs::copy_options::recursive);
  backend::hls::CsimOptions c;
  c.project_dir = tmp / "prj";
  c.hls_include = FIRMNET_HLS_INCLUDE;
  auto r = backend::hls::RunCsim(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->failed, 0) << r->output;
  EXPECT_EQ(r->passed, kGoldenSamples) << r->output;
}

}  // namespace
}  // namespace firmnet::e2e
