// Decoding of ONNX TensorProto constants (initializers and Constant node values) into firmnet
// tensors, with every size taken from the file checked first.
//
// An ONNX file is untrusted input: dims may be negative or overflow when multiplied, raw_data may
// be shorter than the dims promise, and data may live in external files. These functions reject
// all of that with a message naming the tensor; the importer adds the file and node to it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace onnx {
class TensorProto;
}  // namespace onnx

namespace firmnet::frontend {

// Largest element count accepted for one constant. It only guards the arithmetic: the data
// must be present in the file as well, so the real bound is the file size.
inline constexpr int64_t kMaxOnnxTensorElements = int64_t{1} << 32;

// The dims of `t`, checked: none negative, product below kMaxOnnxTensorElements.
StatusOr<ir::Shape> OnnxTensorDims(const ::onnx::TensorProto& t);

// Values of a FLOAT, DOUBLE, FLOAT16, INT32 or INT64 tensor as float64 (float32 and float16
// convert exactly), row-major, with its dims as the shape.
StatusOr<ir::Tensor> DecodeOnnxTensor(const ::onnx::TensorProto& t);

// Values of an INT64 or INT32 tensor, exactly (used for shapes and axes).
StatusOr<std::vector<int64_t>> DecodeOnnxIntTensor(const ::onnx::TensorProto& t);

// "FLOAT", "INT64", ... or "type N" for a code outside the enum.
std::string OnnxDataTypeName(int32_t data_type);

}  // namespace firmnet::frontend
