#include "firmnet/layers/common/axis_map.h"

#include <utility>
#include <vector>

#include "firmnet/layers/common/spatial.h"

namespace firmnet::layers::common {
namespace {

const char* AttrKey(AxisMapOp op) {
  switch (op) {
    case AxisMapOp::kZeroPad:
      return "pads";
    case AxisMapOp::kCrop:
      return "crops";
    case AxisMapOp::kUpsample:
      return "size";
  }
  return "?";
}

// The output shape and, per spatial axis, the input position each output position reads
// (-1: a zero).
struct Plan {
  ir::Shape out;
  std::vector<std::vector<int64_t>> source;
};

StatusOr<Plan> PlanOf(const AxisMapKind& kind, const ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(ir::Shape in, FeatureMapInput(node, inputs, kind.spatial_rank));
  const size_t rank = static_cast<size_t>(kind.spatial_rank);
  Plan plan;
  plan.out = in;
  plan.source.resize(rank);
  if (kind.op == AxisMapOp::kUpsample) {
    FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> size, IntsAttr(node, "size", rank));
    for (size_t a = 0; a < rank; ++a) {
      if (size[a] <= 0) {
        return InvalidArgument("attribute 'size' = " + ir::FormatShape(size) + " must be positive");
      }
      if (in[a] > (int64_t{1} << 15) || size[a] > (int64_t{1} << 15)) {
        return InvalidArgument("attribute 'size' = " + ir::FormatShape(size) + " on input shape " +
                               ir::FormatShape(in) + ": sizes above 32768 are not supported");
      }
      plan.out[a] = in[a] * size[a];
      for (int64_t p = 0; p < plan.out[a]; ++p) {
        const int64_t src = ResizeNearestIndex(p, in[a], plan.out[a]);
        if (src != p / size[a]) {
          return InvalidArgument(
              "attribute 'size' = " + ir::FormatShape(size) + " on input shape " +
              ir::FormatShape(in) + ": hls4ml's io_parallel nearest-neighbour index reads input " +
              std::to_string(src) + " for output " + std::to_string(p) + ", not " +
              std::to_string(p / size[a]) + " (io_stream's); upsample in smaller steps");
        }
        plan.source[a].push_back(src);
      }
    }
    return plan;
  }
  const std::string key = AttrKey(kind.op);
  FIRMNET_ASSIGN_OR_RETURN(Margins m, MarginsAttr(node, key, kind.spatial_rank));
  for (size_t a = 0; a < rank; ++a) {
    if (kind.op == AxisMapOp::kZeroPad) {
      plan.out[a] = in[a] + m.begin[a] + m.end[a];
      for (int64_t p = 0; p < plan.out[a]; ++p) {
        const int64_t src = p - m.begin[a];
        plan.source[a].push_back(src >= 0 && src < in[a] ? src : -1);
      }
    } else {
      plan.out[a] = in[a] - m.begin[a] - m.end[a];
      if (plan.out[a] <= 0) {
        const char* axis = rank == 1 ? "length" : (a == 0 ? "height" : "width");
        return InvalidArgument("crops " + ir::FormatShape(node.GetIntsOr(key, {})) +
                               " leave nothing of the input " + axis + " " + std::to_string(in[a]) +
                               " (input shape " + ir::FormatShape(in) + ")");
      }
      for (int64_t p = 0; p < plan.out[a]; ++p) plan.source[a].push_back(p + m.begin[a]);
    }
  }
  return plan;
}

StatusOr<std::vector<int64_t>> IndexOf(const AxisMapKind& kind, const ir::Node& node,
                                       const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(Plan plan, PlanOf(kind, node, inputs));
  return AxisGather(inputs[0]->shape, plan.out,
                    [&](size_t axis, int64_t p) { return plan.source[axis][p]; });
}

}  // namespace

int64_t ResizeNearestIndex(int64_t p, int64_t in, int64_t out) {
  const int64_t ratio = ((in << 16) / out) + 1;
  return (p * ratio) >> 16;
}

Status AxisMapInferShape(const AxisMapKind& kind, ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(Plan plan, PlanOf(kind, node, inputs));
  node.shape = plan.out;
  return OkStatus();
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> MakeAxisMapKernel(const AxisMapKind& kind,
                                                            const ir::Node& node,
                                                            const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> index, IndexOf(kind, node, inputs));
  return MakeGatherKernel<R>(node, inputs, std::move(index));
}

template StatusOr<std::unique_ptr<emu::Kernel<int64_t>>> MakeAxisMapKernel<int64_t>(
    const AxisMapKind&, const ir::Node&, const NodeInputs&);
template StatusOr<std::unique_ptr<emu::Kernel<BigInt>>> MakeAxisMapKernel<BigInt>(
    const AxisMapKind&, const ir::Node&, const NodeInputs&);

StatusOr<std::unique_ptr<emu::FloatKernel>> MakeAxisMapFloatKernel(const AxisMapKind& kind,
                                                                   const ir::Node& node,
                                                                   const NodeInputs& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> index, IndexOf(kind, node, inputs));
  return MakeGatherFloatKernel(std::move(index));
}

}  // namespace firmnet::layers::common
