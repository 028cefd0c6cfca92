// softsign for the HLS backend: fnet::softsign (runtime/fnet_tables.h) with the emulator's own
// reciprocal table (SoftsignTable) and index rule.
#include <algorithm>

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/layers/softsign/softsign.h"

namespace firmnet::backend::hls {

StatusOr<LayerEmission> EmitHls_softsign(const HlsLayerContext& ctx) {
  if (ctx.node->settings.table_style == ir::TableStyle::kHls4ml) {
    FIRMNET_ASSIGN_OR_RETURN(layers::common::Hls4mlRangeTable table,
                             layers::SoftsignHls4mlTable(*ctx.node, {ctx.input}));
    return Hls4mlRangeTableEmission(ctx, table);
  }
  const ir::Node& node = *ctx.node;
  const FixedType& in = ctx.input->Precision("result");
  const FixedType& tt = node.Precision("table");
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the input", in));
  FIRMNET_RETURN_IF_ERROR(CheckTableRawWidth(node, "the table", tt));
  FIRMNET_ASSIGN_OR_RETURN(layers::common::InverseTable table,
                           layers::SoftsignTable(node, {ctx.input}));
  // v = (|x| << (e_in - c)) + 2^-c on the grid 2^c, c = min(e_in, 0).
  const int ei = in.lsb_exponent();
  const int c = std::min(ei, 0);
  const int input_shift = ei - c;
  // |x| < 2^width (2^(width-1) at most when signed), so v < 2^(max(width + shift, -c) + 1).
  const int v_bits = std::max(in.width + input_shift, -c) + 1;
  if (v_bits > 61) {
    return HlsUnsupported(node, "1 + |x| needs " + std::to_string(v_bits) +
                                    " bits on the common grid; at most 61 are supported");
  }
  LayerEmission e;
  e.library_header = "fnet_tables.h";
  e.library_struct = "fnet::softsign";
  e.config_members.push_back(TypedefMember("table_t", tt));
  FIRMNET_ASSIGN_OR_RETURN(std::string raw,
                           RawTypedefMember("table_raw_t", tt, HlsLabel(node) + " table"));
  e.config_members.push_back(raw);
  e.config_members.push_back(BoolMember("in_signed", in.is_signed));
  e.config_members.push_back(ConstMember("table_size", static_cast<int64_t>(table.entries.size())));
  e.config_members.push_back(IntMember("inv_bits", table.bits));
  e.config_members.push_back(IntMember("input_shift", input_shift));
  e.config_members.push_back("static const uint64_t one_raw = UINT64_C(" +
                             std::to_string(uint64_t{1} << -c) + ");");
  e.config_members.push_back(IntMember("v_bits", v_bits));
  e.config_members.push_back(IntMember("exp0", ei + tt.lsb_exponent() - c));
  e.arrays.push_back(ConstArray{"t_" + ctx.ident, "table_raw_t", tt, table.entries});
  return e;
}

}  // namespace firmnet::backend::hls
