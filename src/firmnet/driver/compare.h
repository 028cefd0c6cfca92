// Agreement between the bit-exact emulator and the float64 reference, per model output, with the
// per-layer overflow counters: what `firmnet compare` and the demo print.
#pragma once

#include <string>
#include <vector>

#include "firmnet/emu/emulator.h"
#include "firmnet/ir/graph.h"

namespace firmnet::driver {

struct OutputAgreement {
  std::string name;
  std::string type;  // result type, e.g. ap_fixed<16,6>
  int64_t size = 0;
  double max_abs_diff = 0;
  double mean_abs_diff = 0;
  int64_t argmax_agree = 0;  // samples whose argmax is the same in fixed and float
};

struct CompareReport {
  std::string model;
  int64_t samples = 0;
  std::string engine;  // "int64" or "bigint"
  std::vector<OutputAgreement> outputs;
  std::vector<emu::LayerStats> layers;
};

// Runs both engines on `inputs` (one batch per model input, graph order, as ReadModelInputs
// gives them) and compares every output.
StatusOr<CompareReport> Compare(const ir::Graph& graph, const std::vector<emu::Batch>& inputs);
// A model with one input.
StatusOr<CompareReport> Compare(const ir::Graph& graph, const emu::Batch& inputs);
std::string FormatCompareText(const CompareReport& r);
std::string FormatCompareJson(const CompareReport& r);

}  // namespace firmnet::driver
