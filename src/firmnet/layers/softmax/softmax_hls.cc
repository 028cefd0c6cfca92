// softmax for the HLS backend: fnet::softmax (runtime/fnet_tables.h) with the emulator's own
// exp and reciprocal tables (SoftmaxTablesFor) and index rules.
#include <algorithm>

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/softmax/softmax.h"

namespace firmnet::backend::hls {

namespace {

// The members both styles' softmax structs read: the table and accumulator types and the raw
// integer types the two tables are stored in.
Status AddTableTypes(const ir::Node& node, const FixedType& exp_t, const FixedType& inv_t,
                     const FixedType& accum, LayerEmission& e) {
  e.config_members.push_back(TypedefMember("exp_t", exp_t));
  e.config_members.push_back(TypedefMember("inv_t", inv_t));
  e.config_members.push_back(TypedefMember("accum_t", accum));
  FIRMNET_ASSIGN_OR_RETURN(std::string eraw,
                           RawTypedefMember("exp_raw_t", exp_t, HlsLabel(node) + " exp_table"));
  FIRMNET_ASSIGN_OR_RETURN(std::string iraw,
                           RawTypedefMember("inv_raw_t", inv_t, HlsLabel(node) + " inv_table"));
  e.config_members.push_back(eraw);
  e.config_members.push_back(iraw);
  return OkStatus();
}

// hls4ml style: fnet::hls4ml_softmax (fnet_hls4ml_tables.h) with hls4ml's tables.
StatusOr<LayerEmission> EmitHls4ml(const HlsLayerContext& ctx) {
  const ir::Node& node = *ctx.node;
  const FixedType& in = ctx.input->Precision("result");
  const FixedType& exp_t = node.Precision("exp_table");
  const FixedType& inv_t = node.Precision("inv_table");
  const FixedType& accum = node.Precision("accum");
  const FixedType inv_inp = layers::SoftmaxInvInpType(node);
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the input", in));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the exp_table", exp_t));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the inv_table", inv_t));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the inv_inp", inv_inp));
  FIRMNET_ASSIGN_OR_RETURN(layers::SoftmaxHls4mlTables t,
                           layers::SoftmaxHls4mlTablesFor(node, {ctx.input}));
  if (t.legacy) {
    // x_j - x_i times the table size, and the sum times inv_size, on 64-bit raw integers.
    if (in.width + 1 + layers::common::CeilLog2(t.exp_size + 1) > 62) {
      return HlsUnsupported(node, "the input type " + FormatFixedType(in) + " times TableSize " +
                                      std::to_string(t.exp_size) + " does not fit 62 bits");
    }
    LayerEmission e;
    e.library_header = "fnet_hls4ml_tables.h";
    e.library_struct = "fnet::hls4ml_softmax_legacy";
    e.config_members.push_back(TypedefMember("table_t", t.table));
    FIRMNET_ASSIGN_OR_RETURN(std::string raw,
                             RawTypedefMember("table_raw_t", t.table, HlsLabel(node) + " table"));
    e.config_members.push_back(raw);
    e.config_members.push_back(BoolMember("in_signed", in.is_signed));
    e.config_members.push_back(ConstMember("table_size", t.exp_size));
    e.config_members.push_back(
        IntMember("div_shift", t.exp_range.div_log2 + std::max(t.exp_range.input_frac_bits, 0)));
    e.config_members.push_back(IntMember("frac_neg", std::max(-t.exp_range.input_frac_bits, 0)));
    e.config_members.push_back(ConstMember("inv_size", t.inv_size));
    e.config_members.push_back(IntMember("inv_div_shift", 6 + std::max(t.table.frac_bits(), 0)));
    e.config_members.push_back(IntMember("inv_frac_neg", std::max(-t.table.frac_bits(), 0)));
    e.arrays.push_back(ConstArray{"e_" + ctx.ident, "table_raw_t", t.table, t.exp});
    e.arrays.push_back(ConstArray{"i_" + ctx.ident, "table_raw_t", t.table, t.inv});
    return e;
  }
  LayerEmission e;
  e.library_header = "fnet_hls4ml_tables.h";
  e.library_struct = "fnet::hls4ml_softmax";
  FIRMNET_RETURN_IF_ERROR(AddTableTypes(node, exp_t, inv_t, accum, e));
  e.config_members.push_back(TypedefMember("inv_inp_t", inv_inp));
  e.config_members.push_back(BoolMember("in_signed", in.is_signed));
  e.config_members.push_back(BoolMember("inv_inp_signed", inv_inp.is_signed));
  e.config_members.push_back(
      BoolMember("stable", node.settings.softmax_impl == ir::SoftmaxImpl::kStable));
  e.config_members.push_back(IntMember("norm_width", t.norm.width));
  e.config_members.push_back(IntMember("exp_bits", t.exp_bits));
  e.config_members.push_back(IntMember("inv_bits", t.inv_bits));
  e.config_members.push_back(ConstMember("table_size", t.exp_size));
  e.config_members.push_back(ConstMember("inv_size", t.inv_size));
  e.arrays.push_back(ConstArray{"e_" + ctx.ident, "exp_raw_t", exp_t, t.exp});
  e.arrays.push_back(ConstArray{"i_" + ctx.ident, "inv_raw_t", inv_t, t.inv});
  return e;
}

}  // namespace

StatusOr<LayerEmission> EmitHls_softmax(const HlsLayerContext& ctx) {
  if (ctx.node->settings.table_style == ir::TableStyle::kHls4ml) return EmitHls4ml(ctx);
  const ir::Node& node = *ctx.node;
  const FixedType& in = ctx.input->Precision("result");
  const FixedType& exp_t = node.Precision("exp_table");
  const FixedType& inv_t = node.Precision("inv_table");
  const FixedType& accum = node.Precision("accum");
  // max - x needs one bit more than the input.
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the input", in));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the exp_table", exp_t));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the inv_table", inv_t));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the accum", accum));
  FIRMNET_ASSIGN_OR_RETURN(layers::SoftmaxTables tables,
                           layers::SoftmaxTablesFor(node, {ctx.input}));
  LayerEmission e;
  e.library_header = "fnet_tables.h";
  e.library_struct = "fnet::softmax";
  FIRMNET_RETURN_IF_ERROR(AddTableTypes(node, exp_t, inv_t, accum, e));
  e.config_members.push_back(BoolMember("in_signed", in.is_signed));
  e.config_members.push_back(BoolMember("accum_signed", accum.is_signed));
  AddMagnitudeIndexMembers(tables.exp, e);
  e.config_members.push_back(
      ConstMember("inv_size", static_cast<int64_t>(tables.inv.entries.size())));
  e.config_members.push_back(IntMember("inv_bits", tables.inv.bits));
  e.config_members.push_back(
      IntMember("exp0", exp_t.lsb_exponent() + inv_t.lsb_exponent() - accum.lsb_exponent()));
  e.arrays.push_back(ConstArray{"e_" + ctx.ident, "exp_raw_t", exp_t, tables.exp.entries});
  e.arrays.push_back(ConstArray{"i_" + ctx.ident, "inv_raw_t", inv_t, tables.inv.entries});
  return e;
}

}  // namespace firmnet::backend::hls
