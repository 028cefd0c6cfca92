#include "firmnet/io/output_dir.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace firmnet::io {
namespace fs = std::filesystem;

StatusOr<OutputDir> OutputDir::Begin(const std::string& dir, bool force) {
  std::error_code ec;
  if (dir.empty()) return InvalidArgument("the output directory name is empty");
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      return InvalidArgument(dir + ": exists and is not a directory");
    }
    if (!fs::is_empty(dir, ec) && !force) {
      return InvalidArgument(dir + ": directory is not empty (use --force to replace it)");
    }
  }
  const fs::path target = fs::absolute(dir, ec);
  const fs::path parent = target.parent_path();
  fs::create_directories(parent, ec);
  if (ec) return IoError(parent.string() + ": cannot create directory: " + ec.message());
  const std::string staging =
      (parent / ("." + target.filename().string() + ".firmnet-tmp-" + std::to_string(getpid())))
          .string();
  fs::remove_all(staging, ec);
  fs::create_directory(staging, ec);
  if (ec) return IoError(staging + ": cannot create directory: " + ec.message());
  return OutputDir(target.string(), staging);
}

OutputDir::OutputDir(OutputDir&& o) noexcept
    : dir_(std::move(o.dir_)), staging_(std::move(o.staging_)), committed_(o.committed_) {
  o.committed_ = true;  // the moved-from object owns nothing
}

OutputDir::~OutputDir() {
  if (!committed_ && !staging_.empty()) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

StatusOr<std::string> OutputDir::PathFor(const std::string& relative) {
  const fs::path p = fs::path(staging_) / relative;
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) return IoError(p.parent_path().string() + ": cannot create directory: " + ec.message());
  return p.string();
}

Status OutputDir::WriteFile(const std::string& relative, const std::string& contents) {
  FIRMNET_ASSIGN_OR_RETURN(std::string path, PathFor(relative));
  std::ofstream out(path, std::ios::binary);
  out << contents;
  out.close();
  if (!out) return IoError(path + ": cannot write the file");
  return OkStatus();
}

Status OutputDir::Commit() {
  std::error_code ec;
  if (fs::exists(dir_, ec)) {
    fs::remove_all(dir_, ec);
    if (ec) return IoError(dir_ + ": cannot replace the directory: " + ec.message());
  }
  fs::rename(staging_, dir_, ec);
  if (ec) return IoError(dir_ + ": cannot move the output into place: " + ec.message());
  committed_ = true;
  return OkStatus();
}

}  // namespace firmnet::io
