// Slice: output position p of axis k reads input position p + starts[k]; one gather.
#include "firmnet/layers/slice/slice.h"

#include <utility>
#include <vector>

namespace firmnet::layers {

using Impl = LayerImpl<LayerKind::kSlice>;

StatusOr<Impl::Window> Impl::GetWindow(const ir::Node& node, const ir::Shape& in) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> starts, node.GetInts("starts"));
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> ends, node.GetInts("ends"));
  if (starts.size() != in.size() || ends.size() != in.size()) {
    return InvalidArgument("attributes 'starts' = " + ir::FormatShape(starts) +
                           " and 'ends' = " + ir::FormatShape(ends) +
                           " need one entry per axis of the input's shape " + ir::FormatShape(in));
  }
  Window w;
  for (size_t k = 0; k < in.size(); ++k) {
    if (starts[k] < 0 || starts[k] >= ends[k] || ends[k] > in[k]) {
      return InvalidArgument("axis " + std::to_string(k) + ": the window [" +
                             std::to_string(starts[k]) + ", " + std::to_string(ends[k]) +
                             ") is empty or outside the axis' " + std::to_string(in[k]) +
                             " positions (input shape " + ir::FormatShape(in) + ")");
    }
    w.out.push_back(ends[k] - starts[k]);
  }
  w.starts = std::move(starts);
  return w;
}

namespace {

StatusOr<std::vector<int64_t>> Index(const ir::Node& node, const NodeInputs& inputs) {
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument("expects exactly 1 input, got " + std::to_string(inputs.size()));
  }
  const ir::Shape& in = inputs[0]->shape;
  FIRMNET_ASSIGN_OR_RETURN(Impl::Window w, Impl::GetWindow(node, in));
  const size_t rank = in.size();
  std::vector<int64_t> stride(rank, 1);
  for (size_t a = rank - 1; a-- > 0;) stride[a] = stride[a + 1] * in[a + 1];
  std::vector<int64_t> index;
  index.reserve(static_cast<size_t>(ir::NumElements(w.out)));
  std::vector<int64_t> pos(rank, 0);
  for (int64_t i = 0; i < ir::NumElements(w.out); ++i) {
    int64_t src = 0;
    for (size_t k = 0; k < rank; ++k) src += (pos[k] + w.starts[k]) * stride[k];
    index.push_back(src);
    for (size_t k = rank; k-- > 0;) {
      if (++pos[k] < w.out[k]) break;
      pos[k] = 0;
    }
  }
  return index;
}

}  // namespace

Status Impl::InferShape(ir::Node& node, const NodeInputs& inputs) {
  if (inputs.size() != 1 || inputs[0] == nullptr) {
    return InvalidArgument("expects exactly 1 input, got " + std::to_string(inputs.size()));
  }
  FIRMNET_ASSIGN_OR_RETURN(Window w, GetWindow(node, inputs[0]->shape));
  node.shape = std::move(w.out);
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> Impl::MakeKernel(const ir::Node& node,
                                                           const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> index, Index(node, inputs));
  return common::MakeGatherKernel<R>(node, inputs, std::move(index));
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kSlice);

StatusOr<std::unique_ptr<emu::FloatKernel>> Impl::MakeFloatKernel(const ir::Node& node,
                                                                  const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> index, Index(node, inputs));
  return common::MakeGatherFloatKernel(std::move(index));
}

}  // namespace firmnet::layers
