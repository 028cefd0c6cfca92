// Helpers for the HLS backend's end-to-end suites: configs over the test grid, and writing plus
// C-simulating a project in a temporary directory, and quoting CLI arguments for the shell.
#pragma once

#include <string>
#include <vector>

#include "e2e_util.h"
#include "firmnet/backend/hls/csim.h"
#include "firmnet/backend/hls/project.h"
#include "firmnet/layers/dense/dense_reuse.h"

namespace firmnet::e2e {

// One point of the configuration grid (docs/hls_backend.md, "What is tested").
struct HlsProfile {
  std::string label;
  bool stream = false;
  std::string precision;  // Model-wide Precision
  bool resource = false;
  int reuse = 1;  // 0: n_in of each dense layer
  bool override_first_dense = false;
};

inline const std::vector<HlsProfile>& HlsProfiles() {
  static const std::vector<HlsProfile> kProfiles = {
      {"parallel_16_6_latency_r1", false, "ap_fixed<16,6>", false, 1, false},
      {"stream_8_3_resource_r2", true, "ap_fixed<8,3>", true, 2, false},
      {"parallel_16_6_rnd_sat_resource_rnin_override", false, "ap_fixed<16,6,AP_RND,AP_SAT>", true,
       0, true},
      {"stream_8_3_rndzero_sat_latency_r4_override", true, "ap_fixed<8,3,AP_RND_ZERO,AP_SAT>",
       false, 4, true},
      // Wider than 31 bits: the emulator's BigInt engine, 80-bit products in the C-sim.
      {"stream_40_12_rndconv_sat_resource_r4", true, "ap_fixed<40,12,AP_RND_CONV,AP_SAT>", true, 4,
       false},
      {"stream_16_6_latency_r1", true, "ap_fixed<16,6>", false, 1, false},
  };
  return kProfiles;
}

// A YAML config for `graph` (shaped, not yet configured) at this grid point. A ReuseFactor that
// is not valid for a dense layer falls back to 1 for that layer (the test grid asks for each
// value where it exists).
inline std::string HlsProfileConfig(const ir::Graph& graph, const HlsProfile& p) {
  std::string y = "IOType: " + std::string(p.stream ? "io_stream" : "io_parallel") + "\n";
  y += "Model:\n  Precision: " + p.precision +
       "\n  ReuseFactor: 1\n  Strategy: " + std::string(p.resource ? "Resource" : "Latency") + "\n";
  // The override points use firmnet's tables, the others hls4ml's (the default), so that every
  // model meets both table styles in both io types.
  if (p.override_first_dense) y += "  TableStyle: firmnet\n";
  // hls4ml's latency softmax at the streamed <8,3> Resource point, its legacy one at the <40,12>
  // point, its stable one elsewhere.
  if (p.stream && p.resource && !p.override_first_dense) {
    y += p.precision.find("<40,") != std::string::npos ? "  Implementation: legacy\n"
                                                       : "  Implementation: latency\n";
  }
  std::string layers;
  bool first = true;
  const bool narrow = p.precision.find("<8,") != std::string::npos;
  for (const ir::Node& n : graph.nodes) {
    // ReLU6's bound 6 does not fit <8,3>: layers with constants keep a wider "param" type.
    const bool has_param = n.kind == LayerKind::kClip || n.kind == LayerKind::kLeakyRelu ||
                           n.kind == LayerKind::kHardSigmoid || n.kind == LayerKind::kElu;
    if (narrow && has_param) {
      layers += "  '" + n.name + "':\n    Precision:\n      param: ap_fixed<12,5,AP_RND,AP_SAT>\n";
    }
    if (n.kind != LayerKind::kDense) continue;
    const ir::Tensor* w = n.Weight("weight");
    const int64_t n_in = w->shape[0], n_out = w->shape[1];
    const int want = p.reuse == 0 ? static_cast<int>(n_in) : p.reuse;
    const std::vector<int> valid = layers::ValidReuseFactors(n_in, n_out);
    const int r = std::find(valid.begin(), valid.end(), want) != valid.end() ? want : 1;
    layers += "  '" + n.name + "':\n    ReuseFactor: " + std::to_string(r) + "\n";
    if (p.override_first_dense && first) {
      layers +=
          "    Precision:\n      weight: ap_fixed<10,3,AP_RND_CONV,AP_SAT_SYM>\n"
          "      accum: ap_fixed<24,10,AP_RND,AP_SAT>\n"
          "      result: ap_fixed<12,5,AP_TRN_ZERO,AP_WRAP,2>\n";
    }
    first = false;
  }
  if (!layers.empty()) y += "LayerName:\n" + layers;
  return y;
}

// The small graphs (text IR) that the grid C-simulates for the graph-shaped parts of the backend:
// several inputs and outputs, branches, merges with 2 and 3 inputs, concatenation on several
// axes, a residual add, transpose, padding, cropping, upsampling (tests/models/hls_graphs).
inline std::vector<std::string> HlsGraphModels() {
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(SourceDir() / "tests/models/hls_graphs")) {
    if (e.path().extension() == ".fnir") paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// The torch-made CNNs (tests/models/cnn/*.onnx, make_cnn_models.py), sorted: C-simulated by the
// grid in both io types.
inline std::vector<std::string> CnnTestModels() {
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(SourceDir() / "tests/models/cnn")) {
    if (e.path().extension() == ".onnx") paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

struct HlsRun {
  backend::hls::CsimResult csim;
  int64_t samples = 0;
};

// Writes the project of `graph` into dir and C-simulates it; fails the test on any error.
inline void BuildAndCsim(const ir::Graph& graph, const std::string& dir, int64_t samples,
                         HlsRun* out) {
  backend::hls::HlsProjectOptions o;
  o.tb_samples = samples;
  auto files = backend::hls::GenerateHlsProject(graph, o);
  ASSERT_TRUE(files.ok()) << files.status().message();
  Status w = backend::hls::WriteFiles(*files, dir, /*force=*/true);
  ASSERT_TRUE(w.ok()) << w.message();
  backend::hls::CsimOptions c;
  c.project_dir = dir;
  c.hls_include = FIRMNET_HLS_INCLUDE;
  auto r = backend::hls::RunCsim(c);
  ASSERT_TRUE(r.ok()) << r.status().message();
  out->csim = *r;
  out->samples = samples;
}

}  // namespace firmnet::e2e
