// Dispatch over layers.def to the layer folders' Verilog emitters.
#include "firmnet/backend/verilog/layer_emitter.h"
// Every layer folder's <id>_verilog.h, generated from layers.def (CMakeLists.txt).
#include "firmnet/layers/all_layers_verilog.h"

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

Status VerilogSupportsNode(const ir::Node& node) {
  if (!VerilogSupports(node.kind)) {
    return Unimplemented("verilog backend: layer '" + node.name + "' (" +
                         std::string(LayerKindId(node.kind)) + ") is not supported");
  }
  if (node.NumOutputs() > 1) {
    return Unimplemented("verilog backend: layer '" + node.name + "' (" +
                         std::string(LayerKindId(node.kind)) + ") has " +
                         std::to_string(node.NumOutputs()) +
                         " outputs; the Verilog backend builds single-output layers only");
  }
  if (HasHls4mlTableStyle(node.kind) && node.settings.table_style == ir::TableStyle::kHls4ml) {
    return Unimplemented("verilog backend: layer '" + node.name + "' (" +
                         std::string(LayerKindId(node.kind)) +
                         ") uses TableStyle hls4ml (hls4ml's lookup tables, the default), which "
                         "the Verilog backend does not build; set `TableStyle: firmnet` for it "
                         "(in LayerName." +
                         node.name + ", its LayerType or Model) to build Verilog");
  }
  return OkStatus();
}

StatusOr<std::vector<Signal>> EmitLayer(LayerContext& ctx) {
  FIRMNET_RETURN_IF_ERROR(VerilogSupportsNode(ctx.node));
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
