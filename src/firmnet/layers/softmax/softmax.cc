#include "firmnet/layers/softmax/softmax.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/table.h"

namespace firmnet::layers {
namespace {

// The stable softmax of one row (docs/tables.md, "softmax"):
//   m = max x;  d_j = m - x_j >= 0 (exact);  E_j = exp_table[index(d_j)]
//   S = 0; for j in order: S = cast_accum(S + E_j)   (exact sum, one cast per step)
//   S <= 0 (only with degenerate types): every output is cast_result(0).
//   Otherwise 1/S ~= inv_table[index(S)] * 2^-(p + e_accum), and
//   y_j = cast_result(E_j * inv) from exponent e_exp + e_inv - p - e_accum.
template <typename R>
class SoftmaxKernel final : public emu::Kernel<R> {
 public:
  struct Plan {
    int64_t n;
    common::MagnitudeTable exp_index;
    std::vector<R> exp_table;
    common::InverseTable inverse;
    std::vector<R> inv_table;
    int exp_exponent;
    int inv_exponent;
    FixedType accum;
    int sum_exponent;  // c = min(e_accum, e_exp)
    int accum_shift;   // e_accum - c
    int exp_shift;     // e_exp - c
    FixedType result;
  };
  explicit SoftmaxKernel(Plan plan) : p_(std::move(plan)) {}

  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& counters) const override {
    const R* x = inputs[0];
    R m = x[0];
    for (int64_t j = 1; j < p_.n; ++j) {
      if (x[j] > m) m = x[j];
    }
    // E_j is kept in `out` until the reciprocal is known (out has n slots).
    R sum(0);
    for (int64_t j = 0; j < p_.n; ++j) {
      out[j] = p_.exp_table[p_.exp_index.Index(R(m - x[j]))];
      const R exact = R(sum << p_.accum_shift) + R(out[j] << p_.exp_shift);
      sum = emu::CastTo(exact, p_.sum_exponent, p_.accum, counters);
    }
    if (!common::IsPositive(sum)) {
      for (int64_t j = 0; j < p_.n; ++j) out[j] = emu::CastTo(R(0), 0, p_.result, counters);
      return;
    }
    int p = 0;
    const R& inv = p_.inv_table[p_.inverse.Index(sum, &p)];
    const int exponent = p_.exp_exponent + p_.inv_exponent - p - p_.accum.lsb_exponent();
    for (int64_t j = 0; j < p_.n; ++j) {
      out[j] = emu::CastTo(R(out[j] * inv), exponent, p_.result, counters);
    }
  }

 private:
  Plan p_;
};

class SoftmaxFloatKernel final : public emu::FloatKernel {
 public:
  explicit SoftmaxFloatKernel(int64_t n) : n_(n) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    const double* x = inputs[0];
    const double m = *std::max_element(x, x + n_);
    double sum = 0;
    for (int64_t j = 0; j < n_; ++j) {
      out[j] = std::exp(x[j] - m);
      sum += out[j];
    }
    for (int64_t j = 0; j < n_; ++j) out[j] /= sum;
  }

 private:
  int64_t n_;
};

template <typename R>
std::unique_ptr<emu::Kernel<R>> Build(const ir::Node& node, const common::MagnitudeTable& et,
                                      const common::InverseTable& it) {
  const FixedType& exp_type = node.Precision("exp_table");
  const FixedType& inv_type = node.Precision("inv_table");
  const FixedType& accum = node.Precision("accum");
  const int c = std::min(accum.lsb_exponent(), exp_type.lsb_exponent());
  typename SoftmaxKernel<R>::Plan plan{node.shape[0],
                                       et,
                                       common::ConvertTable<R>(et.entries),
                                       it,
                                       common::ConvertTable<R>(it.entries),
                                       exp_type.lsb_exponent(),
                                       inv_type.lsb_exponent(),
                                       accum,
                                       c,
                                       accum.lsb_exponent() - c,
                                       exp_type.lsb_exponent() - c,
                                       node.Precision("result")};
  return std::make_unique<SoftmaxKernel<R>>(std::move(plan));
}

}  // namespace

Status LayerImpl<LayerKind::kSoftmax>::InferShape(ir::Node& node, const NodeInputs& inputs) {
  FIRMNET_RETURN_IF_ERROR(common::ResolveTableSize(node).status());
  FIRMNET_RETURN_IF_ERROR(common::InferUnaryShape(node, inputs));
  if (node.shape.size() != 1) {
    return Unimplemented(common::LayerLabel(node) + ": input '" + inputs[0]->name + "' has shape " +
                         ir::FormatShape(node.shape) +
                         "; only 1-D inputs are supported (flatten first)");
  }
  if (node.attrs.count("axis")) {
    FIRMNET_ASSIGN_OR_RETURN(int64_t axis, node.GetInt("axis"));
    if (axis != -1 && axis != 0) {
      return Unimplemented(common::LayerLabel(node) +
                           ": attribute 'axis' = " + std::to_string(axis) +
                           "; only the last axis of a 1-D tensor (-1 or 0) is supported");
    }
  }
  return OkStatus();
}

StatusOr<SoftmaxTables> SoftmaxTablesFor(const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& exp_type = node.Precision("exp_table");
  FIRMNET_ASSIGN_OR_RETURN(int64_t size, common::ResolveTableSize(node));
  // d = max - x spans at most the input type's whole range, 2^w - 1 raw steps.
  const BigInt max_d = BigInt::PowerOfTwo(in.width) - BigInt(1);
  return SoftmaxTables{
      common::BuildMagnitudeTable(in.lsb_exponent(), max_d, common::ExpTail(exp_type.frac_bits()),
                                  size, exp_type, [](double d) { return std::exp(-d); }),
      common::BuildInverseTable(size, node.Precision("inv_table"))};
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kSoftmax>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& result = node.Precision("result");
  const FixedType& exp_type = node.Precision("exp_table");
  const FixedType& inv_type = node.Precision("inv_table");
  const FixedType& accum = node.Precision("accum");
  if (node.shape.size() != 1) {
    return Unimplemented(common::LayerLabel(node) + ": only 1-D inputs are supported");
  }
  FIRMNET_ASSIGN_OR_RETURN(SoftmaxTables tables, SoftmaxTablesFor(node, inputs));
  const common::MagnitudeTable& et = tables.exp;
  const common::InverseTable& it = tables.inv;
  if constexpr (std::is_same_v<R, int64_t>) {
    // p + e_accum ranges over [e_accum, e_accum + w_accum - 1]; the last cast must stay within
    // Cast64's reach at both ends, and d = max - x needs one bit more than the input.
    const int base = exp_type.lsb_exponent() + inv_type.lsb_exponent() - result.lsb_exponent();
    const bool fits64 = common::FitsInt64({in, result, exp_type, inv_type, accum}) &&
                        std::abs(base - accum.lsb_exponent()) <= 62 &&
                        std::abs(base - accum.lsb_exponent() - accum.width) <= 62;
    if (!fits64) {
      const int64_t n = node.shape[0];
      return std::unique_ptr<emu::Kernel<int64_t>>(std::make_unique<common::BigIntAdapter>(
          Build<BigInt>(node, et, it), std::vector<int64_t>{n}, n));
    }
  }
  return Build<R>(node, et, it);
}
FIRMNET_INSTANTIATE_MAKE_KERNEL(LayerKind::kSoftmax);

StatusOr<std::unique_ptr<emu::FloatKernel>> LayerImpl<LayerKind::kSoftmax>::MakeFloatKernel(
    const ir::Node& node, const NodeInputs& /*inputs*/) {
  if (node.shape.size() != 1) {
    return Unimplemented(common::LayerLabel(node) + ": only 1-D inputs are supported");
  }
  return std::unique_ptr<emu::FloatKernel>(std::make_unique<SoftmaxFloatKernel>(node.shape[0]));
}

}  // namespace firmnet::layers
