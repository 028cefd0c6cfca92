// Dispatch over layers.def to the layer folders' Verilog emitters.
#include "firmnet/backend/verilog/layer_emitter.h"
#include "firmnet/layers/batchnorm/batchnorm_verilog.h"
#include "firmnet/layers/clip/clip_verilog.h"
#include "firmnet/layers/dense/dense_verilog.h"
#include "firmnet/layers/elu/elu_verilog.h"
#include "firmnet/layers/hard_sigmoid/hard_sigmoid_verilog.h"
#include "firmnet/layers/input/input_verilog.h"
#include "firmnet/layers/leaky_relu/leaky_relu_verilog.h"
#include "firmnet/layers/linear/linear_verilog.h"
#include "firmnet/layers/relu/relu_verilog.h"
#include "firmnet/layers/reshape/reshape_verilog.h"
#include "firmnet/layers/sigmoid/sigmoid_verilog.h"
#include "firmnet/layers/softmax/softmax_verilog.h"
#include "firmnet/layers/softplus/softplus_verilog.h"
#include "firmnet/layers/softsign/softsign_verilog.h"
#include "firmnet/layers/tanh/tanh_verilog.h"

namespace firmnet::verilog {
namespace {

template <LayerKind K>
StatusOr<std::vector<Signal>> EmitKind(LayerContext& ctx) {
  if constexpr (VerilogEmitter<K>) {
    return VerilogLayer<K>::Emit(ctx);
  } else {
    return Unimplemented("verilog backend: layer '" + ctx.node.name + "' (" +
                         std::string(LayerKindId(K)) + ") is not supported");
  }
}

}  // namespace

bool VerilogSupports(LayerKind kind) {
#define FIRMNET_LAYER(Enum, id, name) \
  if (kind == LayerKind::Enum) return VerilogEmitter<LayerKind::Enum>;
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
  return false;
}

StatusOr<std::vector<Signal>> EmitLayer(LayerContext& ctx) {
#define FIRMNET_LAYER(Enum, id, name) \
  if (ctx.node.kind == LayerKind::Enum) return EmitKind<LayerKind::Enum>(ctx);
#include "firmnet/layers/layers.def"
#undef FIRMNET_LAYER
  return Internal("verilog backend: unknown layer kind of '" + ctx.node.name + "'");
}

bool UseDsp(ir::Multiplier m, const BigInt& w) {
  const size_t digits = CsdDigits(w).size();
  switch (m) {
    case ir::Multiplier::kLut:
      return false;
    case ir::Multiplier::kDsp:
      return digits > 1;
    case ir::Multiplier::kAuto:
      return digits > static_cast<size_t>(kAutoMaxLutDigits);
  }
  return false;
}

}  // namespace firmnet::verilog
