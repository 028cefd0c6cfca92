// A model's inputs and outputs as files: what `firmnet predict`, `compare` and `sim` read, and
// what `predict` writes. The arrays take the model's shapes (N-D, channels-last, without the
// batch) with the samples along a first axis.
//
// Inputs (ReadModelInputs), one sample per index of the first axis:
//  - one file per model input, in the order the model lists its inputs (ir::Graph::Inputs()):
//    `.npy` arrays of shape [N, *input.shape] (for an input [25,25,1]: [N,25,25,1]), or [N, size]
//    with each sample flattened in C order, or, for a 1-D input [size], a 1-D array [size] as one
//    sample; text files (.csv/.dat/.txt) with one flattened sample per row;
//  - or one `.npz` whose arrays are named after the input nodes (any order; every input needs its
//    array and no other array may be there). A single-input model also takes an .npz with
//    exactly one array of any name.
//  All inputs must have the same number of samples. An array holding one sample without the
//  sample axis (shape [25,25,1] for an input [25,25,1]) is refused: the first axis is the samples.
//
// Outputs (WriteModelOutputs):
//  - `.npz`: one float64 array per graph output, named after the output node ('/' and '\' become
//    '_'), of shape [N, *node.shape];
//  - `.npy` (one output only): float64, shape [N, *node.shape] (for the usual 1-D outputs [k]
//    this is the 2-D [N, k] of earlier versions);
//  - anything else (one output only): text, one flattened sample per row, values exact (the
//    shortest round-trip double, or the exact decimal of a fixed-point value wider than a
//    double).
//  Several outputs need an .npz; the error says so.
#pragma once

#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/ir/graph.h"

namespace firmnet::driver {

// Reads the samples for `inputs` (the model's input nodes, in graph order) from `paths`. One
// Batch per input, in that order, all with the same number of rows. Errors name the file, the
// input (name and shape), and the expected and actual shapes.
StatusOr<std::vector<emu::Batch>> ReadModelInputs(const std::vector<std::string>& paths,
                                                  const std::vector<const ir::Node*>& inputs);

// Writes `result` (a run of `graph`) to `path` as described above. Exact text needs the raw
// integers (RunOptions::keep_raw); without them text holds the doubles.
Status WriteModelOutputs(const std::string& path, const ir::Graph& graph,
                         const emu::RunResult& result);

// Whether `path` can take the outputs of `graph` (several outputs need an .npz): predict checks
// it before running the model. WriteModelOutputs checks it again.
Status CheckOutputPath(const std::string& path, const ir::Graph& graph);

// The model's inputs for messages: "a [25,25,1], b [4]".
std::string DescribeInputs(const std::vector<const ir::Node*>& inputs);

}  // namespace firmnet::driver
