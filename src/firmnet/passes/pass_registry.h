// The pass registry: the one list of passes and the named pipelines built from them.
//
// Pipelines are data (a name and a list of pass names), so the CLI, the driver and tests share
// them and a new pipeline is one line in pass_registry.cc, not new code.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/passes/pass.h"

namespace firmnet::passes {

struct PassInfo {
  std::string_view name;
  std::string_view summary;
};

struct Pipeline {
  std::string_view name;
  std::vector<std::string_view> passes;
};

// Every registered pass, in registry order.
const std::vector<PassInfo>& AllPasses();
// A fresh instance of the pass called `name`; NotFound listing the known passes otherwise.
StatusOr<std::unique_ptr<Pass>> CreatePass(std::string_view name);
// The named pipelines ("default", ...).
const std::vector<Pipeline>& AllPipelines();
// The passes of pipeline `name`; NotFound listing the known pipelines otherwise.
StatusOr<std::vector<std::string>> GetPipeline(std::string_view name);

}  // namespace firmnet::passes
