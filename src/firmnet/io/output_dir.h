// Atomic output directories: a command writes every file into a fresh staging directory beside
// the target and renames it into place only when everything succeeded, so an error never leaves
// a half-written output directory behind.
#pragma once

#include <string>
#include <utility>

#include "firmnet/common/status.h"

namespace firmnet::io {

class OutputDir {
 public:
  // Refuses a non-empty existing `dir` unless `force`.
  static StatusOr<OutputDir> Begin(const std::string& dir, bool force);
  OutputDir(OutputDir&&) noexcept;
  OutputDir& operator=(OutputDir&&) = delete;
  ~OutputDir();  // removes the staging directory unless Commit() succeeded

  // Path of `relative` inside the staging directory (parent directories are created).
  StatusOr<std::string> PathFor(const std::string& relative);
  Status WriteFile(const std::string& relative, const std::string& contents);
  // Replaces `dir` with the staging directory.
  Status Commit();

 private:
  OutputDir(std::string dir, std::string staging)
      : dir_(std::move(dir)), staging_(std::move(staging)) {}
  std::string dir_;
  std::string staging_;
  bool committed_ = false;
};

}  // namespace firmnet::io
