// What a layer folder provides to the Verilog backend, stated as a trait and a concept.
//
// layers/<id>/<id>_verilog.h specializes VerilogLayer<LayerKind::kX> with
//   static StatusOr<std::vector<Signal>> Emit(LayerContext& ctx);
// which builds the layer's logic in ctx.dp from the producers' signals (one Signal per element,
// row-major, raw bits in the producer's result type) and returns one Signal per output element
// in the node's result type. backend/verilog/layer_dispatch.cc dispatches over layers.def: a kind
// without a specialization is reported as Unimplemented, and VerilogSupports() tells tests which
// kinds to run.
#pragma once

#include <concepts>
#include <map>
#include <string>
#include <vector>

#include "firmnet/backend/verilog/datapath.h"
#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/layer.h"

namespace firmnet::verilog {

struct LayerContext {
  Datapath& dp;
  const ir::Node& node;
  const layers::NodeInputs& inputs;            // producer nodes
  const std::vector<std::vector<Signal>>& in;  // their elements
  std::string prefix;                          // unique identifier prefix for this layer
  std::string top;                             // the top module's name
  const Signal* in_port = nullptr;             // in_data, for the input layer
  int element_offset = 0;                      // input layer: first element's index in in_data
  std::map<std::string, std::string>* files = nullptr;  // extra modules (ROMs): file -> text
};

template <LayerKind K>
struct VerilogLayer;  // specialized in layers/<id>/<id>_verilog.h

template <LayerKind K>
concept VerilogEmitter = requires(LayerContext& ctx) {
  { VerilogLayer<K>::Emit(ctx) } -> std::same_as<StatusOr<std::vector<Signal>>>;
};

// Whether the backend can build layers of this kind.
bool VerilogSupports(LayerKind kind);
// Whether the backend can build this layer with its settings: Unimplemented naming the layer
// otherwise (a table activation in TableStyle hls4ml: the Verilog emitters implement only
// firmnet's tables).
Status VerilogSupportsNode(const ir::Node& node);
// Emits one layer (Unimplemented naming the layer when the kind has no emitter).
StatusOr<std::vector<Signal>> EmitLayer(LayerContext& ctx);

// How a dense/batchnorm product with the constant raw weight `w` is built: true for a DSP.
// auto: shift-and-add when the weight has at most kAutoMaxLutDigits nonzero canonical signed
// digits (at most two adders), a DSP otherwise; lut: always shift-and-add; dsp: a DSP unless
// the weight is a power of two (plain wiring).
inline constexpr int kAutoMaxLutDigits = 3;
bool UseDsp(ir::Multiplier m, const BigInt& w);
// How a product of two signals (softmax, softsign, dense with ReuseFactor > 1) is built: in
// LUTs for `lut`, so that such a design uses no DSP at all; a DSP otherwise.
inline bool UseDspForSignals(ir::Multiplier m) { return m != ir::Multiplier::kLut; }

}  // namespace firmnet::verilog
