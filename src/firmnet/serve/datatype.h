// Tensor data types of the KServe v2 / Triton protocol: their names ("FP32") and config enums
// (TYPE_FP32), element sizes, decoding request data into the emulator's doubles, encoding results,
// and whether every value of a fixed-point type is exact in a given data type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"

namespace firmnet::serve {

enum class DataType : uint8_t {
  kBool,
  kUint8,
  kUint16,
  kUint32,
  kUint64,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFp16,
  kFp32,
  kFp64,
  kBf16,
  kBytes,  // STRING in the config; not a numeric tensor: firmnet refuses it
};

// "FP32" <-> DataType (the protocol's datatype strings).
std::string_view DataTypeName(DataType t);
std::optional<DataType> DataTypeFromName(std::string_view name);
// The model configuration's enum value (inference::DataType, TYPE_FP32 = 11, ...) <-> DataType.
// TYPE_INVALID has no DataType.
std::optional<DataType> DataTypeFromConfigEnum(int value);
int DataTypeConfigEnum(DataType t);
std::string_view DataTypeConfigName(DataType t);  // "TYPE_FP32"

// Bytes per element (1 for BOOL); 0 for BYTES.
int ElementSize(DataType t);
bool IsNumeric(DataType t);

// Decodes n little-endian elements of type t at `bytes` into doubles (booleans as 0/1). FP16 and
// BF16 are widened exactly; 64-bit integers beyond 2^53 round to the nearest double.
void DecodeElements(DataType t, const void* bytes, int64_t n, double* out);

// Encodes n values into little-endian elements of type t, appending to `out`. Every value must be
// exact in t (ExactIn says so for a whole fixed-point type); a value that is not is converted as
// C++ does (rounding to nearest for floats).
void EncodeElements(DataType t, const double* values, int64_t n, std::string* out);

// Whether every value of `type` is exactly representable in t; when not, the reason (for the
// load error), e.g. "ap_fixed<32,6> has 31 significant bits; FP32 holds 24".
Status ExactIn(const FixedType& type, DataType t);

}  // namespace firmnet::serve
