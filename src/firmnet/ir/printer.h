// The text IR printer: turns an ir::Graph into the line-oriented text format of docs/ir.md.
//
// The text is the form in which tests state graphs, passes are debugged (--dump-after) and
// `firmnet convert` writes a model. It holds everything an ir::Graph holds, so that
// ParseGraph(PrintGraph(g)) == g. Doubles are printed in the shortest form that reads back to
// the same bits; names and strings are quoted with escapes when they are not plain words. The
// output depends only on the graph (maps print in key order), never on addresses or time.
#pragma once

#include <string>
#include <string_view>

#include "firmnet/ir/graph.h"

namespace firmnet::ir {

std::string PrintGraph(const Graph& g);

// Building blocks, shared with the parser's tests and with diagnostics that quote IR text.
// The shortest decimal that reads back to exactly `v` ("0.1", "1e+20", "-0", "inf", "nan").
std::string FormatDoubleShortest(double v);
// A name as it appears after '%': bare when it is a plain word ([A-Za-z0-9_.-]+), else quoted.
std::string FormatNodeRef(std::string_view name);
// A tensor as an operand: "%split" for port 0, "%split:1" for output port 1.
std::string FormatTensorRef(const TensorRef& t);
// A double-quoted string with \" \\ \n \r \t and \xHH escapes for the other control bytes.
std::string QuoteString(std::string_view s);

}  // namespace firmnet::ir
