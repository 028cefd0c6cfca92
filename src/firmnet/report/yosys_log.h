// Reading a Yosys log while and after it is written: the pass that is running now (for the
// progress line of `firmnet synth`) and the error lines to show when Yosys fails.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace firmnet::report {

// The last pass heading in `log`, e.g. "ABC" for "2.47. Executing ABC pass (technology mapping
// ...)."; empty when there is none yet. Headings split across the end of `log` are ignored.
std::string LastPassName(std::string_view log);

// The error messages of a log, in order: "ERROR: m" lines as "m", source errors as
// "file.v:2: ERROR: m".
std::vector<std::string> ErrorLines(std::string_view log);

}  // namespace firmnet::report
