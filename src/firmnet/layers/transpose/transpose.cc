#include "firmnet/layers/transpose/transpose.h"

#include <utility>
#include <vector>

namespace firmnet::layers {
namespace {

// The checked permutation of the one input's axes.
StatusOr<std::vector<int64_t>> Perm(const ir::Node& node, const NodeInputs& inputs) {
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument("expects exactly 1 input, got " + std::to_string(inputs.size()));
  }
  const ir::Shape& in = inputs[0]->shape;
  if (in.empty()) {
    return InvalidArgument("input '" + inputs[0]->name +
                           "' has no shape (shape inference has not run on it)");
  }
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> perm, node.GetInts("perm"));
  if (perm.size() != in.size()) {
    return InvalidArgument("attribute 'perm' = " + ir::FormatShape(perm) + " has " +
                           std::to_string(perm.size()) + " entries but input '" + inputs[0]->name +
                           "' has " + std::to_string(in.size()) + " axes (shape " +
                           ir::FormatShape(in) + ")");
  }
  std::vector<bool> seen(in.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(in.size()) || seen[p]) {
      return InvalidArgument("attribute 'perm' = " + ir::FormatShape(perm) +
                             " is not a permutation of 0.." + std::to_string(in.size() - 1));
    }
    seen[p] = true;
  }
  return perm;
}

// For each output element (row-major), the input element it reads.
StatusOr<std::vector<int64_t>> Index(const ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> perm, Perm(node, inputs));
  const ir::Shape& in = inputs[0]->shape;
  const size_t rank = in.size();
  std::vector<int64_t> in_stride(rank, 1);
  for (size_t a = rank - 1; a-- > 0;) in_stride[a] = in_stride[a + 1] * in[a + 1];
  ir::Shape out(rank);
  std::vector<int64_t> stride(rank);  // input stride of each output axis
  for (size_t k = 0; k < rank; ++k) {
    out[k] = in[perm[k]];
    stride[k] = in_stride[perm[k]];
  }
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(ir::NumElements(out)));
  std::vector<int64_t> pos(rank, 0);
  for (int64_t i = 0; i < ir::NumElements(out); ++i) {
    int64_t src = 0;
    for (size_t k = 0; k < rank; ++k) src += pos[k] * stride[k];
    index.push_back(src);
    for (size_t k = rank; k-- > 0;) {
      if (++pos[k] < out[k]) break;
      pos[k] = 0;
    }
  }
  return index;
}

}  // namespace

using Impl = LayerImpl<LayerKind::kTranspose>;

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> perm, Perm(node, inputs));
  for (int64_t d : inputs[0]->shape) {
    if (d <= 0) {
      return InvalidArgument("input '" + inputs[0]->name +
                             "' has a non-positive dimension in shape " +
                             ir::FormatShape(inputs[0]->shape));
    }
  }
  ir::Shape out;
  for (int64_t p : perm) out.push_back(inputs[0]->shape[p]);
  node.shape = out;
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> index, Index(node, inputs));
  return common::MakeGatherKernel<R>(node, inputs, std::move(index));
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kTranspose);

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> index, Index(node, inputs));
  return common::MakeGatherFloatKernel(std::move(index));
}

}  // namespace firmnet::layers
