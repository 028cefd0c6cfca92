// Pass: one graph-to-graph transformation, the unit the PassManager runs.
//
// A pass has a snake_case name (used in pipelines and --dump-after) and a one-line summary, and
// rewrites an ir::Graph in place. Run returns whether it changed anything, so pipelines can
// report what happened and tests can check that a pass leaves a graph alone when it should.
// Passes are listed in one place, passes/pass_registry.cc.
#pragma once

#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::passes {

class Pass {
 public:
  virtual ~Pass() = default;
  virtual std::string_view Name() const = 0;
  virtual std::string_view Summary() const = 0;
  // Rewrites `g`; returns true when it changed the graph. On error the graph may be partly
  // rewritten; callers stop the pipeline and report the error.
  virtual StatusOr<bool> Run(ir::Graph& g) = 0;
};

}  // namespace firmnet::passes
