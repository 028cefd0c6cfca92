// Prometheus text exposition (format 0.0.4) with Triton's metric names and {model,version}
// labels, from the models' statistics, plus the host's CPU utilization and memory.
#pragma once

#include <string>

#include "firmnet/serve/repository.h"

namespace firmnet::serve {

// Samples /proc/stat between calls for nv_cpu_utilization; thread-safe.
std::string RenderMetrics(const Repository& repo);

}  // namespace firmnet::serve
