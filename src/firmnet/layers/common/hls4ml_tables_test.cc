// The hls4ml table style against an independent reference: hls4ml's nnet_activation.h
// (sigmoid, tanh, softmax_stable, softmax_latency) transcribed with floats, doubles and ints,
// quantizing with floor/round in double. Every input of small types, random ones of <16,6>,
// several table sizes; the int64_t and BigInt kernels must agree with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "firmnet/layers/common/test_util.h"
#include "firmnet/layers/elu/elu.h"
#include "firmnet/layers/selu/selu.h"
#include "firmnet/layers/sigmoid/sigmoid.h"
#include "firmnet/layers/softmax/softmax.h"
#include "firmnet/layers/softplus/softplus.h"
#include "firmnet/layers/softsign/softsign.h"
#include "firmnet/layers/tanh/tanh.h"

namespace firmnet::layers {
namespace {

using testing::AllRaw;
using testing::MakeSetup;
using testing::RunRaw;
using testing::Type;

// ap_fixed<W,I,Q,O> of a double, by the textbook rules (TRN: floor; RND: floor(v + lsb/2);
// WRAP: modulo 2^W; SAT: clamp). Infinity saturates, or wraps to 0.
struct RefType {
  int w, i;
  bool s, rnd = false, sat = false;
};
int64_t RefQuant(double v, const RefType& t) {
  const int64_t lo = t.s ? -(int64_t{1} << (t.w - 1)) : 0;
  const int64_t hi = t.s ? (int64_t{1} << (t.w - 1)) - 1 : (int64_t{1} << t.w) - 1;
  if (std::isinf(v)) return t.sat ? (v > 0 ? hi : lo) : 0;
  const double scaled = std::ldexp(v, t.w - t.i);
  const double q = t.rnd ? std::floor(scaled + 0.5) : std::floor(scaled);
  if (t.sat) return q < lo ? lo : q > hi ? hi : static_cast<int64_t>(q);
  const int64_t m = int64_t{1} << t.w;
  int64_t r = static_cast<int64_t>(std::fmod(q, static_cast<double>(m)));
  if (r < 0) r += m;
  if (t.s && r > hi) r -= m;
  return r;
}
double RefValue(int64_t raw, const RefType& t) {
  return std::ldexp(static_cast<double>(raw), t.i - t.w);
}
std::string Name(const RefType& t) {
  return std::string(t.s ? "ap_fixed<" : "ap_ufixed<") + std::to_string(t.w) + "," +
         std::to_string(t.i) + (t.rnd ? ",AP_RND" : ",AP_TRN") + (t.sat ? ",AP_SAT>" : ",AP_WRAP>");
}

// hls4ml's sigmoid, softplus, softsign (R = 8, /16) or tanh (R = 4, /8) for the input raw x of
// type in.
enum class Fn { kSigmoid, kTanh, kSoftplus, kSoftsign };
int64_t RefRangeTable(Fn fn, int64_t raw, const RefType& in, int n, const RefType& table,
                      const RefType& result) {
  const double range = fn == Fn::kTanh ? 4.0 : 8.0;
  const int div = fn == Fn::kTanh ? 8 : 16;
  // init_*_table, entry by entry.
  std::vector<double> tab(n);
  for (int ii = 0; ii < n; ++ii) {
    float in_val = 2 * range * (ii - float(n) / 2.0) / float(n);
    double v = 0;
    switch (fn) {
      case Fn::kSigmoid:
        v = static_cast<float>(1.0 / (1 + std::exp(-in_val)));
        break;
      case Fn::kTanh:
        v = std::tanh(static_cast<double>(in_val));
        break;
      case Fn::kSoftplus:
        v = static_cast<float>(std::log(std::exp(in_val) + 1.));
        break;
      case Fn::kSoftsign:
        v = static_cast<float>(in_val / (std::abs(in_val) + 1.));
        break;
    }
    tab[ii] = RefValue(RefQuant(v, table), table);
  }
  const double x = RefValue(raw, in);
  // ap_fixed's x * n is exact; `/ div` gives a quotient on the dividend's grid, truncated toward
  // zero (an LSB above 1 when the type has negative fractional bits); int() truncates toward 0.
  const double lsb = std::ldexp(1.0, in.i - in.w);
  const double quotient =
      lsb > 1 ? std::trunc(x * n / lsb / div) * lsb : std::trunc(x * n / div / lsb) * lsb;
  const int data_round = static_cast<int>(quotient);
  int index = static_cast<int>(static_cast<unsigned>(data_round) + static_cast<unsigned>(range) *
                                                                       static_cast<unsigned>(n) /
                                                                       static_cast<unsigned>(div));
  if (index < 0) index = 0;
  if (index > n - 1) index = n - 1;
  return RefQuant(tab[index], result);
}

template <LayerKind K>
void CheckRange(Fn fn, const RefType& in, const RefType& result, int n,
                const std::vector<int64_t>& xs) {
  const RefType table{18, 8, true};
  auto s = MakeSetup(K, Name(in), 1, {{"result", Name(result)}}, {}, n, ir::TableStyle::kHls4ml);
  EXPECT_EQ(s.node.Precision("table"), Type("ap_fixed<18,8>"));
  const std::vector<int64_t> y = RunRaw<K, int64_t>(s, xs);
  std::vector<BigInt> xb;
  for (int64_t v : xs) xb.emplace_back(v);
  const std::vector<BigInt> yb = RunRaw<K, BigInt>(s, xb);
  for (size_t k = 0; k < xs.size(); ++k) {
    const int64_t want = RefRangeTable(fn, xs[k], in, n, table, result);
    ASSERT_EQ(y[k], want) << Name(in) << " raw " << xs[k] << " N " << n;
    ASSERT_EQ(yb[k], BigInt(want)) << Name(in) << " raw " << xs[k] << " N " << n;
  }
}

std::vector<int64_t> Random(const RefType& t, int count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> d(
      t.s ? -(int64_t{1} << (t.w - 1)) : 0,
      t.s ? (int64_t{1} << (t.w - 1)) - 1 : (int64_t{1} << t.w) - 1);
  std::vector<int64_t> v(count);
  for (auto& x : v) x = d(rng);
  return v;
}

const RefType kSmallInputs[] = {
    {8, 4, true}, {10, 3, true}, {8, 3, false}, {6, 8, true}, {7, 1, true}};

TEST(Hls4mlTablesTest, SigmoidEveryInputOfSmallTypes) {
  for (int n : {1024, 256, 64, 4096, 1000}) {
    for (const RefType& in : kSmallInputs) {
      CheckRange<LayerKind::kSigmoid>(Fn::kSigmoid, in, {16, 6, true}, n, AllRaw(Type(Name(in))));
    }
    // A narrower result (truncates the entry) and a wide one (the BigInt kernel).
    CheckRange<LayerKind::kSigmoid>(Fn::kSigmoid, {8, 4, true}, {8, 1, false}, n,
                                    AllRaw(Type("ap_fixed<8,4>")));
    CheckRange<LayerKind::kSigmoid>(Fn::kSigmoid, {8, 4, true}, {40, 20, true}, n,
                                    AllRaw(Type("ap_fixed<8,4>")));
  }
}

TEST(Hls4mlTablesTest, TanhEveryInputOfSmallTypes) {
  for (int n : {1024, 256, 64, 4096, 1000}) {
    for (const RefType& in : kSmallInputs) {
      CheckRange<LayerKind::kTanh>(Fn::kTanh, in, {16, 6, true}, n, AllRaw(Type(Name(in))));
    }
    CheckRange<LayerKind::kTanh>(Fn::kTanh, {8, 4, true}, {40, 20, true}, n,
                                 AllRaw(Type("ap_fixed<8,4>")));
  }
}

TEST(Hls4mlTablesTest, SoftplusAndSoftsignEveryInputOfSmallTypes) {
  for (int n : {1024, 256, 4096}) {
    for (const RefType& in : kSmallInputs) {
      CheckRange<LayerKind::kSoftplus>(Fn::kSoftplus, in, {16, 6, true}, n, AllRaw(Type(Name(in))));
      CheckRange<LayerKind::kSoftsign>(Fn::kSoftsign, in, {16, 6, true}, n, AllRaw(Type(Name(in))));
    }
    CheckRange<LayerKind::kSoftplus>(Fn::kSoftplus, {8, 4, true}, {40, 20, true}, n,
                                     AllRaw(Type("ap_fixed<8,4>")));
  }
}

// hls4ml's elu (alpha of type param) and selu (lambda of ap_ufixed<16,1>) for the input raw x:
// init_elu_table / init_selu_table over [-8, 0), `index = x * N / -8`, the clamps.
int64_t RefNegative(bool selu, int64_t raw, const RefType& in, int n, const RefType& table,
                    const RefType& result, double alpha, const RefType& param) {
  const double x = RefValue(raw, in);
  if (x >= 0) {
    if (!selu) return RefQuant(x, result);
    const double lambda = RefValue(RefQuant(1.0507009873554805, {16, 1, false}), {16, 1, false});
    return RefQuant(x * lambda, result);
  }
  std::vector<double> tab(n);
  for (int ii = 0; ii < n; ++ii) {
    const float in_val = -8.0 * ii / float(n);
    const double v =
        selu ? static_cast<float>(1.0507009873554804934193349852946 *
                                  (1.6732632423543772848170429916717 * (std::exp(in_val) - 1.)))
             : static_cast<float>(std::exp(in_val) - 1.);
    tab[ii] = RefValue(RefQuant(v, table), table);
  }
  // x * n exact; `/ -8` on the dividend's grid truncated toward zero; int() truncates.
  const double lsb = std::ldexp(1.0, in.i - in.w);
  const double quotient =
      lsb > 1 ? std::trunc(x * n / lsb / -8) * lsb : std::trunc(x * n / -8 / lsb) * lsb;
  int index = static_cast<int>(quotient);
  if (selu && index < 0) index = 0;
  if (static_cast<unsigned>(index) > static_cast<unsigned>(n - 1)) index = n - 1;
  if (selu) return RefQuant(tab[index], result);
  const double a = RefValue(RefQuant(alpha, param), param);
  return RefQuant(a * tab[index], result);
}

template <LayerKind K>
void CheckNegative(const RefType& in, const RefType& result, int n, double alpha,
                   const std::vector<int64_t>& xs) {
  const bool selu = K == LayerKind::kSelu;
  const RefType table{18, 8, true};
  const RefType param = selu ? RefType{16, 1, false} : RefType{16, 6, true};
  std::map<std::string, ir::AttrValue> attrs = {{"alpha", alpha}};
  if (selu) attrs = {{"alpha", kSeluAlpha}, {"gamma", kSeluGamma}};
  auto s = MakeSetup(K, Name(in), 1, {{"result", Name(result)}}, attrs, n, ir::TableStyle::kHls4ml);
  EXPECT_EQ(s.node.Precision("table"), Type("ap_fixed<18,8>"));
  const std::vector<int64_t> y = RunRaw<K, int64_t>(s, xs);
  std::vector<BigInt> xb;
  for (int64_t v : xs) xb.emplace_back(v);
  const std::vector<BigInt> yb = RunRaw<K, BigInt>(s, xb);
  for (size_t k = 0; k < xs.size(); ++k) {
    const int64_t want = RefNegative(selu, xs[k], in, n, table, result, alpha, param);
    ASSERT_EQ(y[k], want) << Name(in) << " raw " << xs[k] << " N " << n;
    ASSERT_EQ(yb[k], BigInt(want)) << Name(in) << " raw " << xs[k] << " N " << n;
  }
}

TEST(Hls4mlTablesTest, EluAndSeluEveryInputOfSmallTypes) {
  for (int n : {1024, 256, 64, 1000}) {
    for (const RefType& in : kSmallInputs) {
      CheckNegative<LayerKind::kElu>(in, {16, 6, true}, n, 1.0, AllRaw(Type(Name(in))));
      CheckNegative<LayerKind::kElu>(in, {16, 6, true}, n, 0.3, AllRaw(Type(Name(in))));
      CheckNegative<LayerKind::kSelu>(in, {16, 6, true}, n, 0, AllRaw(Type(Name(in))));
    }
    CheckNegative<LayerKind::kElu>({8, 4, true}, {6, 1, true}, n, 1.7,
                                   AllRaw(Type("ap_fixed<8,4>")));
    CheckNegative<LayerKind::kSelu>({8, 4, true}, {40, 20, true}, n, 0,
                                    AllRaw(Type("ap_fixed<8,4>")));
  }
  // Random <16,6> inputs: every index of the table is reached.
  for (int n : {1024, 4096}) {
    CheckNegative<LayerKind::kElu>({16, 6, true}, {16, 6, true}, n, 1.0,
                                   Random({16, 6, true}, 4000, 7));
    CheckNegative<LayerKind::kSelu>({16, 6, true}, {16, 6, true}, n, 0,
                                    Random({16, 6, true}, 4000, 8));
  }
}

TEST(Hls4mlTablesTest, RandomInputsOf16_6) {
  const RefType in{16, 6, true};
  for (int n : {1024, 512, 2048}) {
    CheckRange<LayerKind::kSigmoid>(Fn::kSigmoid, in, {16, 6, true}, n, Random(in, 20000, 7 + n));
    CheckRange<LayerKind::kTanh>(Fn::kTanh, in, {16, 6, true}, n, Random(in, 20000, 9 + n));
  }
}

// hls4ml's softmax_stable / softmax_latency with its default types: exp/inv tables and inv_inp
// ap_fixed<18,8,AP_RND,AP_SAT>, accum and result as given.
std::vector<int64_t> RefSoftmax(bool stable, const std::vector<int64_t>& raw, const RefType& in,
                                int table_size, const RefType& accum, const RefType& result) {
  const RefType tab{18, 8, true, true, true};
  const RefType inv_inp = tab;
  // FixSoftmaxTableSize, then the stable implementation's exp_table_size for signed inputs.
  int n = table_size;
  if ((1 << std::min(in.w, 18)) < n) n = 1 << std::min(in.w, 18);
  int exp_size = n;
  const RefType norm{in.w - (in.s ? 1 : 0), in.i - (in.s ? 1 : 0), false};
  if (stable && in.s) exp_size = std::min(n, 1 << (in.w - 1));
  const RefType addr = stable ? norm : in;
  int ne = 0, ni = 0;
  while ((1 << ne) < exp_size) ++ne;
  while ((1 << ni) < n) ++ni;
  auto top_value = [](int i, const RefType& t, int bits) {
    int64_t r = static_cast<int64_t>(i) << (t.w - bits);
    if (t.s && i >= (1 << (bits - 1))) r -= int64_t{1} << t.w;
    return static_cast<float>(RefValue(r, t));
  };
  auto top_index = [](int64_t r, const RefType& t, int bits) {
    const int64_t u = r & ((int64_t{1} << t.w) - 1);
    return static_cast<int>(u >> (t.w - bits));
  };
  std::vector<double> exp_table(exp_size), inv_table(n);
  for (int i = 0; i < exp_size; ++i) {
    float x = top_value(i, addr, ne);
    if (stable) x = -x;
    exp_table[i] = RefValue(RefQuant(std::exp(x), tab), tab);
  }
  for (int i = 0; i < n; ++i) {
    const float x = top_value(i, inv_inp, ni);
    inv_table[i] = RefValue(RefQuant(1 / x, tab), tab);
  }
  const size_t len = raw.size();
  double xmax = RefValue(raw[0], in);
  for (int64_t r : raw) xmax = std::max(xmax, RefValue(r, in));
  std::vector<double> e(len);
  for (size_t j = 0; j < len; ++j) {
    const double x = RefValue(raw[j], in);
    const int k =
        stable ? top_index(RefQuant(xmax - x, norm), norm, ne) : top_index(raw[j], in, ne);
    e[j] = RefValue(RefQuant(exp_table[k], accum), accum);
  }
  // nnet::reduce: left part pow2(floorlog2(N - 1)).
  std::function<double(size_t, size_t)> reduce = [&](size_t from, size_t count) -> double {
    if (count == 1) return e[from];
    size_t left = 1;
    if (count > 2) {
      while (left * 2 <= count - 1) left *= 2;
    }
    const double a = reduce(from, left), b = reduce(from + left, count - left);
    return RefValue(RefQuant(a + b, accum), accum);
  };
  const int64_t s = RefQuant(reduce(0, len), inv_inp);
  const double inv = inv_table[top_index(s, inv_inp, ni)];
  std::vector<int64_t> y(len);
  for (size_t j = 0; j < len; ++j) y[j] = RefQuant(e[j] * inv, result);
  return y;
}

void CheckSoftmax(bool stable, const RefType& in, int n, const RefType& accum,
                  const RefType& result, const std::vector<std::vector<int64_t>>& rows) {
  for (const auto& row : rows) {
    auto s = MakeSetup(LayerKind::kSoftmax, Name(in), static_cast<int64_t>(row.size()),
                       {{"result", Name(result)}, {"accum", Name(accum)}}, {}, n,
                       ir::TableStyle::kHls4ml);
    if (!stable) s.node.settings.softmax_impl = ir::SoftmaxImpl::kLatency;
    const std::vector<int64_t> want = RefSoftmax(stable, row, in, n, accum, result);
    const std::vector<int64_t> got = RunRaw<LayerKind::kSoftmax, int64_t>(s, row);
    std::vector<BigInt> xb;
    for (int64_t v : row) xb.emplace_back(v);
    const std::vector<BigInt> gotb = RunRaw<LayerKind::kSoftmax, BigInt>(s, xb);
    for (size_t j = 0; j < row.size(); ++j) {
      ASSERT_EQ(got[j], want[j]) << Name(in) << " N " << n << " stable " << stable << " row "
                                 << ::testing::PrintToString(row) << " j " << j;
      ASSERT_EQ(gotb[j], BigInt(want[j]));
    }
  }
}

// hls4ml's softmax_legacy: tables in activ_config's table_t ap_fixed<18,8>.
std::vector<int64_t> RefSoftmaxLegacy(const std::vector<int64_t>& raw, const RefType& in,
                                      int table_size, const RefType& result) {
  const RefType tab{18, 8, true};
  int n = table_size;
  if ((1 << std::min(in.w, 18)) < n) n = 1 << std::min(in.w, 18);
  std::vector<double> exp_table(n), inv_table(n);
  for (int ii = 0; ii < n; ++ii) {
    float in_val = 2 * 8.0 * (ii - float(n) / 2.0) / float(n);
    exp_table[ii] = RefValue(RefQuant(std::exp(in_val), tab), tab);
    float inv_val = 64.0 * ii / float(n);
    inv_table[ii] = RefValue(RefQuant(inv_val > 0.0 ? 1.0 / inv_val : 0.0, tab), tab);
  }
  std::vector<int64_t> y(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    double acc = 0;
    for (size_t j = 0; j < raw.size(); ++j) {
      double v = 1;
      if (i != j) {
        const double d = RefValue(raw[j], in) - RefValue(raw[i], in);
        const int data_round = static_cast<int>(d * n / 16);
        int index = static_cast<int>(static_cast<unsigned>(data_round) +
                                     8u * static_cast<unsigned>(n) / 16u);
        if (index < 0) index = 0;
        if (index > n - 1) index = n - 1;
        v = exp_table[index];
      }
      acc = RefValue(RefQuant(acc + v, tab), tab);
    }
    int k = static_cast<int>(acc * n / 64);
    if (k < 0) k = 0;
    if (k > n - 1) k = n - 1;
    y[i] = RefQuant(inv_table[k], result);
  }
  return y;
}

TEST(Hls4mlTablesTest, SoftmaxLegacy) {
  std::mt19937 rng(5);
  for (const RefType& in : {RefType{6, 3, true}, RefType{16, 6, true}, RefType{8, 8, false}}) {
    std::vector<std::vector<int64_t>> rows;
    if (in.w <= 8) {
      for (int64_t a : AllRaw(Type(Name(in)))) {
        for (int64_t b : AllRaw(Type(Name(in)))) rows.push_back({a, b});
      }
    }
    for (int len : {1, 3, 5, 10}) {
      for (int r = 0; r < 40; ++r) rows.push_back(Random(in, len, rng()));
    }
    for (int n : {1024, 64}) {
      for (const auto& row : rows) {
        auto s = MakeSetup(LayerKind::kSoftmax, Name(in), static_cast<int64_t>(row.size()),
                           {{"result", "ap_fixed<16,6>"}}, {}, n, ir::TableStyle::kHls4ml);
        s.node.settings.softmax_impl = ir::SoftmaxImpl::kLegacy;
        const std::vector<int64_t> want = RefSoftmaxLegacy(row, in, n, {16, 6, true});
        const std::vector<int64_t> got = RunRaw<LayerKind::kSoftmax, int64_t>(s, row);
        std::vector<BigInt> xb;
        for (int64_t v : row) xb.emplace_back(v);
        const std::vector<BigInt> gotb = RunRaw<LayerKind::kSoftmax, BigInt>(s, xb);
        for (size_t j = 0; j < row.size(); ++j) {
          ASSERT_EQ(got[j], want[j])
              << Name(in) << " N " << n << " row " << ::testing::PrintToString(row) << " j " << j;
          ASSERT_EQ(gotb[j], BigInt(want[j]));
        }
      }
    }
  }
}

TEST(Hls4mlTablesTest, SoftmaxDefaultsAreHls4mls) {
  auto s = MakeSetup(LayerKind::kSoftmax, "ap_fixed<16,6>", 4, {}, {}, 0, ir::TableStyle::kHls4ml);
  EXPECT_EQ(s.node.Precision("exp_table"), Type("ap_fixed<18,8,AP_RND,AP_SAT>"));
  EXPECT_EQ(s.node.Precision("inv_table"), Type("ap_fixed<18,8,AP_RND,AP_SAT>"));
  EXPECT_EQ(SoftmaxInvInpType(s.node), Type("ap_fixed<18,8,AP_RND,AP_SAT>"));
  EXPECT_EQ(s.node.Precision("accum"), Type("ap_fixed<16,6>"));
  EXPECT_EQ(s.node.Precision("result"), Type("ap_fixed<16,6>"));
}

TEST(Hls4mlTablesTest, SoftmaxEveryPairOfSmallTypes) {
  for (bool stable : {true, false}) {
    for (const RefType& in : {RefType{6, 3, true}, RefType{5, 2, false}, RefType{7, 1, true}}) {
      std::vector<std::vector<int64_t>> rows;
      for (int64_t a : AllRaw(Type(Name(in)))) {
        for (int64_t b : AllRaw(Type(Name(in)))) rows.push_back({a, b});
      }
      for (int n : {1024, 64, 16}) {
        CheckSoftmax(stable, in, n, {16, 6, true}, {16, 6, true}, rows);
      }
      // A rounding, saturating accumulator and a wide result (the BigInt kernel).
      CheckSoftmax(stable, in, 1024, {18, 8, true, true, true}, {40, 10, true}, rows);
    }
  }
}

TEST(Hls4mlTablesTest, SoftmaxRandomRowsOf16_6) {
  const RefType in{16, 6, true};
  std::mt19937 rng(11);
  for (bool stable : {true, false}) {
    for (int len : {1, 2, 3, 5, 8, 10, 13}) {
      std::vector<std::vector<int64_t>> rows;
      for (int r = 0; r < 60; ++r) {
        // Spreads from a few LSBs to the whole range.
        const int bits = 3 + static_cast<int>(rng() % 13);
        std::uniform_int_distribution<int64_t> d(-(int64_t{1} << (bits - 1)),
                                                 (1 << (bits - 1)) - 1);
        std::vector<int64_t> row(len);
        for (auto& v : row) v = d(rng);
        rows.push_back(row);
      }
      for (int n : {1024, 256, 4096})
        CheckSoftmax(stable, in, n, {16, 6, true}, {16, 6, true}, rows);
    }
  }
}

}  // namespace
}  // namespace firmnet::layers
