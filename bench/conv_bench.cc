// Single-core throughput of the emulator's convolutions at hls4ml's default ap_fixed<16,6>
// (bit-exact, the int64 engine's int32 vector form) and float64, on a CNN-sized layer:
// conv2d 32x32x16 -> 32 filters 3x3, same padding, and depthwise_conv2d 32x32x32 3x3. Inputs are
// ReLU outputs (about half zeros). Prints items_per_second = inferences per second; MACs per
// inference in the label (for a comparison with torch: bench/ has no torch, compare by hand).
//   build/bin/conv_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "firmnet/emu/emulator.h"
#include "firmnet/layers/layer.h"

namespace {

using firmnet::LayerKind;
namespace ir = firmnet::ir;

ir::Graph ConvGraph(LayerKind kind, int64_t hw, int64_t c_in, int64_t last) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 0.3);
  const auto type = *firmnet::ParseFixedType("ap_fixed<16,6>");
  ir::Graph g;
  ir::Node in;
  in.name = "x";
  in.kind = LayerKind::kInput;
  in.shape = {hw, hw, c_in};
  in.precision["result"] = type;
  g.AddNode(in);
  ir::Node c;
  c.name = "conv";
  c.kind = kind;
  c.inputs = {"x"};
  const bool dw = kind == LayerKind::kDepthwiseConv2D;
  ir::Tensor w{{3, 3, c_in, last}, {}}, b{{dw ? c_in * last : last}, {}};
  for (int64_t i = 0; i < 9 * c_in * last; ++i) w.data.push_back(normal(rng));
  for (int64_t i = 0; i < b.shape[0]; ++i) b.data.push_back(normal(rng));
  c.weights = {{"weight", w}, {"bias", b}};
  c.attrs["strides"] = std::vector<int64_t>{1, 1};
  c.attrs["pads"] = std::vector<int64_t>{1, 1, 1, 1};
  for (const char* slot : {"result", "weight", "bias", "accum"}) c.precision[slot] = type;
  (void)firmnet::layers::InferShape(c, {&g.nodes[0]});
  g.AddNode(c);
  g.outputs = {"conv"};
  return g;
}

template <typename Emu>
void Run(benchmark::State& state, LayerKind kind, int64_t hw, int64_t c_in, int64_t last) {
  const ir::Graph g = ConvGraph(kind, hw, c_in, last);
  auto emu = Emu::Create(g);
  if (!emu.ok()) return state.SkipWithError(emu.status().message().c_str());
  constexpr int64_t kRows = 64;
  const int64_t n_in = hw * hw * c_in;
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> x(kRows * n_in);
  for (double& v : x) v = std::max(0.0, normal(rng));
  std::vector<double> out(static_cast<size_t>(firmnet::ir::NumElements(g.nodes[1].shape)));
  int64_t r = 0;
  for (auto _ : state) {
    (*emu)->RunOne(x.data() + (r++ % kRows) * n_in, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  const int64_t macs =
      hw * hw * 9 * (kind == LayerKind::kDepthwiseConv2D ? c_in * last : c_in * last);
  state.SetLabel(std::to_string(macs) + " MACs");
}

// The kernel alone, on raw int64 values (no input quantization, no output conversion).
void RunKernel(benchmark::State& state, LayerKind kind, int64_t hw, int64_t c_in, int64_t last) {
  const ir::Graph g = ConvGraph(kind, hw, c_in, last);
  auto k = firmnet::layers::MakeKernel<int64_t>(g.nodes[1], {&g.nodes[0]});
  if (!k.ok()) return state.SkipWithError(k.status().message().c_str());
  const int64_t n_in = hw * hw * c_in;
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal(0.0, 1024.0);  // raw, 10 fractional bits
  std::vector<int64_t> x(n_in);
  for (int64_t& v : x) v = std::max<int64_t>(0, static_cast<int64_t>(normal(rng)));
  std::vector<int64_t> out(static_cast<size_t>(firmnet::ir::NumElements(g.nodes[1].shape)));
  firmnet::emu::LayerCounters c;
  const int64_t* ptrs[] = {x.data()};
  for (auto _ : state) {
    (*k)->Run(ptrs, out.data(), c);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Conv2DKernel(benchmark::State& s) { RunKernel(s, LayerKind::kConv2D, 32, 16, 32); }
void BM_DepthwiseConv2DKernel(benchmark::State& s) {
  RunKernel(s, LayerKind::kDepthwiseConv2D, 32, 32, 1);
}
BENCHMARK(BM_Conv2DKernel);
BENCHMARK(BM_DepthwiseConv2DKernel);

void BM_Conv2DBitExact(benchmark::State& s) {
  Run<firmnet::emu::Emulator>(s, LayerKind::kConv2D, 32, 16, 32);
}
void BM_Conv2DFloat(benchmark::State& s) {
  Run<firmnet::emu::FloatEmulator>(s, LayerKind::kConv2D, 32, 16, 32);
}
void BM_DepthwiseConv2DBitExact(benchmark::State& s) {
  Run<firmnet::emu::Emulator>(s, LayerKind::kDepthwiseConv2D, 32, 32, 1);
}
void BM_DepthwiseConv2DFloat(benchmark::State& s) {
  Run<firmnet::emu::FloatEmulator>(s, LayerKind::kDepthwiseConv2D, 32, 32, 1);
}
BENCHMARK(BM_Conv2DBitExact);
BENCHMARK(BM_Conv2DFloat);
BENCHMARK(BM_DepthwiseConv2DBitExact);
BENCHMARK(BM_DepthwiseConv2DFloat);

}  // namespace

BENCHMARK_MAIN();
