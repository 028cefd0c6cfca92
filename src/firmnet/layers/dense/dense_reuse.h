// The ReuseFactor rule for dense layers, shared by every backend (HLS C++, Verilog), so that a
// config is accepted or refused the same way whichever backend builds it.
//
// A dense layer performs M = n_in * n_out multiplications per inference. With ReuseFactor R each
// multiplier is used R times, so the layer needs M / R multipliers and accepts a new input every
// R cycles. The rule: R is valid exactly when 1 <= R <= M and R divides M. Then the M products,
// taken in the order (i, j) = (0,0), (0,1), ..., (0,n_out-1), (1,0), ... (input-major), split
// into R equal groups of M / R; group r is computed in cycle r. Within a group and across groups
// every output still adds its products in input order, which is what the emulator does (this
// matters for saturating or rounding accumulators).
//
// An invalid R is an error that names the layer and lists every valid value: no silent snapping
// to a nearby value, which would change the hardware behind the user's back.
#pragma once

#include <cstdint>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::layers {

// Every valid ReuseFactor of a dense layer with n_in inputs and n_out outputs: the divisors of
// n_in * n_out, ascending. Empty when n_in or n_out is not positive.
std::vector<int> ValidReuseFactors(int64_t n_in, int64_t n_out);

// OK when node.settings.reuse_factor is valid for this dense node (its "weight" tensor gives
// n_in and n_out). Other layer kinds have no multipliers to share: OK whatever the value, which
// backends then ignore. The error message names the layer, the value and the valid values.
Status CheckReuseFactor(const ir::Node& dense_node);

}  // namespace firmnet::layers
