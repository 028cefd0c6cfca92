// `firmnet build --backend hls` and `firmnet csim`: placeholder until the HLS backend lands.
#include "cli_common.h"

namespace firmnet::cli {

int RunHlsBuild(const BuildArgs&) { return Fail(Unimplemented("the HLS backend is not built yet")); }

std::vector<Command> AddHlsCommands(CLI::App&) { return {}; }

}  // namespace firmnet::cli
