// The four convolutions against an independent reference over a grid of shapes, strides,
// paddings, depth multipliers and precisions: both emulator engines, bit for bit, and the float
// kernel against a float64 loop.
//
// The reference is the plain loop of hls4ml's io_parallel convolution written afresh: for every
// output pixel and channel, acc = (accum_t) bias, then over the whole window in (kh, kw, c)
// order (positions in the padding read 0) acc = (accum_t)(acc + (accum_t)(x * w)), every step
// cast, nothing skipped, in BigInt; y = (result_t) acc.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "firmnet/emu/emulator.h"
#include "firmnet/layers/layer.h"

namespace firmnet {
namespace {

FixedType T(const std::string& s) {
  auto t = ParseFixedType(s);
  EXPECT_TRUE(t.ok()) << s;
  return t.ok() ? *t : FixedType{};
}

struct Case {
  LayerKind kind = LayerKind::kConv2D;
  int64_t h = 1, w = 5, c = 3;  // input (h = 1 for 1-D)
  int64_t kh = 1, kw = 3;
  int64_t f_or_m = 4;  // conv: output channels; depthwise: multiplier
  int64_t sh = 1, sw = 1;
  int64_t pt = 0, pl = 0, pb = 0, pr = 0;
  bool dims2() const { return kind == LayerKind::kConv2D || kind == LayerKind::kDepthwiseConv2D; }
  bool depthwise() const {
    return kind == LayerKind::kDepthwiseConv1D || kind == LayerKind::kDepthwiseConv2D;
  }
  int64_t c_out() const { return depthwise() ? c * f_or_m : f_or_m; }
  int64_t oh() const { return (h + pt + pb - kh) / sh + 1; }
  int64_t ow() const { return (w + pl + pr - kw) / sw + 1; }
  std::string Describe() const {
    return std::string(LayerKindId(kind)) + " in " + std::to_string(h) + "x" + std::to_string(w) +
           "x" + std::to_string(c) + " k " + std::to_string(kh) + "x" + std::to_string(kw) +
           " f/m " + std::to_string(f_or_m) + " s " + std::to_string(sh) + "," +
           std::to_string(sw) + " pads " + std::to_string(pt) + "," + std::to_string(pl) + "," +
           std::to_string(pb) + "," + std::to_string(pr);
  }
};

struct Types {
  std::string in, weight, bias, accum, result;
};

struct Model {
  ir::Graph graph;
  std::vector<double> weight, bias;  // [kh][kw][c][f or m], [c_out]
};

Model Build(const Case& k, const Types& t, std::mt19937_64& rng) {
  Model m;
  std::normal_distribution<double> normal(0.0, 1.0);
  const int64_t last = k.f_or_m;
  const int64_t n_w = k.kh * k.kw * k.c * last;
  for (int64_t i = 0; i < n_w; ++i) m.weight.push_back(i % 5 == 0 ? 0.0 : 1.5 * normal(rng));
  for (int64_t i = 0; i < k.c_out(); ++i) m.bias.push_back(normal(rng));
  ir::Node in;
  in.name = "x";
  in.kind = LayerKind::kInput;
  in.shape = k.dims2() ? ir::Shape{k.h, k.w, k.c} : ir::Shape{k.w, k.c};
  in.precision["result"] = T(t.in);
  m.graph.AddNode(in);
  ir::Node n;
  n.name = "conv";
  n.kind = k.kind;
  n.inputs = {"x"};
  ir::Shape ws = k.dims2() ? ir::Shape{k.kh, k.kw, k.c, last} : ir::Shape{k.kw, k.c, last};
  n.weights["weight"] = {ws, m.weight};
  n.weights["bias"] = {{k.c_out()}, m.bias};
  if (k.dims2()) {
    n.attrs["strides"] = std::vector<int64_t>{k.sh, k.sw};
    n.attrs["pads"] = std::vector<int64_t>{k.pt, k.pl, k.pb, k.pr};
  } else {
    n.attrs["strides"] = std::vector<int64_t>{k.sw};
    n.attrs["pads"] = std::vector<int64_t>{k.pl, k.pr};
  }
  n.precision = {
      {"weight", T(t.weight)}, {"bias", T(t.bias)}, {"accum", T(t.accum)}, {"result", T(t.result)}};
  Status st = layers::InferShape(n, {&m.graph.nodes[0]});
  EXPECT_TRUE(st.ok()) << st.ToString();
  m.graph.AddNode(n);
  m.graph.outputs = {"conv"};
  return m;
}

// Input raw values: zeros (as after a ReLU), small values and full-scale ones.
std::vector<BigInt> RandomInputs(const FixedType& t, int64_t n, int sample, std::mt19937_64& rng) {
  const int64_t lo = t.is_signed ? -(int64_t{1} << (t.width - 1)) : 0;
  const int64_t hi = t.is_signed ? (int64_t{1} << (t.width - 1)) - 1 : (int64_t{1} << t.width) - 1;
  std::uniform_int_distribution<int64_t> full(lo, hi);
  std::vector<BigInt> x;
  for (int64_t i = 0; i < n; ++i) {
    int64_t v = full(rng);
    if (sample % 3 == 0) v /= 16;          // small: no product cast can wrap
    if ((i * 7 + sample) % 4 == 0) v = 0;  // zeros
    x.emplace_back(v);
  }
  return x;
}

// The reference: every window position, every step cast.
std::vector<BigInt> Reference(const Case& k, const Model& m, const Types& ty,
                              const std::vector<BigInt>& x) {
  const FixedType in_t = T(ty.in), w_t = T(ty.weight), b_t = T(ty.bias), a_t = T(ty.accum),
                  r_t = T(ty.result);
  const int p_exp = in_t.lsb_exponent() + w_t.lsb_exponent();
  const int a_exp = a_t.lsb_exponent();
  const int64_t n_out = k.c_out(), m_or_f = k.f_or_m;
  std::vector<BigInt> y;
  for (int64_t oh = 0; oh < k.oh(); ++oh) {
    for (int64_t ow = 0; ow < k.ow(); ++ow) {
      for (int64_t f = 0; f < n_out; ++f) {
        BigInt acc = Cast(QuantizeWeight(m.bias[f], b_t), b_t.lsb_exponent(), a_t);
        for (int64_t i = 0; i < k.kh; ++i) {
          for (int64_t j = 0; j < k.kw; ++j) {
            for (int64_t ch = 0; ch < k.c; ++ch) {
              double wv;
              if (k.depthwise()) {
                if (ch != f / m_or_f) continue;
                wv = m.weight[((i * k.kw + j) * k.c + ch) * m_or_f + f % m_or_f];
              } else {
                wv = m.weight[((i * k.kw + j) * k.c + ch) * m_or_f + f];
              }
              const int64_t ih = oh * k.sh - k.pt + i, iw = ow * k.sw - k.pl + j;
              const bool inside = ih >= 0 && ih < k.h && iw >= 0 && iw < k.w;
              const BigInt xv = inside ? x[(ih * k.w + iw) * k.c + ch] : BigInt(0);
              const BigInt pc = Cast(xv * QuantizeWeight(wv, w_t), p_exp, a_t);
              acc = Cast(acc + pc, a_exp, a_t);
            }
          }
        }
        y.push_back(Cast(acc, a_exp, r_t));
      }
    }
  }
  return y;
}

// The float64 reference on the float weights.
std::vector<double> FloatReference(const Case& k, const Model& m, const std::vector<double>& x) {
  const int64_t n_out = k.c_out(), m_or_f = k.f_or_m;
  std::vector<double> y;
  for (int64_t oh = 0; oh < k.oh(); ++oh) {
    for (int64_t ow = 0; ow < k.ow(); ++ow) {
      for (int64_t f = 0; f < n_out; ++f) {
        double acc = m.bias[f];
        for (int64_t i = 0; i < k.kh; ++i) {
          for (int64_t j = 0; j < k.kw; ++j) {
            const int64_t ih = oh * k.sh - k.pt + i, iw = ow * k.sw - k.pl + j;
            if (ih < 0 || ih >= k.h || iw < 0 || iw >= k.w) continue;
            for (int64_t ch = 0; ch < k.c; ++ch) {
              if (k.depthwise() && ch != f / m_or_f) continue;
              const int64_t wi =
                  ((i * k.kw + j) * k.c + ch) * m_or_f + (k.depthwise() ? f % m_or_f : f);
              acc += x[(ih * k.w + iw) * k.c + ch] * m.weight[wi];
            }
          }
        }
        y.push_back(acc);
      }
    }
  }
  return y;
}

// Runs one case on both engines (only BigInt when the types need it) and the float kernel.
void Check(const Case& k, const Types& ty, uint64_t seed) {
  SCOPED_TRACE(k.Describe() + " | in " + ty.in + " w " + ty.weight + " b " + ty.bias + " acc " +
               ty.accum + " res " + ty.result);
  std::mt19937_64 rng(seed);
  Model m = Build(k, ty, rng);
  const FixedType in_t = T(ty.in);
  const int64_t n_in = k.h * k.w * k.c, n_out = k.oh() * k.ow() * k.c_out();
  constexpr int kSamples = 4;
  emu::Batch batch{kSamples, n_in, {}};
  std::vector<std::vector<BigInt>> raw_in;
  for (int s = 0; s < kSamples; ++s) {
    raw_in.push_back(RandomInputs(in_t, n_in, s, rng));
    for (const BigInt& v : raw_in.back()) {
      batch.data.push_back(std::ldexp(v.ToDouble(), in_t.lsb_exponent()));
    }
  }
  std::vector<BigInt> want;
  for (int s = 0; s < kSamples; ++s) {
    std::vector<BigInt> y = Reference(k, m, ty, raw_in[s]);
    want.insert(want.end(), y.begin(), y.end());
  }
  const bool narrow = T(ty.in).width <= 31 && T(ty.weight).width <= 31 && T(ty.bias).width <= 31 &&
                      T(ty.accum).width <= 31 && T(ty.result).width <= 31;
  std::vector<emu::LayerCounters> counters;
  for (auto engine : {emu::Engine::kInt64, emu::Engine::kBigInt}) {
    if (engine == emu::Engine::kInt64 && !narrow) continue;
    auto e = emu::Emulator::CreateWithEngine(m.graph, engine);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    emu::RunOptions opt;
    opt.keep_raw = true;
    auto r = (*e)->Run(batch, opt);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->raw_outputs[0].size(), static_cast<size_t>(kSamples * n_out));
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_EQ(r->raw_outputs[0][i], want[i])
          << (engine == emu::Engine::kInt64 ? "int64" : "BigInt") << " engine, output " << i
          << ": got " << r->raw_outputs[0][i].ToDouble() << ", want " << want[i].ToDouble();
    }
    counters.push_back(r->layers.back().counters);
  }
  if (counters.size() == 2) {
    EXPECT_EQ(counters[0].wraps, counters[1].wraps);
    EXPECT_EQ(counters[0].saturations, counters[1].saturations);
  }

  auto f = emu::FloatEmulator::Create(m.graph);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto fr = (*f)->Run(batch);
  ASSERT_TRUE(fr.ok()) << fr.status().ToString();
  for (int s = 0; s < kSamples; ++s) {
    const std::vector<double> xs(batch.data.begin() + s * n_in,
                                 batch.data.begin() + (s + 1) * n_in);
    const std::vector<double> y = FloatReference(k, m, xs);
    for (int64_t i = 0; i < n_out; ++i) {
      const double got = fr->outputs[0].data[s * n_out + i];
      ASSERT_NEAR(got, y[i], 1e-12 * std::max(1.0, std::abs(y[i]))) << "float, output " << i;
    }
  }
}

const std::vector<Types>& AllTypes() {
  static const std::vector<Types> kTypes = {
      // Default modes, a roomy accumulator: the int32 vector form.
      {"ap_fixed<8,3>", "ap_fixed<6,2>", "ap_fixed<8,3>", "ap_fixed<14,6>", "ap_fixed<10,4>"},
      // A narrow wrapping accumulator and result: wraps in products, sums and results.
      {"ap_fixed<10,4>", "ap_fixed<8,3>", "ap_fixed<8,3>", "ap_fixed<9,4>", "ap_fixed<7,3>"},
      // Rounding and saturation everywhere: every addition cast in order.
      {"ap_fixed<8,3>", "ap_fixed<6,2>", "ap_fixed<8,3>", "ap_fixed<10,4,AP_RND,AP_SAT>",
       "ap_fixed<8,3,AP_RND,AP_SAT>"},
      // Unsigned input and result, a wrapping accumulator with rounding of the products.
      {"ap_ufixed<8,2>", "ap_fixed<8,1>", "ap_fixed<6,2>", "ap_fixed<16,6,AP_RND>",
       "ap_ufixed<6,3,AP_RND_CONV,AP_SAT>"},
      // An unsigned accumulator: every negative product wraps.
      {"ap_ufixed<6,2>", "ap_fixed<6,2>", "ap_ufixed<6,2>", "ap_ufixed<12,6>", "ap_fixed<8,4>"},
      // lsb exponents too far apart for int64 arithmetic: the BigInt kernel behind int64.
      {"ap_fixed<8,-4>", "ap_fixed<8,-10>", "ap_fixed<8,-10>", "ap_fixed<31,-2>",
       "ap_fixed<16,-2,AP_RND,AP_SAT>"},
      // Wider than 31 bits: the BigInt engine only.
      {"ap_fixed<40,12>", "ap_fixed<36,4>", "ap_fixed<36,8>", "ap_fixed<70,20>",
       "ap_fixed<48,16,AP_RND,AP_SAT>"},
  };
  return kTypes;
}

// Paddings for a kernel of size k: valid, same (stride 1), asymmetric.
std::vector<std::pair<int64_t, int64_t>> Pads(int64_t k) {
  return {{0, 0}, {(k - 1) / 2, k / 2}, {k - 1, 0}};
}

TEST(ConvGrid, Conv1D) {
  uint64_t seed = 1;
  for (const Types& ty : AllTypes()) {
    for (int64_t s : {1, 2}) {
      for (auto [l, r] : Pads(3)) {
        Case k;
        k.kind = LayerKind::kConv1D;
        k.w = 9;
        k.c = 3;
        k.kw = 3;
        k.f_or_m = 5;
        k.sw = s;
        k.pl = l;
        k.pr = r;
        Check(k, ty, ++seed);
      }
    }
  }
}

TEST(ConvGrid, Conv2D) {
  uint64_t seed = 100;
  for (const Types& ty : AllTypes()) {
    for (int64_t s : {1, 2}) {
      const auto vertical = Pads(3), horizontal = Pads(2);
      for (size_t p = 0; p < vertical.size(); ++p) {
        Case k;
        k.kind = LayerKind::kConv2D;
        k.h = 5;
        k.w = 6;
        k.c = 3;
        k.kh = 3;
        k.kw = 2;
        k.f_or_m = 10;  // two vectors of lanes, six of them padding
        k.sh = s;
        k.sw = 3 - s;
        std::tie(k.pt, k.pb) = vertical[p];
        std::tie(k.pl, k.pr) = horizontal[(p + s) % horizontal.size()];
        Check(k, ty, ++seed);
      }
    }
  }
}

// Many output channels: several vector blocks per pixel (32 + 8 + 1 channels).
TEST(ConvGrid, Conv2DManyChannels) {
  uint64_t seed = 200;
  for (const Types& ty : AllTypes()) {
    Case k;
    k.kind = LayerKind::kConv2D;
    k.h = 3;
    k.w = 4;
    k.c = 4;
    k.kh = 3;
    k.kw = 3;
    k.f_or_m = 41;
    k.pt = k.pl = k.pb = k.pr = 1;
    Check(k, ty, ++seed);
  }
}

TEST(ConvGrid, DepthwiseConv1D) {
  uint64_t seed = 300;
  for (const Types& ty : AllTypes()) {
    for (int64_t m : {1, 2}) {
      for (int64_t s : {1, 2}) {
        for (auto [l, r] : Pads(3)) {
          Case k;
          k.kind = LayerKind::kDepthwiseConv1D;
          k.w = 8;
          k.c = 3;
          k.kw = 3;
          k.f_or_m = m;
          k.sw = s;
          k.pl = l;
          k.pr = r;
          Check(k, ty, ++seed);
        }
      }
    }
  }
}

TEST(ConvGrid, DepthwiseConv2D) {
  uint64_t seed = 400;
  for (const Types& ty : AllTypes()) {
    for (int64_t m : {1, 2}) {
      for (int64_t s : {1, 2}) {
        for (auto [t, b] : Pads(3)) {
          Case k;
          k.kind = LayerKind::kDepthwiseConv2D;
          k.h = 5;
          k.w = 4;
          k.c = 3;
          k.kh = 3;
          k.kw = 2;
          k.f_or_m = m;
          k.sh = s;
          k.sw = 1;
          k.pt = t;
          k.pb = b;
          k.pl = 1;
          Check(k, ty, ++seed);
        }
      }
    }
  }
}

// 20 channels times 2: a block of 32 output channels and one of 8.
TEST(ConvGrid, DepthwiseConv2DManyChannels) {
  uint64_t seed = 500;
  for (const Types& ty : AllTypes()) {
    Case k;
    k.kind = LayerKind::kDepthwiseConv2D;
    k.h = 4;
    k.w = 5;
    k.c = 20;
    k.kh = 3;
    k.kw = 3;
    k.f_or_m = 2;
    k.pt = k.pl = k.pb = k.pr = 1;
    Check(k, ty, ++seed);
  }
}

}  // namespace
}  // namespace firmnet
