#include "firmnet/frontend/onnx/onnx_tensor.h"

#include <onnx/onnx_pb.h>

#include <bit>
#include <cmath>
#include <cstring>

namespace firmnet::frontend {
namespace {

using ::onnx::TensorProto;

std::string TensorLabel(const TensorProto& t) {
  return t.name().empty() ? std::string("an unnamed tensor") : "tensor '" + t.name() + "'";
}

// raw_data is little-endian by the ONNX spec, whatever the host; assemble the bytes explicitly.
uint64_t LoadLittleEndian(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// IEEE binary16 to double; exact (every half value is a double).
double HalfToDouble(uint16_t h) {
  const int sign = (h >> 15) & 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  double v;
  if (exponent == 0) {
    v = std::ldexp(static_cast<double>(mantissa), -24);
  } else if (exponent == 0x1f) {
    v = mantissa == 0 ? INFINITY : NAN;
  } else {
    v = std::ldexp(static_cast<double>(mantissa + 1024), exponent - 25);
  }
  return sign ? -v : v;
}

int ElementBytes(int32_t data_type) {
  switch (data_type) {
    case TensorProto::FLOAT:
      return 4;
    case TensorProto::DOUBLE:
      return 8;
    case TensorProto::FLOAT16:
      return 2;
    case TensorProto::INT32:
      return 4;
    case TensorProto::INT64:
      return 8;
    default:
      return 0;
  }
}

// Checks the parts of a tensor that no decoder supports, and returns its element count.
StatusOr<int64_t> CheckCommon(const TensorProto& t) {
  if (t.data_location() == TensorProto::EXTERNAL || t.external_data_size() > 0) {
    return Unimplemented(TensorLabel(t) +
                         " keeps its data in an external file; save the model with its weights "
                         "inside the .onnx file");
  }
  if (t.has_segment()) {
    return Unimplemented(TensorLabel(t) + " is split into segments, which is not supported");
  }
  FIRMNET_ASSIGN_OR_RETURN(ir::Shape dims, OnnxTensorDims(t));
  return ir::NumElements(dims);
}

// Checks that exactly one source holds the data and that it has `n` elements.
Status CheckCount(const TensorProto& t, int64_t n, int64_t typed_count, const char* typed_field) {
  const int bytes = ElementBytes(t.data_type());
  if (t.has_raw_data()) {
    if (typed_count != 0) {
      return InvalidArgument(TensorLabel(t) + " has both raw_data and " + typed_field);
    }
    const auto size = static_cast<int64_t>(t.raw_data().size());
    if (size != n * bytes) {
      return InvalidArgument(TensorLabel(t) + ": raw_data holds " + std::to_string(size) +
                             " bytes, but its dims " +
                             ir::FormatShape(ir::Shape(t.dims().begin(), t.dims().end())) +
                             " need " + std::to_string(n * bytes) + " (" + std::to_string(n) + " " +
                             OnnxDataTypeName(t.data_type()) + " values)");
    }
    return OkStatus();
  }
  if (typed_count != n) {
    return InvalidArgument(TensorLabel(t) + ": " + typed_field + " holds " +
                           std::to_string(typed_count) + " values, but its dims " +
                           ir::FormatShape(ir::Shape(t.dims().begin(), t.dims().end())) + " need " +
                           std::to_string(n));
  }
  return OkStatus();
}

}  // namespace

std::string OnnxDataTypeName(int32_t data_type) {
  if (::onnx::TensorProto_DataType_IsValid(data_type)) {
    return ::onnx::TensorProto_DataType_Name(static_cast<TensorProto::DataType>(data_type));
  }
  return "type " + std::to_string(data_type);
}

StatusOr<ir::Shape> OnnxTensorDims(const TensorProto& t) {
  ir::Shape dims;
  int64_t n = 1;
  for (int64_t d : t.dims()) {
    if (d < 0) {
      return InvalidArgument(TensorLabel(t) + " has a negative dimension " + std::to_string(d));
    }
    // Checked before multiplying so that the product cannot overflow.
    if (d > 0 && n > kMaxOnnxTensorElements / d) {
      return InvalidArgument(TensorLabel(t) + " has dims whose product exceeds " +
                             std::to_string(kMaxOnnxTensorElements) + " elements");
    }
    n *= d;
    dims.push_back(d);
  }
  return dims;
}

StatusOr<ir::Tensor> DecodeOnnxTensor(const TensorProto& t) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t n, CheckCommon(t));
  ir::Tensor out;
  FIRMNET_ASSIGN_OR_RETURN(out.shape, OnnxTensorDims(t));
  const auto count = static_cast<size_t>(n);
  const char* raw = t.raw_data().data();
  switch (t.data_type()) {
    case TensorProto::FLOAT:
      FIRMNET_RETURN_IF_ERROR(CheckCount(t, n, t.float_data_size(), "float_data"));
      out.data.resize(count);
      for (size_t i = 0; i < count; ++i) {
        out.data[i] =
            t.has_raw_data()
                ? std::bit_cast<float>(static_cast<uint32_t>(LoadLittleEndian(raw + 4 * i, 4)))
                : t.float_data(static_cast<int>(i));
      }
      out.dtype = ir::ElementType::kF32;
      return out;
    case TensorProto::DOUBLE:
      FIRMNET_RETURN_IF_ERROR(CheckCount(t, n, t.double_data_size(), "double_data"));
      out.data.resize(count);
      for (size_t i = 0; i < count; ++i) {
        out.data[i] = t.has_raw_data() ? std::bit_cast<double>(LoadLittleEndian(raw + 8 * i, 8))
                                       : t.double_data(static_cast<int>(i));
      }
      return out;
    case TensorProto::FLOAT16:
      // Typed float16 values are stored one per int32_data entry (the low 16 bits).
      FIRMNET_RETURN_IF_ERROR(CheckCount(t, n, t.int32_data_size(), "int32_data"));
      out.data.resize(count);
      for (size_t i = 0; i < count; ++i) {
        const uint16_t bits =
            t.has_raw_data() ? static_cast<uint16_t>(LoadLittleEndian(raw + 2 * i, 2))
                             : static_cast<uint16_t>(t.int32_data(static_cast<int>(i)) & 0xffff);
        out.data[i] = HalfToDouble(bits);
      }
      return out;
    case TensorProto::INT32:
    case TensorProto::INT64: {
      FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> ints, DecodeOnnxIntTensor(t));
      out.data.assign(ints.begin(), ints.end());
      return out;
    }
    default:
      return Unimplemented(TensorLabel(t) + " has data type " + OnnxDataTypeName(t.data_type()) +
                           "; weights must be FLOAT, DOUBLE, FLOAT16, INT32 or INT64");
  }
}

StatusOr<std::vector<int64_t>> DecodeOnnxIntTensor(const TensorProto& t) {
  FIRMNET_ASSIGN_OR_RETURN(int64_t n, CheckCommon(t));
  const auto count = static_cast<size_t>(n);
  const char* raw = t.raw_data().data();
  std::vector<int64_t> out(count);
  switch (t.data_type()) {
    case TensorProto::INT64:
      FIRMNET_RETURN_IF_ERROR(CheckCount(t, n, t.int64_data_size(), "int64_data"));
      for (size_t i = 0; i < count; ++i) {
        out[i] = t.has_raw_data() ? static_cast<int64_t>(LoadLittleEndian(raw + 8 * i, 8))
                                  : t.int64_data(static_cast<int>(i));
      }
      return out;
    case TensorProto::INT32:
      FIRMNET_RETURN_IF_ERROR(CheckCount(t, n, t.int32_data_size(), "int32_data"));
      for (size_t i = 0; i < count; ++i) {
        out[i] = t.has_raw_data()
                     ? static_cast<int32_t>(static_cast<uint32_t>(LoadLittleEndian(raw + 4 * i, 4)))
                     : t.int32_data(static_cast<int>(i));
      }
      return out;
    default:
      return InvalidArgument(TensorLabel(t) + " has data type " + OnnxDataTypeName(t.data_type()) +
                             ", expected INT64 or INT32");
  }
}

}  // namespace firmnet::frontend
