// Single-core inference throughput of the emulator on the jet tagger (16->64->32->32->5, ReLU,
// softmax) at hls4ml's default ap_fixed<16,6>: bit-exact and float64. Prints items_per_second =
// inferences per second. Uses the hls4ml paper's KERAS_3layer from ../shared when present, and
// the project's own examples/jet_tagger otherwise.
//   build/bin/emulator_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "firmnet/driver/pipeline.h"
#include "firmnet/emu/emulator.h"

namespace {

firmnet::driver::ModelSource JetTagger() {
  const std::string shared = std::string(FIRMNET_SHARED_DIR) + "/example-models/keras/";
  if (std::filesystem::exists(shared + "KERAS_3layer.json")) {
    return {shared + "KERAS_3layer.json", shared + "KERAS_3layer_weights.h5", ""};
  }
  return {std::string(FIRMNET_SOURCE_DIR) + "/examples/jet_tagger/jet_tagger.onnx", "", ""};
}

std::vector<double> Inputs(int64_t rows, int64_t cols) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> x(rows * cols);
  for (double& v : x) v = normal(rng);
  return x;
}

constexpr int64_t kRows = 4096;

// Runs one inference per iteration of either emulator (both have Create, input_size, RunOne).
template <typename Emu>
void RunJetTagger(benchmark::State& state) {
  auto graph = firmnet::driver::LoadResolvedGraph(JetTagger());
  if (!graph.ok()) return state.SkipWithError(graph.status().message().c_str());
  auto emu = Emu::Create(*graph);
  if (!emu.ok()) return state.SkipWithError(emu.status().message().c_str());
  const int64_t n_in = (*emu)->input_size();
  const std::vector<double> x = Inputs(kRows, n_in);
  double out[64];
  int64_t r = 0;
  for (auto _ : state) {
    (*emu)->RunOne(x.data() + (r++ % kRows) * n_in, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  if constexpr (std::is_same_v<Emu, firmnet::emu::Emulator>) {
    state.SetLabel((*emu)->engine() == firmnet::emu::Engine::kInt64 ? "int64 engine"
                                                                    : "bigint engine");
  }
}

void BM_JetTaggerBitExact(benchmark::State& state) { RunJetTagger<firmnet::emu::Emulator>(state); }
BENCHMARK(BM_JetTaggerBitExact);

void BM_JetTaggerFloat(benchmark::State& state) {
  RunJetTagger<firmnet::emu::FloatEmulator>(state);
}
BENCHMARK(BM_JetTaggerFloat);

// The batch API (Emulator::Run) on 1 M rows, as `firmnet predict` and the Python module call
// it: input quantization, every layer, the outputs as doubles. One iteration is the whole batch.
void BM_JetTaggerBitExactBatch1M(benchmark::State& state) {
  auto graph = firmnet::driver::LoadResolvedGraph(JetTagger());
  if (!graph.ok()) return state.SkipWithError(graph.status().message().c_str());
  auto emu = firmnet::emu::Emulator::Create(*graph);
  if (!emu.ok()) return state.SkipWithError(emu.status().message().c_str());
  constexpr int64_t kBatchRows = int64_t{1} << 20;
  const int64_t n_in = (*emu)->input_size();
  const firmnet::emu::Batch batch{kBatchRows, n_in, Inputs(kBatchRows, n_in)};
  for (auto _ : state) {
    auto r = (*emu)->Run(batch);
    if (!r.ok()) return state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r->outputs[0].data.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatchRows);
}
BENCHMARK(BM_JetTaggerBitExactBatch1M)->Unit(benchmark::kMillisecond);

// The example CNNs of issue 14 (skipped when ../shared is absent): one bit-exact inference per
// iteration at ap_fixed<16,6>, and the float64 reference.
firmnet::driver::ModelSource SharedKeras(const std::string& name) {
  const std::string dir = std::string(FIRMNET_SHARED_DIR) + "/example-models/keras/";
  return {dir + name + ".json", dir + name + "_weights.h5", ""};
}

template <typename Emu>
void RunModel(benchmark::State& state, const firmnet::driver::ModelSource& src) {
  if (!std::filesystem::exists(src.model_path)) return state.SkipWithError("../shared is absent");
  auto graph = firmnet::driver::LoadResolvedGraph(src);
  if (!graph.ok()) return state.SkipWithError(graph.status().message().c_str());
  auto emu = Emu::Create(*graph);
  if (!emu.ok()) return state.SkipWithError(emu.status().message().c_str());
  const int64_t n_in = (*emu)->input_size();
  constexpr int64_t kCnnRows = 256;
  const std::vector<double> x = Inputs(kCnnRows, n_in);
  std::vector<double> out(size_t{1} << 16);  // more than any output of these models
  int64_t r = 0;
  for (auto _ : state) {
    (*emu)->RunOne(x.data() + (r++ % kCnnRows) * n_in, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Conv2dModelBitExact(benchmark::State& state) {
  RunModel<firmnet::emu::Emulator>(state, SharedKeras("KERAS_conv2d_model"));
}
BENCHMARK(BM_Conv2dModelBitExact);
void BM_Conv2dModelFloat(benchmark::State& state) {
  RunModel<firmnet::emu::FloatEmulator>(state, SharedKeras("KERAS_conv2d_model"));
}
BENCHMARK(BM_Conv2dModelFloat);
void BM_JetTaggerConv2dBitExact(benchmark::State& state) {
  RunModel<firmnet::emu::Emulator>(state, SharedKeras("jetTagger_Conv2D_Small"));
}
BENCHMARK(BM_JetTaggerConv2dBitExact);
void BM_JetTaggerConv2dFloat(benchmark::State& state) {
  RunModel<firmnet::emu::FloatEmulator>(state, SharedKeras("jetTagger_Conv2D_Small"));
}
BENCHMARK(BM_JetTaggerConv2dFloat);

}  // namespace

BENCHMARK_MAIN();
