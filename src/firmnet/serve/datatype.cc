#include "firmnet/serve/datatype.h"

#include <array>
#include <bit>
#include <cmath>
#include <cstring>

namespace firmnet::serve {
namespace {

struct TypeInfo {
  DataType type;
  std::string_view name;         // protocol
  std::string_view config_name;  // config.pbtxt
  int config_enum;
  int size;
};

// The config enum numbers are Triton's (model_config.proto, DataType).
constexpr std::array<TypeInfo, 13> kTypes = {{
    {DataType::kBool, "BOOL", "TYPE_BOOL", 1, 1},
    {DataType::kUint8, "UINT8", "TYPE_UINT8", 2, 1},
    {DataType::kUint16, "UINT16", "TYPE_UINT16", 3, 2},
    {DataType::kUint32, "UINT32", "TYPE_UINT32", 4, 4},
    {DataType::kUint64, "UINT64", "TYPE_UINT64", 5, 8},
    {DataType::kInt8, "INT8", "TYPE_INT8", 6, 1},
    {DataType::kInt16, "INT16", "TYPE_INT16", 7, 2},
    {DataType::kInt32, "INT32", "TYPE_INT32", 8, 4},
    {DataType::kInt64, "INT64", "TYPE_INT64", 9, 8},
    {DataType::kFp16, "FP16", "TYPE_FP16", 10, 2},
    {DataType::kFp32, "FP32", "TYPE_FP32", 11, 4},
    {DataType::kFp64, "FP64", "TYPE_FP64", 12, 8},
    {DataType::kBf16, "BF16", "TYPE_BF16", 14, 2},
}};
constexpr int kStringEnum = 13;

const TypeInfo* Info(DataType t) {
  for (const TypeInfo& i : kTypes) {
    if (i.type == t) return &i;
  }
  return nullptr;
}

template <typename T>
T Load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // x86 is little-endian, as the protocol is
  return v;
}

template <typename T>
void Store(T v, std::string* out) {
  char b[sizeof v];
  std::memcpy(b, &v, sizeof v);
  out->append(b, sizeof v);
}

// IEEE binary16 -> double (exact).
double HalfToDouble(uint16_t h) {
  const int sign = (h >> 15) != 0 ? -1 : 1;
  const int exp = (h >> 10) & 0x1f;
  const int mant = h & 0x3ff;
  if (exp == 0) return sign * std::ldexp(mant, -24);
  if (exp == 31) return mant == 0 ? sign * HUGE_VAL : std::nan("");
  return sign * std::ldexp(mant | 0x400, exp - 25);
}

// double -> IEEE binary16, rounding to nearest even (values the caller checked are exact).
uint16_t DoubleToHalf(double v) {
  const uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  const double a = std::fabs(v);
  if (std::isnan(v)) return 0x7e00;
  if (a >= 65520.0) return sign | 0x7c00;  // rounds to infinity
  if (a < std::ldexp(1.0, -14)) {          // subnormal (or zero): units of 2^-24
    return sign | static_cast<uint16_t>(std::nearbyint(a * std::ldexp(1.0, 24)));
  }
  int e = 0;
  const double m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  // 11 significant bits; a carry out of the mantissa moves into the exponent by itself.
  const auto q = static_cast<uint32_t>(std::nearbyint(std::ldexp(m, 11)));
  const uint32_t bits = (static_cast<uint32_t>(e + 14) << 10) + (q - 0x400);
  return sign | static_cast<uint16_t>(bits);
}

double Bf16ToDouble(uint16_t b) {
  return static_cast<double>(std::bit_cast<float>(static_cast<uint32_t>(b) << 16));
}

uint16_t DoubleToBf16(double v) {
  const auto f = std::bit_cast<uint32_t>(static_cast<float>(v));
  if (std::isnan(v)) return 0x7fc0;
  // Round to nearest even on the 16 dropped bits.
  const uint32_t rounded = f + 0x7fff + ((f >> 16) & 1);
  return static_cast<uint16_t>(rounded >> 16);
}

struct FloatFormat {
  int precision;  // significant bits
  int min_exp;    // exponent of the smallest subnormal's unit
  int max_exp;    // values must be below 2^max_exp
};

std::optional<FloatFormat> FloatFormatOf(DataType t) {
  switch (t) {
    case DataType::kFp16:
      return FloatFormat{11, -24, 16};
    case DataType::kBf16:
      return FloatFormat{8, -133, 128};
    case DataType::kFp32:
      return FloatFormat{24, -149, 128};
    case DataType::kFp64:
      return FloatFormat{53, -1074, 1024};
    default:
      return std::nullopt;
  }
}

// Value bits of an integer data type, and whether it is signed.
std::optional<std::pair<int, bool>> IntFormatOf(DataType t) {
  switch (t) {
    case DataType::kInt8:
      return std::pair{8, true};
    case DataType::kInt16:
      return std::pair{16, true};
    case DataType::kInt32:
      return std::pair{32, true};
    case DataType::kInt64:
      return std::pair{64, true};
    case DataType::kUint8:
      return std::pair{8, false};
    case DataType::kUint16:
      return std::pair{16, false};
    case DataType::kUint32:
      return std::pair{32, false};
    case DataType::kUint64:
      return std::pair{64, false};
    default:
      return std::nullopt;
  }
}

}  // namespace

std::string_view DataTypeName(DataType t) {
  if (t == DataType::kBytes) return "BYTES";
  return Info(t)->name;
}

std::optional<DataType> DataTypeFromName(std::string_view name) {
  if (name == "BYTES") return DataType::kBytes;
  for (const TypeInfo& i : kTypes) {
    if (i.name == name) return i.type;
  }
  return std::nullopt;
}

std::optional<DataType> DataTypeFromConfigEnum(int value) {
  if (value == kStringEnum) return DataType::kBytes;
  for (const TypeInfo& i : kTypes) {
    if (i.config_enum == value) return i.type;
  }
  return std::nullopt;
}

int DataTypeConfigEnum(DataType t) {
  return t == DataType::kBytes ? kStringEnum : Info(t)->config_enum;
}

std::string_view DataTypeConfigName(DataType t) {
  return t == DataType::kBytes ? "TYPE_STRING" : Info(t)->config_name;
}

int ElementSize(DataType t) { return t == DataType::kBytes ? 0 : Info(t)->size; }

bool IsNumeric(DataType t) { return t != DataType::kBytes; }

void DecodeElements(DataType t, const void* bytes, int64_t n, double* out) {
  const auto* p = static_cast<const unsigned char*>(bytes);
  const int size = ElementSize(t);
  for (int64_t i = 0; i < n; ++i, p += size) {
    switch (t) {
      case DataType::kBool:
        out[i] = *p != 0 ? 1.0 : 0.0;
        break;
      case DataType::kUint8:
        out[i] = *p;
        break;
      case DataType::kUint16:
        out[i] = Load<uint16_t>(p);
        break;
      case DataType::kUint32:
        out[i] = Load<uint32_t>(p);
        break;
      case DataType::kUint64:
        out[i] = static_cast<double>(Load<uint64_t>(p));
        break;
      case DataType::kInt8:
        out[i] = static_cast<int8_t>(*p);
        break;
      case DataType::kInt16:
        out[i] = Load<int16_t>(p);
        break;
      case DataType::kInt32:
        out[i] = Load<int32_t>(p);
        break;
      case DataType::kInt64:
        out[i] = static_cast<double>(Load<int64_t>(p));
        break;
      case DataType::kFp16:
        out[i] = HalfToDouble(Load<uint16_t>(p));
        break;
      case DataType::kBf16:
        out[i] = Bf16ToDouble(Load<uint16_t>(p));
        break;
      case DataType::kFp32:
        out[i] = Load<float>(p);
        break;
      case DataType::kFp64:
        out[i] = Load<double>(p);
        break;
      case DataType::kBytes:
        out[i] = 0;
        break;
    }
  }
}

void EncodeElements(DataType t, const double* values, int64_t n, std::string* out) {
  out->reserve(out->size() + static_cast<size_t>(n * ElementSize(t)));
  for (int64_t i = 0; i < n; ++i) {
    const double v = values[i];
    switch (t) {
      case DataType::kBool:
        Store<uint8_t>(v != 0 ? 1 : 0, out);
        break;
      case DataType::kUint8:
        Store(static_cast<uint8_t>(v), out);
        break;
      case DataType::kUint16:
        Store(static_cast<uint16_t>(v), out);
        break;
      case DataType::kUint32:
        Store(static_cast<uint32_t>(v), out);
        break;
      case DataType::kUint64:
        Store(static_cast<uint64_t>(v), out);
        break;
      case DataType::kInt8:
        Store(static_cast<int8_t>(v), out);
        break;
      case DataType::kInt16:
        Store(static_cast<int16_t>(v), out);
        break;
      case DataType::kInt32:
        Store(static_cast<int32_t>(v), out);
        break;
      case DataType::kInt64:
        Store(static_cast<int64_t>(v), out);
        break;
      case DataType::kFp16:
        Store(DoubleToHalf(v), out);
        break;
      case DataType::kBf16:
        Store(DoubleToBf16(v), out);
        break;
      case DataType::kFp32:
        Store(static_cast<float>(v), out);
        break;
      case DataType::kFp64:
        Store(v, out);
        break;
      case DataType::kBytes:
        break;
    }
  }
}

Status ExactIn(const FixedType& type, DataType t) {
  // Values are raw * 2^e with raw an integer of `bits` magnitude bits.
  const int bits = type.is_signed ? type.width - 1 : type.width;
  const int e = type.lsb_exponent();
  const std::string what = std::string(type.is_signed ? "ap_fixed<" : "ap_ufixed<") +
                           std::to_string(type.width) + "," + std::to_string(type.int_bits) + ">";
  const std::string name(DataTypeName(t));
  if (auto f = FloatFormatOf(t)) {
    if (bits > f->precision) {
      return InvalidArgument(what + " has " + std::to_string(bits) + " significant bits; " + name +
                             " holds " + std::to_string(f->precision));
    }
    if (e < f->min_exp || e + bits > f->max_exp) {
      return InvalidArgument(what + " has values outside the exponent range of " + name);
    }
    return OkStatus();
  }
  if (auto i = IntFormatOf(t)) {
    const auto [n, is_signed] = *i;
    if (e < 0) {
      return InvalidArgument(what + " has fraction bits; " + name + " holds integers only");
    }
    if (type.is_signed && !is_signed) {
      return InvalidArgument(what + " is signed; " + name + " holds no negative values");
    }
    if (bits + e > (is_signed ? n - 1 : n)) {
      return InvalidArgument(what + " has values beyond the range of " + name);
    }
    return OkStatus();
  }
  if (t == DataType::kBool) {
    if (!type.is_signed && type.width == 1 && type.int_bits == 1) return OkStatus();
    return InvalidArgument(what + " has values other than 0 and 1; BOOL holds only those");
  }
  return InvalidArgument(name + " is not a numeric data type");
}

}  // namespace firmnet::serve
