#include "firmnet/layers/common/po2_product.h"

#include <string>

namespace firmnet::layers::common {

StatusOr<std::optional<Po2Product>> Po2Product::For(const ir::Node& node, const FixedType& in,
                                                    const FixedType& weight) {
  const int64_t bits = node.GetIntOr("po2_weight_bits", 0);
  if (bits <= 0) return std::optional<Po2Product>();
  const int64_t half = bits + in.width;
  if (2 * half > 62) {
    return InvalidArgument(node.Label() + ": power-of-two weights of " + std::to_string(bits) +
                           " bits on an input of " + std::to_string(in.width) + " bits need a " +
                           std::to_string(2 * half) +
                           "-bit shift register (hls4ml's weight_exponential); at most 62 bits "
                           "are supported");
  }
  Po2Product p;
  p.r_t_ = FixedType{
      static_cast<int>(2 * half), static_cast<int>(half), true, Rounding::kTrn, Overflow::kWrap, 0};
  p.in_exp_ = in.lsb_exponent();
  p.w_exp_ = weight.lsb_exponent();
  return std::optional<Po2Product>(p);
}

}  // namespace firmnet::layers::common
