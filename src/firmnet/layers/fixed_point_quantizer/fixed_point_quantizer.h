// fixed_point_quantizer: HGQ's FixedPointQuantizer (a proxy model's quantizer) with a type per
// element: y[i] = (ap_fixed<B_i, I_i, RND, SAT>) x[i] (ap_ufixed where keep_negative is 0), and 0
// where B_i = 0. Attributes "rounding" (TRN, RND, RND_CONV, TRN_ZERO, RND_ZERO, RND_MIN_INF,
// RND_INF) and "overflow" (WRAP, SAT, SAT_SYM, SAT_ZERO) hold for every element; weights
// "keep_negative", "bits", "integers" are [n] (one entry per element, in the tensor's channels-last
// order). The result type is `auto` by default: the narrowest type that holds every element's
// values (docs/semantics.md, "HGQ proxy models").
#pragma once

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firmnet/layers/layer.h"

namespace firmnet::layers {

namespace fpq_detail {
// Bits of one element: widths up to 32, integer bits within +-64 (HGQ stores int8).
inline constexpr int kMaxBits = 32;
inline constexpr int kMaxIntegers = 64;

inline std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace fpq_detail

// The per-element types of a fixed_point_quantizer node (nullopt where B = 0: the output is 0).
inline StatusOr<std::vector<std::optional<FixedType>>> ElementTypes(const ir::Node& node) {
  const auto rs = node.GetString("rounding");
  const auto os = node.GetString("overflow");
  const std::string rnd = rs.ok() ? *rs : "";
  const std::string sat = os.ok() ? *os : "";
  // HGQ's names are ap_fixed's without the AP_ prefix.
  const std::optional<Rounding> r = rnd.starts_with("AP_") ? std::nullopt : ParseRounding(rnd);
  if (!r) {
    return InvalidArgument("attribute 'rounding' is '" + rnd +
                           "'; expected TRN, RND, RND_CONV, TRN_ZERO, RND_ZERO, RND_MIN_INF or "
                           "RND_INF");
  }
  const std::optional<Overflow> o = sat.starts_with("AP_") ? std::nullopt : ParseOverflow(sat);
  if (!o) {
    return InvalidArgument("attribute 'overflow' is '" + sat +
                           "'; expected WRAP, SAT, SAT_SYM or SAT_ZERO (HGQ's WRAP_SM does not "
                           "match ap_fixed's and is not supported)");
  }
  const ir::Tensor* k = node.Weight("keep_negative");
  const ir::Tensor* b = node.Weight("bits");
  const ir::Tensor* in = node.Weight("integers");
  if (!k || !b || !in || k->data.size() != b->data.size() || b->data.size() != in->data.size()) {
    return InvalidArgument(
        "weights 'keep_negative', 'bits' and 'integers' must have one entry per element each");
  }
  std::vector<std::optional<FixedType>> types(b->data.size());
  for (size_t i = 0; i < types.size(); ++i) {
    const double kv = k->data[i], bv = b->data[i], iv = in->data[i];
    if ((kv != 0 && kv != 1) || bv != std::floor(bv) || bv < 0 || bv > fpq_detail::kMaxBits ||
        iv != std::floor(iv) || std::abs(iv) > fpq_detail::kMaxIntegers) {
      return InvalidArgument("element " + std::to_string(i) + " has keep_negative " +
                             fpq_detail::Num(kv) + ", bits " + fpq_detail::Num(bv) + ", integers " +
                             fpq_detail::Num(iv) +
                             "; expected 0 or 1, 0 to 32 bits and integer bits within +-64");
    }
    if (bv == 0) continue;
    auto t = MakeFixedType(static_cast<int>(bv), static_cast<int>(iv), kv == 1, *r, *o);
    if (!t.ok()) return t.status();
    types[i] = *t;
  }
  return types;
}

inline FixedType UnionType(const std::vector<std::optional<FixedType>>& types) {
  bool any = false, is_signed = false;
  int frac = INT32_MIN;
  for (const auto& t : types) {
    if (!t) continue;
    any = true;
    is_signed = is_signed || t->is_signed;
    frac = std::max(frac, t->frac_bits());
  }
  if (!any) return *MakeFixedType(1, 1, false);
  // Integer bits (sign included) that hold each element type's range in the union's signedness.
  int ints = INT32_MIN;
  for (const auto& t : types) {
    if (t) ints = std::max(ints, t->int_bits + (is_signed && !t->is_signed ? 1 : 0));
  }
  // Each element has frac_i + ints_i = B_i >= 1 bits, so the union has at least one.
  return *MakeFixedType(ints + frac, ints, is_signed);
}

template <>
struct LayerImpl<LayerKind::kFixedPointQuantizer> {
  static LayerSchema Schema() {
    return {.attrs = {{"rounding", AttrType::kString}, {"overflow", AttrType::kString}},
            .weights = {{"keep_negative", 1}, {"bits", 1}, {"integers", 1}},
            .check = &Check};
  }
  static Status Check(const ir::Node& node) { return ElementTypes(node).status(); }
  static Status InferShape(ir::Node& node, const NodeInputs& inputs);
  static StatusOr<std::optional<FixedType>> InferPrecision(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::string_view slot,
                                                           const PrecisionContext& ctx);
  template <typename R>
  static StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeKernel(const ir::Node& node,
                                                              const NodeInputs& inputs);
  static StatusOr<std::unique_ptr<emu::FloatKernel>> MakeFloatKernel(const ir::Node& node,
                                                                     const NodeInputs& inputs);
};
static_assert(Layer<LayerImpl<LayerKind::kFixedPointQuantizer>>);

}  // namespace firmnet::layers
