#include "firmnet/layers/common/hls4ml_table.h"

#include <cmath>

namespace firmnet::layers::common {

int64_t Wrap32(const BigInt& v) {
  // v mod 2^32 in [0, 2^32), then as a signed 32-bit value.
  const BigInt low = v - ((v >> 32) << 32);
  return Wrap32(low.ToInt64());
}

float Hls4mlRangePoint(int64_t i, int64_t n, double range) {
  // hls4ml: float in_val = 2 * R * (ii - float(N) / 2.0) / float(N); the arithmetic is double
  // (2.0 and the literal R are doubles), the result rounded to float once.
  const double fn = static_cast<double>(static_cast<float>(n));
  return static_cast<float>(2 * range * (static_cast<double>(i) - fn / 2.0) / fn);
}

Hls4mlRangeTable BuildHls4mlRangeTable(int64_t size, int div_log2, int input_frac_bits,
                                       double range, const FixedType& table_type,
                                       const std::function<double(float)>& f) {
  Hls4mlRangeTable t;
  t.size = size;
  t.div_log2 = div_log2;
  t.input_frac_bits = input_frac_bits;
  t.entries.reserve(size);
  for (int64_t i = 0; i < size; ++i) {
    t.entries.push_back(QuantizeDouble(f(Hls4mlRangePoint(i, size, range)), table_type));
  }
  return t;
}

float Hls4mlNegativePoint(int64_t i, int64_t n) {
  // hls4ml: float in_val = -8.0 * ii / float(N_TABLE); double arithmetic, rounded to float once.
  return static_cast<float>(-8.0 * static_cast<double>(i) /
                            static_cast<double>(static_cast<float>(n)));
}

Hls4mlNegativeTable BuildHls4mlNegativeTable(int64_t size, int input_frac_bits, bool clamp_low,
                                             const FixedType& table_type,
                                             const std::function<double(float)>& f) {
  Hls4mlNegativeTable t;
  t.size = size;
  t.input_frac_bits = input_frac_bits;
  t.clamp_low = clamp_low;
  t.entries.reserve(size);
  for (int64_t i = 0; i < size; ++i) {
    t.entries.push_back(QuantizeDouble(f(Hls4mlNegativePoint(i, size)), table_type));
  }
  return t;
}

float TopBitsValue(int64_t i, const FixedType& t, int bits) {
  BigInt raw = BigInt(i) << (t.width - bits);
  if (t.is_signed && i >= (int64_t{1} << (bits - 1))) raw = raw - BigInt::PowerOfTwo(t.width);
  // ap_fixed's float conversion: the exact value, rounded to float.
  return static_cast<float>(std::ldexp(raw.ToDouble(), t.lsb_exponent()));
}

}  // namespace firmnet::layers::common
