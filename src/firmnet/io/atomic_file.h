// Atomic file replacement for everything firmnet writes (samples, and any other module's output).
//
// A reader of the target path sees either the old file or the complete new one, never a partial
// write: the bytes go to a uniquely named temporary file in the target's own directory (so the
// final rename never crosses a file system), are flushed to disk, and then renamed over the
// target. On any error the temporary file is removed and the target is left untouched.
#pragma once

#include <string>
#include <string_view>

#include "firmnet/common/status.h"

namespace firmnet::io {

// Replaces the file at `path` with `contents`. New files get the usual 0666 & ~umask permissions.
Status WriteFileAtomic(const std::string& path, std::string_view contents);

// Reads the whole file at `path` into `*contents`. NotFound when it does not exist, IoError when
// it cannot be read (a directory, no permission, ...).
Status ReadFile(const std::string& path, std::string* contents);

}  // namespace firmnet::io
