// The relocatable install (common/data_dir.h) through the CLI: the binary finds the HLS headers
// in its data directory ($FIRMNET_DATA_DIR, else ../share/firmnet beside it; the build tree has
// the same layout), and a missing or incomplete data directory fails `build --csim` with an error
// naming the path it looked for. scripts/check-install runs an installed copy with the checkout
// hidden.
#include "e2e_util.h"
#include "firmnet/common/data_dir.h"

namespace firmnet::e2e {
namespace {

class InstallToolTest : public ::testing::Test {
 protected:
  // `firmnet build tiny.fnir --backend hls -o DIR --csim` with `env` before the binary.
  CliResult BuildCsim(const std::string& env, const std::string& out) {
    return RunFirmnet({"build", (SourceDir() / "tests/golden/hls/tiny.fnir").string(), "--backend",
                       "hls", "-o", tmp_ / out, "--csim"},
                      tmp_.path(), env);
  }

  // An error exit whose message contains every one of `needles`.
  static void ExpectFailureNaming(const CliResult& r, const std::vector<std::string>& needles) {
    ASSERT_TRUE(r.exited) << r.err;
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("firmnet: error: "), std::string::npos) << r.err;
    for (const auto& n : needles) {
      EXPECT_NE(r.err.find(n), std::string::npos) << "'" << n << "' not in: " << r.err;
    }
  }

  TempDir tmp_;
};

TEST_F(InstallToolTest, VersionNamesTheVersionAndTheRevision) {
  const CliResult r = RunFirmnet({"--version"}, tmp_.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("firmnet 0.", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(" (git "), std::string::npos) << r.out;
}

// The build tree is laid out like an install, so the freshly built binary needs no override.
TEST_F(InstallToolTest, BuildTreeBinaryFindsItsDataBesideIt) {
  const fs::path data = fs::path(FIRMNET_BINARY).parent_path() / RelativeDataDir();
  EXPECT_TRUE(fs::is_regular_file(data / "hls/include/ap_fixed.h")) << data;
  const CliResult r = BuildCsim("env -u FIRMNET_DATA_DIR ", "prj");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("passed, 0 failed"), std::string::npos) << r.out;
}

TEST_F(InstallToolTest, DataDirFromTheEnvironmentIsUsed) {
  const fs::path data = tmp_.path() / "data";
  fs::create_directories(data / "hls");
  fs::copy(SourceDir() / "hls/include", data / "hls/include", fs::copy_options::recursive);
  const CliResult r = BuildCsim("FIRMNET_DATA_DIR=" + Quote(data.string()) + " ", "prj");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("passed, 0 failed"), std::string::npos) << r.out;
}

// A wrong override is an error, even though the build tree's own data directory is there.
TEST_F(InstallToolTest, MissingDataDirFailsCsimNamingThePath) {
  const std::string missing = tmp_ / "no-such-dir";
  ExpectFailureNaming(BuildCsim("FIRMNET_DATA_DIR=" + Quote(missing) + " ", "prj"),
                      {"firmnet's data directory was not found",
                       "looked for " + missing + " (from FIRMNET_DATA_DIR), which does not exist",
                       "Set FIRMNET_DATA_DIR"});
}

TEST_F(InstallToolTest, DataDirWithoutTheHeadersFailsCsimNamingThePath) {
  const fs::path empty = tmp_.path() / "empty";
  fs::create_directories(empty);
  ExpectFailureNaming(BuildCsim("FIRMNET_DATA_DIR=" + Quote(empty.string()) + " ", "prj"),
                      {"firmnet's data directory has no hls/include",
                       "looked for " + (empty / "hls/include").string() +
                           " (data directory from FIRMNET_DATA_DIR), which does not exist"});
}

// `csim --hls-include DIR` still overrides the data directory, even a broken one.
TEST_F(InstallToolTest, HlsIncludeOverridesTheDataDir) {
  ASSERT_EQ(RunFirmnet({"build", (SourceDir() / "tests/golden/hls/tiny.fnir").string(), "--backend",
                        "hls", "-o", tmp_ / "prj"},
                       tmp_.path())
                .code,
            0);
  const CliResult r =
      RunFirmnet({"csim", tmp_ / "prj", "--hls-include", FIRMNET_HLS_INCLUDE}, tmp_.path(),
                 "FIRMNET_DATA_DIR=" + Quote(tmp_ / "no-such-dir") + " ");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("passed, 0 failed"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace firmnet::e2e
