// `firmnet build --backend verilog` and `firmnet sim`: placeholder until the
// Verilog backend lands.
#include "cli_common.h"

namespace firmnet::cli {

int RunVerilogBuild(const BuildArgs&) {
  return Fail(Unimplemented("the Verilog backend is not built yet"));
}

std::vector<Command> AddVerilogCommands(CLI::App&) { return {}; }

}  // namespace firmnet::cli
