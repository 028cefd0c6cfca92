// softmax for the HLS backend: fnet::softmax (runtime/fnet_tables.h) with the emulator's own
// exp and reciprocal tables (SoftmaxTablesFor) and index rules.
#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/softmax/softmax.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_softmax(const HlsLayerContext& ctx) {
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
  e.config_members.push_back(TypedefMember("exp_t", exp_t));
  e.config_members.push_back(TypedefMember("inv_t", inv_t));
  e.config_members.push_back(TypedefMember("accum_t", accum));
  FIRMNET_ASSIGN_OR_RETURN(std::string eraw,
                           RawTypedefMember("exp_raw_t", exp_t, HlsLabel(node) + " exp_table"));
  FIRMNET_ASSIGN_OR_RETURN(std::string iraw,
                           RawTypedefMember("inv_raw_t", inv_t, HlsLabel(node) + " inv_table"));
  e.config_members.push_back(eraw);
  e.config_members.push_back(iraw);
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
