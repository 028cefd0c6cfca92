// The IR verifier: checks that an ir::Graph obeys the conventions written down in ir/graph.h.
//
// Frontends, passes and the text parser all produce graphs; the verifier is the one place that
// says whether such a graph is well formed, so that later stages may rely on it instead of each
// re-checking. Passes are followed by VerifyGraph(kStructure) in tests (passes/pass_manager.h);
// the emulator and backends ask for kResolved, once config resolution has run.
#pragma once

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::ir {

enum class VerifyLevel {
  // Names unique and non-empty; every input names an earlier node (so the order is topological);
  // outputs name nodes; input layers have no inputs and a shape, every other layer exactly one
  // input; attributes and weights are those graph.h lists for the kind, with the right types,
  // ranks and data sizes.
  kStructure,
  // kStructure, plus: every node has a shape; every precision slot of GetLayerInfo(kind).slots is
  // set, and no other; settings are sane (reuse_factor >= 1, table_size 0 or a power of two, and
  // 0 on layers without a table); dense and element-wise layers agree with their input's shape.
  kResolved,
};

// OK, or InvalidArgument naming the graph, the layer, its kind and what is wrong (the first
// problem found, in node order).
Status VerifyGraph(const Graph& g, VerifyLevel level);

}  // namespace firmnet::ir
