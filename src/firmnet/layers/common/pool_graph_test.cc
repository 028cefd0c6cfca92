// A graph through the emulator: input -> zero_pad2d -> max_pool2d -> upsampling2d ->
// global_avg_pool2d, written in text IR, run by emu::Emulator (both engines) and
// emu::FloatEmulator, against the same steps computed here with explicit casts.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "firmnet/emu/emulator.h"
#include "firmnet/ir/parser.h"
#include "firmnet/ir/verifier.h"

namespace firmnet {
namespace {

constexpr char kGraph[] = R"txt(graph pools {
  %x = input() shape=[5,5,2] precision{result=ap_fixed<10,4>}
  %pad = zero_pad2d(%x, pads=[1,1,1,1]) shape=[7,7,2] precision{result=ap_fixed<10,4>}
  %mp = max_pool2d(%pad, pool_size=[2,2], strides=[2,2]) shape=[3,3,2] precision{result=ap_fixed<9,3,AP_RND,AP_SAT>, accum=ap_fixed<10,4>}
  %up = upsampling2d(%mp, size=[2,2]) shape=[6,6,2] precision{result=ap_fixed<9,3,AP_RND,AP_SAT>}
  %gap = global_avg_pool2d(%up) shape=[2] precision{result=ap_fixed<8,2,AP_RND,AP_SAT>, accum=ap_fixed<13,7>}
  outputs %gap
}
)txt";

FixedType T(const char* s) { return *ParseFixedType(s); }

// The graph's arithmetic, step by step, on one sample (raw values).
std::vector<BigInt> Reference(const std::vector<double>& sample) {
  const FixedType in_t = T("ap_fixed<10,4>"), mp_acc = T("ap_fixed<10,4>");
  const FixedType mp_t = T("ap_fixed<9,3,AP_RND,AP_SAT>"), gap_acc = T("ap_fixed<13,7>");
  const FixedType gap_t = T("ap_fixed<8,2,AP_RND,AP_SAT>");
  // Input quantization and zero padding: padded[7][7][2].
  BigInt padded[7][7][2];
  for (int64_t h = 0; h < 5; ++h) {
    for (int64_t w = 0; w < 5; ++w) {
      for (int64_t c = 0; c < 2; ++c) {
        padded[h + 1][w + 1][c] = QuantizeDouble(sample[(h * 5 + w) * 2 + c], in_t);
      }
    }
  }
  // Max pool 2x2 / 2 over 7x7 -> 3x3 (the last row and column are not read); through accum_t.
  BigInt pooled[3][3][2];
  for (int64_t oh = 0; oh < 3; ++oh) {
    for (int64_t ow = 0; ow < 3; ++ow) {
      for (int64_t c = 0; c < 2; ++c) {
        BigInt m = padded[2 * oh][2 * ow][c];
        for (int64_t a = 0; a < 2; ++a) {
          for (int64_t b = 0; b < 2; ++b) m = std::max(m, padded[2 * oh + a][2 * ow + b][c]);
        }
        const BigInt acc = Cast(m, in_t.lsb_exponent(), mp_acc);
        pooled[oh][ow][c] = Cast(acc, mp_acc.lsb_exponent(), mp_t);
      }
    }
  }
  // Upsampling by 2 then global average: each pooled value appears 4 times, in row-major order
  // of the 6x6 map; acc = (accum_t)(acc + x) each time, then acc / 36 toward zero.
  std::vector<BigInt> out;
  for (int64_t c = 0; c < 2; ++c) {
    BigInt acc(0);
    const int shift = mp_t.lsb_exponent() - gap_acc.lsb_exponent();  // 2^-6 onto 2^-6: 0
    for (int64_t h = 0; h < 6; ++h) {
      for (int64_t w = 0; w < 6; ++w) {
        acc = Cast(acc + (pooled[h / 2][w / 2][c] << shift), gap_acc.lsb_exponent(), gap_acc);
      }
    }
    acc = BigInt::FromInt128(acc.ToInt128() / 36);
    out.push_back(Cast(acc, gap_acc.lsb_exponent(), gap_t));
  }
  return out;
}

TEST(PoolGraphTest, EmulatorRunsTheChainBitExactly) {
  auto g = ir::ParseGraph(kGraph, "pool_graph_test");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const Status verified = ir::VerifyGraph(*g, ir::VerifyLevel::kResolved);
  ASSERT_TRUE(verified.ok()) << verified.ToString();

  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> d(-9.0, 9.0);  // some inputs overflow ap_fixed<10,4>
  const int64_t rows = 20;
  emu::Batch batch{rows, 50, {}};
  for (int64_t i = 0; i < rows * 50; ++i) batch.data.push_back(d(rng));

  std::vector<std::vector<BigInt>> want;
  for (int64_t r = 0; r < rows; ++r) {
    want.push_back(Reference({batch.data.begin() + r * 50, batch.data.begin() + (r + 1) * 50}));
  }
  emu::RunOptions opt;
  opt.keep_raw = true;
  auto plain = emu::Emulator::Create(*g);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ((*plain)->engine(), emu::Engine::kInt64);
  for (auto engine : {emu::Engine::kInt64, emu::Engine::kBigInt}) {
    auto e = emu::Emulator::CreateWithEngine(*g, engine);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    auto r = (*e)->Run(batch, opt);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->raw_outputs[0].size(), static_cast<size_t>(rows * 2));
    for (int64_t row = 0; row < rows; ++row) {
      for (int c = 0; c < 2; ++c) {
        EXPECT_EQ(r->raw_outputs[0][row * 2 + c], want[row][c])
            << "engine " << static_cast<int>(engine) << " row " << row << " channel " << c;
      }
    }
  }

  // Float: the same chain in doubles, on the unquantized inputs.
  auto f = emu::FloatEmulator::Create(*g);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto fr = (*f)->Run(batch);
  ASSERT_TRUE(fr.ok()) << fr.status().ToString();
  for (int64_t row = 0; row < rows; ++row) {
    const double* x = batch.data.data() + row * 50;
    for (int c = 0; c < 2; ++c) {
      double sum = 0;
      for (int oh = 0; oh < 3; ++oh) {
        for (int ow = 0; ow < 3; ++ow) {
          double m = -1e300;
          for (int a = 0; a < 2; ++a) {
            for (int b = 0; b < 2; ++b) {
              const int h = 2 * oh + a - 1, w = 2 * ow + b - 1;  // padded coordinates
              const double v = (h < 0 || h >= 5 || w < 0 || w >= 5) ? 0.0 : x[(h * 5 + w) * 2 + c];
              m = std::max(m, v);
            }
          }
          sum += 4 * m;
        }
      }
      EXPECT_NEAR(fr->outputs[0].data[row * 2 + c], sum / 36, 1e-12) << row << " " << c;
    }
  }
}

TEST(PoolGraphTest, ShapeCheckNamesTheLayer) {
  std::string text = kGraph;
  text.replace(text.find("pool_size=[2,2]"), 15, "pool_size=[9,9]");
  auto g = ir::ParseGraph(text, "pool_graph_test");
  ASSERT_TRUE(g.ok());
  auto e = emu::Emulator::Create(*g);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(),
            "layer 'mp' (max_pool2d): pool_size [9,9] is larger than the padded input 7x7");
}

}  // namespace
}  // namespace firmnet
