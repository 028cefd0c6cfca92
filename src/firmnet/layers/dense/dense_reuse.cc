// The ReuseFactor rule (see dense_reuse.h): R must divide n_in * n_out.
#include "firmnet/layers/dense/dense_reuse.h"

#include <algorithm>
#include <string>

namespace firmnet::layers {

std::vector<int> ValidReuseFactors(int64_t n_in, int64_t n_out) {
  std::vector<int> out;
  if (n_in <= 0 || n_out <= 0) return out;
  const int64_t m = n_in * n_out;
  std::vector<int> high;  // the divisors above sqrt(m), found in descending order
  for (int64_t d = 1; d * d <= m; ++d) {
    if (m % d != 0) continue;
    out.push_back(static_cast<int>(d));
    if (d != m / d && m / d <= INT32_MAX) high.push_back(static_cast<int>(m / d));
  }
  std::reverse(high.begin(), high.end());
  out.insert(out.end(), high.begin(), high.end());
  return out;
}

Status CheckReuseFactor(const ir::Node& node) {
  if (node.kind != LayerKind::kDense) return OkStatus();
  const ir::Tensor* w = node.Weight("weight");
  if (w == nullptr || w->shape.size() != 2) {
    return Internal("layer '" + node.name + "' (dense) has no [n_in, n_out] weight tensor");
  }
  const int64_t n_in = w->shape[0], n_out = w->shape[1];
  const int r = node.settings.reuse_factor;
  const std::vector<int> valid = ValidReuseFactors(n_in, n_out);
  if (std::find(valid.begin(), valid.end(), r) != valid.end()) return OkStatus();
  std::string list;
  for (int v : valid) list += (list.empty() ? "" : ", ") + std::to_string(v);
  return InvalidArgument("layer '" + node.name + "' (dense, " + std::to_string(n_in) + " -> " +
                         std::to_string(n_out) + "): ReuseFactor " + std::to_string(r) +
                         " is not valid; it must divide n_in * n_out = " +
                         std::to_string(n_in * n_out) + ". Valid values: " + list +
                         ". Set ReuseFactor under LayerName: " + node.name + " in the config");
}

}  // namespace firmnet::layers
