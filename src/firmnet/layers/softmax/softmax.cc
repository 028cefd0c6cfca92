#include "firmnet/layers/softmax/softmax.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "firmnet/layers/common/elementwise.h"
#include "firmnet/layers/common/hls4ml_table.h"
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

// hls4ml's softmax_stable / softmax_latency for one row (docs/tables.md, "hls4ml style"):
//   stable:  m = max x;  d_j = cast_norm(m - x_j);  E_j = cast_accum(exp[top bits of d_j])
//   latency: E_j = cast_accum(exp[top bits of x_j])
//   S = the balanced adder tree of nnet::reduce over E, each add cast to accum
//   inv = inv_table[top bits of cast_inv_inp(S)];  y_j = cast_result(E_j * inv)
template <typename R>
class SoftmaxHls4mlKernel final : public emu::Kernel<R> {
 public:
  struct Plan {
    int64_t n;
    bool stable;
    bool legacy;
    FixedType table;                     // legacy: table_t
    common::Hls4mlRangeTable exp_index;  // legacy: the exp table's index rule
    int64_t inv_size;
    FixedType in, norm, accum, inv_inp, result;
    int exp_exponent, inv_exponent;
    int exp_bits, inv_bits;
    std::vector<R> exp, inv;
  };
  explicit SoftmaxHls4mlKernel(Plan plan) : p_(std::move(plan)) {}

  void Run(std::span<const R* const> inputs, R* out, emu::LayerCounters& counters) const override {
    if (p_.legacy) return RunLegacy(inputs[0], out, counters);
    const R* x = inputs[0];
    const int e_in = p_.in.lsb_exponent();
    const int e_acc = p_.accum.lsb_exponent();
    R m = x[0];
    for (int64_t j = 1; j < p_.n; ++j) {
      if (x[j] > m) m = x[j];
    }
    for (int64_t j = 0; j < p_.n; ++j) {
      int64_t idx;
      if (p_.stable) {
        const R d = emu::CastTo(R(m - x[j]), e_in, p_.norm, counters);
        idx = common::TopBits(d, p_.norm.width, p_.exp_bits);
      } else {
        idx = common::TopBits(x[j], p_.in.width, p_.exp_bits);
      }
      out[j] = emu::CastTo(p_.exp[idx], p_.exp_exponent, p_.accum, counters);
    }
    const R sum = Reduce(out, p_.n, counters);
    const R s = emu::CastTo(sum, e_acc, p_.inv_inp, counters);
    const R& inv = p_.inv[common::TopBits(s, p_.inv_inp.width, p_.inv_bits)];
    for (int64_t j = 0; j < p_.n; ++j) {
      out[j] = emu::CastTo(R(out[j] * inv), e_acc + p_.inv_exponent, p_.result, counters);
    }
  }

 private:
  // softmax_legacy: for each i, S_i = sum over j in order of (j == i ? 1 : exp[index(x_j - x_i)]),
  // each add cast to table_t; y_i = cast_result(inv[clamp(int(S_i * N_inv / 64))]).
  void RunLegacy(const R* x, R* out, emu::LayerCounters& counters) const {
    const int et = p_.table.lsb_exponent();
    const R one = et <= 0 ? common::PowerOfTwo<R>(-et) : R(0);
    const int frac = p_.table.frac_bits();
    for (int64_t i = 0; i < p_.n; ++i) {
      R acc(0);
      for (int64_t j = 0; j < p_.n; ++j) {
        const R& v = i == j ? one : p_.exp[p_.exp_index.Index(R(x[j] - x[i]))];
        acc = emu::CastTo(R(acc + v), et, p_.table, counters);
      }
      const R q = common::TruncShift(R(acc * R(p_.inv_size)), 6 + std::max(frac, 0));
      int64_t k = common::Wrap32(common::ShiftForWrap32(q, std::max(-frac, 0)));
      if (k < 0) k = 0;
      if (k > p_.inv_size - 1) k = p_.inv_size - 1;
      out[i] = emu::CastTo(p_.inv[k], et, p_.result, counters);
    }
  }

  // nnet::reduce with Op_add<accum_t>: a balanced tree whose left part has the largest power of
  // two below n elements; every add is cast to accum.
  R Reduce(const R* v, int64_t n, emu::LayerCounters& counters) const {
    if (n == 1) return v[0];
    int64_t left = 1;
    while (left * 2 <= n - 1) left *= 2;
    if (n == 2) left = 1;
    const R a = Reduce(v, left, counters);
    const R b = Reduce(v + left, n - left, counters);
    return emu::CastTo(R(a + b), p_.accum.lsb_exponent(), p_.accum, counters);
  }

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

FixedType SoftmaxInvInpType(const ir::Node& node) {
  auto it = node.precision.find("inv_inp");
  if (it != node.precision.end()) return it->second;
  auto t = ParseFixedType(kTableDefault);
  FIRMNET_CHECK(t.ok()) << "bad default";
  return *t;
}

StatusOr<SoftmaxHls4mlTables> SoftmaxHls4mlTablesFor(const ir::Node& node,
                                                     const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  const FixedType& exp_t = node.Precision("exp_table");
  const FixedType& inv_t = node.Precision("inv_table");
  const FixedType inv_inp = SoftmaxInvInpType(node);
  const bool stable = node.settings.softmax_impl == ir::SoftmaxImpl::kStable;
  const bool legacy = node.settings.softmax_impl == ir::SoftmaxImpl::kLegacy;
  FIRMNET_ASSIGN_OR_RETURN(int64_t n, common::ResolveTableSize(node));
  if (legacy) {
    // FixSoftmaxTableSize applies to every implementation.
    const int lim = std::min(in.width, inv_t.width);
    if (lim < 62 && (int64_t{1} << lim) < n) n = int64_t{1} << lim;
    SoftmaxHls4mlTables t;
    t.legacy = true;
    t.exp_size = t.inv_size = n;
    auto table = ParseFixedType(kHls4mlTableDefault);
    FIRMNET_CHECK(table.ok()) << "bad default";
    t.table = *table;
    // init_exp_table_legacy: exp_fcn_float(in_val) = std::exp(float) over [-8, 8).
    t.exp_range = common::BuildHls4mlRangeTable(n, 4, in.frac_bits(), 8.0, t.table,
                                                [](float v) { return double{std::exp(v)}; });
    t.exp = t.exp_range.entries;
    for (int64_t i = 0; i < n; ++i) {
      // init_invert_table_legacy: float in_val = 64.0 * ii / float(N); 1.0 / in_val in double.
      const float v = static_cast<float>(64.0 * static_cast<double>(i) /
                                         static_cast<double>(static_cast<float>(n)));
      t.inv.push_back(QuantizeDouble(v > 0.0 ? 1.0 / static_cast<double>(v) : 0.0, t.table));
    }
    return t;
  }
  if (n < 2 || (n & (n - 1)) != 0) {
    return InvalidArgument(common::LayerLabel(node) + ": TableSize " + std::to_string(n) +
                           " must be a power of two >= 2 for hls4ml's softmax (its tables are "
                           "addressed by the top bits of a value)");
  }
  // hls4ml's FixSoftmaxTableSize: at most 2^min(input width, inv_table width) entries.
  const int lim = std::min(in.width, inv_t.width);
  if (lim < 62 && (int64_t{1} << lim) < n) n = int64_t{1} << lim;
  SoftmaxHls4mlTables t;
  t.exp_size = t.inv_size = n;
  if (stable) {
    // inp_norm_t = ap_ufixed<W - S, I - S>; a signed input gets at most 2^(W-1) exp entries.
    const int s = in.is_signed ? 1 : 0;
    t.norm = FixedType{};
    t.norm.width = in.width - s;
    t.norm.int_bits = in.int_bits - s;
    t.norm.is_signed = false;
    if (in.is_signed && in.width - 1 < 62) t.exp_size = std::min(n, int64_t{1} << (in.width - 1));
  } else {
    t.norm = in;
  }
  t.exp_bits = common::CeilLog2(t.exp_size);
  t.inv_bits = common::CeilLog2(t.inv_size);
  if (t.exp_bits < 1 || t.exp_bits > t.norm.width) {
    return InvalidArgument(common::LayerLabel(node) + ": the input type " + FormatFixedType(in) +
                           " is too narrow for hls4ml's softmax exp table");
  }
  if (t.inv_bits > inv_inp.width) {
    return InvalidArgument(common::LayerLabel(node) + ": inv_inp type " + FormatFixedType(inv_inp) +
                           " has fewer than " + std::to_string(t.inv_bits) + " bits to address " +
                           std::to_string(t.inv_size) + " inverse-table entries");
  }
  t.exp.reserve(t.exp_size);
  for (int64_t i = 0; i < t.exp_size; ++i) {
    // init_exp_table: float x = real_val * exp_scale (1.0f); stable negates; std::exp(float).
    float x = common::TopBitsValue(i, t.norm, t.exp_bits) * 1.0f;
    if (stable) x = -x;
    t.exp.push_back(QuantizeDouble(static_cast<double>(std::exp(x)), exp_t));
  }
  t.inv.reserve(t.inv_size);
  for (int64_t i = 0; i < t.inv_size; ++i) {
    // init_invert_table: inv_table_t(1 / x) in float; 1 / 0 is +inf (saturates or wraps to 0).
    const float x = common::TopBitsValue(i, inv_inp, t.inv_bits);
    const float v = 1 / x;
    t.inv.push_back(QuantizeDouble(static_cast<double>(v), inv_t));
  }
  return t;
}

template <typename R>
std::unique_ptr<emu::Kernel<R>> BuildHls4ml(const ir::Node& node, const FixedType& in,
                                            const SoftmaxHls4mlTables& t) {
  typename SoftmaxHls4mlKernel<R>::Plan plan{node.shape[0],
                                             node.settings.softmax_impl == ir::SoftmaxImpl::kStable,
                                             t.legacy,
                                             t.table,
                                             t.exp_range,
                                             t.inv_size,
                                             in,
                                             t.norm,
                                             node.Precision("accum"),
                                             SoftmaxInvInpType(node),
                                             node.Precision("result"),
                                             node.Precision("exp_table").lsb_exponent(),
                                             node.Precision("inv_table").lsb_exponent(),
                                             t.exp_bits,
                                             t.inv_bits,
                                             common::ConvertTable<R>(t.exp),
                                             common::ConvertTable<R>(t.inv)};
  return std::make_unique<SoftmaxHls4mlKernel<R>>(std::move(plan));
}

template <typename R>
StatusOr<std::unique_ptr<emu::Kernel<R>>> LayerImpl<LayerKind::kSoftmax>::MakeKernel(
    const ir::Node& node, const NodeInputs& inputs) {
  const FixedType& in = common::InputType(inputs);
  if (node.settings.table_style == ir::TableStyle::kHls4ml) {
    if (node.shape.size() != 1) {
      return Unimplemented(common::LayerLabel(node) + ": only 1-D inputs are supported");
    }
    FIRMNET_ASSIGN_OR_RETURN(SoftmaxHls4mlTables t, SoftmaxHls4mlTablesFor(node, inputs));
    if constexpr (std::is_same_v<R, int64_t>) {
      const bool fits64 = common::FitsInt64(
          {in, node.Precision("result"), node.Precision("exp_table"), node.Precision("inv_table"),
           node.Precision("accum"), SoftmaxInvInpType(node)});
      if (!fits64) {
        const int64_t n = node.shape[0];
        return std::unique_ptr<emu::Kernel<int64_t>>(std::make_unique<common::BigIntAdapter>(
            BuildHls4ml<BigInt>(node, in, t), std::vector<int64_t>{n}, n));
      }
    }
    return BuildHls4ml<R>(node, in, t);
  }
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
