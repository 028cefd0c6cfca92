// The table design (common/table.h) and the measured error of every table activation against
// float with the default settings and input ap_fixed<16,6>, over all 65536 inputs. The numbers
// printed here are the ones in docs/tables.md.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "firmnet/layers/common/table.h"
#include "firmnet/layers/common/test_util.h"
#include "firmnet/layers/elu/elu.h"
#include "firmnet/layers/sigmoid/sigmoid.h"
#include "firmnet/layers/softplus/softplus.h"
#include "firmnet/layers/softsign/softsign.h"
#include "firmnet/layers/tanh/tanh.h"

namespace firmnet::layers {
namespace {

using testing::MakeSetup;
using testing::RunRaw;

TEST(TablePlanTest, StepAdaptsToTailAndInput) {
  const FixedType t18 = testing::Type("ap_fixed<18,8,AP_RND,AP_SAT>");
  auto id = [](double a) { return a; };
  // Tail 11 ln2 = 7.62: 1024 entries need step 2^-7; input lsb 2^-10, so shift 3.
  auto a = common::BuildMagnitudeTable(-10, BigInt(32768), common::ExpTail(10), 1024, t18, id);
  EXPECT_EQ(a.step_exponent, -7);
  EXPECT_EQ(a.shift, 3);
  EXPECT_EQ(a.size, 1024);
  EXPECT_EQ(a.Index(int64_t{0}), 0);
  EXPECT_EQ(a.Index(int64_t{3}), 0);  // 3/8 rounds down
  EXPECT_EQ(a.Index(int64_t{4}), 1);  // 4/8 = half: ties go up
  EXPECT_EQ(a.Index(int64_t{1027}), 128);
  EXPECT_EQ(a.Index(int64_t{32768}), 1023);  // clamped
  EXPECT_EQ(a.Index(BigInt(1028)), 129);
  // A coarse input (lsb 2^-3) is indexed exactly, and the table stops at the largest |x| (16).
  auto b = common::BuildMagnitudeTable(-3, BigInt(128), common::ExpTail(10), 1024, t18, id);
  EXPECT_EQ(b.shift, 0);
  EXPECT_EQ(b.size, 129);
  EXPECT_EQ(b.Index(int64_t{77}), 77);
  // A small table gets a coarser step; a non-power-of-two size works the same way.
  auto c = common::BuildMagnitudeTable(-10, BigInt(32768), common::ExpTail(10), 100, t18, id);
  EXPECT_EQ(c.step_exponent, -3);  // 100 * 2^-4 = 6.25 < 7.62 <= 100 * 2^-3
  EXPECT_EQ(c.size, 100);
  EXPECT_EQ(c.entries[5], BigInt(int64_t{5} * 128));  // f(5 * 2^-3) = 0.625 = 640 at 2^-10
}

TEST(TablePlanTest, InverseTableIndex) {
  const FixedType t = testing::Type("ap_ufixed<18,1,AP_RND,AP_SAT>");
  auto inv = common::BuildInverseTable(1024, t);
  EXPECT_EQ(inv.bits, 10);
  ASSERT_EQ(inv.entries.size(), 1025u);
  EXPECT_EQ(inv.entries[0], BigInt(131072));    // 1.0
  EXPECT_EQ(inv.entries[1024], BigInt(65536));  // 0.5
  int p = 0;
  EXPECT_EQ(inv.Index(int64_t{1}, &p), 0);
  EXPECT_EQ(p, 0);
  EXPECT_EQ(inv.Index(int64_t{3}, &p), 512);  // 3 = 2^1 * 1.5 exactly
  EXPECT_EQ(p, 1);
  // 179291 = 2^17 * 1.3679: j = 48219, (48219 + 64) >> 7 = 377.
  EXPECT_EQ(inv.Index(int64_t{179291}, &p), 377);
  EXPECT_EQ(p, 17);
  EXPECT_EQ(inv.Index(int64_t{(1 << 20) - 1}, &p), 1024);  // rounds up to the entry for 2.0
  EXPECT_EQ(inv.Index(BigInt::PowerOfTwo(200) + BigInt::PowerOfTwo(199), &p), 512);
  EXPECT_EQ(p, 200);
  auto one = common::BuildInverseTable(1, t);
  EXPECT_EQ(one.bits, 0);
  EXPECT_EQ(one.entries.size(), 2u);
}

// Sigmoid with defaults: table ap_fixed<18,8,AP_RND,AP_SAT> (lsb 2^-10), step 2^-7, index
// (|x| + 4) >> 3 on the raw ap_fixed<16,6> input.
TEST(SigmoidTest, HandComputed) {
  auto s = MakeSetup(LayerKind::kSigmoid, "ap_fixed<16,6>", 1);
  // 1024 (1.0) -> index 128 -> Q(sigmoid(1) * 1024 = 748.6) = 749; -1024 -> 1024 - 749 = 275;
  // 1027 -> index 128 -> 749; 1028 -> index 129 -> Q(sigmoid(1.0078125) * 1024 = 750.2) = 750;
  // 0 -> 512; -32768 (-32) -> index 1023 (sigmoid(7.99) * 1024 = 1023.66 -> 1024) -> 0.
  auto y = RunRaw<LayerKind::kSigmoid, int64_t>(s, {1024, -1024, 1027, 1028, 0, -32768});
  EXPECT_EQ(y, (std::vector<int64_t>{749, 275, 749, 750, 512, 0}));
  // The result type's rules apply to the final cast: 1.0 does not fit ap_fixed<8,1,AP_TRN,AP_SAT>.
  auto r = MakeSetup(LayerKind::kSigmoid, "ap_fixed<16,6>", 1,
                     {{"result", "ap_fixed<8,1,AP_TRN,AP_SAT>"}});
  emu::LayerCounters c;
  auto yr = RunRaw<LayerKind::kSigmoid, int64_t>(r, {32767, 1024}, &c);
  EXPECT_EQ(yr, (std::vector<int64_t>{127, 93}));  // 749/1024 = 0.7314 -> 93.6 -> 93 (TRN)
  EXPECT_EQ(c.saturations, 1u);
}

TEST(TanhTest, HandComputed) {
  auto s = MakeSetup(LayerKind::kTanh, "ap_fixed<16,6>", 1);
  // Tail (12 ln2)/2 = 4.16 > 1024 * 2^-8, so the step is 2^-7: index (|x| + 4) >> 3.
  // 512 (0.5) -> 64 -> Q(tanh(0.5) * 1024 = 473.2) = 473; -512 -> -473; 515 -> 64;
  // 516 -> 65 -> Q(tanh(0.5078125) * 1024 = 479.48) = 479.
  auto y = RunRaw<LayerKind::kTanh, int64_t>(s, {512, -512, 515, 516});
  EXPECT_EQ(y, (std::vector<int64_t>{473, -473, 473, 479}));
}

template <LayerKind K>
double MaxError(const std::map<std::string, ir::AttrValue>& attrs) {
  auto s = MakeSetup(K, "ap_fixed<16,6>", 1, {}, attrs);
  const FixedType in = s.in.Precision("result");
  const FixedType out = s.node.Precision("result");
  std::vector<int64_t> x = testing::AllRaw(in);
  std::vector<double> xf;
  xf.reserve(x.size());
  for (int64_t v : x) xf.push_back(ToDouble(v, in));
  emu::LayerCounters c;
  auto y = RunRaw<K, int64_t>(s, x, &c);
  auto yf = testing::RunFloat<K>(s, xf);
  EXPECT_EQ(c.wraps + c.saturations, 0u);
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i)
    worst = std::max(worst, std::abs(ToDouble(y[i], out) - yf[i]));
  std::printf("%s: max |fixed - float| over all ap_fixed<16,6> inputs = %.4g (%.2f result LSB)\n",
              std::string(LayerKindId(K)).c_str(), worst, worst / out.Lsb());
  return worst;
}

// Bounds, with lsb 2^-10 for input, table and result (defaults): half an index step times the
// largest slope, plus half a table LSB, plus the flat tail (< half a table LSB), plus the result
// cast when it drops bits.
TEST(TableErrorTest, MeasuredAgainstFloat) {
  const double q = std::ldexp(1, -11);  // half an LSB of the table and of the result
  // sigmoid: slope <= 1/4, step 2^-7: 2^-10 + q + q.
  EXPECT_LE(MaxError<LayerKind::kSigmoid>({}), std::ldexp(1, -10) + 2 * q);
  // tanh: slope <= 1, step 2^-7: 2^-8 + q + q.
  EXPECT_LE(MaxError<LayerKind::kTanh>({}), std::ldexp(1, -8) + 2 * q);
  // softplus: log(1 + e^-a) has slope <= 1/2, step 2^-7: 2^-9 + q + q.
  EXPECT_LE(MaxError<LayerKind::kSoftplus>({}), std::ldexp(1, -9) + 2 * q);
  // elu (alpha = 1): slope <= 1, step 2^-7: 2^-8 + q + q.
  EXPECT_LE(MaxError<LayerKind::kElu>({{"alpha", 1.0}}), std::ldexp(1, -8) + 2 * q);
  // softsign: reciprocal relative error 2^-11 + 2^-17 (index, entry), |y| < 1, then the
  // truncating cast to the result (2^-10).
  EXPECT_LE(MaxError<LayerKind::kSoftsign>({}),
            std::ldexp(1, -11) + std::ldexp(1, -17) + std::ldexp(1, -10));
}

}  // namespace
}  // namespace firmnet::layers
