// Wide fixed point against float, and the two bit-exact engines against each other.
//
// At ap_fixed<40,20> every data path type has 20 fractional bits, so the bit-exact emulator
// must track the float64 reference within 1e-4 on every test model. The one-string Precision
// rule leaves table slots at their defaults (18-bit tables, TableSize 1024: errors of a few
// 1e-3, docs/tables.md), which would not reach 1e-4, so the config widens them too:
//  - magnitude tables (sigmoid, tanh, softplus, elu): ap_fixed<40,8,AP_RND,AP_SAT>, 32 fractional
//    bits, so entry rounding is 1e-10; with TableSize 2^20 the step is 2^-15 (tail 33 ln 2 ~ 22.9
//    over 2^20 entries), so the index error is at most 2^-16 * slope (<= 1.6e-5);
//  - softmax exp/inverse tables ap_ufixed<32,1,AP_RND,AP_SAT> and accum ap_ufixed<40,8,...>:
//    the reciprocal's relative error is 2^-21;
//  - softsign's inverse table likewise ap_ufixed<32,1,AP_RND,AP_SAT>.
// Measured (firmnet compare): with only `Precision: ap_fixed<40,20>` the largest difference is
// 1.0e-2 (mlp_acts_a; act_tanh 4.3e-3); with this config it is 5.1e-5 (mlp_acts_a), the
// single-activation models 1.5e-5 or less.
#include <cmath>

#include "e2e_util.h"

namespace firmnet::e2e {
namespace {

// firmnet's tables: hls4ml's (the default) cover a fixed range in fixed steps, far from 1e-4.
constexpr const char* kWideConfig = R"(Model:
  Precision: ap_fixed<40,20>
  TableSize: 1048576
  TableStyle: firmnet
LayerType:
  Sigmoid: {Precision: {table: 'ap_fixed<40,8,AP_RND,AP_SAT>'}}
  TanH: {Precision: {table: 'ap_fixed<40,8,AP_RND,AP_SAT>'}}
  Softplus: {Precision: {table: 'ap_fixed<40,8,AP_RND,AP_SAT>'}}
  ELU: {Precision: {table: 'ap_fixed<40,8,AP_RND,AP_SAT>'}}
  Softsign: {Precision: {table: 'ap_ufixed<32,1,AP_RND,AP_SAT>'}}
  Softmax:
    Precision:
      exp_table: ap_ufixed<32,1,AP_RND,AP_SAT>
      inv_table: ap_ufixed<32,1,AP_RND,AP_SAT>
      accum: ap_ufixed<40,8,AP_RND,AP_SAT>
)";

TEST(WidePrecision, AgreesWithFloatWithin1e4OnEveryTestModel) {
  TempDir tmp;
  const std::string cfg = tmp / "wide.yml";
  WriteText(cfg, kWideConfig);
  for (const auto& name : TestModelNames()) {
    SCOPED_TRACE(name);
    auto g = Load(TestModel(name), "", cfg);
    ASSERT_TRUE(g.ok()) << g.status().message();
    EXPECT_EQ(emu::ChooseEngine(*g), emu::Engine::kBigInt);
    const emu::Batch in = ReadBatch(TestModel(name, ".inputs.npy"));
    auto fixed = emu::Emulator::Create(*g);
    ASSERT_TRUE(fixed.ok()) << fixed.status().message();
    EXPECT_EQ((*fixed)->engine(), emu::Engine::kBigInt);
    auto flt = emu::FloatEmulator::Create(*g);
    ASSERT_TRUE(flt.ok()) << flt.status().message();
    auto rf = (*fixed)->Run(in);
    ASSERT_TRUE(rf.ok()) << rf.status().message();
    auto rd = (*flt)->Run(in);
    ASSERT_TRUE(rd.ok()) << rd.status().message();
    ASSERT_EQ(rf->outputs.size(), 1u);
    ASSERT_EQ(rf->outputs[0].data.size(), rd->outputs[0].data.size());
    double worst = 0;
    for (size_t i = 0; i < rf->outputs[0].data.size(); ++i) {
      worst = std::max(worst, std::abs(rf->outputs[0].data[i] - rd->outputs[0].data[i]));
    }
    EXPECT_LE(worst, 1e-4);
    // Nothing may overflow at 20 integer bits; a wrap would make the agreement a fluke.
    for (const auto& l : rf->layers) {
      EXPECT_EQ(l.counters.wraps + l.counters.saturations, 0u) << l.name;
    }
  }
}

TEST(WidePrecision, DefaultPrecisionUsesInt64Engine) {
  auto g = Load(TestModel("mlp_relu_bn"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(emu::ChooseEngine(*g), emu::Engine::kInt64);
}

TEST(WidePrecision, Int64AndBigIntEnginesAgreeBitForBit) {
  for (const auto& name : TestModelNames()) {
    SCOPED_TRACE(name);
    auto g = Load(TestModel(name));  // built-in defaults: ap_fixed<16,6> data path
    ASSERT_TRUE(g.ok()) << g.status().message();
    const emu::Batch in = ReadBatch(TestModel(name, ".inputs.npy"));
    auto small = emu::Emulator::CreateWithEngine(*g, emu::Engine::kInt64);
    ASSERT_TRUE(small.ok()) << small.status().message();
    auto big = emu::Emulator::CreateWithEngine(*g, emu::Engine::kBigInt);
    ASSERT_TRUE(big.ok()) << big.status().message();
    EXPECT_EQ((*small)->engine(), emu::Engine::kInt64);
    EXPECT_EQ((*big)->engine(), emu::Engine::kBigInt);
    emu::RunOptions opt;
    opt.keep_raw = true;
    opt.trace = true;
    auto a = (*small)->Run(in, opt);
    ASSERT_TRUE(a.ok()) << a.status().message();
    auto b = (*big)->Run(in, opt);
    ASSERT_TRUE(b.ok()) << b.status().message();
    ASSERT_EQ(a->outputs.size(), b->outputs.size());
    for (size_t o = 0; o < a->outputs.size(); ++o) {
      EXPECT_EQ(a->outputs[o].data, b->outputs[o].data);
      EXPECT_TRUE(a->raw_outputs[o] == b->raw_outputs[o]);
    }
    // Every intermediate layer too, and the overflow counters.
    ASSERT_EQ(a->trace.size(), b->trace.size());
    for (const auto& [node, batch] : a->trace) {
      ASSERT_TRUE(b->trace.count(node)) << node;
      EXPECT_EQ(batch.data, b->trace.at(node).data) << node;
    }
    ASSERT_EQ(a->layers.size(), b->layers.size());
    for (size_t i = 0; i < a->layers.size(); ++i) {
      EXPECT_EQ(a->layers[i].counters.wraps, b->layers[i].counters.wraps) << a->layers[i].name;
      EXPECT_EQ(a->layers[i].counters.saturations, b->layers[i].counters.saturations)
          << a->layers[i].name;
    }
  }
}

}  // namespace
}  // namespace firmnet::e2e
