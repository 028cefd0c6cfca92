#include "firmnet/common/data_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace firmnet {
namespace {
namespace fs = std::filesystem;

// A fresh directory laid out like an install: prefix/bin/firmnet and, when asked,
// prefix/share/firmnet/hls/include/ap_fixed.h. Removed on destruction.
class FakePrefix {
 public:
  FakePrefix() {
    std::string templ = (fs::temp_directory_path() / "firmnet_data_dir_XXXXXX").string();
    EXPECT_NE(mkdtemp(templ.data()), nullptr);
    root_ = templ;
    fs::create_directories(root_ / "bin");
    std::ofstream(root_ / "bin/firmnet") << "";
  }
  ~FakePrefix() {
    std::error_code ec;
    fs::permissions(root_ / "share/firmnet", fs::perms::owner_all, ec);
    fs::remove_all(root_, ec);
  }
  void AddHeaders(const fs::path& data_dir) {
    fs::create_directories(data_dir / "hls/include");
    std::ofstream(data_dir / "hls/include/ap_fixed.h") << "// test\n";
  }
  fs::path DataDir() const { return root_ / "share/firmnet"; }
  std::string Executable() const { return (root_ / "bin/firmnet").string(); }
  const fs::path& Root() const { return root_; }

 private:
  fs::path root_;
};

TEST(DataDir, RelativeDataDirIsRelative) {
  EXPECT_FALSE(RelativeDataDir().empty());
  EXPECT_FALSE(fs::path(RelativeDataDir()).is_absolute()) << RelativeDataDir();
}

TEST(DataDir, ExecutablePathIsThisTestBinary) {
  StatusOr<std::string> exe = ExecutablePath();
  ASSERT_TRUE(exe.ok()) << exe.status().ToString();
  EXPECT_TRUE(fs::path(*exe).is_absolute()) << *exe;
  EXPECT_TRUE(fs::is_regular_file(*exe)) << *exe;
  EXPECT_NE(fs::path(*exe).filename().string().find("tests"), std::string::npos) << *exe;
}

TEST(DataDir, FoundRelativeToTheExecutable) {
  FakePrefix p;
  p.AddHeaders(p.DataDir());
  // The default layout puts the data in ../share/firmnet; other layouts land elsewhere.
  const fs::path data = (p.Root() / "bin" / RelativeDataDir()).lexically_normal();
  if (data != p.DataDir()) p.AddHeaders(data);
  StatusOr<std::string> found = FindDataPath("hls/include", {std::nullopt, p.Executable()});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(fs::path(*found), data / "hls/include");
}

TEST(DataDir, EmptyEnvironmentValueCountsAsUnset) {
  FakePrefix p;
  const fs::path data = (p.Root() / "bin" / RelativeDataDir()).lexically_normal();
  p.AddHeaders(data);
  StatusOr<std::string> found = FindDataPath("hls/include", {"", p.Executable()});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(fs::path(*found), data / "hls/include");
}

TEST(DataDir, EnvironmentOverridesTheExecutable) {
  FakePrefix p;
  p.AddHeaders((p.Root() / "bin" / RelativeDataDir()).lexically_normal());
  const fs::path other = p.Root() / "elsewhere";
  p.AddHeaders(other);
  StatusOr<std::string> found = FindDataPath("hls/include", {other.string(), p.Executable()});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(fs::path(*found), other / "hls/include");
}

// An embedding's directory (the Python module's) replaces the executable's (the interpreter's);
// the environment still overrides it.
TEST(DataDir, EmbeddedDirectoryReplacesTheExecutablesAndYieldsToTheEnvironment) {
  FakePrefix p;
  p.AddHeaders((p.Root() / "bin" / RelativeDataDir()).lexically_normal());
  const fs::path package = p.Root() / "site" / "firmnet" / "data";
  p.AddHeaders(package);
  StatusOr<std::string> found =
      FindDataPath("hls/include", {std::nullopt, p.Executable(), package.string()});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(fs::path(*found), package / "hls/include");
  const fs::path other = p.Root() / "elsewhere";
  p.AddHeaders(other);
  found = FindDataPath("hls/include", {other.string(), p.Executable(), package.string()});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(fs::path(*found), other / "hls/include");
  const fs::path missing = p.Root() / "site" / "nothing";
  found = FindDataPath("hls/include", {std::nullopt, p.Executable(), missing.string()});
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find(missing.string()), std::string::npos)
      << found.status().message();
  EXPECT_NE(found.status().message().find("Python module"), std::string::npos)
      << found.status().message();
}

TEST(DataDir, RelativeEnvironmentValueIsMadeAbsolute) {
  FakePrefix p;
  p.AddHeaders(p.Root() / "data");
  const fs::path cwd = fs::current_path();
  fs::current_path(p.Root());
  StatusOr<std::string> found = FindDataPath("hls/include", {"data", ""});
  fs::current_path(cwd);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_TRUE(fs::path(*found).is_absolute()) << *found;
  EXPECT_TRUE(fs::equivalent(*found, p.Root() / "data/hls/include")) << *found;
}

// A wrong override is an error that names it, even when the executable's own data is there.
TEST(DataDir, MissingEnvironmentDirectoryIsAnErrorNamingIt) {
  FakePrefix p;
  p.AddHeaders((p.Root() / "bin" / RelativeDataDir()).lexically_normal());
  const std::string missing = (p.Root() / "no/such/dir").string();
  StatusOr<std::string> found = FindDataPath("hls/include", {missing, p.Executable()});
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(found.status().message().rfind("firmnet's data directory was not found: looked for " +
                                               missing +
                                               " (from FIRMNET_DATA_DIR), which does "
                                               "not exist",
                                           0),
            0u)
      << found.status().message();
  EXPECT_NE(found.status().message().find("Set FIRMNET_DATA_DIR"), std::string::npos);
}

TEST(DataDir, MissingDirectoryBesideTheExecutableIsAnErrorNamingIt) {
  FakePrefix p;
  const std::string expected = (p.Root() / "bin" / RelativeDataDir()).lexically_normal().string();
  StatusOr<std::string> found = FindDataPath("hls/include", {std::nullopt, p.Executable()});
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find("looked for " + expected +
                                          " (relative to the "
                                          "executable " +
                                          p.Executable()),
            std::string::npos)
      << found.status().message();
  EXPECT_NE(found.status().message().find("FIRMNET_DATA_DIR not set"), std::string::npos);
}

TEST(DataDir, DirectoryWithoutTheFileNamesTheFile) {
  FakePrefix p;
  const fs::path data = p.Root() / "empty";
  fs::create_directories(data);
  StatusOr<std::string> found = FindDataPath("hls/include", {data.string(), p.Executable()});
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find("firmnet's data directory has no hls/include: looked "
                                          "for " +
                                          (data / "hls/include").string() +
                                          " (data directory from FIRMNET_DATA_DIR), which does "
                                          "not exist"),
            std::string::npos)
      << found.status().message();
}

TEST(DataDir, AFileIsNotADataDirectory) {
  FakePrefix p;
  StatusOr<std::string> found = FindDataPath("hls/include", {p.Executable(), ""});
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find(p.Executable() + " (from FIRMNET_DATA_DIR), which is "
                                                           "not a directory"),
            std::string::npos)
      << found.status().message();
}

TEST(DataDir, UnreadableDirectoryIsAnError) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads every directory";
  FakePrefix p;
  p.AddHeaders(p.DataDir());
  fs::permissions(p.DataDir(), fs::perms::none);
  StatusOr<std::string> found = FindDataPath("hls/include", {p.DataDir().string(), ""});
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find(p.DataDir().string() +
                                          " (from FIRMNET_DATA_DIR), which is not readable"),
            std::string::npos)
      << found.status().message();
}

TEST(DataDir, NoExecutableAndNoEnvironmentSaysSo) {
  StatusOr<std::string> found = FindDataPath("hls/include", {std::nullopt, ""});
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find("/proc/self/exe"), std::string::npos);
  EXPECT_NE(found.status().message().find("FIRMNET_DATA_DIR is not set"), std::string::npos);
}

}  // namespace
}  // namespace firmnet
