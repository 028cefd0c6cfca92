#include "firmnet/layers/common/raw.h"

#include <cstdlib>

namespace firmnet::layers::common {

int BitLength(const BigInt& v) {
  FIRMNET_CHECK(IsPositive(v)) << "BitLength of a value <= 0";
  for (int limb = BigInt::kLimbs - 1; limb >= 0; --limb) {
    const uint64_t bits = v.Limb(limb);
    if (bits != 0) return 64 * limb + 64 - __builtin_clzll(bits);
  }
  return 0;
}

int64_t ToIndex(const BigInt& v, int64_t limit) {
  FIRMNET_CHECK(!v.IsNegative()) << "negative table index";
  if (!v.FitsSigned(63)) return limit;
  return ToIndex(v.ToInt64(), limit);
}

bool FitsInt64(std::initializer_list<FixedType> types) {
  for (const FixedType& a : types) {
    if (a.width > 31 || std::abs(a.lsb_exponent()) > 30) return false;
    for (const FixedType& b : types) {
      if (std::abs(a.lsb_exponent() - b.lsb_exponent()) > 30) return false;
    }
  }
  return true;
}

void BigIntAdapter::Run(std::span<const int64_t* const> inputs, int64_t* out,
                        emu::LayerCounters& counters) const {
  FIRMNET_CHECK(inputs.size() == input_sizes_.size()) << "wrong number of kernel inputs";
  std::vector<std::vector<BigInt>> big(inputs.size());
  std::vector<const BigInt*> ptrs(inputs.size());
  for (size_t k = 0; k < inputs.size(); ++k) {
    big[k].reserve(input_sizes_[k]);
    for (int64_t i = 0; i < input_sizes_[k]; ++i) big[k].emplace_back(inputs[k][i]);
    ptrs[k] = big[k].data();
  }
  std::vector<BigInt> result(output_size_);
  inner_->Run(ptrs, result.data(), counters);
  for (int64_t i = 0; i < output_size_; ++i) out[i] = result[i].ToInt64();
}

}  // namespace firmnet::layers::common
