// The HLS backend's entry point: a complete Vitis HLS / Vivado HLS project for a resolved graph,
// as a map from relative path to file contents (deterministic: same graph, same bytes).
//
// Layout (see docs/hls_backend.md):
//   firmware/<name>.h, <name>.cpp   the top function with its interface pragmas
//   firmware/defines.h              port sizes and every layer's result type
//   firmware/parameters.h           one configuration struct per layer
//   firmware/weights/<layer>.h      constant arrays (raw integers), one header per layer
//   firmware/fnet/*.h               firmnet's HLS layer library (embedded in the binary)
//   <name>_test.cpp                 testbench: tb_data inputs -> top -> exact comparison
//   tb_data/tb_input_features.dat   input samples (doubles, shortest round-trip form); with
//                                   several inputs one file per input, tb_input_features_<k>.dat
//   tb_data/tb_output_predictions.dat  the emulator's outputs for them (exact decimals); with
//                                   several outputs tb_output_predictions_<k>.dat
//   build_prj.tcl, vivado_synth.tcl, README.md
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/ir/graph.h"

namespace firmnet::backend::hls {

// The port-level protocol of the top function's array ports under io_parallel: ap_vld adds a
// valid signal to every port, ap_none leaves bare wires (for a core driven every cycle).
enum class HlsPort { kApVld, kApNone };

// "ap_vld" or "ap_none"; anything else is an error that names the value and lists the valid ones.
StatusOr<HlsPort> ParseHlsPort(std::string_view name);
std::string_view HlsPortName(HlsPort port);

struct HlsProjectOptions {
  std::string project_name;        // empty: graph.settings.project_name
  HlsPort port = HlsPort::kApVld;  // io_parallel only; io_stream ports are AXI streams
  // Generated testbench samples when tb_inputs is empty; 0: DefaultTestbenchSamples(graph).
  int64_t tb_samples = 0;
  // Testbench samples to use instead: one batch per graph input (graph order), equal row counts.
  std::vector<emu::Batch> tb_inputs;
};

using FileMap = std::map<std::string, std::string>;

StatusOr<FileMap> GenerateHlsProject(const ir::Graph& graph, const HlsProjectOptions& options);

// Writes `files` into `dir` atomically (io::OutputDir): a non-empty dir is refused unless
// `force`; on error nothing is left behind.
Status WriteFiles(const FileMap& files, const std::string& dir, bool force);

// Deterministic pseudo-random samples that cover the input type's range and a quarter beyond
// it on both sides (so input rounding and overflow are exercised), at sub-LSB resolution.
// `stream` picks one of several independent sequences (one per model input).
emu::Batch GenerateTestInputs(const FixedType& input_type, int64_t cols, int64_t rows,
                              int stream = 0);

// The testbench samples a project gets unless told otherwise: 1000, or fewer for a model whose
// emulation would make writing the project slow. The emulator computes the expected outputs
// while the project is written, so the samples are capped at kTbMultiplyAddBudget multiply-adds
// in all (EstimatedMultiplyAdds per inference) and at kTbValueBudget input and output values;
// never fewer than 4. A function of the graph only, so the project stays deterministic.
inline constexpr int64_t kTbMultiplyAddBudget = int64_t{1} << 28;
inline constexpr int64_t kTbValueBudget = int64_t{1} << 22;
int64_t DefaultTestbenchSamples(const ir::Graph& graph);
// Multiply-adds of one inference, estimated from each layer's weights: a layer with a "weight"
// applies it once per output position (its output's elements divided by its last axis, the
// channels), every other layer does one operation per output value.
int64_t EstimatedMultiplyAdds(const ir::Graph& graph);

// Shortest text form of a double that reads back as the same double (for tb_data).
std::string FormatRoundTrip(double v);

}  // namespace firmnet::backend::hls
