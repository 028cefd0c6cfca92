// The elementwise merges (add, subtract, multiply, average, maximum, minimum) against an
// independent reference: exact integer arithmetic on raw values and a cast written out here for
// every rounding and overflow mode, over mixed input types, two and three inputs. Also: the
// engines agree, the float kernels, hls4ml's `auto` rules, errors, and graphs through the
// emulator (a branch, and two input layers).
#include "firmnet/layers/common/merge.h"

#include <gtest/gtest.h>

#include <random>

#include "firmnet/emu/emulator.h"
#include "firmnet/ir/parser.h"
#include "firmnet/ir/verifier.h"
#include "firmnet/layers/common/test_util.h"

namespace firmnet::layers {
namespace {

using testing::Type;
using I128 = __int128;

// ---- The reference: exact values num / den * 2^exp, cast by the book (docs/semantics.md). ----

I128 FloorDiv(I128 n, I128 d) {  // d > 0
  I128 q = n / d;
  if (n % d != 0 && n < 0) --q;
  return q;
}

// The raw integer of (num / den) * 2^exp cast to `to`, with the overflow event.
int64_t RefCast(I128 num, I128 den, int exp, const FixedType& to, OverflowEvent* event) {
  // x = num * 2^(exp - t) / den, in lsbs of the target.
  const int t = to.lsb_exponent();
  I128 n = num, d = den;
  if (exp >= t) {
    n <<= (exp - t);
  } else {
    d <<= (t - exp);
  }
  const I128 q = FloorDiv(n, d);
  const I128 rem = n - q * d;  // in [0, d)
  I128 r = q;
  const bool negative = n < 0;
  if (rem != 0) {
    const int cmp = 2 * rem < d ? -1 : (2 * rem > d ? 1 : 0);
    switch (to.rounding) {
      case Rounding::kTrn:
        break;
      case Rounding::kTrnZero:
        r = negative ? q + 1 : q;
        break;
      case Rounding::kRnd:
        r = cmp >= 0 ? q + 1 : q;
        break;
      case Rounding::kRndZero:
        r = cmp > 0 || (cmp == 0 && negative) ? q + 1 : q;
        break;
      case Rounding::kRndMinInf:
        r = cmp > 0 ? q + 1 : q;
        break;
      case Rounding::kRndInf:
        r = cmp > 0 || (cmp == 0 && !negative) ? q + 1 : q;
        break;
      case Rounding::kRndConv:
        r = cmp > 0 || (cmp == 0 && (q & 1) != 0) ? q + 1 : q;
        break;
    }
  }
  const I128 lo = to.is_signed ? -(I128(1) << (to.width - 1)) : 0;
  const I128 hi = to.is_signed ? (I128(1) << (to.width - 1)) - 1 : (I128(1) << to.width) - 1;
  *event = OverflowEvent::kNone;
  if (r >= lo && r <= hi && !(to.overflow == Overflow::kSatSym && to.is_signed && r == lo)) {
    return static_cast<int64_t>(r);
  }
  switch (to.overflow) {
    case Overflow::kWrap: {
      EXPECT_EQ(to.sat_bits, 0) << "the reference wraps without N only";
      *event = OverflowEvent::kWrapped;
      const I128 span = I128(1) << to.width;
      I128 w = ((r - lo) % span + span) % span + lo;
      return static_cast<int64_t>(w);
    }
    case Overflow::kSat:
      *event = OverflowEvent::kSaturated;
      return static_cast<int64_t>(r < lo ? lo : hi);
    case Overflow::kSatZero:
      *event = OverflowEvent::kSaturated;
      return 0;
    case Overflow::kSatSym:
      *event = OverflowEvent::kSaturated;
      if (!to.is_signed) return static_cast<int64_t>(r < lo ? 0 : hi);
      return static_cast<int64_t>(r < 0 ? -hi : hi);
  }
  return 0;
}

struct Counted {
  int64_t raw;
  uint64_t wraps = 0, saturations = 0;
};

void Count(OverflowEvent e, uint64_t& wraps, uint64_t& sats) {
  wraps += e == OverflowEvent::kWrapped;
  sats += e == OverflowEvent::kSaturated;
}

// One output value of `op` over raw inputs x[k] of types in[k].
int64_t Reference(common::MergeOp op, const std::vector<FixedType>& in, const FixedType& result,
                  const std::vector<int64_t>& x, uint64_t& wraps, uint64_t& sats) {
  using common::MergeOp;
  OverflowEvent e;
  if (op == MergeOp::kAverage) {
    // Everything onto 2^emin, sum, divide by n.
    int emin = in[0].lsb_exponent();
    for (const FixedType& t : in) emin = std::min(emin, t.lsb_exponent());
    I128 sum = 0;
    for (size_t k = 0; k < in.size(); ++k) sum += I128(x[k]) << (in[k].lsb_exponent() - emin);
    const int64_t r = RefCast(sum, static_cast<I128>(in.size()), emin, result, &e);
    Count(e, wraps, sats);
    return r;
  }
  int64_t acc = x[0];
  int ea = in[0].lsb_exponent();
  for (size_t k = 1; k < in.size(); ++k) {
    const int eb = in[k].lsb_exponent();
    const int em = std::min(ea, eb);
    const I128 a = I128(acc) << (ea - em), b = I128(x[k]) << (eb - em);
    I128 v = 0;
    int ev = em;
    switch (op) {
      case MergeOp::kAdd:
        v = a + b;
        break;
      case MergeOp::kSubtract:
        v = a - b;
        break;
      case MergeOp::kMultiply:
        v = I128(acc) * x[k];
        ev = ea + eb;
        break;
      case MergeOp::kMaximum:
        v = a > b ? a : b;
        break;
      case MergeOp::kMinimum:
        v = a < b ? a : b;
        break;
      case MergeOp::kAverage:
        break;
    }
    acc = RefCast(v, 1, ev, result, &e);
    Count(e, wraps, sats);
    ea = result.lsb_exponent();
  }
  return acc;
}

// ---- Building and running a merge node on raw values. ----

struct MergeSetup {
  std::vector<ir::Node> ins;
  ir::Node node;
  NodeInputs inputs() const {
    NodeInputs v;
    for (const ir::Node& n : ins) v.push_back(&n);
    return v;
  }
};

MergeSetup MakeMerge(LayerKind kind, const std::vector<std::string>& in_types,
                     const std::string& result, ir::Shape shape) {
  MergeSetup s;
  for (size_t k = 0; k < in_types.size(); ++k) {
    ir::Node in;
    in.name = "x" + std::to_string(k);
    in.kind = LayerKind::kInput;
    in.shape = shape;
    in.precision["result"] = Type(in_types[k]);
    s.node.inputs.push_back(in.name);
    s.ins.push_back(in);
  }
  s.node.name = "m";
  s.node.kind = kind;
  s.node.precision["result"] = Type(result);
  return s;
}

template <typename R>
std::vector<R> RunRaw(MergeSetup& s, const std::vector<std::vector<R>>& x, emu::LayerCounters& c) {
  Status st = layers::InferShape(s.node, s.inputs());
  EXPECT_TRUE(st.ok()) << st.ToString();
  auto kernel = layers::MakeKernel<R>(s.node, s.inputs());
  EXPECT_TRUE(kernel.ok()) << kernel.status().ToString();
  std::vector<R> out(ir::NumElements(s.node.shape));
  if (!kernel.ok()) return out;
  std::vector<const R*> ptrs;
  for (const auto& v : x) ptrs.push_back(v.data());
  (*kernel)->Run(ptrs, out.data(), c);
  return out;
}

constexpr LayerKind KindOf(common::MergeOp op) {
  switch (op) {
    case common::MergeOp::kAdd:
      return LayerKind::kAdd;
    case common::MergeOp::kSubtract:
      return LayerKind::kSubtract;
    case common::MergeOp::kMultiply:
      return LayerKind::kMultiply;
    case common::MergeOp::kAverage:
      return LayerKind::kAverage;
    case common::MergeOp::kMaximum:
      return LayerKind::kMaximum;
    case common::MergeOp::kMinimum:
      return LayerKind::kMinimum;
  }
  return LayerKind::kAdd;
}

constexpr common::MergeOp kOps[] = {common::MergeOp::kAdd,      common::MergeOp::kSubtract,
                                    common::MergeOp::kMultiply, common::MergeOp::kAverage,
                                    common::MergeOp::kMaximum,  common::MergeOp::kMinimum};

// Checks one op, inputs and result over the given input tuples: the int64 engine against the
// reference, the BigInt engine against the int64 one (values and counters).
void CheckCase(common::MergeOp op, const std::vector<std::string>& in_types,
               const std::string& result, const std::vector<std::vector<int64_t>>& x) {
  SCOPED_TRACE(std::string(LayerKindId(KindOf(op))) + " -> " + result);
  MergeSetup s = MakeMerge(KindOf(op), in_types, result, {static_cast<int64_t>(x[0].size())});
  std::vector<FixedType> in;
  for (const auto& t : in_types) in.push_back(Type(t));
  const FixedType res = Type(result);
  emu::LayerCounters c64, cbig;
  const std::vector<int64_t> got = RunRaw<int64_t>(s, x, c64);
  std::vector<std::vector<BigInt>> xb(x.size());
  for (size_t k = 0; k < x.size(); ++k) {
    for (int64_t v : x[k]) xb[k].emplace_back(v);
  }
  const std::vector<BigInt> big = RunRaw<BigInt>(s, xb, cbig);
  uint64_t wraps = 0, sats = 0;
  for (size_t i = 0; i < x[0].size(); ++i) {
    std::vector<int64_t> xi;
    for (const auto& v : x) xi.push_back(v[i]);
    const int64_t want = Reference(op, in, res, xi, wraps, sats);
    ASSERT_EQ(got[i], want) << "inputs " << ::testing::PrintToString(xi);
    ASSERT_EQ(big[i], BigInt(want)) << "inputs " << ::testing::PrintToString(xi);
  }
  EXPECT_EQ(c64.wraps, wraps);
  EXPECT_EQ(c64.saturations, sats);
  EXPECT_EQ(cbig.wraps, wraps);
  EXPECT_EQ(cbig.saturations, sats);
}

const std::vector<std::string> kInputTypes = {"ap_fixed<6,3>", "ap_ufixed<5,1>",
                                              "ap_fixed<7,5,AP_RND,AP_SAT>", "ap_int<4>"};
const std::vector<std::string> kResultTypes = {"ap_fixed<6,3>",
                                               "ap_fixed<5,2,AP_RND,AP_SAT>",
                                               "ap_ufixed<4,1,AP_RND_CONV>",
                                               "ap_fixed<8,2,AP_TRN_ZERO,AP_SAT_SYM>",
                                               "ap_fixed<12,6>",
                                               "ap_fixed<6,4,AP_RND_ZERO,AP_SAT_ZERO>",
                                               "ap_fixed<7,3,AP_RND_INF>",
                                               "ap_fixed<7,3,AP_RND_MIN_INF,AP_SAT>"};

// Every pair of raw values of two input types (mixed types included), every result type.
TEST(MergeTest, TwoInputsExhaustiveAgainstReference) {
  for (common::MergeOp op : kOps) {
    for (size_t a = 0; a < kInputTypes.size(); ++a) {
      for (size_t b = 0; b < kInputTypes.size(); b += (a == 0 ? 1 : 3)) {
        std::vector<std::vector<int64_t>> x(2);
        for (int64_t va : testing::AllRaw(Type(kInputTypes[a]))) {
          for (int64_t vb : testing::AllRaw(Type(kInputTypes[b]))) {
            x[0].push_back(va);
            x[1].push_back(vb);
          }
        }
        for (const std::string& r : kResultTypes) {
          CheckCase(op, {kInputTypes[a], kInputTypes[b]}, r, x);
        }
      }
    }
  }
}

// Three and four inputs (subtract takes two): random raw values.
TEST(MergeTest, MoreInputsAgainstReference) {
  std::mt19937_64 rng(7);
  for (common::MergeOp op : kOps) {
    if (op == common::MergeOp::kSubtract) continue;
    for (size_t n : {3u, 4u}) {
      std::vector<std::string> types;
      for (size_t k = 0; k < n; ++k) types.push_back(kInputTypes[(k * 3 + n) % 4]);
      std::vector<std::vector<int64_t>> x(n);
      for (size_t k = 0; k < n; ++k) {
        const std::vector<int64_t> all = testing::AllRaw(Type(types[k]));
        for (int i = 0; i < 400; ++i) x[k].push_back(all[rng() % all.size()]);
      }
      for (const std::string& r : kResultTypes) CheckCase(op, types, r, x);
    }
  }
}

// Hand-computed cases: the arithmetic written out.
TEST(MergeTest, HandComputedValues) {
  // ap_fixed<6,3> (lsb 1/8) and ap_ufixed<5,1> (lsb 1/16), result ap_fixed<6,3>.
  // 1.375 (11) + 0.9375 (15) = 2.3125 -> 2.25 (18, TRN); 3.875 (31) + 0.5 (8) = 4.375 wraps to
  // -3.625 (-29).
  emu::LayerCounters c;
  MergeSetup s =
      MakeMerge(LayerKind::kAdd, {"ap_fixed<6,3>", "ap_ufixed<5,1>"}, "ap_fixed<6,3>", {2});
  EXPECT_EQ(RunRaw<int64_t>(s, {{11, 31}, {15, 8}}, c), (std::vector<int64_t>{18, -29}));
  EXPECT_EQ(c.wraps, 1u);
  // Average: (1.375 + 0.9375) / 2 = 1.15625 -> 1.125 (9, TRN); three inputs:
  // (1 + 1 + 0.5) / 3 = 0.8333 -> 0.875 (7, RND) or 0.75 (6, TRN).
  s = MakeMerge(LayerKind::kAverage, {"ap_fixed<6,3>", "ap_ufixed<5,1>"}, "ap_fixed<6,3>", {1});
  EXPECT_EQ(RunRaw<int64_t>(s, {{11}, {15}}, c), (std::vector<int64_t>{9}));
  s = MakeMerge(LayerKind::kAverage, {"ap_fixed<6,3>", "ap_fixed<6,3>", "ap_fixed<6,3>"},
                "ap_fixed<6,3,AP_RND>", {1});
  EXPECT_EQ(RunRaw<int64_t>(s, {{8}, {8}, {4}}, c), (std::vector<int64_t>{7}));
  s.node.precision["result"] = Type("ap_fixed<6,3>");
  EXPECT_EQ(RunRaw<int64_t>(s, {{8}, {8}, {4}}, c), (std::vector<int64_t>{6}));
  // Three-input add folds with each step cast: 3 + 3 + (-3) with an AP_SAT ap_fixed<6,3>
  // result (range [-4, 3.875]): 3 + 3 saturates to 3.875, then 3.875 - 3 = 0.875 (7), where the
  // exact sum would be 3.
  s = MakeMerge(LayerKind::kAdd, {"ap_fixed<6,3>", "ap_fixed<6,3>", "ap_fixed<6,3>"},
                "ap_fixed<6,3,AP_TRN,AP_SAT>", {1});
  EXPECT_EQ(RunRaw<int64_t>(s, {{24}, {24}, {-24}}, c), (std::vector<int64_t>{7}));
  // Maximum compares exactly across types: 0.5 (ap_fixed<6,3>: 4) vs 0.5625 (ap_ufixed<5,1>: 9)
  // -> 0.5625 -> 0.5 in the result's lsb 1/8.
  s = MakeMerge(LayerKind::kMaximum, {"ap_fixed<6,3>", "ap_ufixed<5,1>"}, "ap_fixed<6,3>", {1});
  EXPECT_EQ(RunRaw<int64_t>(s, {{4}, {9}}, c), (std::vector<int64_t>{4}));
  s.node.precision["result"] = Type("ap_fixed<6,3,AP_RND>");
  EXPECT_EQ(RunRaw<int64_t>(s, {{4}, {9}}, c), (std::vector<int64_t>{5}));
  // Multiply: 1.375 * 0.9375 = 1.2890625 -> 1.25 (10); subtract: 1.375 - 0.9375 = 0.4375 -> 3.
  s = MakeMerge(LayerKind::kMultiply, {"ap_fixed<6,3>", "ap_ufixed<5,1>"}, "ap_fixed<6,3>", {1});
  EXPECT_EQ(RunRaw<int64_t>(s, {{11}, {15}}, c), (std::vector<int64_t>{10}));
  s = MakeMerge(LayerKind::kSubtract, {"ap_fixed<6,3>", "ap_ufixed<5,1>"}, "ap_fixed<6,3>", {1});
  EXPECT_EQ(RunRaw<int64_t>(s, {{11}, {15}}, c), (std::vector<int64_t>{3}));
}

// Types too wide for the int64 engine run the BigInt kernel behind it: same values.
TEST(MergeTest, WideTypesUseBigInt) {
  for (common::MergeOp op : kOps) {
    const std::vector<std::string> types = {"ap_fixed<40,20>", "ap_fixed<36,4>"};
    std::vector<std::vector<int64_t>> x = {{int64_t{1} << 38, -(int64_t{1} << 39) + 5, 12345},
                                           {-(int64_t{1} << 35), (int64_t{1} << 35) - 1, -777}};
    for (const char* r : {"ap_fixed<48,24,AP_RND,AP_SAT>", "ap_fixed<20,18>"}) {
      CheckCase(op, types, r, x);
    }
  }
}

TEST(MergeTest, FloatKernels) {
  const std::vector<double> a = {1.5, -2, 0.25}, b = {0.5, 3, -0.75}, c = {2, 2, 2};
  auto run = [&](LayerKind kind, std::vector<std::vector<double>> x) {
    MergeSetup s =
        MakeMerge(kind, std::vector<std::string>(x.size(), "ap_fixed<8,3>"), "ap_fixed<8,3>", {3});
    EXPECT_TRUE(layers::InferShape(s.node, s.inputs()).ok());
    auto k = layers::MakeFloatKernel(s.node, s.inputs());
    EXPECT_TRUE(k.ok());
    std::vector<const double*> p;
    for (const auto& v : x) p.push_back(v.data());
    std::vector<double> out(3);
    (*k)->Run(p, out.data());
    return out;
  };
  EXPECT_EQ(run(LayerKind::kAdd, {a, b, c}), (std::vector<double>{4, 3, 1.5}));
  EXPECT_EQ(run(LayerKind::kSubtract, {a, b}), (std::vector<double>{1, -5, 1}));
  EXPECT_EQ(run(LayerKind::kMultiply, {a, b, c}), (std::vector<double>{1.5, -12, -0.375}));
  EXPECT_EQ(run(LayerKind::kAverage, {a, b, c}), (std::vector<double>{4.0 / 3, 1, 0.5}));
  EXPECT_EQ(run(LayerKind::kMaximum, {a, b}), (std::vector<double>{1.5, 3, 0.25}));
  EXPECT_EQ(run(LayerKind::kMinimum, {a, b, c}), (std::vector<double>{0.5, -2, -0.75}));
}

TEST(MergeTest, ShapeErrors) {
  MergeSetup s =
      MakeMerge(LayerKind::kAdd, {"ap_fixed<8,3>", "ap_fixed<8,3>"}, "ap_fixed<8,3>", {4});
  s.ins[1].shape = {2, 2};
  Status st = layers::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.message(),
            "layer 'm' (add): input 'x1' has shape [2,2] but input 'x0' has shape [4]; add needs "
            "inputs of one shape (it does not broadcast)");
  s.ins[1].shape = {4};
  ASSERT_TRUE(layers::InferShape(s.node, s.inputs()).ok());
  EXPECT_EQ(s.node.shape, (ir::Shape{4}));
  st = layers::InferShape(s.node, {&s.ins[0]});
  EXPECT_EQ(st.message(), "layer 'm' (add): expects at least 2 inputs, got 1");
  MergeSetup sub =
      MakeMerge(LayerKind::kSubtract, {"ap_fixed<8,3>", "ap_fixed<8,3>", "ap_fixed<8,3>"},
                "ap_fixed<8,3>", {4});
  st = layers::InferShape(sub.node, sub.inputs());
  EXPECT_EQ(st.message(), "layer 'm' (subtract): expects exactly 2 inputs, got 3");
  s.ins[0].shape = {};
  st = layers::InferShape(s.node, s.inputs());
  EXPECT_EQ(st.message(),
            "layer 'm' (add): input 'x0' has no shape (shape inference has not run on it)");
}

std::string Inferred(LayerKind kind, const std::vector<std::string>& in_types,
                     std::optional<std::string> max = std::nullopt) {
  MergeSetup s = MakeMerge(kind, in_types, "ap_fixed<16,6>", {5});
  PrecisionContext ctx{Type("ap_fixed<16,6>"), std::nullopt};
  if (max) ctx.max_precision = Type(*max);
  auto t = layers::InferPrecision(s.node, s.inputs(), "result", ctx);
  return t.ok() ? FormatFixedType(*t) : t.status().message();
}

// hls4ml's _infer_merge_precision, worked by hand.
TEST(MergeTest, AutoPrecisionRules) {
  // I = max(3 + 0, 2 + 1) + 1 = 4, F = max(5, 4) = 5.
  EXPECT_EQ(Inferred(LayerKind::kAdd, {"ap_fixed<8,3>", "ap_ufixed<6,2>"}), "ap_fixed<9,4>");
  EXPECT_EQ(Inferred(LayerKind::kAverage, {"ap_fixed<8,3>", "ap_ufixed<6,2>"}), "ap_fixed<9,4>");
  EXPECT_EQ(Inferred(LayerKind::kAdd, {"ap_ufixed<8,3>", "ap_ufixed<6,2>"}), "ap_ufixed<9,4>");
  // subtract is always signed (hls4ml adds no bit for it).
  EXPECT_EQ(Inferred(LayerKind::kSubtract, {"ap_ufixed<6,2>", "ap_ufixed<6,2>"}), "ap_fixed<7,3>");
  // Three inputs fold: <9,4> + <8,3> -> I = 5, F = 5.
  EXPECT_EQ(Inferred(LayerKind::kAdd, {"ap_fixed<8,3>", "ap_ufixed<6,2>", "ap_fixed<8,3>"}),
            "ap_fixed<10,5>");
  EXPECT_EQ(Inferred(LayerKind::kMultiply, {"ap_fixed<8,3>", "ap_ufixed<6,2>"}), "ap_fixed<14,5>");
  EXPECT_EQ(Inferred(LayerKind::kMultiply, {"ap_fixed<8,3>", "ap_ufixed<6,2>", "ap_int<4>"}),
            "ap_fixed<18,9>");
  // maximum/minimum: one type -> that type, modes included; else either, uncapped.
  EXPECT_EQ(
      Inferred(LayerKind::kMaximum, {"ap_fixed<8,3,AP_RND,AP_SAT>", "ap_fixed<8,3,AP_RND,AP_SAT>"}),
      "ap_fixed<8,3,AP_RND,AP_SAT>");
  EXPECT_EQ(Inferred(LayerKind::kMinimum, {"ap_fixed<8,3>", "ap_ufixed<6,2>"}), "ap_fixed<8,3>");
  EXPECT_EQ(Inferred(LayerKind::kMinimum, {"ap_fixed<8,2>", "ap_ufixed<6,4>"}, "ap_fixed<6,2>"),
            "ap_fixed<11,5>");
  // Model.Precision.maximum caps width and integer bits of the others.
  EXPECT_EQ(Inferred(LayerKind::kAdd, {"ap_fixed<8,3>", "ap_ufixed<6,2>"}, "ap_fixed<8,2>"),
            "ap_fixed<8,2>");
  EXPECT_EQ(Inferred(LayerKind::kMultiply, {"ap_fixed<80,3>", "ap_fixed<60,2>"}),
            "layer 'm' (multiply): precision 'result': 'auto' needs 140 bits, more than the "
            "maximum of 128; give an explicit type, or cap inferred types with "
            "Model.Precision.maximum");
}

// input -> relu -> add(relu, input): a branch that joins again, through the emulator.
TEST(MergeTest, BranchThroughTheEmulator) {
  constexpr char kText[] = R"(graph g {
  %x = input() shape=[4] precision{result=ap_fixed<8,3>}
  %r = relu(%x) shape=[4] precision{result=ap_ufixed<6,2>}
  %s = add(%r, %x) shape=[4] precision{result=ap_fixed<8,3,AP_RND,AP_SAT>}
  %m = average(%x, %r, %s) shape=[4] precision{result=ap_fixed<10,3,AP_RND_CONV>}
  outputs %s, %m
})";
  auto g = ir::ParseGraph(kText, "branch");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(ir::VerifyGraph(*g, ir::VerifyLevel::kResolved).ok());
  ASSERT_TRUE(CheckShapes(*g).ok());
  // x: 1.3 -> 1.28125 (41/32); -2 -> -2; 3.9 -> 3.875; 0.05 -> 0.03125.
  // r (ap_ufixed<6,2>, lsb 1/16): 1.25, 0, 3.875 -> 3.875, 0 (0.03125 -> 0).
  // s = r + x, RND to 1/32, SAT to [-4, 3.96875]: 2.53125, -2, 7.75 -> 3.96875, 0.03125.
  // m = (x + r + s) / 3 to 1/128, RND_CONV: 5.0625/3 = 1.6875 (216/128);
  //   -4/3 = -1.3333 -> -170.67/128 -> -171/128; 11.71875/3 = 3.90625 (500/128);
  //   0.0625/3 = 0.0208333 -> 2.667/128 -> 3/128.
  for (emu::Engine engine : {emu::Engine::kInt64, emu::Engine::kBigInt}) {
    auto e = emu::Emulator::CreateWithEngine(*g, engine);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    auto r = (*e)->Run(emu::Batch{1, 4, {1.3, -2, 3.9, 0.05}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->outputs[0].data, (std::vector<double>{2.53125, -2, 3.96875, 0.03125}));
    EXPECT_EQ(r->outputs[1].data,
              (std::vector<double>{216 / 128.0, -171 / 128.0, 500 / 128.0, 3 / 128.0}));
  }
  auto f = emu::FloatEmulator::Create(*g);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto fr = (*f)->Run(emu::Batch{1, 4, {1.5, -2, 3, 0}});
  ASSERT_TRUE(fr.ok());
  EXPECT_EQ(fr->outputs[0].data, (std::vector<double>{3, -2, 6, 0}));
  EXPECT_EQ(fr->outputs[1].data, (std::vector<double>{2, -4.0 / 3, 4, 0}));
}

// Two input layers joined by concatenate, one batch per input.
TEST(MergeTest, TwoInputLayersThroughTheEmulator) {
  constexpr char kText[] = R"(graph g {
  %a = input() shape=[4] precision{result=ap_fixed<8,3>}
  %b = input() shape=[4] precision{result=ap_fixed<10,2>}
  %c = concatenate(%a, %b, axis=0) shape=[8] precision{result=ap_fixed<8,3,AP_RND>}
  %p = multiply(%a, %b) shape=[4] precision{result=ap_fixed<12,4>}
  outputs %c, %p
})";
  auto g = ir::ParseGraph(kText, "two_inputs");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(ir::VerifyGraph(*g, ir::VerifyLevel::kResolved).ok());
  ASSERT_TRUE(CheckShapes(*g).ok());
  auto e = emu::Emulator::Create(*g);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  const emu::Batch a{2, 4, {1, 2, 3, -1, 0.5, 0.25, -0.5, 0}};
  const emu::Batch b{2, 4, {0.5, 0.125, 0.0078125, -1.5, 1.99, 0.0234375, 1, -2}};
  auto r = (*e)->Run(std::vector<emu::Batch>{a, b});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // b in ap_fixed<10,2> (lsb 1/256): 1.99 -> 1.98828125 (509/256); the rest exact.
  // c: a, then b rounded to 1/32 (RND): 0.0078125 -> 0 (0.25 lsb), 1.98828125 -> 63.625/32 ->
  //    2 (64/32), 0.0234375 = 0.75/32 -> 1/32.
  EXPECT_EQ(r->outputs[0].rows, 2);
  EXPECT_EQ(r->outputs[0].cols, 8);
  EXPECT_EQ(r->outputs[0].data, (std::vector<double>{1, 2, 3, -1, 0.5, 0.125, 0, -1.5,  //
                                                     0.5, 0.25, -0.5, 0, 2, 1 / 32.0, 1, -2}));
  // p = a * b to 1/256, TRN: 0.5, 0.25, 0.0234375, 1.5; 0.994140625 (254.5/256) -> 0.9921875,
  // 0.005859375 (1.5/256) -> 0.00390625, -0.5, 0.
  EXPECT_EQ(r->outputs[1].data,
            (std::vector<double>{0.5, 0.25, 0.0234375, 1.5, 0.9921875, 0.00390625, -0.5, 0}));
  // The wrong number of batches is an error.
  EXPECT_FALSE((*e)->Run(std::vector<emu::Batch>{a}).ok());
}

}  // namespace
}  // namespace firmnet::layers
