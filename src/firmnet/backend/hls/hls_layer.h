// The per-layer part of the HLS backend: what each layer folder's <id>_hls.cc provides.
//
// A layer folder that the backend can build has a file src/firmnet/layers/<id>/<id>_hls.cc
// defining EmitHls_<id>(const HlsLayerContext&) (CMake lists those files in the generated
// all_layers_hls.def), that describes the layer to the project
// writer: which struct of the HLS layer library (runtime/) implements it, the extra members of
// its configuration struct, and its constant arrays. A layer the backend cannot build returns
// Unimplemented("hls backend: layer '<name>' (<id>) is not supported..."); tests ask
// EmitHlsLayer rather than keeping a list. The project writer adds the members every layer has
// (in_t, out_t, n_in, n_out; for several inputs also in<k>_t and n_in<k>, k >= 1) and the
// top-function glue.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/fixed/fixed_value.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/common/hls4ml_table.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::backend::hls {

// A constant array passed to the layer's run() (weights, biases, lookup tables): raw bit patterns
// of `type`, written to firmware/weights/<file>.h as a plain integer array.
struct ConstArray {
  std::string name;              // C identifier, unique in the project (e.g. "w_fc1")
  std::string raw_ctype_member;  // the config member typedef naming its C type ("weight_raw_t")
  FixedType type;
  std::vector<BigInt> raw;
};

struct LayerEmission {
  // The library struct template, e.g. "fnet::dense_latency"; empty for the input layer.
  std::string library_struct;
  // The library header that defines it, e.g. "fnet_dense.h".
  std::string library_header;
  // Extra config-struct members, one declaration per line ("typedef ... weight_t;").
  std::vector<std::string> config_members;
  std::vector<ConstArray> arrays;
  // Number of multiplications after zero-weight removal (for the README's summary).
  int64_t multipliers = 0;
  // io_stream: the library struct has its own run_stream(in streams..., out stream, constants...)
  // over fnet::pixel beats (line buffers for convolutions and pools); otherwise the project wraps
  // run() in an adapter that reads the whole tensor first.
  bool native_stream = false;
  // Things the user should know about this layer's firmware that do not stop the project (e.g.
  // an io_parallel layer too large to synthesize): one sentence each, naming the layer. The
  // README lists them and `firmnet build` prints them (HlsWarnings).
  std::vector<std::string> warnings;
};

struct HlsLayerContext {
  const ir::Graph* graph = nullptr;
  const ir::Node* node = nullptr;
  const ir::Node* input = nullptr;  // the producer of node.inputs[0]; null for the input layer
  std::string ident;                // the layer's C identifier in the project
  // The producers of all of node.inputs, in order (merges); empty means {input}.
  std::vector<const ir::Node*> inputs = {};
  const ir::Node* Input(size_t k) const { return inputs.empty() ? input : inputs[k]; }
};

// Helpers for emitters.
std::string TypedefMember(const std::string& name,
                          const FixedType& t);  // "typedef ap_fixed<..> name;"
// "static const unsigned name = v;" (sizes and counts, 0 <= v < 2^32).
std::string ConstMember(const std::string& name, int64_t value);
// A typedef for the raw integer type of `t` ("typedef int16_t weight_raw_t;").
StatusOr<std::string> RawTypedefMember(const std::string& name, const FixedType& t,
                                       const std::string& what);
// Adds "typedef <param type> param_t;" (once) and "static const <raw> <member> = <raw>;" for the
// attribute `attr` quantized to the node's "param" slot exactly as the emulator does.
Status AddParamMember(const ir::Node& node, const std::string& attr, const std::string& member,
                      LayerEmission& e);
// The emission of an element-wise layer of runtime/fnet_elementwise.h (`library_struct`, e.g.
// "fnet::clip") whose constants are the node's attributes `params`, each a member <attr>_raw
// (AddParamMember).
StatusOr<LayerEmission> ElementwiseEmission(const ir::Node& node, const std::string& library_struct,
                                            std::initializer_list<const char*> params = {});
// The emission of a layer that reads one magnitude table indexed by |x| (sigmoid, tanh, softplus,
// elu): members table_t, table_raw_t, table_size, table_shift, table_half, in_signed, and the
// array "t_<ident>" in the node's "table" type.
StatusOr<LayerEmission> MagnitudeTableEmission(const HlsLayerContext& ctx,
                                               const layers::common::MagnitudeTable& table,
                                               const std::string& library_struct);
// The emission of an hls4ml-style range table (sigmoid, tanh: runtime/fnet_hls4ml_tables.h,
// fnet::hls4ml_range_table): members table_t, table_raw_t, in_signed, table_size, div_shift,
// frac_neg, and the array "t_<ident>" in the node's "table" type.
StatusOr<LayerEmission> Hls4mlRangeTableEmission(const HlsLayerContext& ctx,
                                                 const layers::common::Hls4mlRangeTable& table);
// The emission of an hls4ml-style negative-side table (elu, selu: fnet::hls4ml_elu /
// fnet::hls4ml_selu of runtime/fnet_hls4ml_tables.h): members table_t, table_raw_t, in_signed,
// table_size, div_shift, frac_neg, and the array "t_<ident>" in the node's "table" type.
StatusOr<LayerEmission> Hls4mlNegativeTableEmission(
    const HlsLayerContext& ctx, const layers::common::Hls4mlNegativeTable& table,
    const std::string& library_struct);
// Members table_size/table_shift/table_half of a magnitude table (also used by softmax).
void AddMagnitudeIndexMembers(const layers::common::MagnitudeTable& table, LayerEmission& e);
// A static member function of the config struct that returns values[k]:
// "static unsigned name(unsigned k) { return k == 0 ? 4 : k == 1 ? 2 : 3; }" (for values a
// library struct indexes by a compile-time counter, e.g. concatenate's block sizes).
std::string IndexFunctionMember(const std::string& name, const std::vector<int64_t>& values);
// Merges and layers that move values (runtime/fnet_merge.h, fnet_reshape.h):
// add, subtract, multiply, maximum, minimum: the fold struct (e.g. "fnet::add"), no members.
StatusOr<LayerEmission> FoldMergeEmission(const HlsLayerContext& ctx,
                                          const std::string& library_struct);
// zero_pad1d/2d, cropping1d/2d, upsampling1d/2d: fnet::axis_map, whose members say how output
// position p of each spatial axis reads input position p / factor + shift.
struct AxisMapping {
  int64_t factor = 1, shift = 0;
};
StatusOr<LayerEmission> AxisMapEmission(const HlsLayerContext& ctx,
                                        const std::vector<AxisMapping>& axes);
// "static const bool name = true;" / "static const int name = v;"
std::string BoolMember(const std::string& name, bool value);
std::string IntMember(const std::string& name, int value);
// Raw values travel as 64-bit integers in the table layers: an error unless t is at most 60 bits.
Status CheckTableRawWidth(const ir::Node& node, const std::string& what, const FixedType& t);
// "hls backend: layer 'x' (id)"
std::string HlsLabel(const ir::Node& node);
// The standard refusal for a layer kind or configuration the backend cannot build.
Status HlsUnsupported(const ir::Node& node, const std::string& why);

// One emitter per layer folder that has an <id>_hls.cc (the generated list).
#define FIRMNET_HLS_FACET(id) StatusOr<LayerEmission> EmitHls_##id(const HlsLayerContext& ctx);
#include "firmnet/layers/all_layers_hls.def"
#undef FIRMNET_HLS_FACET

// Whether the backend has an emitter for the kind (a folder with <id>_hls.cc). The emitter may
// still refuse a configuration it cannot build (EmitHlsLayer says why).
bool HlsSupports(LayerKind kind);
// Dispatches on ctx.node->kind; a kind without an emitter is Unimplemented naming the layer.
StatusOr<LayerEmission> EmitHlsLayer(const HlsLayerContext& ctx);

// The warnings of every layer of `graph` that the backend can emit (LayerEmission::warnings),
// in graph order; layers it cannot emit are skipped (GenerateHlsProject reports those).
std::vector<std::string> HlsWarnings(const ir::Graph& graph);

}  // namespace firmnet::backend::hls
