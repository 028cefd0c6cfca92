// Unit tests of the Verilog generator that need no simulator: literals, CSD digits, the
// Multiplier rule, the bit-usage sink, the delay model, design.json round trip, determinism and
// errors.
// (Simulations against the emulator are in tests/e2e/verilog_*_tool_test.cc.)
#include <gtest/gtest.h>

#include "firmnet/backend/verilog/datapath.h"
#include "firmnet/backend/verilog/design.h"
#include "firmnet/backend/verilog/layer_emitter.h"
#include "firmnet/backend/verilog/vast.h"
#include "firmnet/ir/parser.h"

namespace firmnet::verilog {
namespace {

TEST(VerilogVast, LiteralsAreSizedHexModuloWidth) {
  EXPECT_EQ(Literal(BigInt(-3), 8), "8'shfd");
  EXPECT_EQ(Literal(BigInt(-128), 8), "8'sh80");
  EXPECT_EQ(Literal(BigInt(5), 3), "3'sh5");
  EXPECT_EQ(Literal(BigInt(1), 1), "1'sh1");
  EXPECT_EQ(UnsignedLiteral(10, 4), "4'ha");
}

TEST(VerilogVast, UnreadBitsGoToOneSink) {
  Module m("t");
  m.AddPort(PortDir::kInput, "a", 8);
  m.AddPort(PortDir::kOutput, "y", 3);
  m.Assign("y", m.Slice("a", 5, 3));
  const std::string text = m.Print();
  EXPECT_NE(text.find("assign unused_bits = &{1'b0, a[2:0], a[7:6]};"), std::string::npos) << text;
  EXPECT_NE(text.find("assign y = a[5:3];"), std::string::npos) << text;
}

TEST(VerilogDatapath, CsdDigitsAreCanonical) {
  for (int v = -2000; v <= 2000; ++v) {
    const std::vector<CsdDigit> d = CsdDigits(BigInt(v));
    int64_t sum = 0;
    for (size_t k = 0; k < d.size(); ++k) {
      sum += (d[k].negative ? -1 : 1) * (int64_t{1} << d[k].shift);
      if (k) {
        EXPECT_GE(d[k].shift, d[k - 1].shift + 2) << v;  // no two adjacent nonzero digits
      }
    }
    EXPECT_EQ(sum, v);
  }
  EXPECT_EQ(CsdDigits(BigInt(7)).size(), 2u);  // 8 - 1
  EXPECT_TRUE(CsdDigits(BigInt(0)).empty());
}

TEST(VerilogDatapath, MultiplierRule) {
  EXPECT_FALSE(UseDsp(ir::Multiplier::kAuto, BigInt(0b10101)));   // 3 digits: shift-and-add
  EXPECT_TRUE(UseDsp(ir::Multiplier::kAuto, BigInt(0b1010101)));  // 4 digits: a DSP
  EXPECT_FALSE(UseDsp(ir::Multiplier::kLut, BigInt(0b1010101)));
  EXPECT_TRUE(UseDsp(ir::Multiplier::kDsp, BigInt(3)));
  EXPECT_FALSE(UseDsp(ir::Multiplier::kDsp, BigInt(-8)));  // a power of two is wiring
}

ir::Graph Small(const std::string& act) {
  const std::string text =
      "graph g {\n  %x = input() shape=[3] precision{result=ap_fixed<8,3>}\n"
      "  %d = dense(%x) shape=[2] precision{result=ap_fixed<10,4>, weight=ap_fixed<8,2>, "
      "bias=ap_fixed<8,2>, accum=ap_fixed<14,5>}\n    bias f64[2] = [0.5, -0.25]\n"
      "    weight f64[3,2] = [0.5, -0.75, 0, 1.25, 0.2, -1.5]\n"
      "  %a = " +
      act + "(%d) shape=[2]\n  outputs %a\n}\n";
  auto g = ir::ParseGraph(text);
  EXPECT_TRUE(g.ok()) << g.status().message();
  return *g;
}

TEST(VerilogDesign, DeterministicWithPortMapAndDesignJson) {
  ir::Graph g = Small("relu");
  for (ir::Node& n : g.nodes) {
    if (n.kind == LayerKind::kRelu) n.precision["result"] = *ParseFixedType("ap_ufixed<6,3>");
  }
  auto a = BuildProject(g, "top");
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto b = BuildProject(g, "top");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->files, b->files);
  EXPECT_TRUE(a->files.count("top.v"));
  EXPECT_TRUE(a->files.count("top.fnir"));
  const std::string& readme = a->files.at("README.md");
  EXPECT_NE(readme.find("| in_data | x | 2 | [23:16] | `ap_fixed<8,3>` |"), std::string::npos)
      << readme;
  EXPECT_NE(readme.find("| out_data | a | 1 | [11:6] | `ap_ufixed<6,3>` |"), std::string::npos)
      << readme;
  auto d = ParseDesignJson(a->files.at("design.json"), "design.json");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->top, "top");
  EXPECT_EQ(d->in_width, 24);
  EXPECT_EQ(d->out_width, 12);
  EXPECT_EQ(d->latency, a->info.latency);
  EXPECT_EQ(d->ii, 1);
  EXPECT_FALSE(d->handshake);
  EXPECT_EQ(DesignJson(*d), a->files.at("design.json"));
  // No SystemVerilog constructs.
  const std::string& v = a->files.at("top.v");
  for (const char* sv : {"\n  logic ", " logic [", "always_ff", "always_comb", "'0", "\n  int ",
                         "typedef", "interface"}) {
    EXPECT_EQ(v.find(sv), std::string::npos) << sv;
  }
}

TEST(VerilogDatapath, StageTimingComesFromThePartFamily) {
  auto us = StageTiming::For("xcku115-flvb2104-2-i", 5.0);
  ASSERT_TRUE(us.ok()) << us.status().message();
  EXPECT_DOUBLE_EQ(us->budget, 5.0 - 0.40 - 0.05);  // report/xilinx_part.cc, xcu
  EXPECT_DOUBLE_EQ(us->dsp_comb, 3.20);
  EXPECT_EQ(us->dsp_a, 27);
  auto s7 = StageTiming::For("xc7a200t-fbg676-2", 10.0);
  ASSERT_TRUE(s7.ok());
  EXPECT_DOUBLE_EQ(s7->budget, 10.0 - 0.45 - 0.05);
  EXPECT_EQ(s7->dsp_a, 25);
  // ROMs as Yosys maps them: 64 entries one LUT, 1024 entries 2 LUT and 4 MUXF levels.
  EXPECT_DOUBLE_EQ(us->Rom(6), us->lut);
  EXPECT_DOUBLE_EQ(us->Rom(10), 2 * us->lut + 4 * us->muxf);
  EXPECT_DOUBLE_EQ(us->Dsp(18, 27), us->dsp_comb);  // one slice
  EXPECT_GT(us->Dsp(26, 19), us->dsp_comb);         // two slices and an adder
  auto bad = StageTiming::For("ep4sgx230", 5.0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("config key Part: --part 'ep4sgx230'"), std::string::npos)
      << bad.status().message();
}

// n signed input ports a0, a1... of `width` bits, as signals valid at the start of cycle 0.
std::vector<Signal> InputPorts(Module& m, Datapath& dp, int n, int width) {
  std::vector<Signal> ports;
  for (int k = 0; k < n; ++k) {
    m.AddPort(PortDir::kInput, "a" + std::to_string(k), width);
    ports.push_back(dp.FromWire("a" + std::to_string(k), width, true, 0, 0, 0));
  }
  return ports;
}

TEST(VerilogDatapath, AdderTreesRippleOnce) {
  // Eight 20-bit inputs from registers: three adder levels. Each level costs a LUT and a carry
  // entry; the carry ripple of the widest adder is paid once, not once per level.
  Module m("t");
  StageTiming t = *StageTiming::For("xcku115-flvb2104-2-i", 100.0);
  Datapath dp(m, t);
  const std::vector<Signal> terms = InputPorts(m, dp, 8, 20);
  const Signal sum = dp.SumTree(terms);
  EXPECT_EQ(sum.width, 23);
  EXPECT_EQ(sum.cycle, 0);
  EXPECT_NEAR(sum.delay, 3 * t.CarryIn() + t.Ripple(23), 1e-9);
  EXPECT_NEAR(sum.base, 3 * t.CarryIn(), 1e-9);
  // A comparison needs the whole chain; a DSP needs every input bit.
  const Signal lt = dp.Less(sum, terms[0]);
  EXPECT_NEAR(lt.delay, sum.delay + t.CarryIn(), 1e-9);
  EXPECT_EQ(lt.base, lt.delay);
  const Signal p = dp.MulConst(terms[0], BigInt(12345), 0, /*use_dsp=*/true);
  EXPECT_NEAR(p.delay, t.dsp_comb, 1e-9);
}

TEST(VerilogDatapath, SumTreeAddsLateTermsLast) {
  // Three terms straight from registers and a DSP product: the three are summed while the
  // product settles, which then costs one adder, not the two of a balanced tree.
  Module m("t");
  StageTiming t = *StageTiming::For("xcku115-flvb2104-2-i", 100.0);
  Datapath dp(m, t);
  std::vector<Signal> terms = InputPorts(m, dp, 4, 16);
  terms[0] = dp.MulConst(terms[0], BigInt(12345), 0, /*use_dsp=*/true);
  const Signal sum = dp.SumTree(terms);
  EXPECT_NEAR(sum.delay, t.dsp_comb + t.CarryIn() + t.Ripple(sum.width), 0.2);
  EXPECT_LT(sum.delay, t.dsp_comb + 2 * t.CarryIn());
  // A constant joins the earliest term.
  const Signal c = Datapath::Const(BigInt(3), 4, false, 0);
  const Signal with_c = dp.SumTree({terms[0], terms[1], c});
  EXPECT_NEAR(with_c.delay, t.dsp_comb + t.CarryIn() + t.Ripple(with_c.width), 0.2);
}

TEST(VerilogDatapath, RomReadTakesAStageOfItsOwn) {
  Module m("t");
  StageTiming t = *StageTiming::For("xcku115-flvb2104-2-i", 5.0);
  Datapath dp(m, t);
  m.AddPort(PortDir::kInput, "a", 8);
  m.AddPort(PortDir::kInput, "b", 8);
  dp.SetValidSource("a");
  const Signal a = dp.FromWire("a", 8, false, 0, 0, 0);
  const Signal b = dp.FromWire("b", 8, false, 0, 0, 0);
  // Straight from a register: read in cycle 0, the whole data word registered into cycle 1,
  // where every use reads it.
  const Signal q0 = dp.Rom("rom", a, 8, 10, false, 0);
  EXPECT_EQ(q0.cycle, 1);
  EXPECT_EQ(q0.delay, 0);
  const Signal use = dp.Add(q0, b);
  EXPECT_EQ(use.cycle, 1);
  // An address computed by logic (1.3 ns, far from the budget) is registered first.
  const Signal addr = dp.Add(a, b);
  ASSERT_EQ(addr.cycle, 0);
  const Signal q1 = dp.Rom("rom", addr, 9, 10, false, 0);
  EXPECT_EQ(q1.cycle, 2);
  const std::string v = m.Print();
  EXPECT_NE(v.find(".addr(" + addr.name + "_c1"), std::string::npos) << v;
  EXPECT_NE(v.find(q1.name + " <= "), std::string::npos) << v;
}

TEST(VerilogDatapath, LongDelaysArriveFromShiftRegisters) {
  // A value delayed by three cycles or more leaves a shift register (SRL) in synthesis: it
  // arrives later in its stage than one from a flip-flop.
  Module m("t");
  StageTiming t = *StageTiming::For("xcku115-flvb2104-2-i", 5.0);
  Datapath dp(m, t);
  const Signal a = InputPorts(m, dp, 2, 8)[0];
  dp.SetValidSource("a0");
  EXPECT_EQ(dp.At(a, 2).delay, 0);
  const double late = t.srl_clk_to_q - t.ff_clk_to_q;
  ASSERT_GT(late, 0);
  EXPECT_DOUBLE_EQ(dp.At(a, 3).delay, late);
  EXPECT_DOUBLE_EQ(dp.Arrival(a, 5), late);
  // An operation on it in cycle 5 starts that late.
  const Signal b = dp.FromWire("a1", 8, true, 0, 5, 0);
  const Signal sum = dp.Add(a, b);
  EXPECT_EQ(sum.cycle, 5);
  EXPECT_NEAR(sum.delay, late + t.CarryIn() + t.Ripple(sum.width), 1e-9);
}

TEST(VerilogDatapath, RegistersWhereTheBudgetEnds) {
  Module m("t");
  StageTiming t = *StageTiming::For("xcku115-flvb2104-2-i", 5.0);
  Datapath dp(m, t);
  const std::vector<Signal> in = InputPorts(m, dp, 2, 16);
  dp.SetValidSource("a0");
  const Signal &a = in[0], &b = in[1];
  Signal x = dp.Mul(a, b);  // 3.2 ns: fits the 4.55 ns stage
  EXPECT_EQ(x.cycle, 0);
  Signal y = dp.Add(x, a);  // 3.2 + 0.85 + ripple: still fits
  EXPECT_EQ(y.cycle, 0);
  EXPECT_LE(y.delay, t.budget);
  // y (33 bits) is wider than a slice's 27-bit port: two DSPs on chunks of y, started in the
  // next cycle (after y's 4.2 ns a DSP would end past the budget); their sum would end past it
  // too (3.2 + 0.85 + a 50-bit ripple), so it takes a third cycle.
  Signal z = dp.Mul(y, b);
  EXPECT_EQ(z.cycle, 2);
  EXPECT_LE(z.delay, t.budget);
  EXPECT_EQ(dp.counts().dsp_variable, 2);
  const std::string v = m.Print();
  size_t products = 0;
  for (size_t at = v.find(") * $signed("); at != std::string::npos;
       at = v.find(") * $signed(", at + 1))
    ++products;
  EXPECT_EQ(products, 3u) << v;  // x, and z's two slices
}

TEST(VerilogDesign, ErrorsNameTheProblem) {
  ir::Graph g = Small("relu");
  ir::Graph altera = g;
  altera.settings.part = "ep4sgx230";
  auto bad_part = BuildProject(altera, "top");
  ASSERT_FALSE(bad_part.ok());
  EXPECT_NE(bad_part.status().message().find("config key Part"), std::string::npos);
  auto bad_name = BuildProject(g, "my-top");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find("'my-top' is not a Verilog identifier"),
            std::string::npos);
  if (!VerilogSupports(LayerKind::kSoftsign)) {
    ir::Graph s = Small("softsign");
    for (ir::Node& n : s.nodes) {
      if (n.kind == LayerKind::kSoftsign) {
        n.precision["result"] = *ParseFixedType("ap_fixed<16,6>");
        n.precision["table"] = *ParseFixedType("ap_ufixed<18,1,AP_RND,AP_SAT>");
      }
    }
    auto p = BuildProject(s, "top");
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().message(), "verilog backend: layer 'a' (softsign) is not supported");
  }
}

}  // namespace
}  // namespace firmnet::verilog
