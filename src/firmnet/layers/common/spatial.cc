#include "firmnet/layers/common/spatial.h"

#include <utility>

#include "firmnet/layers/common/raw.h"

namespace firmnet::layers::common {
namespace {

std::string_view Kind(const ir::Node& node) { return LayerKindId(node.kind); }

template <typename R>
class GatherKernel final : public emu::Kernel<R> {
 public:
  GatherKernel(std::vector<int64_t> index, const FixedType& in_t, const FixedType& result_t)
      : index_(std::move(index)),
        cast_(in_t.lsb_exponent(), result_t),
        identity_(in_t == result_t) {}
  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& c) const override {
    const R* x = inputs[0];
    const int64_t n = static_cast<int64_t>(index_.size());
    for (int64_t i = 0; i < n; ++i) {
      const int64_t k = index_[i];
      // A padded position holds 0, which every type represents exactly.
      if (k < 0) {
        out[i] = R(0);
      } else {
        out[i] = identity_ ? x[k] : cast_(x[k], c);
      }
    }
  }

 private:
  std::vector<int64_t> index_;
  emu::Caster cast_;
  bool identity_;
};

class GatherFloatKernel final : public emu::FloatKernel {
 public:
  explicit GatherFloatKernel(std::vector<int64_t> index) : index_(std::move(index)) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    for (size_t i = 0; i < index_.size(); ++i) out[i] = index_[i] < 0 ? 0.0 : inputs[0][index_[i]];
  }

 private:
  std::vector<int64_t> index_;
};

}  // namespace

StatusOr<ir::Shape> FeatureMapInput(const ir::Node& node, const NodeInputs& inputs,
                                    int spatial_rank) {
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument("expects exactly 1 input, got " + std::to_string(inputs.size()));
  }
  const ir::Shape& in = inputs[0]->shape;
  const size_t rank = static_cast<size_t>(spatial_rank) + 1;
  if (in.size() != rank) {
    const char* layout = spatial_rank == 1 ? "[length, channels]" : "[height, width, channels]";
    return InvalidArgument("input '" + inputs[0]->name + "' has shape " + ir::FormatShape(in) +
                           "; " + std::string(Kind(node)) + " needs a " +
                           std::to_string(spatial_rank) + "-D feature map " + layout);
  }
  for (int64_t d : in) {
    if (d <= 0) {
      return InvalidArgument("input '" + inputs[0]->name +
                             "' has a non-positive dimension in shape " + ir::FormatShape(in));
    }
  }
  return in;
}

StatusOr<std::vector<int64_t>> IntsAttr(const ir::Node& node, const std::string& key, size_t count,
                                        std::optional<std::vector<int64_t>> fallback) {
  std::vector<int64_t> v;
  if (fallback && node.attrs.find(key) == node.attrs.end()) {
    v = std::move(*fallback);
  } else {
    FIRMNET_ASSIGN_OR_RETURN(v, node.GetInts(key));
  }
  if (v.size() != count) {
    return InvalidArgument("attribute '" + key + "' = " + ir::FormatShape(v) + " has " +
                           std::to_string(v.size()) + " values; " + std::string(Kind(node)) +
                           " needs " + std::to_string(count));
  }
  return v;
}

StatusOr<Margins> MarginsAttr(const ir::Node& node, const std::string& key, int spatial_rank,
                              std::optional<std::vector<int64_t>> fallback) {
  FIRMNET_ASSIGN_OR_RETURN(
      std::vector<int64_t> v,
      IntsAttr(node, key, 2 * static_cast<size_t>(spatial_rank), std::move(fallback)));
  for (int64_t p : v) {
    if (p < 0) {
      return InvalidArgument("attribute '" + key + "' = " + ir::FormatShape(v) +
                             " has a negative value");
    }
  }
  Margins m;
  m.begin.assign(v.begin(), v.begin() + spatial_rank);
  m.end.assign(v.begin() + spatial_rank, v.end());
  return m;
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeGatherKernel(const ir::Node& node,
                                                           const NodeInputs& inputs,
                                                           std::vector<int64_t> index) {
  const FixedType& in_t = inputs[0]->Precision("result");
  const FixedType& result_t = node.Precision("result");
  if constexpr (std::is_same_v<R, int64_t>) {
    if (!FitsInt64({in_t, result_t})) {
      const int64_t n_out = static_cast<int64_t>(index.size());
      auto inner = std::make_unique<GatherKernel<BigInt>>(std::move(index), in_t, result_t);
      return std::unique_ptr<emu::Kernel<int64_t>>(std::make_unique<BigIntAdapter>(
          std::move(inner), std::vector<int64_t>{ir::NumElements(inputs[0]->shape)}, n_out));
    }
  }
  return std::unique_ptr<emu::Kernel<R>>(
      std::make_unique<GatherKernel<R>>(std::move(index), in_t, result_t));
}

template StatusOr<std::unique_ptr<emu::Kernel<int64_t>>> MakeGatherKernel<int64_t>(
    const ir::Node&, const NodeInputs&, std::vector<int64_t>);
template StatusOr<std::unique_ptr<emu::Kernel<BigInt>>> MakeGatherKernel<BigInt>(
    const ir::Node&, const NodeInputs&, std::vector<int64_t>);

StatusOr<std::unique_ptr<emu::FloatKernel>> MakeGatherFloatKernel(std::vector<int64_t> index) {
  return std::unique_ptr<emu::FloatKernel>(std::make_unique<GatherFloatKernel>(std::move(index)));
}

std::optional<FixedType> InputTypeForResult(const NodeInputs& inputs, std::string_view slot) {
  if (slot != "result" || inputs.empty() || inputs[0] == nullptr) return std::nullopt;
  return inputs[0]->Precision("result");
}

}  // namespace firmnet::layers::common
