#include "firmnet/layers/common/table.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/registry.h"

namespace firmnet::layers::common {

StatusOr<int64_t> ResolveTableSize(const ir::Node& node) {
  const int64_t requested = node.settings.table_size;
  if (requested < 0 || requested > kMaxTableSize) {
    return InvalidArgument(LayerLabel(node) + ": TableSize " + std::to_string(requested) +
                           " is out of range; use 1 to " + std::to_string(kMaxTableSize) +
                           " (or 0 for the default)");
  }
  if (requested > 0) return requested;
  const int def = GetLayerInfo(node.kind).default_table_size;
  FIRMNET_CHECK(def > 0) << "layer kind " << LayerKindId(node.kind) << " has no table";
  return static_cast<int64_t>(def);
}

double ExpTail(int frac_bits) {
  return std::max(1.0, (std::max(frac_bits, 0) + 1) * std::numbers::ln2);
}

double MagnitudeTable::Point(int64_t i) const {
  return std::ldexp(static_cast<double>(i), step_exponent);
}

BigInt MaxMagnitude(const FixedType& t) {
  return t.is_signed ? BigInt::PowerOfTwo(t.width - 1) : BigInt::PowerOfTwo(t.width) - BigInt(1);
}

MagnitudeTable BuildMagnitudeTable(int input_exponent, const BigInt& max_raw, double tail,
                                   int64_t requested_size, const FixedType& table_type,
                                   const std::function<double(double)>& f) {
  FIRMNET_CHECK(requested_size >= 1 && requested_size <= kMaxTableSize) << "bad table size";
  MagnitudeTable t;
  t.input_exponent = input_exponent;
  // The finest step 2^s (s >= e) with which requested_size entries reach the tail. The loop
  // compares exact doubles, so the choice is deterministic.
  int s = input_exponent;
  while (std::ldexp(static_cast<double>(requested_size), s) < tail) ++s;
  t.step_exponent = s;
  t.shift = s - input_exponent;
  // Cut the table to the entries some input can address.
  BigInt max_index = max_raw;
  if (t.shift > 0) max_index = (max_raw + BigInt::PowerOfTwo(t.shift - 1)) >> t.shift;
  t.size = ToIndex(max_index, requested_size - 1) + 1;
  t.entries.reserve(t.size);
  for (int64_t i = 0; i < t.size; ++i)
    t.entries.push_back(QuantizeDouble(f(t.Point(i)), table_type));
  return t;
}

InverseTable BuildInverseTable(int64_t requested_size, const FixedType& table_type) {
  FIRMNET_CHECK(requested_size >= 1 && requested_size <= kMaxTableSize) << "bad table size";
  InverseTable t;
  while ((int64_t{2} << t.bits) <= requested_size) ++t.bits;
  const int64_t n = (int64_t{1} << t.bits) + 1;
  t.entries.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    t.entries.push_back(
        QuantizeDouble(1.0 / (1.0 + std::ldexp(static_cast<double>(i), -t.bits)), table_type));
  }
  return t;
}

}  // namespace firmnet::layers::common
