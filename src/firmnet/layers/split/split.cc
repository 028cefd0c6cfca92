// Split: port k holds, for each of the `outer` blocks before the axis, positions
// [start_k, start_k + sizes[k]) of the axis with all `inner` values after it. The kernel writes
// the ports one after another (the emulator's layout of a multi-output layer), so the whole
// layer is one gather: output value i reads input value index[i].
#include "firmnet/layers/split/split.h"

#include <numeric>
#include <utility>
#include <vector>

namespace firmnet::layers {

using Impl = LayerImpl<LayerKind::kSplit>;

StatusOr<Impl::Geometry> Impl::GetGeometry(const ir::Node& node, const ir::Shape& in) {
  Geometry g;
  const auto rank = static_cast<int64_t>(in.size());
  const int64_t axis = node.GetIntOr("axis", -1);
  if (rank == 0 || axis < -rank || axis >= rank) {
    return InvalidArgument("attribute 'axis' = " + std::to_string(axis) +
                           " is out of range for an input of shape " + ir::FormatShape(in) +
                           " (shapes exclude the batch)");
  }
  g.axis = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  FIRMNET_ASSIGN_OR_RETURN(g.sizes, node.GetInts("sizes"));
  if (g.sizes.empty()) return InvalidArgument("attribute 'sizes' is empty: no output");
  int64_t sum = 0;
  for (int64_t s : g.sizes) {
    if (s <= 0) {
      return InvalidArgument("attribute 'sizes' = " + ir::FormatShape(g.sizes) +
                             " has a size that is not positive");
    }
    sum += s;
    if (sum > in[g.axis]) break;
  }
  if (sum != in[g.axis]) {
    return InvalidArgument("attribute 'sizes' = " + ir::FormatShape(g.sizes) +
                           " does not add up to " + std::to_string(in[g.axis]) +
                           ", the extent of axis " + std::to_string(g.axis) +
                           " of the input's shape " + ir::FormatShape(in));
  }
  for (size_t d = 0; d < g.axis; ++d) g.outer *= in[d];
  for (size_t d = g.axis + 1; d < in.size(); ++d) g.inner *= in[d];
  return g;
}

namespace {

StatusOr<std::vector<int64_t>> Index(const ir::Node& node, const NodeInputs& inputs) {
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument("expects exactly 1 input, got " + std::to_string(inputs.size()));
  }
  const ir::Shape& in = inputs[0]->shape;
  FIRMNET_ASSIGN_OR_RETURN(Impl::Geometry g, Impl::GetGeometry(node, in));
  const int64_t extent = in[g.axis];
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(ir::NumElements(in)));
  int64_t start = 0;
  for (int64_t size : g.sizes) {
    for (int64_t o = 0; o < g.outer; ++o) {
      for (int64_t p = start; p < start + size; ++p) {
        for (int64_t i = 0; i < g.inner; ++i) index.push_back((o * extent + p) * g.inner + i);
      }
    }
    start += size;
  }
  return index;
}

}  // namespace

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument("expects exactly 1 input, got " + std::to_string(inputs.size()));
  }
  const ir::Shape& in = inputs[0]->shape;
  FIRMNET_ASSIGN_OR_RETURN(Geometry g, GetGeometry(node, in));
  node.extra_outputs.clear();
  for (size_t k = 0; k < g.sizes.size(); ++k) {
    ir::Shape s = in;
    s[g.axis] = g.sizes[k];
    if (k == 0) {
      node.shape = std::move(s);
    } else {
      node.extra_outputs.push_back(std::move(s));
    }
  }
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> index, Index(node, inputs));
  return common::MakeGatherKernel<R>(node, inputs, std::move(index));
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kSplit);

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> index, Index(node, inputs));
  return common::MakeGatherFloatKernel(std::move(index));
}

}  // namespace firmnet::layers
