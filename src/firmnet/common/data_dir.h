// firmnet's data directory: the read-only files the program reads at run time (today the HLS
// headers used for C-simulation, hls/include). It is found at run time, never through a path
// compiled in, so that an installed firmnet (a prefix, a Python module, a server image) keeps
// working when it moves and when the source tree is gone:
//
//   1. $FIRMNET_DATA_DIR, when set and not empty. It is then the only place looked at: a wrong
//      override is an error, not something quietly replaced by another copy.
//   2. Otherwise <directory of the running executable>/<RelativeDataDir()>, which is
//      ../share/firmnet in the GNU layout: <prefix>/bin/firmnet finds <prefix>/share/firmnet.
//      The build tree has the same layout (<build>/bin/firmnet, <build>/share/firmnet), so a
//      freshly built binary finds its data by the same rule.
//   An embedding that is not an executable of its own (the Python module, whose executable is
//   the interpreter) names its data directory with SetEmbeddedDataDir; it then replaces rule 2.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "firmnet/common/status.h"

namespace firmnet {

// The environment variable that overrides the data directory.
inline constexpr const char* kDataDirEnv = "FIRMNET_DATA_DIR";

// The data directory relative to the executable's directory, as the build was configured
// (CMAKE_INSTALL_BINDIR to CMAKE_INSTALL_DATADIR/firmnet): "../share/firmnet" by default.
std::string_view RelativeDataDir();

// The running executable's absolute path (from /proc/self/exe, symbolic links resolved).
StatusOr<std::string> ExecutablePath();

// Where to look: the value of $FIRMNET_DATA_DIR (nullopt when unset) and the executable's path.
struct DataDirSources {
  std::optional<std::string> env_value;
  std::string executable;
  std::string embedded = {};  // SetEmbeddedDataDir's directory; empty: none
};

// The data directory of an embedding (the Python module: firmnet/data beside its extension
// module). Process-wide; set once, before the first FindDataPath.
void SetEmbeddedDataDir(std::string dir);

// The sources of this process: $FIRMNET_DATA_DIR and ExecutablePath(). An unreadable
// /proc/self/exe leaves `executable` empty; FindDataPath then reports it.
DataDirSources CurrentDataDirSources();

// The path of `relative` (a file or directory inside the data directory, e.g. "hls/include"),
// which must exist and be readable. The error (NotFound) names every path looked at and where
// it came from, e.g. "firmnet's data directory was not found: looked for /x (from
// FIRMNET_DATA_DIR), which does not exist; ...".
StatusOr<std::string> FindDataPath(std::string_view relative, const DataDirSources& sources);
StatusOr<std::string> FindDataPath(std::string_view relative);  // CurrentDataDirSources()

}  // namespace firmnet
