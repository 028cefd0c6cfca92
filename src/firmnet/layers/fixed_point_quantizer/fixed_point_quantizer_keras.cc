// Keras import of fixed_point_quantizer: HGQ's FixedPointQuantizer (class "FixedPointQuantizer",
// older files "HGQ>FixedPointQuantizer") in a proxy model's full .h5. Its keep_negative, bits
// and integers ([1] for one type, [1, *shape] per element with size-1 axes broadcast) become one
// type per element; one type for every element is a `linear` cast to it (hls4ml folds it into the
// layer before, merge_linear_activation). A quantizer that reads the model input gives the input
// the type that holds what it keeps (hls4ml's bit-exact input type).
#include <cmath>

#include "firmnet/frontend/keras/keras_context.h"
#include "firmnet/layers/fixed_point_quantizer/fixed_point_quantizer.h"

namespace firmnet::keras {
namespace {

// `mask` ([1], or [1, dims...] with size-1 axes broadcast) for every element of `shape`, in
// row-major (channels-last) order.
StatusOr<ir::Tensor> Broadcast(const KerasContext& ctx, const std::string& key,
                               const ir::Tensor& mask, const ir::Shape& shape) {
  const int64_t n = ir::NumElements(shape);
  ir::Tensor out{{n}, std::vector<double>(static_cast<size_t>(n))};
  if (mask.data.size() == 1) {
    std::fill(out.data.begin(), out.data.end(), mask.data[0]);
    return out;
  }
  ir::Shape dims = mask.shape;
  if (!dims.empty() && dims[0] == 1 && dims.size() == shape.size() + 1) dims.erase(dims.begin());
  bool ok = dims.size() == shape.size();
  for (size_t a = 0; ok && a < dims.size(); ++a) ok = dims[a] == 1 || dims[a] == shape[a];
  if (!ok) {
    return ctx.Error("'" + key + "' has shape " + ir::FormatShape(mask.shape) +
                     ", which does not broadcast to the layer's input " + ir::FormatShape(shape));
  }
  for (int64_t i = 0; i < n; ++i) {
    int64_t rest = i, idx = 0, stride = 1;
    for (size_t a = shape.size(); a-- > 0;) {
      const int64_t coord = rest % shape[a];
      rest /= shape[a];
      if (dims[a] != 1) idx += coord * stride;
      stride *= dims[a];
    }
    out.data[static_cast<size_t>(i)] = mask.data[static_cast<size_t>(idx)];
  }
  return out;
}

Status ImportFixedPointQuantizer(KerasContext& ctx) {
  FIRMNET_ASSIGN_OR_RETURN(std::string rnd, ctx.String("RND", "TRN"));
  FIRMNET_ASSIGN_OR_RETURN(std::string sat, ctx.String("SAT", "WRAP"));
  FIRMNET_ASSIGN_OR_RETURN(auto w, ctx.LoadWeights({"keep_negative", "bits", "integers"},
                                                   {"keep_negative", "bits", "integers"}));
  ir::Node node;
  node.name = ctx.layer().name;
  node.kind = LayerKind::kFixedPointQuantizer;
  node.attrs["rounding"] = rnd;
  node.attrs["overflow"] = sat;
  const ir::Shape& shape = ctx.input_shape();
  for (const char* key : {"keep_negative", "bits", "integers"}) {
    FIRMNET_ASSIGN_OR_RETURN(node.weights[key], Broadcast(ctx, key, w.at(key), shape));
  }
  // HGQ zeroes keep_negative and integers where bits is 0; older files may not.
  for (size_t i = 0; i < node.weights["bits"].data.size(); ++i) {
    if (node.weights["bits"].data[i] == 0) {
      node.weights["keep_negative"].data[i] = 0;
      node.weights["integers"].data[i] = 0;
    }
  }
  auto types = layers::ElementTypes(node);
  if (!types.ok()) return ctx.Error(types.status().message());
  // What the input must keep: every element's bits, one more for AP_RND's half, and every bit
  // for the other rounding modes (hls4ml's bit-exact request); saturating quantizers see the
  // whole range.
  ir::Node* producer = ctx.input_node();
  if (producer != nullptr && producer->kind == LayerKind::kInput) {
    FixedType t = layers::UnionType(*types);
    const int extra = rnd == "TRN" || rnd == "TRN_ZERO" ? 0 : rnd == "RND" ? 1 : 8;
    auto in = MakeFixedType(t.width + extra, t.int_bits, t.is_signed || sat != "WRAP",
                            Rounding::kTrn, sat == "WRAP" ? Overflow::kWrap : Overflow::kSat);
    if (in.ok()) producer->model_precision["result"] = *in;
  }
  bool uniform = true;
  for (const auto& t : *types) uniform = uniform && t.has_value() && *t == *types->front();
  if (uniform && !types->empty()) {
    ir::Node cast;
    cast.name = node.name;
    cast.kind = LayerKind::kLinear;
    cast.attrs["quant"] = int64_t{2};  // an HGQ quantizer (bit-exact flow)
    cast.model_precision["result"] = *types->front();
    return ctx.Emit(std::move(cast)).status();
  }
  return ctx.Emit(std::move(node)).status();
}

}  // namespace

std::vector<KerasRule> KerasRules_fixed_point_quantizer() {
  return {{"FixedPointQuantizer", &ImportFixedPointQuantizer},
          {"HGQ>FixedPointQuantizer", &ImportFixedPointQuantizer}};
}

}  // namespace firmnet::keras
