// ns per multiply-accumulate of firmnet's ap_fixed headers in the loop shape of an hls4ml dense
// layer (64 inputs x 32 outputs, each product cast to the accumulator type, as hls4ml does).
// Variants: ap_fixed<16,6> throughout; a 40-bit accumulator (the usual wide accum_t, one limb);
// a 96-bit accumulator (two limbs: the int128 fast path); and AP_RND/AP_SAT on the accumulator.
// Goal (issue 3): <= 2 ns per MAC, against ~28 ns for the vendor's headers in hls4ml's C-sim.
#include <benchmark/benchmark.h>

#include <random>

#include "ap_fixed.h"

namespace {

constexpr int kIn = 64;
constexpr int kOut = 32;

template <class Data, class Weight, class Accum>
void DenseMac(benchmark::State& state) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> dist(-4.0, 4.0);
  Data x[kIn];
  Weight w[kIn * kOut];
  Accum b[kOut];
  for (auto& v : x) v = dist(rng);
  for (auto& v : w) v = dist(rng) / 4;
  for (auto& v : b) v = dist(rng);
  Data y[kOut];
  for (auto _ : state) {
    for (int o = 0; o < kOut; ++o) {
      Accum acc = b[o];
      for (int i = 0; i < kIn; ++i) {
        Accum p = x[i] * w[i * kOut + o];  // exact product, cast to accum_t
        acc += p;
      }
      y[o] = acc;
    }
    benchmark::DoNotOptimize(y);
    benchmark::ClobberMemory();
    x[0] = y[0];  // a data dependency between iterations
  }
  // Seconds per MAC, printed with an SI prefix (e.g. "1.3n" = 1.3 ns).
  state.counters["per_mac"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kIn * kOut,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

using D16 = ap_fixed<16, 6>;
BENCHMARK(DenseMac<D16, D16, D16>)->Name("dense64x32/ap_fixed<16,6>");
BENCHMARK(DenseMac<D16, D16, ap_fixed<40, 16>>)->Name("dense64x32/accum_ap_fixed<40,16>");
BENCHMARK(DenseMac<D16, D16, ap_fixed<96, 40>>)->Name("dense64x32/accum_ap_fixed<96,40>");
BENCHMARK(DenseMac<D16, D16, ap_fixed<24, 10, AP_RND, AP_SAT>>)
    ->Name("dense64x32/accum_ap_fixed<24,10,AP_RND,AP_SAT>");

}  // namespace

BENCHMARK_MAIN();
