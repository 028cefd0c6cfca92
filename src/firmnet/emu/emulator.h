// The emulator: bit-exact batch inference on a resolved graph (the golden model), and a float64
// reference path on the same graph.
//
// A graph is "resolved" when shape inference and the config have run: every node has its shape
// and every precision slot. The bit-exact engine holds raw integers as int64_t when every type in
// the graph is at most 31 bits wide (so every exact product fits), and as BigInt otherwise; both
// follow fixed/fixed_value.h and give identical results.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"

namespace firmnet::emu {

enum class Engine { kInt64, kBigInt };

// A batch of values: rows x cols, row-major.
struct Batch {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> data;
};

struct RunOptions {
  bool trace = false;     // keep every layer's output (as doubles) in RunResult::trace
  bool keep_raw = false;  // keep the model outputs' raw integers (for exact text output)
};

struct LayerStats {
  std::string name;
  LayerKind kind;
  LayerCounters counters;
};

struct RunResult {
  std::vector<Batch> outputs;                    // one per graph output, values as doubles
  std::vector<std::vector<BigInt>> raw_outputs;  // with keep_raw: rows*cols raw integers each
  std::vector<FixedType> output_types;           // the result type of each output
  std::map<std::string, Batch> trace;            // with trace: node name -> its output
  std::vector<LayerStats> layers;                // overflow counters, graph order
};

class Emulator {
 public:
  // Builds the kernels of every node. Errors name the layer.
  static StatusOr<std::unique_ptr<Emulator>> Create(const ir::Graph& graph);
  // Forces the BigInt engine (tests compare the two engines).
  static StatusOr<std::unique_ptr<Emulator>> CreateWithEngine(const ir::Graph& graph,
                                                              Engine engine);
  virtual ~Emulator() = default;

  virtual Engine engine() const = 0;
  // The graph's input layers, in graph order, and their element counts per sample.
  virtual const std::vector<const ir::Node*>& inputs() const = 0;
  virtual const std::vector<int64_t>& input_sizes() const = 0;
  // Number of input values per sample, all inputs together (their sizes added).
  int64_t input_size() const;
  // Runs every row of the batches, one batch per input layer (graph order), all with the same
  // number of rows (row r of each is sample r). Inputs are quantized with each input layer's
  // result type. Non-finite inputs are an error naming the input, row and column.
  virtual StatusOr<RunResult> Run(const std::vector<Batch>& inputs,
                                  const RunOptions& options = {}) = 0;
  // A model with one input: Run({inputs}).
  StatusOr<RunResult> Run(const Batch& inputs, const RunOptions& options = {});
  // Fast entry for benchmarks: one sample (the inputs' values one after another, in graph
  // order), outputs as doubles (likewise), counters accumulated inside.
  virtual void RunOne(const double* input, double* output) = 0;
};

// The float64 reference: the same graph with float weights and exact math functions.
class FloatEmulator {
 public:
  static StatusOr<std::unique_ptr<FloatEmulator>> Create(const ir::Graph& graph);
  const std::vector<const ir::Node*>& inputs() const { return input_nodes_; }
  const std::vector<int64_t>& input_sizes() const { return input_sizes_; }
  int64_t input_size() const;
  StatusOr<RunResult> Run(const std::vector<Batch>& inputs, const RunOptions& options = {});
  StatusOr<RunResult> Run(const Batch& inputs, const RunOptions& options = {});
  void RunOne(const double* input, double* output);

 private:
  // A tensor inside the buffers: `size` values from `offset` of buffer `step` (a multi-output
  // layer's buffer holds its ports one after another).
  struct Slice {
    int step = 0;
    int64_t offset = 0, size = 0;
  };
  struct Step {
    const ir::Node* node;
    std::vector<Slice> inputs;
    std::unique_ptr<FloatKernel> kernel;
    int64_t size;  // the whole buffer
  };
  std::vector<Step> steps_;
  std::vector<std::vector<double>> buffers_;
  std::vector<Slice> outputs_;
  std::vector<std::pair<std::string, Slice>> tensors_;  // every tensor, for the trace
  std::vector<const double*> args_;
  std::vector<const ir::Node*> input_nodes_;
  std::vector<int> input_steps_;
  std::vector<int64_t> input_sizes_;
};

// Which engine a graph needs.
Engine ChooseEngine(const ir::Graph& graph);

}  // namespace firmnet::emu
