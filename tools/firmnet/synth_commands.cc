// `firmnet synth`: placeholder until the Yosys report lands.
#include "cli_common.h"

namespace firmnet::cli {

std::vector<Command> AddSynthCommands(CLI::App&) { return {}; }

}  // namespace firmnet::cli
