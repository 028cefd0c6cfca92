// Dot: hls4ml's dot1d against a reference written here (each product cast to accum_t, each sum
// cast to accum_t, the total cast to result_t), the engines, the float kernel, the `auto` rule
// and the errors.
#include "firmnet/layers/dot/dot.h"

#include <gtest/gtest.h>

#include <random>

#include "firmnet/fixed/fixed_value.h"
#include "firmnet/layers/common/test_util.h"

namespace firmnet::layers {
namespace {

using testing::Type;

struct DotSetup {
  ir::Node a, b, node;
  NodeInputs inputs() const { return {&a, &b}; }
};

DotSetup Make(int64_t n, const std::string& ta, const std::string& tb, const std::string& accum,
              const std::string& result) {
  DotSetup s;
  s.a.name = "a";
  s.b.name = "b";
  for (ir::Node* in : {&s.a, &s.b}) {
    in->kind = LayerKind::kInput;
    in->shape = {n};
  }
  s.a.precision["result"] = Type(ta);
  s.b.precision["result"] = Type(tb);
  s.node.name = "d";
  s.node.kind = LayerKind::kDot;
  s.node.inputs = {"a", "b"};
  s.node.precision["accum"] = Type(accum);
  s.node.precision["result"] = Type(result);
  return s;
}

TEST(DotTest, MatchesTheReference) {
  std::mt19937_64 rng(3);
  struct Case {
    const char *a, *b, *accum, *result;
  };
  const Case cases[] = {
      {"ap_fixed<8,3>", "ap_fixed<6,2>", "ap_fixed<10,4>", "ap_fixed<8,4>"},
      {"ap_fixed<8,3>", "ap_ufixed<6,1>", "ap_fixed<9,3,AP_RND,AP_SAT>", "ap_fixed<6,2,AP_RND>"},
      {"ap_ufixed<5,5>", "ap_fixed<7,0>", "ap_fixed<12,5,AP_RND_CONV,AP_SAT_SYM>",
       "ap_ufixed<6,3,AP_TRN,AP_SAT>"},
      {"ap_fixed<40,10>", "ap_fixed<30,5>", "ap_fixed<64,20,AP_RND,AP_SAT>", "ap_fixed<32,16>"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(std::string(k.a) + " . " + k.b + " accum " + k.accum + " -> " + k.result);
    const int64_t n = 7;
    DotSetup s = Make(n, k.a, k.b, k.accum, k.result);
    ASSERT_TRUE(layers::InferShape(s.node, s.inputs()).ok());
    EXPECT_EQ(s.node.shape, (ir::Shape{1}));
    auto k64 = layers::MakeKernel<int64_t>(s.node, s.inputs());
    auto kb = layers::MakeKernel<BigInt>(s.node, s.inputs());
    ASSERT_TRUE(k64.ok() && kb.ok());
    const FixedType ta = Type(k.a), tb = Type(k.b), acc_t = Type(k.accum), res_t = Type(k.result);
    auto random_raw = [&](const FixedType& t) {
      const int64_t span = int64_t{1} << std::min(t.width, 40);
      const int64_t lo = t.is_signed ? -span / 2 : 0;
      return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
    };
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<int64_t> x(n), y(n);
      std::vector<BigInt> xb, yb;
      for (int64_t i = 0; i < n; ++i) {
        x[i] = random_raw(ta);
        y[i] = random_raw(tb);
        xb.emplace_back(x[i]);
        yb.emplace_back(y[i]);
      }
      // The reference, written with firmnet::Cast on exact values.
      uint64_t events = 0;
      auto cast = [&](const BigInt& v, int exp, const FixedType& to) {
        OverflowEvent e = OverflowEvent::kNone;
        BigInt r = Cast(v, exp, to, &e);
        events += e != OverflowEvent::kNone;
        return r;
      };
      BigInt acc;
      for (int64_t i = 0; i < n; ++i) {
        const BigInt p =
            cast(BigInt(x[i]) * BigInt(y[i]), ta.lsb_exponent() + tb.lsb_exponent(), acc_t);
        acc = cast(acc + p, acc_t.lsb_exponent(), acc_t);
      }
      const BigInt want = cast(acc, acc_t.lsb_exponent(), res_t);
      int64_t out = 0;
      BigInt outb;
      emu::LayerCounters c64, cb;
      const int64_t* p[] = {x.data(), y.data()};
      const BigInt* pb[] = {xb.data(), yb.data()};
      (*k64)->Run(p, &out, c64);
      (*kb)->Run(pb, &outb, cb);
      ASSERT_EQ(BigInt(out), want) << "trial " << trial;
      ASSERT_EQ(outb, want) << "trial " << trial;
      EXPECT_EQ(c64.wraps + c64.saturations, events);
      EXPECT_EQ(cb.wraps + cb.saturations, events);
    }
  }
}

TEST(DotTest, HandComputedAndFloat) {
  // a = [1.5, -0.25, 2] (ap_fixed<8,3>, lsb 1/32), b = [0.5, 0.75, -1.125] (ap_fixed<8,3>):
  // products 0.75, -0.1875, -2.25 in ap_fixed<8,4> (lsb 1/16) exactly; sum -1.6875; result
  // ap_fixed<6,3> (lsb 1/8), TRN: -1.75.
  DotSetup s = Make(3, "ap_fixed<8,3>", "ap_fixed<8,3>", "ap_fixed<8,4>", "ap_fixed<6,3>");
  ASSERT_TRUE(layers::InferShape(s.node, s.inputs()).ok());
  const std::vector<int64_t> a = {48, -8, 64}, b = {16, 24, -36};
  auto k = layers::MakeKernel<int64_t>(s.node, s.inputs());
  ASSERT_TRUE(k.ok());
  int64_t out = 0;
  emu::LayerCounters c;
  const int64_t* p[] = {a.data(), b.data()};
  (*k)->Run(p, &out, c);
  EXPECT_EQ(out, -14);
  auto f = layers::MakeFloatKernel(s.node, s.inputs());
  ASSERT_TRUE(f.ok());
  const std::vector<double> fa = {1.5, -0.25, 2}, fb = {0.5, 0.75, -1.125};
  const double* fp[] = {fa.data(), fb.data()};
  double fout = 0;
  (*f)->Run(fp, &fout);
  EXPECT_EQ(fout, -1.6875);
}

TEST(DotTest, Errors) {
  DotSetup s = Make(4, "ap_fixed<8,3>", "ap_fixed<8,3>", "ap_fixed<16,6>", "ap_fixed<16,6>");
  s.b.shape = {2, 2};
  EXPECT_EQ(layers::InferShape(s.node, s.inputs()).message(),
            "layer 'd' (dot): input 'b' has shape [2,2]; dot takes two 1-D vectors (hls4ml's "
            "dot1d); flatten it first");
  s.b.shape = {5};
  EXPECT_EQ(layers::InferShape(s.node, s.inputs()).message(),
            "layer 'd' (dot): input 'b' has shape [5] but input 'a' has shape [4]; dot needs two "
            "vectors of one length");
  EXPECT_EQ(layers::InferShape(s.node, {&s.a, &s.b, &s.a}).message(),
            "layer 'd' (dot): expects exactly 2 inputs, got 3");
}

TEST(DotTest, AutoPrecision) {
  // n = 5: ceil(log2 5) = 3; W = 8 + 6 + 3, I = 3 + 2 + 3.
  DotSetup s = Make(5, "ap_fixed<8,3>", "ap_ufixed<6,2>", "ap_fixed<16,6>", "ap_fixed<16,6>");
  PrecisionContext ctx{Type("ap_fixed<16,6>"), std::nullopt};
  for (const char* slot : {"result", "accum"}) {
    auto t = layers::InferPrecision(s.node, s.inputs(), slot, ctx);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(FormatFixedType(*t), "ap_fixed<17,8>");
  }
  ctx.max_precision = Type("ap_fixed<12,4>");
  auto t = layers::InferPrecision(s.node, s.inputs(), "result", ctx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatFixedType(*t), "ap_fixed<12,4>");
}

}  // namespace
}  // namespace firmnet::layers
