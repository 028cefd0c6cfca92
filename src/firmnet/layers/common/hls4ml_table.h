// hls4ml's table activations, bit for bit (docs/tables.md, "hls4ml style"): the tables that
// hls4ml's nnet_activation.h builds in float at the first call, and its index arithmetic.
//
//  * Range tables (sigmoid over [-8, 8), tanh over [-4, 4)): entry i is f at the float
//        in_val = float(2 * R * (i - float(N) / 2.0) / float(N))      (R = 8 or 4)
//    quantized to the "table" type; an input x (raw r, F fractional bits) reads
//        data_round = int(x * N / D)                                   (D = 2R)
//        index      = clamp(data_round + N / 2, 0, N - 1)
//    where ap_fixed's x * N is exact, `/ D` truncates toward zero at x's LSB, and the int
//    conversion truncates toward zero and keeps the low 32 bits.
//  * Negative-side tables (elu, selu over [-8, 0)): entry i is f at the float
//        in_val = float(-8.0 * i / float(N))
//    quantized to the "table" type; an input x < 0 reads index = int(x * N / -8) (x * N exact,
//    `/ -8` truncating toward zero at x's LSB, the int conversion keeping the low 32 bits),
//    compared with N - 1 as unsigned: elu reads N - 1 for any index above it (a negative int
//    too); selu first sends a negative index to 0.
//  * Top-bit addressing (softmax): the index of a value of type T is its raw value's top
//    ceil(log2(size)) bits, read as unsigned.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "firmnet/emu/kernel.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/fixed/fixed_value.h"
#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/raw.h"

namespace firmnet::layers::common {

// sign(a) * (|a| >> k): C's truncating division by 2^k.
template <typename R>
R TruncShift(const R& a, int k) {
  if (IsNegative(a)) return R(-(R(-a) >> k));
  return a >> k;
}

// The low 32 bits of v as a signed int (C's conversion of ap_int to int).
inline int64_t Wrap32(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}
int64_t Wrap32(const BigInt& v);

// v << k keeping only what Wrap32 then reads (k >= 0).
inline int64_t ShiftForWrap32(int64_t v, int k) {
  return k >= 32 ? 0 : static_cast<int64_t>(static_cast<uint64_t>(v) << k);
}
inline BigInt ShiftForWrap32(const BigInt& v, int k) { return k >= 32 ? BigInt(0) : v << k; }

struct Hls4mlRangeTable {
  int64_t size = 0;         // N
  int div_log2 = 0;         // log2(D): 4 for sigmoid (/16), 3 for tanh (/8)
  int input_frac_bits = 0;  // F of the input type (may be negative)
  std::vector<BigInt> entries;

  // hls4ml's index of an input raw value r.
  template <typename R>
  int64_t Index(const R& r) const {
    const R a = r * R(size);
    R q = TruncShift(a, div_log2 + std::max(input_frac_bits, 0));
    const int64_t data_round = Wrap32(ShiftForWrap32(q, std::max(-input_frac_bits, 0)));
    // `data_round + 8 * table_size / 16` is unsigned arithmetic, then an int again.
    const int64_t index = Wrap32(data_round + size / 2);
    if (index < 0) return 0;
    return index > size - 1 ? size - 1 : index;
  }
};

struct Hls4mlNegativeTable {
  int64_t size = 0;         // N
  int input_frac_bits = 0;  // F of the input type (may be negative)
  bool clamp_low = false;   // selu: a negative index reads entry 0 (elu: entry N - 1)
  std::vector<BigInt> entries;

  // hls4ml's index of a negative input raw value r.
  template <typename R>
  int64_t Index(const R& r) const {
    const R a = R(-r) * R(size);
    const R q = a >> (3 + std::max(input_frac_bits, 0));
    const int64_t index = Wrap32(ShiftForWrap32(q, std::max(-input_frac_bits, 0)));
    if (index < 0) return clamp_low ? 0 : size - 1;
    return index > size - 1 ? size - 1 : index;
  }
};

// The float input of entry i of a negative-side table with n entries.
float Hls4mlNegativePoint(int64_t i, int64_t n);

// Builds a negative-side table; f maps the float point to the double that hls4ml converts to
// table_t.
Hls4mlNegativeTable BuildHls4mlNegativeTable(int64_t size, int input_frac_bits, bool clamp_low,
                                             const FixedType& table_type,
                                             const std::function<double(float)>& f);

// The float input of entry i of a range table over [-range, range) with n entries.
float Hls4mlRangePoint(int64_t i, int64_t n, double range);

// Builds a range table; f maps the float point to the double that hls4ml converts to table_t.
Hls4mlRangeTable BuildHls4mlRangeTable(int64_t size, int div_log2, int input_frac_bits,
                                       double range, const FixedType& table_type,
                                       const std::function<double(float)>& f);

// ceil(log2(n)) for n >= 1 (hls4ml's ceillog2).
int CeilLog2(int64_t n);

// The top `bits` bits of a raw value of a `width`-bit type, as unsigned (hls4ml's
// softmax_idx_from_real_val). 0 < bits <= width.
template <typename R>
int64_t TopBits(const R& raw, int width, int bits) {
  const R u = IsNegative(raw) ? R(raw + (R(1) << width)) : raw;
  return ToIndex(R(u >> (width - bits)), (int64_t{1} << bits) - 1);
}

// The value (as a float, like hls4ml's `(float)x`) of the type t whose raw value has index i in
// its top `bits` bits and zeros below (hls4ml's softmax_real_val_from_idx).
float TopBitsValue(int64_t i, const FixedType& t, int bits);

}  // namespace firmnet::layers::common

namespace firmnet::layers::common {

// The element-wise op of an hls4ml range table: y = cast_result(T[index(x)]).
template <typename R>
struct Hls4mlRangeOp {
  Hls4mlRangeTable index;
  std::vector<R> table;
  int table_exponent;
  FixedType result;
  R operator()(const R& x, emu::LayerCounters& c) const {
    return emu::CastTo(table[index.Index(x)], table_exponent, result, c);
  }
};

// The emulator kernel of an hls4ml-style range-table activation (sigmoid, tanh, softplus,
// softsign): `t` built from the node's "table" slot, the cast to its "result".
template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeHls4mlRangeKernel(const ir::Node& node,
                                                                const NodeInputs& inputs,
                                                                const Hls4mlRangeTable& t) {
  const FixedType& tt = node.Precision("table");
  const FixedType& result = node.Precision("result");
  return MakeUnaryKernel<R>(node, FitsInt64({InputType(inputs), result, tt}), [&](auto tag) {
    using T = decltype(tag);
    return Hls4mlRangeOp<T>{t, ConvertTable<T>(t.entries), tt.lsb_exponent(), result};
  });
}

}  // namespace firmnet::layers::common
