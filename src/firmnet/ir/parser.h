// The text IR parser: reads the format that PrintGraph writes (grammar in docs/ir.md) back into
// an ir::Graph.
//
// Tests state their graphs in this form, and `firmnet` reads converted models from it. The
// parser checks syntax only: a graph that parses may still be invalid (an input that does not
// exist, a weight of the wrong size); VerifyGraph (ir/verifier.h) says so. Keeping the two apart
// lets every Graph, valid or not, round-trip through text. Every error reads
// "<source>:<line>:<col>: <what is wrong>", and no input, however broken, crashes or hangs it.
#pragma once

#include <string>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::ir {

// `source_name` names the text in error messages (a file name, or "<text>").
StatusOr<Graph> ParseGraph(std::string_view text, const std::string& source_name = "<text>");

}  // namespace firmnet::ir
