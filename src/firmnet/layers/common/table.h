// Lookup-table design for the table activations (sigmoid, tanh, softplus, elu, softmax, softsign).
//
// Two kinds of table, both addressed by exact integer arithmetic on a raw value so that the HLS
// and Verilog backends can reproduce the index bit for bit (docs/tables.md states the formulas):
//
//  * MagnitudeTable: f sampled at i * 2^s for i = 0 .. size-1, addressed by a non-negative raw
//    value a with lsb exponent e (a = |x|, or max - x in softmax):
//        k     = s - e  (>= 0)
//        index = min((a + (k > 0 ? 2^(k-1) : 0)) >> k, size - 1)   (round to nearest, ties up)
//    The step 2^s is the finest that lets `requested size` entries reach the point where f is
//    within half a table LSB of its limit ("tail"), but never finer than the input's own LSB
//    (then the index is exact). `size` is the requested size, cut to the largest index the input
//    type can reach: entries no input can address are not built.
//
//  * InverseTable: 1/v for a raw v > 0 in floating-point style. With p = bitlength(v) - 1 and
//    b = floor(log2(requested size)):
//        j     = v - 2^p                          (the mantissa bits below the leading one)
//        index = p > b ? (j + 2^(p-b-1)) >> (p-b) : j << (b-p)
//        entry[index] = Q(1 / (1 + index * 2^-b)),   index = 0 .. 2^b (2^b + 1 entries)
//    and 1/(v * 2^e) ~= entry[index] * 2^-(p+e): the factor 2^-(p+e) is a shift, exact.
//    The relative error of the reciprocal is at most 2^-(b+1) plus the entry's quantization.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/fixed/fixed_value.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/common/raw.h"

namespace firmnet::layers::common {

// Largest TableSize accepted (a table of 2^20 entries is already far beyond any FPGA budget).
inline constexpr int64_t kMaxTableSize = int64_t{1} << 20;

// node.settings.table_size, or the layer's default when it is 0; an error names the layer when
// it is negative or too large.
StatusOr<int64_t> ResolveTableSize(const ir::Node& node);

// The x beyond which e^-x is below half an LSB of a table with `frac_bits` fractional bits:
// (frac_bits + 1) * ln 2 (at least 1).
double ExpTail(int frac_bits);

struct MagnitudeTable {
  int input_exponent = 0;  // e
  int step_exponent = 0;   // s
  int shift = 0;           // k = s - e
  int64_t size = 0;        // number of entries
  std::vector<BigInt> entries;

  double Point(int64_t i) const;  // i * 2^s

  // The index of a raw value a >= 0.
  template <typename R>
  int64_t Index(const R& a) const {
    if (shift == 0) return ToIndex(a, size - 1);
    if constexpr (std::is_same_v<R, int64_t>) {
      // a < 2^62 in the int64_t kernels, so a shift of 63 or more gives index 0.
      if (shift >= 63) return 0;
    }
    const R rounded = (a + (R(1) << (shift - 1))) >> shift;
    return ToIndex(rounded, size - 1);
  }
};

// Plans and fills a magnitude table. max_raw is the largest a the input can produce; `tail` the
// point beyond which f is flat to within half an LSB of table_type; f is evaluated in double at
// each point and quantized to table_type with QuantizeDouble.
MagnitudeTable BuildMagnitudeTable(int input_exponent, const BigInt& max_raw, double tail,
                                   int64_t requested_size, const FixedType& table_type,
                                   const std::function<double(double)>& f);

// The largest |raw| of a type: 2^(w-1) signed, 2^w - 1 unsigned.
BigInt MaxMagnitude(const FixedType& t);

struct InverseTable {
  int bits = 0;                 // b
  std::vector<BigInt> entries;  // 2^b + 1

  // For v > 0: the entry index and p (so that 1/v ~= entry * 2^-p in units of v's raw).
  template <typename R>
  int64_t Index(const R& v, int* p_out) const {
    const int p = BitLength(v) - 1;
    *p_out = p;
    const R j = v - (R(1) << p);
    if (p > bits) {
      const int k = p - bits;
      return ToIndex((j + (R(1) << (k - 1))) >> k, static_cast<int64_t>(entries.size()) - 1);
    }
    return ToIndex(j << (bits - p), static_cast<int64_t>(entries.size()) - 1);
  }
};

InverseTable BuildInverseTable(int64_t requested_size, const FixedType& table_type);

}  // namespace firmnet::layers::common
