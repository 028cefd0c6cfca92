#include "firmnet/backend/hls/hls_layer.h"

#include <algorithm>

#include "firmnet/backend/hls/hls_types.h"
#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/layer.h"

namespace firmnet::backend::hls {

std::string TypedefMember(const std::string& name, const FixedType& t) {
  return "typedef " + CppType(t) + " " + name + ";";
}

std::string ConstMember(const std::string& name, int64_t value) {
  FIRMNET_CHECK(value >= 0 && value <= 0xffffffffLL) << name << " = " << value;
  return "static const unsigned " + name + " = " + std::to_string(value) + ";";
}

StatusOr<std::string> RawTypedefMember(const std::string& name, const FixedType& t,
                                       const std::string& what) {
  FIRMNET_ASSIGN_OR_RETURN(std::string c, RawCType(t, what));
  return "typedef " + c + " " + name + ";";
}

Status AddParamMember(const ir::Node& node, const std::string& attr, const std::string& member,
                      LayerEmission& e) {
  FIRMNET_ASSIGN_OR_RETURN(layers::common::Param p, layers::common::ParamAttr(node, attr));
  const FixedType& t = node.Precision("param");
  FIRMNET_ASSIGN_OR_RETURN(std::string ctype, RawCType(t, HlsLabel(node) + " param"));
  const std::string td = TypedefMember("param_t", t);
  if (std::find(e.config_members.begin(), e.config_members.end(), td) == e.config_members.end()) {
    e.config_members.push_back(td);
  }
  e.config_members.push_back("static const " + ctype + " " + member + " = " + RawLiteral(p.raw, t) +
                             ";");
  return OkStatus();
}

StatusOr<LayerEmission> ElementwiseEmission(const ir::Node& node, const std::string& library_struct,
                                            std::initializer_list<const char*> params) {
  LayerEmission e;
  e.library_header = "fnet_elementwise.h";
  e.library_struct = library_struct;
  for (const char* attr : params) {
    FIRMNET_RETURN_IF_ERROR(AddParamMember(node, attr, std::string(attr) + "_raw", e));
  }
  return e;
}

std::string BoolMember(const std::string& name, bool value) {
  return "static const bool " + name + " = " + (value ? "true" : "false") + ";";
}

std::string IntMember(const std::string& name, int value) {
  return "static const int " + name + " = " + std::to_string(value) + ";";
}

Status CheckTableRawWidth(const ir::Node& node, const std::string& what, const FixedType& t) {
  if (t.width <= 60) return OkStatus();
  return HlsUnsupported(node, what + " type " + FormatFixedType(t) +
                                  " is wider than 60 bits (table layers compute indices on 64-bit "
                                  "raw integers); use a narrower type");
}

void AddMagnitudeIndexMembers(const layers::common::MagnitudeTable& table, LayerEmission& e) {
  // A shift beyond 61 sends every input (< 2^60) to index 0, as 61 does.
  const int shift = std::min(table.shift, 61);
  e.config_members.push_back(ConstMember("table_size", table.size));
  e.config_members.push_back(ConstMember("table_shift", shift));
  e.config_members.push_back("static const uint64_t table_half = UINT64_C(" +
                             std::to_string(shift > 0 ? uint64_t{1} << (shift - 1) : 0) + ");");
}

StatusOr<LayerEmission> MagnitudeTableEmission(const HlsLayerContext& ctx,
                                               const layers::common::MagnitudeTable& table,
                                               const std::string& library_struct) {
  const ir::Node& node = *ctx.node;
  const FixedType& in = ctx.input->Precision("result");
  const FixedType& tt = node.Precision("table");
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the input", in));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the table", tt));
  LayerEmission e;
  e.library_header = "fnet_tables.h";
  e.library_struct = library_struct;
  e.config_members.push_back(TypedefMember("table_t", tt));
  FIRMNET_ASSIGN_OR_RETURN(std::string raw,
                           RawTypedefMember("table_raw_t", tt, HlsLabel(node) + " table"));
  e.config_members.push_back(raw);
  e.config_members.push_back(BoolMember("in_signed", in.is_signed));
  AddMagnitudeIndexMembers(table, e);
  e.arrays.push_back(ConstArray{"t_" + ctx.ident, "table_raw_t", tt, table.entries});
  return e;
}

namespace {

// The members and the array every hls4ml-style table layer has; `div_log2` is log2 of the
// index's divisor (16 or 8 for range tables, 8 for the negative side).
StatusOr<LayerEmission> Hls4mlTableEmission(const HlsLayerContext& ctx, int64_t size, int div_log2,
                                            int input_frac_bits, const std::vector<BigInt>& entries,
                                            const std::string& library_struct) {
  const ir::Node& node = *ctx.node;
  const FixedType& in = ctx.input->Precision("result");
  const FixedType& tt = node.Precision("table");
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the input", in));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the table", tt));
  // x * table_size is computed on 64-bit raw integers.
  if (in.width + layers::common::CeilLog2(size + 1) > 62) {
    return HlsUnsupported(node, "the input type " + FormatFixedType(in) + " times TableSize " +
                                    std::to_string(size) +
                                    " does not fit 62 bits; use a narrower input or a smaller "
                                    "table");
  }
  LayerEmission e;
  e.library_header = "fnet_hls4ml_tables.h";
  e.library_struct = library_struct;
  e.config_members.push_back(TypedefMember("table_t", tt));
  FIRMNET_ASSIGN_OR_RETURN(std::string raw,
                           RawTypedefMember("table_raw_t", tt, HlsLabel(node) + " table"));
  e.config_members.push_back(raw);
  e.config_members.push_back(BoolMember("in_signed", in.is_signed));
  e.config_members.push_back(ConstMember("table_size", size));
  e.config_members.push_back(IntMember("div_shift", div_log2 + std::max(input_frac_bits, 0)));
  e.config_members.push_back(IntMember("frac_neg", std::max(-input_frac_bits, 0)));
  e.arrays.push_back(ConstArray{"t_" + ctx.ident, "table_raw_t", tt, entries});
  return e;
}

}  // namespace

StatusOr<LayerEmission> Hls4mlRangeTableEmission(const HlsLayerContext& ctx,
                                                 const layers::common::Hls4mlRangeTable& table) {
  return Hls4mlTableEmission(ctx, table.size, table.div_log2, table.input_frac_bits, table.entries,
                             "fnet::hls4ml_range_table");
}

StatusOr<LayerEmission> Hls4mlNegativeTableEmission(
    const HlsLayerContext& ctx, const layers::common::Hls4mlNegativeTable& table,
    const std::string& library_struct) {
  return Hls4mlTableEmission(ctx, table.size, 3, table.input_frac_bits, table.entries,
                             library_struct);
}

std::string IndexFunctionMember(const std::string& name, const std::vector<int64_t>& values) {
  std::string body;
  for (size_t k = 0; k + 1 < values.size(); ++k) {
    body += "k == " + std::to_string(k) + " ? " + std::to_string(values[k]) + " : ";
  }
  body += values.empty() ? "0" : std::to_string(values.back());
  return "static unsigned " + name + "(unsigned k) { return " + body + "; }";
}

StatusOr<LayerEmission> FoldMergeEmission(const HlsLayerContext& /*ctx*/,
                                          const std::string& library_struct) {
  LayerEmission e;
  e.library_header = "fnet_merge.h";
  e.library_struct = library_struct;
  return e;
}

StatusOr<LayerEmission> AxisMapEmission(const HlsLayerContext& ctx,
                                        const std::vector<AxisMapping>& axes) {
  const ir::Shape& in = ctx.input->shape;
  const ir::Shape& out = ctx.node->shape;
  if (in.size() != axes.size() + 1 || out.size() != in.size() || axes.empty() || axes.size() > 2) {
    return HlsUnsupported(*ctx.node, "input shape " + ir::FormatShape(in) +
                                         " is not a channels-last feature map of rank " +
                                         std::to_string(axes.size() + 1));
  }
  // A 1-D map [L, C] is a 2-D map of height 1.
  const bool one = axes.size() == 1;
  const AxisMapping h = one ? AxisMapping{} : axes[0];
  const AxisMapping& w = axes.back();
  LayerEmission e;
  e.library_header = "fnet_reshape.h";
  e.library_struct = "fnet::axis_map";
  e.config_members = {ConstMember("in_height", one ? 1 : in[0]),
                      ConstMember("in_width", in[in.size() - 2]),
                      ConstMember("out_height", one ? 1 : out[0]),
                      ConstMember("out_width", out[out.size() - 2]),
                      ConstMember("channels", out.back()),
                      ConstMember("factor_h", h.factor),
                      ConstMember("factor_w", w.factor),
                      IntMember("shift_h", static_cast<int>(h.shift)),
                      IntMember("shift_w", static_cast<int>(w.shift))};
  return e;
}

std::string HlsLabel(const ir::Node& node) {
  return "hls backend: layer '" + node.name + "' (" + std::string(LayerKindId(node.kind)) + ")";
}

Status HlsUnsupported(const ir::Node& node, const std::string& why) {
  return Unimplemented(HlsLabel(node) + " is not supported: " + why);
}

bool HlsSupports(LayerKind kind) {
#define FIRMNET_HLS_FACET(id) \
  if (LayerKindId(kind) == #id) return true;
#include "firmnet/layers/all_layers_hls.def"
#undef FIRMNET_HLS_FACET
  return false;
}

StatusOr<LayerEmission> EmitHlsLayer(const HlsLayerContext& ctx) {
  const std::string_view id = LayerKindId(ctx.node->kind);
#define FIRMNET_HLS_FACET(fid) \
  if (id == #fid) return EmitHls_##fid(ctx);
#include "firmnet/layers/all_layers_hls.def"
#undef FIRMNET_HLS_FACET
  return HlsUnsupported(*ctx.node,
                        "the HLS backend has no emitter for " + std::string(id) + " layers yet");
}

std::vector<std::string> HlsWarnings(const ir::Graph& graph) {
  std::vector<std::string> out;
  for (const ir::Node& node : graph.nodes) {
    if (!HlsSupports(node.kind)) continue;
    auto ins = layers::ResolveInputs(graph, node);
    if (!ins.ok()) continue;
    HlsLayerContext ctx{&graph, &node, ins->nodes.empty() ? nullptr : ins->nodes[0],
                        CIdentifier(node.name), ins->nodes};
    auto e = EmitHlsLayer(ctx);
    if (!e.ok()) continue;
    out.insert(out.end(), e->warnings.begin(), e->warnings.end());
  }
  return out;
}

}  // namespace firmnet::backend::hls
