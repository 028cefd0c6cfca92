#include "firmnet/common/data_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

// CMake defines it for this file only, from the install layout (see CMakeLists.txt).
#ifndef FIRMNET_RELATIVE_DATA_DIR
#error "FIRMNET_RELATIVE_DATA_DIR (the data directory relative to the bin directory) is not defined"
#endif

namespace firmnet {
namespace {
namespace fs = std::filesystem;

struct Candidate {
  fs::path dir;
  std::string origin;  // "from FIRMNET_DATA_DIR", ...
};

std::vector<Candidate> Candidates(const DataDirSources& s) {
  if (s.env_value.has_value() && !s.env_value->empty()) {
    std::error_code ec;
    fs::path dir = fs::absolute(*s.env_value, ec);
    if (ec) dir = *s.env_value;
    return {{dir.lexically_normal(), std::string("from ") + kDataDirEnv}};
  }
  if (!s.embedded.empty()) {
    return {{fs::path(s.embedded).lexically_normal(),
             std::string("the Python module's, ") + kDataDirEnv + " not set"}};
  }
  if (s.executable.empty()) return {};
  const fs::path exe(s.executable);
  return {{(exe.parent_path() / RelativeDataDir()).lexically_normal(),
           "relative to the executable " + exe.string() + ", " + kDataDirEnv + " not set"}};
}

// Empty when `p` exists and can be read (and, for a directory, searched); otherwise why not,
// as the end of "looked for P, ...".
std::string Problem(const fs::path& p, bool want_directory) {
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (!fs::exists(st)) return "which does not exist";
  if (want_directory && !fs::is_directory(st)) return "which is not a directory";
  const int mode = fs::is_directory(st) ? (R_OK | X_OK) : R_OK;
  if (access(p.c_str(), mode) != 0) return "which is not readable";
  return "";
}

std::mutex embedded_mu;
std::string& EmbeddedDir() {
  static std::string dir;
  return dir;
}

}  // namespace

void SetEmbeddedDataDir(std::string dir) {
  std::lock_guard lock(embedded_mu);
  EmbeddedDir() = std::move(dir);
}

std::string_view RelativeDataDir() { return FIRMNET_RELATIVE_DATA_DIR; }

StatusOr<std::string> ExecutablePath() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) {
    return IoError("cannot read /proc/self/exe (the path of the running program): " + ec.message());
  }
  return exe.string();
}

DataDirSources CurrentDataDirSources() {
  DataDirSources s;
  if (const char* env = std::getenv(kDataDirEnv)) s.env_value = env;
  StatusOr<std::string> exe = ExecutablePath();
  if (exe.ok()) s.executable = *exe;
  std::lock_guard lock(embedded_mu);
  s.embedded = EmbeddedDir();
  return s;
}

StatusOr<std::string> FindDataPath(std::string_view relative, const DataDirSources& sources) {
  const std::vector<Candidate> candidates = Candidates(sources);
  const std::string hint = std::string(". Set ") + kDataDirEnv +
                           " to the share/firmnet directory of a complete firmnet install";
  if (candidates.empty()) {
    return NotFound(
        "firmnet's data directory was not found: the path of the running program "
        "could not be read from /proc/self/exe and " +
        std::string(kDataDirEnv) + " is not set" + hint);
  }
  std::string looked;
  bool dir_found = false;
  for (const Candidate& c : candidates) {
    if (!looked.empty()) looked += "; ";
    if (std::string why = Problem(c.dir, /*want_directory=*/true); !why.empty()) {
      looked += "looked for " + c.dir.string() + " (" + c.origin + "), " + why;
      continue;
    }
    dir_found = true;
    const fs::path item = c.dir / relative;
    const std::string why = Problem(item, /*want_directory=*/false);
    if (why.empty()) return item.string();
    looked += "looked for " + item.string() + " (data directory " + c.origin + "), " + why;
  }
  const std::string head = dir_found ? "firmnet's data directory has no " + std::string(relative)
                                     : std::string("firmnet's data directory was not found");
  return NotFound(head + ": " + looked + hint);
}

StatusOr<std::string> FindDataPath(std::string_view relative) {
  return FindDataPath(relative, CurrentDataDirSources());
}

}  // namespace firmnet
