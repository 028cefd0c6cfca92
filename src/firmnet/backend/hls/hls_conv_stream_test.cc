// The convolutions' and pools' HLS layer library (runtime/fnet_conv.h, fnet_pool.h,
// fnet_window.h) against the emulator, io_parallel run() and io_stream run_stream() alike.
//
// A seeded grid of one-layer graphs (conv1d, conv2d, depthwise 1-D/2-D with multipliers 1..2,
// the eight pools; kernels 1..3 per axis, strides 1..2 and one larger than the kernel, pads
// valid / same / explicit, odd sizes, count_include_pad 0/1, Latency and Resource with valid
// ReuseFactors, narrow saturating and rounding types where the order of the additions matters)
// is emitted by each layer's facet (EmitHlsLayer), and one harness translation unit compiled
// with g++ feeds random raw inputs to run() and, pixel beat by pixel beat, to run_stream(). The
// harness checks that run_stream() consumes every beat and writes exactly out_h * out_w beats
// (reading an empty stream aborts the C-simulation), and the test compares every output with
// the emulator's, bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/backend/hls/hls_types.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/ir/parser.h"
#include "firmnet/ir/verifier.h"
#include "firmnet/layers/dense/dense_reuse.h"

namespace firmnet::backend::hls {
namespace {

constexpr int kRows = 12;

struct Case {
  std::string label;
  std::string text;  // the graph, text IR
};

std::string Ints(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

std::string Doubles(const std::vector<double>& v) {
  std::string s = "[";
  char buf[64];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.17g", v[i]);
    s += (i ? ", " : "") + std::string(buf);
  }
  return s + "]";
}

// The pads of one axis: valid, TensorFlow's same, or explicit (each below the kernel).
std::pair<int64_t, int64_t> Pads(std::mt19937& rng, int64_t in, int64_t k, int64_t s) {
  switch (rng() % 3) {
    case 0:
      return {0, 0};
    case 1: {
      const int64_t out = (in + s - 1) / s;
      const int64_t total = std::max<int64_t>((out - 1) * s + k - in, 0);
      return {total / 2, total - total / 2};
    }
    default:
      return {static_cast<int64_t>(rng() % k), static_cast<int64_t>(rng() % k)};
  }
}

template <class T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

// One random layer case of `kind`, or nothing when the drawn sizes do not fit.
std::optional<Case> MakeCase(std::mt19937& rng, LayerKind kind, int index) {
  const std::string id(LayerKindId(kind));
  const bool conv = kind == LayerKind::kConv1D || kind == LayerKind::kConv2D;
  const bool depthwise = kind == LayerKind::kDepthwiseConv1D || kind == LayerKind::kDepthwiseConv2D;
  const bool two_d = kind == LayerKind::kConv2D || kind == LayerKind::kDepthwiseConv2D ||
                     kind == LayerKind::kMaxPool2D || kind == LayerKind::kAvgPool2D ||
                     kind == LayerKind::kGlobalMaxPool2D || kind == LayerKind::kGlobalAvgPool2D;
  const bool global = kind == LayerKind::kGlobalMaxPool1D || kind == LayerKind::kGlobalMaxPool2D ||
                      kind == LayerKind::kGlobalAvgPool1D || kind == LayerKind::kGlobalAvgPool2D;
  const bool avg = kind == LayerKind::kAvgPool1D || kind == LayerKind::kAvgPool2D ||
                   kind == LayerKind::kGlobalAvgPool1D || kind == LayerKind::kGlobalAvgPool2D;
  const int64_t h = two_d ? 1 + rng() % 6 : 1, w = 1 + rng() % 8, c = 1 + rng() % 3;
  const int64_t kh = two_d ? 1 + rng() % 3 : 1, kw = 1 + rng() % 3;
  // Mostly 1 or 2; sometimes 3, beyond a kernel of 1 or 2.
  auto stride = [&rng]() -> int64_t { return rng() % 8 == 0 ? 3 : 1 + rng() % 2; };
  const int64_t sh = two_d ? stride() : 1, sw = stride();
  const auto [pt, pb] = two_d ? Pads(rng, h, kh, sh) : std::pair<int64_t, int64_t>{0, 0};
  const auto [pl, pr] = Pads(rng, w, kw, sw);
  if (!global && (kh > h + pt + pb || kw > w + pl + pr)) return std::nullopt;
  const int64_t oh = global ? 1 : (h + pt + pb - kh) / sh + 1;
  const int64_t ow = global ? 1 : (w + pl + pr - kw) / sw + 1;

  const std::string in_t = Pick<std::string>(
      rng, {"ap_fixed<10,4>", "ap_ufixed<8,3>", "ap_fixed<6,2,AP_RND,AP_SAT>", "ap_fixed<16,6>"});
  const std::string result_t =
      Pick<std::string>(rng, {"ap_fixed<10,4>", "ap_fixed<8,3,AP_RND_CONV,AP_SAT>",
                              "ap_fixed<12,5,AP_TRN,AP_WRAP>", "ap_ufixed<9,4,AP_RND,AP_SAT>"});
  std::string text = "graph g" + std::to_string(index) + " {\n";
  const std::vector<int64_t> in_shape =
      two_d ? std::vector<int64_t>{h, w, c} : std::vector<int64_t>{w, c};
  text += "  %x = input() shape=" + Ints(in_shape) + " precision{result=" + in_t + "}\n";
  std::string label = id + "_" + std::to_string(index) + "_in" + Ints(in_shape);
  std::vector<int64_t> strides = two_d ? std::vector<int64_t>{sh, sw} : std::vector<int64_t>{sw};
  std::vector<int64_t> pads =
      two_d ? std::vector<int64_t>{pt, pl, pb, pr} : std::vector<int64_t>{pl, pr};
  std::vector<int64_t> kernel = two_d ? std::vector<int64_t>{kh, kw} : std::vector<int64_t>{kw};
  label += "_k" + Ints(kernel) + "_s" + Ints(strides) + "_p" + Ints(pads);
  if (conv || depthwise) {
    const int64_t m = depthwise ? 1 + rng() % 2 : 1;
    const int64_t f = depthwise ? c * m : 1 + rng() % 4;
    const int64_t rows = depthwise ? kh * kw : kh * kw * c;
    const std::vector<int> valid = layers::ValidReuseFactors(rows, f);
    const int reuse = rng() % 2 ? 1 : Pick(rng, valid);
    const bool resource = rng() % 2;
    const std::string accum_t = Pick<std::string>(
        rng, {"ap_fixed<18,8>", "ap_fixed<11,4,AP_RND,AP_SAT>", "ap_fixed<12,3,AP_TRN,AP_WRAP>"});
    const std::vector<int64_t> out_shape =
        two_d ? std::vector<int64_t>{oh, ow, f} : std::vector<int64_t>{ow, f};
    text += "  %L = " + id + "(%x, strides=" + Ints(strides) + ", pads=" + Ints(pads) +
            ") shape=" + Ints(out_shape) + " reuse=" + std::to_string(reuse) +
            (resource ? " strategy=Resource" : "") + " precision{result=" + result_t +
            ", weight=ap_fixed<8,2>, bias=ap_fixed<8,3>, accum=" + accum_t + "}\n";
    std::vector<int64_t> wshape = kernel;
    wshape.push_back(c);
    wshape.push_back(depthwise ? m : f);
    std::uniform_real_distribution<double> d(-2.0, 2.0);
    std::vector<double> wv(rows * f), bv(f);
    for (double& v : wv) v = rng() % 4 == 0 ? 0.0 : d(rng);
    for (double& v : bv) v = d(rng);
    text += "    weight f64" + Ints(wshape) + " = " + Doubles(wv) + "\n";
    text += "    bias f64" + Ints({f}) + " = " + Doubles(bv) + "\n";
    label += (depthwise ? "_m" : "_f") + std::to_string(depthwise ? m : f) + "_r" +
             std::to_string(reuse) + (resource ? "_resource" : "_latency");
  } else {
    const std::string accum_t = Pick<std::string>(
        rng, {"ap_fixed<18,8>", "ap_fixed<9,4,AP_RND,AP_SAT>", "ap_fixed<12,6,AP_TRN,AP_WRAP>"});
    const std::vector<int64_t> out_shape =
        global ? std::vector<int64_t>{c}
               : (two_d ? std::vector<int64_t>{oh, ow, c} : std::vector<int64_t>{ow, c});
    text += "  %L = " + id + "(%x";
    if (!global) {
      text += ", pool_size=" + Ints(kernel) + ", strides=" + Ints(strides) + ", pads=" + Ints(pads);
      if (avg) {
        const int cp = rng() % 2;
        text += ", count_include_pad=" + std::to_string(cp);
        label += "_cip" + std::to_string(cp);
      }
    }
    text += ") shape=" + Ints(out_shape) + " precision{result=" + result_t + ", accum=" + accum_t +
            "}\n";
  }
  text += "  outputs %L\n}\n";
  return Case{label, text};
}

std::vector<Case> Cases() {
  std::mt19937 rng(20240614);
  std::vector<Case> cases;
  const std::pair<LayerKind, int> plan[] = {
      {LayerKind::kConv2D, 40},          {LayerKind::kConv1D, 16},
      {LayerKind::kDepthwiseConv2D, 16}, {LayerKind::kDepthwiseConv1D, 8},
      {LayerKind::kMaxPool2D, 14},       {LayerKind::kAvgPool2D, 16},
      {LayerKind::kMaxPool1D, 8},        {LayerKind::kAvgPool1D, 8},
      {LayerKind::kGlobalMaxPool1D, 3},  {LayerKind::kGlobalMaxPool2D, 3},
      {LayerKind::kGlobalAvgPool1D, 3},  {LayerKind::kGlobalAvgPool2D, 3}};
  for (const auto& [kind, n] : plan) {
    for (int made = 0, tries = 0; made < n && tries < 20 * n; ++tries) {
      auto c = MakeCase(rng, kind, static_cast<int>(cases.size()));
      if (!c) continue;
      cases.push_back(std::move(*c));
      ++made;
    }
  }
  return cases;
}

struct Prepared {
  std::string label;
  std::vector<int64_t> want;  // emulator raw outputs, kRows * n_out
  int64_t n_out = 0;
};

// Writes case k's config struct, arrays and runner into `code`; returns the expected outputs.
Prepared Prepare(const Case& c, int k, std::mt19937& rng, std::string& code) {
  Prepared p;
  p.label = c.label;
  auto parsed = ir::ParseGraph(c.text, c.label);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << c.text;
  if (!parsed.ok()) return p;
  const ir::Graph& g = *parsed;
  const Status verified = ir::VerifyGraph(g, ir::VerifyLevel::kResolved);
  EXPECT_TRUE(verified.ok()) << verified.ToString() << "\n" << c.text;
  if (!verified.ok()) return p;
  const ir::Node& in = g.nodes[0];
  const ir::Node& node = g.nodes[1];
  HlsLayerContext ctx{&g, &node, &in, "L"};
  auto e = EmitHlsLayer(ctx);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  if (!e.ok()) return p;
  EXPECT_TRUE(e->native_stream);

  const FixedType& in_t = in.Precision("result");
  const int64_t n_in = ir::NumElements(in.shape), n_out = ir::NumElements(node.shape);
  p.n_out = n_out;
  // Random raw inputs over the whole range of the input type.
  std::vector<int64_t> raw(kRows * n_in);
  const int64_t lo = in_t.is_signed ? -(int64_t{1} << (in_t.width - 1)) : 0;
  const int64_t span = int64_t{1} << in_t.width;
  emu::Batch batch{kRows, n_in, {}};
  for (int64_t& v : raw) {
    v = lo + static_cast<int64_t>(rng() % span);
    batch.data.push_back(std::ldexp(static_cast<double>(v), in_t.lsb_exponent()));
  }
  auto emulator = emu::Emulator::Create(g);
  EXPECT_TRUE(emulator.ok()) << emulator.status().ToString();
  if (!emulator.ok()) return p;
  emu::RunOptions ro;
  ro.keep_raw = true;
  auto result = (*emulator)->Run(batch, ro);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return p;
  for (const BigInt& v : result->raw_outputs[0]) p.want.push_back(v.ToInt64());

  const std::string ns = "c" + std::to_string(k);
  const int64_t ch_in = in.shape.back(), ch_out = node.shape.back();
  code += "// " + c.label + "\nnamespace " + ns + " {\nstruct config {\n";
  code += "  typedef " + CppType(in_t) + " in_t;\n";
  code += "  typedef " + CppType(node.Precision("result")) + " out_t;\n";
  code += "  " + ConstMember("n_in", n_in) + "\n  " + ConstMember("n_out", n_out) + "\n";
  for (const std::string& m : e->config_members) code += "  " + m + "\n";
  code += "};\n";
  std::string args;
  for (const ConstArray& a : e->arrays) {
    code += "static const config::" + a.raw_ctype_member + " " + a.name + "[" +
            std::to_string(a.raw.size()) + "] = {";
    for (size_t i = 0; i < a.raw.size(); ++i) code += (i ? "," : "") + RawLiteral(a.raw[i], a.type);
    code += "};\n";
    args += ", " + a.name;
  }
  code += "static const long long in_raw[" + std::to_string(raw.size()) + "] = {";
  for (size_t i = 0; i < raw.size(); ++i) code += (i ? "," : "") + std::to_string(raw[i]);
  code += "};\n";
  const std::string layer = e->library_struct + "<config>";
  code += "void run() {\n";
  code += "  for (int r = 0; r < " + std::to_string(kRows) + "; r++) {\n";
  code += "    config::in_t x[config::n_in];\n    config::out_t y[config::n_out];\n";
  code +=
      "    for (unsigned i = 0; i < config::n_in; i++) x[i] = "
      "fnet::from_raw<config::in_t>(in_raw[r * config::n_in + i]);\n";
  code += "    " + layer + "::run(x, y" + args + ");\n";
  code += "    print_row(\"P\", " + std::to_string(k) + ", r, y, config::n_out);\n";
  code += "    hls::stream<fnet::pixel<config::in_t, " + std::to_string(ch_in) + "> > xs;\n";
  code += "    hls::stream<fnet::pixel<config::out_t, " + std::to_string(ch_out) + "> > ys;\n";
  code += "    for (unsigned i = 0; i < config::n_in / " + std::to_string(ch_in) + "; i++) {\n";
  code += "      fnet::pixel<config::in_t, " + std::to_string(ch_in) + "> px;\n";
  code += "      for (unsigned j = 0; j < " + std::to_string(ch_in) + "; j++) px[j] = x[i * " +
          std::to_string(ch_in) + " + j];\n";
  code += "      xs.write(px);\n    }\n";
  code += "    " + layer + "::run_stream(xs, ys" + args + ");\n";
  code += "    if (!xs.empty()) std::printf(\"E " + std::to_string(k) +
          " input beats left: %d\\n\", (int)xs.size());\n";
  code += "    if (ys.size() != config::n_out / " + std::to_string(ch_out) + ") std::printf(\"E " +
          std::to_string(k) + " output beats: %d\\n\", (int)ys.size());\n";
  code += "    config::out_t z[config::n_out];\n";
  code += "    for (unsigned i = 0; i < config::n_out / " + std::to_string(ch_out) +
          " && !ys.empty(); i++) {\n";
  code += "      fnet::pixel<config::out_t, " + std::to_string(ch_out) + "> py = ys.read();\n";
  code += "      for (unsigned j = 0; j < " + std::to_string(ch_out) + "; j++) z[i * " +
          std::to_string(ch_out) + " + j] = py[j];\n    }\n";
  code += "    print_row(\"S\", " + std::to_string(k) + ", r, z, config::n_out);\n";
  code += "  }\n}\n}  // namespace " + ns + "\n\n";
  return p;
}

TEST(HlsConvStream, RunAndRunStreamMatchTheEmulatorOverAGrid) {
  const std::vector<Case> cases = Cases();
  ASSERT_GE(cases.size(), 120u);
  std::mt19937 rng(7);
  std::string code =
      "#include <cstdio>\n#include \"fnet_conv.h\"\n#include \"fnet_pool.h\"\n\n"
      "template <class T>\nvoid print_row(const char* tag, int k, int r, const T* y, unsigned n) "
      "{\n  std::printf(\"%s %d %d\", tag, k, r);\n  for (unsigned i = 0; i < n; i++) "
      "std::printf(\" %lld\", (long long)fnet::to_raw(y[i]).to_int64());\n  "
      "std::printf(\"\\n\");\n}\n\n";
  std::vector<Prepared> prepared;
  for (size_t k = 0; k < cases.size(); ++k) {
    prepared.push_back(Prepare(cases[k], static_cast<int>(k), rng, code));
  }
  code += "int main() {\n";
  for (size_t k = 0; k < cases.size(); ++k) code += "  c" + std::to_string(k) + "::run();\n";
  code += "  return 0;\n}\n";
  ASSERT_FALSE(HasFailure());

  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("fnet_conv_stream_" + std::to_string(static_cast<long long>(::getpid())));
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "harness.cpp") << code; }
  const std::string src = FIRMNET_SOURCE_DIR;
  const std::string cmd = "g++ -std=c++17 -O1 -w -I" + src + "/src/firmnet/backend/hls/runtime -I" +
                          src + "/hls/include " + (dir / "harness.cpp").string() + " -o " +
                          (dir / "harness").string() + " 2>&1 && " + (dir / "harness").string() +
                          " > " + (dir / "out.txt").string() + " 2>&1";
  const int rc = std::system(cmd.c_str());
  std::ifstream out(dir / "out.txt");
  std::stringstream all;
  all << out.rdbuf();
  ASSERT_EQ(rc, 0) << all.str().substr(0, 4000) << "\n(harness in " << dir << ")";

  std::map<std::pair<char, int>, std::vector<int64_t>> got;  // (P|S, case) -> rows
  std::string line;
  std::istringstream lines(all.str());
  while (std::getline(lines, line)) {
    std::istringstream ls(line);
    std::string tag;
    int k = 0, r = 0;
    ls >> tag >> k;
    if (tag == "E") {
      ADD_FAILURE() << cases[k].label << ": " << line;
      continue;
    }
    ls >> r;
    std::vector<int64_t>& v = got[{tag[0], k}];
    for (long long x; ls >> x;) v.push_back(x);
  }
  int failures = 0;
  for (size_t k = 0; k < cases.size(); ++k) {
    for (char tag : {'P', 'S'}) {
      const std::vector<int64_t>& v = got[{tag, static_cast<int>(k)}];
      if (v != prepared[k].want && failures++ < 10) {
        ADD_FAILURE() << (tag == 'P' ? "run()" : "run_stream()")
                      << " differs from the emulator: " << cases[k].label << "\n"
                      << cases[k].text;
      }
    }
  }
  EXPECT_EQ(failures, 0);
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace firmnet::backend::hls
