// The ONNX frontend: turns an ONNX model file (opsets 6-17) into an ir::Graph.
//
// It understands the MLP subset of ONNX that Keras (onnxmltools) and PyTorch exporters emit:
//   Gemm, MatMul (+ Add of a constant bias)  -> dense, weight [n_in, n_out] (transposed if the
//                                              exporter stored it as [n_out, n_in])
//   BatchNormalization                       -> batchnorm (scale/bias folded in float64)
//   Relu, LeakyRelu, Clip, Sigmoid, Tanh, HardSigmoid, Softmax, Softsign, Softplus, Elu
//                                            -> the activation of the same name
//   Flatten, Reshape                         -> reshape (folded away when the shape is unchanged)
//   Identity, Dropout, Transpose/Squeeze/Unsqueeze of a 1-D feature vector -> removed
//   Constant                                 -> a weight like an initializer
// The first dimension of every graph input is the batch and is dropped. Node names come from the
// ONNX node (or its output when unnamed), made into identifiers ([A-Za-z0-9_], not starting with
// a digit) and unique. Shapes of all nodes are filled. The ONNX file is untrusted: every size and
// index is checked, and every problem is a Status naming the file, the node, its op and the issue.
// Each op type's rule lives in the folder of the layer it makes (layers/<id>/<id>_onnx.cc, over
// the OnnxContext of onnx_context.h); the importer keeps the graph-level steps and the ops that
// make no layer.
#pragma once

#include <string>
#include <string_view>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::frontend {

// Reads and imports the ONNX model at `path`. The graph is named after the file's stem.
StatusOr<ir::Graph> ImportOnnx(const std::string& path);

// Imports a serialized ModelProto; `path` is used only in messages and for the graph name.
StatusOr<ir::Graph> ImportOnnxFromBytes(std::string_view bytes, const std::string& path);

// The ONNX op types the importer accepts, comma separated, sorted (as quoted in errors).
std::string_view SupportedOnnxOps();

}  // namespace firmnet::frontend
