// The Verilog backend, layer by layer: generated RTL is linted (verilator --lint-only -Wall, no
// warnings) and simulated under Verilator (or Icarus), every output compared bit for bit with
// the emulator. To keep the suite fast, each test puts many configurations side by side in one
// graph (one input, many output layers), so one Verilator build covers a whole grid.
#include <cmath>
#include <random>

#include "e2e_util.h"
#include "firmnet/backend/verilog/design.h"
#include "firmnet/backend/verilog/layer_emitter.h"
#include "firmnet/backend/verilog/simulate.h"

namespace firmnet::e2e {
namespace {

std::string Fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string List(const std::vector<double>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Fmt(v[i]);
  return s + "]";
}

// Loads graph text through the driver (shape inference, config defaults, verification).
// The Verilog backend builds only firmnet's tables: a graph that the config defaults resolve
// (one that leaves some slot out) gets `TableStyle: firmnet` from a config, a fully written one
// says `table_style=firmnet` on its table layers.
ir::Graph LoadText(const TempDir& tmp, const std::string& text) {
  const std::string path = tmp / "model.fnir";
  WriteText(path, text);
  auto g = Load(path);
  EXPECT_TRUE(g.ok()) << g.status().message();
  if (!g.ok()) return ir::Graph{};
  for (const ir::Node& n : g->nodes) {
    if (HasHls4mlTableStyle(n.kind) && n.settings.table_style == ir::TableStyle::kHls4ml) {
      const std::string cfg = tmp / "firmnet_tables.yml";
      WriteText(cfg, "Model:\n  TableStyle: firmnet\n");
      g = Load(path, "", cfg);
      EXPECT_TRUE(g.ok()) << g.status().message();
      return g.ok() ? *g : ir::Graph{};
    }
  }
  return *g;
}

// Writes the project, lints it and simulates `x`; every sample must match the emulator.
verilog::SimResult BuildLintSimulate(const TempDir& tmp, const ir::Graph& g, const emu::Batch& x,
                                     const std::string& simulator = "verilator") {
  auto project = verilog::BuildProject(g, "dut");
  EXPECT_TRUE(project.ok()) << project.status().message();
  if (!project.ok()) return {};
  const std::string dir = tmp / "rtl";
  fs::create_directories(dir);
  for (const auto& [file, text] : project->files) WriteText(dir + "/" + file, text);
  Status lint = verilog::Lint(dir);
  EXPECT_TRUE(lint.ok()) << lint.message();
  verilog::SimOptions o;
  o.dir = dir;
  o.simulator = simulator;
  auto r = verilog::Simulate(o, g, x);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return {};
  EXPECT_EQ(r->failed, 0) << r->first_mismatch;
  EXPECT_EQ(r->passed, x.rows);
  EXPECT_EQ(r->latency, project->info.latency) << "measured latency differs from the design's";
  EXPECT_EQ(r->ii, project->info.ii);
  return *r;
}

// Rows of `cols` values: first every raw value of `t` in column 0 (the others random), then
// random values in the type's range and a little beyond.
emu::Batch Samples(const FixedType& t, int cols, int random_rows, uint32_t seed) {
  std::mt19937 rng(seed);
  const double lo = t.MinValue(), hi = t.MaxValue();
  std::uniform_real_distribution<double> u(lo - (hi - lo) / 8, hi + (hi - lo) / 8);
  emu::Batch b;
  b.cols = cols;
  const int64_t levels = int64_t{1} << t.width;
  for (int64_t k = 0; k < levels + random_rows; ++k) {
    for (int c = 0; c < cols; ++c) {
      if (c == 0 && k < levels) {
        b.data.push_back(lo + static_cast<double>(k) * t.Lsb());
      } else {
        b.data.push_back(u(rng));
      }
    }
    ++b.rows;
  }
  return b;
}

const char* kRoundings[] = {"AP_TRN",         "AP_TRN_ZERO", "AP_RND",     "AP_RND_ZERO",
                            "AP_RND_MIN_INF", "AP_RND_INF",  "AP_RND_CONV"};

// Every rounding and overflow mode (with and without AP_WRAP saturation bits), signed and
// unsigned targets, and grids finer, coarser and shifted past the source: each a linear layer.
TEST(VerilogLayersTool, CastGrid) {
  TempDir tmp;
  std::string text = "graph casts {\n  %x = input() shape=[2] precision{result=ap_fixed<8,3>}\n";
  std::vector<std::string> types;
  for (const char* q : kRoundings) {
    for (const char* o : {"AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM"}) {
      types.push_back(std::string("ap_fixed<5,1,") + q + "," + o + ">");
      types.push_back(std::string("ap_ufixed<4,1,") + q + "," + o + ">");
    }
    types.push_back(std::string("ap_fixed<5,1,") + q + ",AP_WRAP,1>");
    types.push_back(std::string("ap_ufixed<4,1,") + q + ",AP_WRAP,2>");
  }
  for (const char* t : {"ap_fixed<12,6>", "ap_fixed<4,6,AP_RND,AP_SAT>",
                        "ap_fixed<6,-1,AP_RND_CONV,AP_SAT_SYM>", "ap_ufixed<3,5,AP_RND_INF>",
                        "ap_fixed<1,1,AP_RND,AP_SAT>", "ap_fixed<8,3,AP_RND,AP_SAT_SYM>"}) {
    types.push_back(t);
  }
  std::string outputs;
  for (size_t k = 0; k < types.size(); ++k) {
    const std::string name = "c" + std::to_string(k);
    text += "  %" + name + " = linear(%x) shape=[2] precision{result=" + types[k] + "}\n";
    outputs += (k ? ", %" : "%") + name;
  }
  text += "  outputs " + outputs + "\n}\n";
  const ir::Graph g = LoadText(tmp, text);
  BuildLintSimulate(tmp, g, Samples(*ParseFixedType("ap_fixed<8,3>"), 2, 64, 1));
}

TEST(VerilogLayersTool, ElementwiseActivations) {
  TempDir tmp;
  const std::string text = R"(graph acts {
  %x = input() shape=[4] precision{result=ap_fixed<10,4>}
  %r1 = relu(%x) shape=[4] precision{result=ap_ufixed<8,3,AP_RND,AP_SAT>}
  %r2 = relu(%x) shape=[4] precision{result=ap_fixed<6,2>}
  %lr = leaky_relu(%x, alpha=0.1) shape=[4] precision{result=ap_fixed<10,4,AP_RND_CONV,AP_SAT>, param=ap_fixed<8,0,AP_RND>}
  %cl = clip(%x, min=-1.5, max=2.25) shape=[4] precision{result=ap_fixed<8,3,AP_RND,AP_SAT>, param=ap_fixed<8,4>}
  %c6 = clip(%x, min=0.0, max=6.0) shape=[4] precision{result=ap_ufixed<6,3>, param=ap_fixed<8,4>}
  %hs = hard_sigmoid(%x, alpha=0.2, beta=0.5) shape=[4] precision{result=ap_ufixed<8,1,AP_RND,AP_SAT>, param=ap_fixed<10,3,AP_RND>}
  %bn = batchnorm(%x) shape=[4] precision{result=ap_fixed<12,5,AP_RND,AP_SAT>, scale=ap_fixed<10,3>, bias=ap_fixed<10,3>}
    bias f64[4] = [0.5, -1.25, 0, 3.3]
    scale f64[4] = [1.5, 0, -0.7, 0.3]
  %li = linear(%x) shape=[4] precision{result=ap_fixed<6,2,AP_TRN_ZERO,AP_SAT_SYM>}
  %rs = reshape(%x, target_shape=[2, 2]) shape=[2,2] precision{result=ap_fixed<9,4,AP_RND_ZERO>}
  %bt = binary_tanh(%x) shape=[4] precision{result=ap_int<2>}
  %tt = ternary_tanh(%x) shape=[4] precision{result=ap_fixed<6,3,AP_RND,AP_SAT>}
  %q2 = batchnorm_quantized_tanh(%x, levels=2) shape=[4] precision{result=ap_int<2>}
    threshold f64[4] = [0.5, -1.25, 0, 40.5]
  %q3 = batchnorm_quantized_tanh(%x, levels=3) shape=[4] precision{result=ap_int<2>}
    threshold_hi f64[4] = [0.5, -1.25, 0, 3.3]
    threshold_lo f64[4] = [-0.5, -2.5, 0, -3.3]
  %btx = binary_tanh(%x, xnor=1) shape=[4] precision{result=ap_uint<1>}
  %q2x = batchnorm_quantized_tanh(%x, levels=2, xnor=1) shape=[4] precision{result=ap_uint<1>}
    threshold f64[4] = [0.5, -1.25, 0, 40.5]
  outputs %r1, %r2, %lr, %cl, %c6, %hs, %bn, %li, %rs, %bt, %tt, %q2, %q3, %btx, %q2x
}
)";
  const ir::Graph g = LoadText(tmp, text);
  BuildLintSimulate(tmp, g, Samples(*ParseFixedType("ap_fixed<10,4>"), 4, 256, 2));
}

// A dense on binary thresholds (-1/+1 inputs) with -1/0/+1 weights is built as XNOR-popcount
// (two popcounts of sign bits): with a bias and an accumulator that holds every sum, and one
// whose accumulator is too narrow (the ordinary adder tree, wrapping), both bit-exact.
TEST(VerilogLayersTool, BinaryDensePopcount) {
  TempDir tmp;
  const std::string text = R"(graph popcount {
  %x = input() shape=[6] precision{result=ap_fixed<8,3>}
  %t = batchnorm_quantized_tanh(%x, levels=2) shape=[6] precision{result=ap_int<2>}
    threshold f64[6] = [0, 0.5, -0.25, 1, -1, 0.125]
  %d = dense(%t) shape=[3] precision{result=ap_fixed<8,5>, weight=ap_int<2>, bias=ap_fixed<6,3>, accum=ap_fixed<10,6>}
    weight f64[6,3] = [1, -1, 0, -1, -1, 1, 1, 1, 0, 1, -1, -1, -1, 1, 1, 1, 0, -1]
    bias f64[3] = [0.5, -2.25, 0]
  %n = dense(%t) shape=[2] precision{result=ap_int<3>, weight=ap_int<2>, bias=ap_int<2>, accum=ap_int<3>}
    weight f64[6,2] = [1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 1, -1]
    bias f64[2] = [1, 0]
  outputs %d, %n
}
)";
  const ir::Graph g = LoadText(tmp, text);
  BuildLintSimulate(tmp, g, Samples(*ParseFixedType("ap_fixed<8,3>"), 6, 256, 5));
  // The popcount form is what was built: its sign-bit taps ("ng") feed the sums.
  EXPECT_NE(ReadText(tmp / "rtl/dut.v").find("ng_"), std::string::npos);
}

// QKeras quantized_po2 kernels: hls4ml's shift product, truncating in ap_fixed<2(4+3), 4+3>
// (po2_weight_bits=4 on an ap_ufixed<3,1> input), then negated: bit-exact with the emulator.
TEST(VerilogLayersTool, Po2WeightsShiftAsHls4mlDoes) {
  TempDir tmp;
  const std::string text = R"(graph po2 {
  %x = input() shape=[4] precision{result=ap_ufixed<3,1,AP_RND_CONV,AP_SAT>}
  %d = dense(%x, po2_weight_bits=4) shape=[3] precision{result=ap_fixed<12,4>, weight=ap_fixed<10,2>, bias=ap_fixed<6,2>, accum=ap_fixed<14,5>}
    weight f64[4,3] = [0.00390625, -0.0078125, 0.015625, -0.03125, 0.0625, -0.125, 0.25, -0.5, 1, -1, 0.5, -0.00390625]
    bias f64[3] = [0, 0.25, -0.25]
  outputs %d
}
)";
  const ir::Graph g = LoadText(tmp, text);
  BuildLintSimulate(tmp, g, Samples(*ParseFixedType("ap_ufixed<3,1>"), 4, 64, 6));
}

// Dense layers: the default types (modular tree), saturating/rounding accumulators (ordered
// chain), rounding with a wrapping accumulator, zero weights and an all-zero column, an unsigned
// input, and the three Multiplier choices on the same weights.
TEST(VerilogLayersTool, DenseGrid) {
  TempDir tmp;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  auto weights = [&](int n_in, int n_out, double zero_fraction) {
    std::vector<double> w;
    std::uniform_real_distribution<double> z(0, 1);
    for (int k = 0; k < n_in * n_out; ++k) w.push_back(z(rng) < zero_fraction ? 0.0 : u(rng));
    return w;
  };
  auto bias = [&](int n) {
    std::vector<double> b;
    for (int k = 0; k < n; ++k) b.push_back(u(rng));
    return b;
  };
  auto dense = [&](const std::string& name, const std::string& in, int n_in, int n_out,
                   const std::string& types, std::vector<double> w) {
    return "  %" + name + " = dense(%" + in + ") shape=[" + std::to_string(n_out) + "] precision{" +
           types + "}\n    bias f64[" + std::to_string(n_out) + "] = " + List(bias(n_out)) +
           "\n    weight f64[" + std::to_string(n_in) + "," + std::to_string(n_out) +
           "] = " + List(w) + "\n";
  };
  std::vector<double> shared = weights(6, 5, 0.3);
  std::vector<double> zero_col = weights(6, 4, 0.5);
  for (int i = 0; i < 6; ++i) zero_col[i * 4 + 2] = 0.0;  // output 2 is its bias alone
  std::string text = "graph dense {\n  %x = input() shape=[6] precision{result=ap_fixed<8,3>}\n";
  text += dense(
      "d_default", "x", 6, 5,
      "result=ap_fixed<16,6>, weight=ap_fixed<16,6>, bias=ap_fixed<16,6>, accum=ap_fixed<16,6>",
      shared);
  text += dense(
      "d_lut", "x", 6, 5,
      "result=ap_fixed<16,6>, weight=ap_fixed<16,6>, bias=ap_fixed<16,6>, accum=ap_fixed<16,6>",
      shared);
  text += dense(
      "d_dsp", "x", 6, 5,
      "result=ap_fixed<16,6>, weight=ap_fixed<16,6>, bias=ap_fixed<16,6>, accum=ap_fixed<16,6>",
      shared);
  text += dense(
      "d_sat", "x", 6, 5,
      "result=ap_fixed<8,3,AP_RND_CONV,AP_SAT_SYM>, weight=ap_fixed<8,2>, bias=ap_fixed<8,2>, "
      "accum=ap_fixed<10,3,AP_RND,AP_SAT>",
      weights(6, 5, 0.2));
  text += dense("d_zero", "x", 6, 4,
                "result=ap_fixed<6,2,AP_TRN,AP_WRAP,1>, weight=ap_fixed<6,2>, bias=ap_fixed<6,2>, "
                "accum=ap_fixed<10,4,AP_RND_CONV>",
                zero_col);
  text += dense("d_rndzero", "x", 6, 3,
                "result=ap_fixed<10,4>, weight=ap_fixed<9,2,AP_RND>, bias=ap_fixed<8,3>, "
                "accum=ap_fixed<12,4,AP_RND_ZERO>",
                weights(6, 3, 0.0));
  text += "  %r = relu(%x) shape=[6] precision{result=ap_ufixed<7,3>}\n";
  text += dense("d_unsigned", "r", 6, 3,
                "result=ap_fixed<12,5,AP_RND,AP_SAT>, weight=ap_fixed<8,2>, bias=ap_fixed<8,2>, "
                "accum=ap_fixed<14,6,AP_TRN_ZERO,AP_SAT_ZERO>",
                weights(6, 3, 0.1));
  text += "  outputs %d_default, %d_lut, %d_dsp, %d_sat, %d_zero, %d_rndzero, %d_unsigned\n}\n";
  ir::Graph g = LoadText(tmp, text);
  g.Find("d_lut")->settings.multiplier = ir::Multiplier::kLut;
  g.Find("d_dsp")->settings.multiplier = ir::Multiplier::kDsp;
  BuildLintSimulate(tmp, g, Samples(*ParseFixedType("ap_fixed<8,3>"), 6, 300, 4));
}

// ReuseFactor > 1: time-multiplexed multipliers with weight ROMs (II = the largest R), with
// wrapping and saturating accumulators, zero weights, R dividing n_in (one output per
// multiplier) and not (multipliers shared between outputs across phases), and two reused layers
// in sequence; %l multiplies in LUTs (Multiplier: lut).
TEST(VerilogLayersTool, DenseReuse) {
  TempDir tmp;
  std::mt19937 rng(6);
  std::uniform_real_distribution<double> u(-2.0, 2.0), z(0, 1);
  auto list = [&](int n, double zero_fraction) {
    std::vector<double> v;
    for (int k = 0; k < n; ++k) v.push_back(z(rng) < zero_fraction ? 0.0 : u(rng));
    return List(v);
  };
  const std::string text =
      "graph reuse {\n  %x = input() shape=[6] precision{result=ap_fixed<8,3>}\n"
      "  %a = dense(%x) shape=[4] reuse=8 precision{result=ap_fixed<10,4>, weight=ap_fixed<8,2>, "
      "bias=ap_fixed<8,2>, accum=ap_fixed<14,5>}\n    bias f64[4] = " +
      list(4, 0) + "\n    weight f64[6,4] = " + list(24, 0.3) +
      "\n  %b = dense(%x) shape=[3] reuse=2 precision{result=ap_fixed<8,3,AP_RND,AP_SAT>, "
      "weight=ap_fixed<8,2>, bias=ap_fixed<8,2>, accum=ap_fixed<10,3,AP_RND_CONV,AP_SAT>}\n"
      "    bias f64[3] = " +
      list(3, 0) + "\n    weight f64[6,3] = " + list(18, 0.2) +
      "\n  %e = dense(%x) shape=[3] reuse=9 precision{result=ap_fixed<8,3,AP_RND_ZERO,AP_SAT>, "
      "weight=ap_fixed<8,2>, bias=ap_fixed<8,2>, accum=ap_fixed<9,3,AP_RND_INF,AP_SAT_SYM>}\n"
      "    bias f64[3] = " +
      list(3, 0) + "\n    weight f64[6,3] = " + list(18, 0.2) +
      "\n  %f = dense(%x) shape=[2] reuse=3 precision{result=ap_fixed<12,5>, weight=ap_fixed<8,2>, "
      "bias=ap_fixed<8,2>, accum=ap_fixed<16,6>}\n    bias f64[2] = " +
      list(2, 0) + "\n    weight f64[6,2] = " + list(12, 0.1) +
      "\n  %r = relu(%a) shape=[4] precision{result=ap_ufixed<8,3>}\n"
      "  %c = dense(%r) shape=[2] reuse=4 precision{result=ap_fixed<12,5>, weight=ap_fixed<8,2>, "
      "bias=ap_fixed<8,2>, accum=ap_fixed<16,6,AP_RND>}\n    bias f64[2] = " +
      list(2, 0) + "\n    weight f64[4,2] = " + list(8, 0.25) +
      "\n  %l = dense(%x) shape=[3] reuse=2 multiplier=lut precision{result=ap_fixed<8,3,AP_RND,"
      "AP_SAT>, weight=ap_fixed<8,2>, bias=ap_fixed<8,2>, "
      "accum=ap_fixed<10,3,AP_RND_CONV,AP_SAT>}\n"
      "    bias f64[3] = " +
      list(3, 0) + "\n    weight f64[6,3] = " + list(18, 0.2) +
      "\n  outputs %b, %c, %e, %f, %l\n}\n";
  const ir::Graph g = LoadText(tmp, text);
  const verilog::SimResult r =
      BuildLintSimulate(tmp, g, Samples(*ParseFixedType("ap_fixed<8,3>"), 6, 200, 7));
  EXPECT_EQ(r.ii, 9);
}

// Softmax. Exact sums (s1, s2, s4, s5) bound the sum's leading one to a few positions: one read
// of the inverse ROM per position, the ROM laid out for rounding by its address (s1, s2; s5 with
// positions below the table's bits, so zero-padded addresses) or plain (s4). A saturating sum
// (s3) goes through the normalizer in front of a single read. s6 and s7 build E_j * 1/S in
// LUTs (Multiplier: lut) instead of DSPs.
TEST(VerilogLayersTool, Softmax) {
  TempDir tmp;
  const std::string text = R"(graph sm {
  %x = input() shape=[5] precision{result=ap_fixed<10,4>}
  %s1 = softmax(%x, axis=-1) shape=[5] table_style=firmnet
  %s2 = softmax(%x, axis=-1) shape=[5] table_style=firmnet table_size=64 precision{result=ap_fixed<12,2,AP_RND,AP_SAT>, exp_table=ap_ufixed<10,1,AP_RND,AP_SAT>, inv_table=ap_ufixed<10,1,AP_RND,AP_SAT>, accum=ap_ufixed<16,4,AP_RND,AP_SAT>}
  %s3 = softmax(%x, axis=-1) shape=[5] table_style=firmnet table_size=100 precision{result=ap_fixed<16,6>, exp_table=ap_ufixed<8,1,AP_RND,AP_SAT>, inv_table=ap_ufixed<12,1,AP_RND,AP_SAT>, accum=ap_ufixed<9,2,AP_TRN,AP_SAT>}
  %s4 = softmax(%x, axis=-1) shape=[5] table_style=firmnet table_size=4096 precision{result=ap_fixed<12,2,AP_RND,AP_SAT>, exp_table=ap_ufixed<8,1,AP_RND,AP_SAT>, inv_table=ap_ufixed<14,1,AP_RND,AP_SAT>, accum=ap_ufixed<12,5>}
  %s5 = softmax(%x, axis=-1) shape=[5] table_style=firmnet table_size=256 precision{result=ap_fixed<12,2,AP_RND,AP_SAT>, exp_table=ap_ufixed<8,1,AP_RND,AP_SAT>, inv_table=ap_ufixed<14,1,AP_RND,AP_SAT>, accum=ap_ufixed<12,5>}
  %s6 = softmax(%x, axis=-1) shape=[5] table_style=firmnet multiplier=lut
  %s7 = softmax(%x, axis=-1) shape=[5] table_style=firmnet table_size=100 multiplier=lut precision{result=ap_fixed<16,6>, exp_table=ap_ufixed<8,1,AP_RND,AP_SAT>, inv_table=ap_ufixed<12,1,AP_RND,AP_SAT>, accum=ap_ufixed<9,2,AP_TRN,AP_SAT>}
  outputs %s1, %s2, %s3, %s4, %s5, %s6, %s7
}
)";
  const ir::Graph g = LoadText(tmp, text);
  emu::Batch x = Samples(*ParseFixedType("ap_fixed<10,4>"), 5, 400, 5);
  // Rows with all-equal and nearly equal values too.
  for (int r = 0; r < 20; ++r) {
    for (int c = 0; c < 5; ++c) x.data.push_back(0.25 * r - 2 + (c == r % 5 ? 1.0 / 64 : 0));
    ++x.rows;
  }
  BuildLintSimulate(tmp, g, x);
}

// Table activations: ROMs with the emulator's entries, several table types and sizes, signed
// and unsigned inputs; softsign's product in DSPs and in LUTs (ss3).
TEST(VerilogLayersTool, TableActivations) {
  TempDir tmp;
  const std::string text = R"(graph tables {
  %x = input() shape=[3] precision{result=ap_fixed<10,4>}
  %sg = sigmoid(%x) shape=[3] table_style=firmnet
  %sg2 = sigmoid(%x) shape=[3] table_style=firmnet table_size=100 precision{result=ap_ufixed<8,0,AP_RND,AP_SAT>, table=ap_ufixed<10,0,AP_RND,AP_SAT>}
  %th = tanh(%x) shape=[3] table_style=firmnet table_size=256 precision{result=ap_fixed<8,1,AP_RND_CONV,AP_SAT>, table=ap_fixed<12,2,AP_RND,AP_SAT>}
  %sp = softplus(%x) shape=[3] table_style=firmnet table_size=64
  %el = elu(%x, alpha=1.5) shape=[3] table_style=firmnet table_size=128 precision{result=ap_fixed<12,4,AP_RND,AP_SAT>, table=ap_fixed<12,3,AP_RND,AP_SAT>, param=ap_fixed<8,2>}
  %r = relu(%x) shape=[3] precision{result=ap_ufixed<7,3>}
  %th2 = tanh(%r) shape=[3] table_style=firmnet table_size=32
  %el2 = elu(%r, alpha=1.0) shape=[3] table_style=firmnet
  %ss = softsign(%x) shape=[3] table_style=firmnet
  %ss2 = softsign(%r) shape=[3] table_style=firmnet table_size=50 precision{result=ap_fixed<9,1,AP_RND,AP_SAT>, table=ap_ufixed<10,1,AP_RND_CONV,AP_SAT>}
  %ss3 = softsign(%x) shape=[3] table_style=firmnet multiplier=lut
  outputs %sg, %sg2, %th, %sp, %el, %th2, %el2, %ss, %ss2, %ss3
}
)";
  const ir::Graph g = LoadText(tmp, text);
  BuildLintSimulate(tmp, g, Samples(*ParseFixedType("ap_fixed<10,4>"), 3, 200, 8));
}

// The torch-made test models (tests/models), end to end under Icarus: every model whose layers
// the backend supports is simulated; for the others the error must name the unsupported layer.
TEST(VerilogLayersTool, TestModelsUnderIcarus) {
  int simulated = 0;
  // The table activations in firmnet's style: the only one the Verilog backend builds.
  TempDir cfg_dir;
  const std::string cfg = cfg_dir / "firmnet_tables.yml";
  WriteText(cfg, "Model:\n  TableStyle: firmnet\n");
  for (const std::string& name : TestModelNames()) {
    SCOPED_TRACE(name);
    auto g = Load(TestModel(name), "", cfg);
    ASSERT_TRUE(g.ok()) << g.status().message();
    bool supported = true;
    for (const ir::Node& n : g->nodes) supported &= verilog::VerilogSupports(n.kind);
    if (!supported) {
      auto p = verilog::BuildProject(*g, "dut");
      ASSERT_FALSE(p.ok());
      EXPECT_EQ(p.status().code(), StatusCode::kUnimplemented);
      EXPECT_NE(p.status().message().find("verilog backend: layer '"), std::string::npos)
          << p.status().message();
      continue;
    }
    TempDir tmp;
    emu::Batch x = ReadBatch(TestModel(name, ".inputs.npy"));
    x.rows = std::min<int64_t>(x.rows, 24);
    x.data.resize(x.rows * x.cols);
    BuildLintSimulate(tmp, *g, x, "icarus");
    ++simulated;
  }
  EXPECT_GE(simulated, 3);
}

}  // namespace
}  // namespace firmnet::e2e
