#include "firmnet/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <system_error>

namespace firmnet::io {
namespace {

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Distinguishes temporary files of concurrent writers in one process; the pid separates processes
// and O_EXCL settles any remaining collision (for example with a stale file from a crash).
std::atomic<uint64_t> g_temp_counter{0};

// Writes all of `data` to `fd`, retrying on short writes and EINTR.
Status WriteAll(int fd, std::string_view data, const std::string& temp_path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write temporary file '" + temp_path + "': " + ErrnoText(errno));
    }
    done += static_cast<size_t>(n);
  }
  return OkStatus();
}

}  // namespace

Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  if (path.empty()) return InvalidArgument("cannot write a file with an empty path");
  std::filesystem::path target(path);
  std::string name = target.filename().string();
  if (name.empty() || name == "." || name == "..") {
    return InvalidArgument("cannot write '" + path + "': the path names a directory, not a file");
  }
  std::filesystem::path dir = target.parent_path();

  int fd = -1;
  std::string temp_path;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    // A leading dot keeps the half-written file out of plain directory listings.
    std::filesystem::path temp = dir / ("." + name + "." + std::to_string(::getpid()) + "." +
                                        std::to_string(g_temp_counter.fetch_add(1)) + ".tmp");
    temp_path = temp.string();
    fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) {
      return IoError("cannot write '" + path + "': cannot create temporary file '" + temp_path +
                     "': " + ErrnoText(errno));
    }
  }
  if (fd < 0) {
    return IoError("cannot write '" + path + "': no free temporary file name in '" +
                   (dir.empty() ? std::string(".") : dir.string()) + "'");
  }

  Status status = WriteAll(fd, contents, temp_path);
  // fsync before rename: otherwise a crash soon after could leave the renamed file empty.
  if (status.ok() && ::fsync(fd) != 0) {
    status = IoError("cannot flush temporary file '" + temp_path + "': " + ErrnoText(errno));
  }
  if (::close(fd) != 0 && status.ok()) {
    status = IoError("cannot close temporary file '" + temp_path + "': " + ErrnoText(errno));
  }
  if (status.ok() && ::rename(temp_path.c_str(), path.c_str()) != 0) {
    status = IoError("cannot write '" + path +
                     "': cannot rename the temporary file over it: " + ErrnoText(errno));
  }
  if (!status.ok()) ::unlink(temp_path.c_str());
  return status;
}

Status ReadFile(const std::string& path, std::string* contents) {
  contents->clear();
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; for a
  // regular file the flag has no effect, and anything else is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return NotFound("cannot read '" + path + "': no such file");
    return IoError("cannot read '" + path + "': " + ErrnoText(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError("cannot read '" + path + "': not a regular file");
  }
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return IoError("cannot read '" + path + "': " + ErrnoText(err));
    }
    if (n == 0) break;
    contents->append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return OkStatus();
}

}  // namespace firmnet::io
