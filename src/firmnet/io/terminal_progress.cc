#include "firmnet/io/terminal_progress.h"

#include <unistd.h>

#include <cstdio>
#include <utility>

namespace firmnet::io {

TerminalProgress::TerminalProgress(std::string prefix)
    : prefix_(std::move(prefix)), enabled_(isatty(STDERR_FILENO) != 0) {}

TerminalProgress::~TerminalProgress() { Clear(); }

void TerminalProgress::Clear() {
  if (shown_) std::fputs("\r\033[K", stderr);
  shown_ = false;
}

void TerminalProgress::Update(const std::string& what, double elapsed_s) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K%s: %s, %.0f s", prefix_.c_str(), what.c_str(), elapsed_s);
  std::fflush(stderr);
  shown_ = true;
}

}  // namespace firmnet::io
