// Raw-integer helpers shared by the activation layers, written once for both raw representations
// of the emulator (int64_t and BigInt; see emu/kernel.h).
//
// Activation kernels are templates over R. The arithmetic they need beyond +, -, *, << and >>
// (which both types have) lives here: sign tests, absolute value, bit length, conversion to a
// table index. Also here: the rule that decides whether the int64_t form of a kernel is safe,
// and the adapter that runs the BigInt form behind the int64_t interface when it is not.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

#include "firmnet/emu/kernel.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/fixed/fixed_value.h"

namespace firmnet::layers::common {

inline bool IsNegative(int64_t v) { return v < 0; }
inline bool IsNegative(const BigInt& v) { return v.IsNegative(); }
inline bool IsPositive(int64_t v) { return v > 0; }
inline bool IsPositive(const BigInt& v) { return !v.IsNegative() && !v.IsZero(); }
inline int64_t Abs(int64_t v) { return v < 0 ? -v : v; }
inline BigInt Abs(const BigInt& v) { return v.IsNegative() ? -v : v; }

// Number of bits of a value v > 0 (the position of its leading one, plus one).
inline int BitLength(int64_t v) { return 64 - __builtin_clzll(static_cast<uint64_t>(v)); }
int BitLength(const BigInt& v);

// 2^n as a raw value (0 <= n; n <= 61 for int64_t).
template <typename R>
R PowerOfTwo(int n) {
  return R(1) << n;
}

// Saturating conversion to an index in [0, limit]: tables never have 2^62 entries.
inline int64_t ToIndex(int64_t v, int64_t limit) { return v > limit ? limit : v; }
int64_t ToIndex(const BigInt& v, int64_t limit);

// Table values are built once as BigInt and kept in the kernel's representation.
inline void FromBig(const BigInt& v, int64_t& out) { out = v.ToInt64(); }
inline void FromBig(const BigInt& v, BigInt& out) { out = v; }
template <typename R>
std::vector<R> ConvertTable(const std::vector<BigInt>& table) {
  std::vector<R> out(table.size());
  for (size_t i = 0; i < table.size(); ++i) FromBig(table[i], out[i]);
  return out;
}

// The rule for the int64_t kernels: every type involved (input, result, parameters, tables,
// accumulators) is at most 31 bits wide, has |lsb exponent| <= 30, and any two types' lsb
// exponents differ by at most 30. Then every exact product (<= 62 bits), every alignment shift
// of one operand onto another's grid (<= 61 bits) and every cast fits Cast64's preconditions.
// A layer whose types break the rule still gets an int64_t kernel: it runs the BigInt one.
bool FitsInt64(std::initializer_list<FixedType> types);

// Runs a Kernel<BigInt> behind the Kernel<int64_t> interface (raw values converted both ways).
class BigIntAdapter final : public emu::Kernel<int64_t> {
 public:
  BigIntAdapter(std::unique_ptr<emu::Kernel<BigInt>> inner, std::vector<int64_t> input_sizes,
                int64_t output_size)
      : inner_(std::move(inner)), input_sizes_(std::move(input_sizes)), output_size_(output_size) {}
  void Run(std::span<const int64_t* const> inputs, int64_t* out,
           emu::LayerCounters& counters) const override;

 private:
  std::unique_ptr<emu::Kernel<BigInt>> inner_;
  std::vector<int64_t> input_sizes_;
  int64_t output_size_;
};

}  // namespace firmnet::layers::common
