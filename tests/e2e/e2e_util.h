// Helpers shared by the end-to-end suites: model lists, sample files, temporary directories and
// running the firmnet CLI as a child process.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/driver/pipeline.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/io/samples.h"

namespace firmnet::e2e {

namespace fs = std::filesystem;

inline fs::path SourceDir() { return fs::path(FIRMNET_SOURCE_DIR); }
inline fs::path SharedDir() { return fs::path(FIRMNET_SHARED_DIR); }
inline fs::path ExampleModels() { return SharedDir() / "example-models"; }
inline bool HaveExampleModels() { return fs::is_directory(ExampleModels()); }

// The MLPs among the example models, relative to ExampleModels() (weights: the Keras .h5, ""
// for ONNX); every suite that runs "all example MLPs" takes this one list.
struct ExampleMlp {
  std::string model;
  std::string weights;
};
inline const std::vector<ExampleMlp>& ExampleMlps() {
  static const std::vector<ExampleMlp> kMlps = {
      {"onnx/three_layer_keras.onnx", ""},
      {"onnx/three_layer_pytorch.onnx", ""},
      {"onnx/two_layer_keras.onnx", ""},
      {"onnx/two_layer_pytorch.onnx", ""},
      {"onnx/three_layer_bn_keras.onnx", ""},
      {"onnx/three_layer_bn_pytorch.onnx", ""},
      {"onnx/dense_big_keras.onnx", ""},
      {"keras/KERAS_3layer.json", "keras/KERAS_3layer_weights.h5"},
      {"keras/KERAS_3layer.json", "keras/KERAS_3layer_70pruned_retrained_weights.h5"},
      {"keras/KERAS_3layer.json", "keras/KERAS_3layer_95pruned_retrained_weights.h5"},
      {"keras/KERAS_3layer_batch_norm.json", "keras/KERAS_3layer_batch_norm_weights.h5"},
      {"keras/KERAS_1layer.json", "keras/KERAS_1layer_weights.h5"},
      {"keras/KERAS_dense_16x100x100x100x100x100x5.json",
       "keras/KERAS_dense_16x100x100x100x100x100x5_weights.h5"},
      // Quantization-aware (issue 17): QKeras, binary and ternary networks.
      {"keras/qkeras_3layer.json", "keras/qkeras_3layer_weights.h5"},
      {"onnx/bnn_model_fc_1layer.onnx", ""},
      // HGQ proxy models (full .h5).
      {"keras/hgq_jet_classifier.h5", ""},
      {"keras/qkeras_mnist_dense.json", "keras/qkeras_mnist_dense_weights.h5"},
      {"keras/KERAS_3layer_binary_smaller.json", "keras/KERAS_3layer_binary_smaller_weights.h5"},
      {"keras/KERAS_3layer_binarydense_relu_max.json",
       "keras/KERAS_3layer_binarydense_relu_max_weights.h5"},
      {"keras/KERAS_3layer_ternary_small.json", "keras/KERAS_3layer_ternary_small_weights.h5"},
      {"keras/keras_bnn.json", "keras/keras_bnn_weights.h5"},
  };
  return kMlps;
}

// Every torch-made test model (tests/models/*.onnx), by stem, sorted so the order is stable.
inline std::vector<std::string> TestModelNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(SourceDir() / "tests/models")) {
    if (e.path().extension() == ".onnx") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}
inline std::string TestModel(const std::string& name, const std::string& suffix = ".onnx") {
  return (SourceDir() / "tests/models" / (name + suffix)).string();
}

inline emu::Batch ReadBatch(const std::string& path) {
  auto m = io::ReadSamples(path);
  EXPECT_TRUE(m.ok()) << m.status().message();
  if (!m.ok()) return {};
  return emu::Batch{m->rows, m->cols, std::move(m->data)};
}

// A fresh directory under the system temp dir, removed (with its contents) on destruction.
class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "firmnet_e2e_XXXXXX").string();
    char* made = mkdtemp(templ.data());
    EXPECT_NE(made, nullptr);
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }

 private:
  fs::path path_;
};

inline void WriteText(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

inline std::string ReadText(const std::string& path) {
  std::string out;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

// `s` as one single-quoted shell word (for running the CLI through std::system).
inline std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct CliResult {
  bool exited = false;  // false: killed by a signal (a crash)
  int code = -1;        // the exit status, -1 when killed
  std::string out, err;
};

// Runs `env firmnet ARGS...` (env: e.g. "PATH=/nowhere "), capturing stdout and stderr through
// files in `scratch_dir`.
inline CliResult RunFirmnet(const std::vector<std::string>& args, const fs::path& scratch_dir,
                            const std::string& env = "") {
  std::string cmd = env + Quote(FIRMNET_BINARY);
  for (const auto& a : args) cmd += " " + Quote(a);
  const std::string out = scratch_dir / ".stdout", err = scratch_dir / ".stderr";
  cmd += " >" + Quote(out) + " 2>" + Quote(err);
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exited = status != -1 && WIFEXITED(status);
  r.code = r.exited ? WEXITSTATUS(status) : -1;
  r.out = ReadText(out);
  r.err = ReadText(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

// A Graph loaded and resolved through the driver; fails the test on error.
inline StatusOr<ir::Graph> Load(const std::string& model, const std::string& weights = "",
                                const std::string& config = "") {
  return driver::LoadResolvedGraph(driver::ModelSource{model, weights, config});
}

// An emulator result against an independent reference of hls4ml's arithmetic
// (tests/models/make_*_reference.py): exactly, naming the first few differences.
inline void ExpectSameAsReference(const emu::Batch& got, const emu::Batch& want,
                                  const std::string& what) {
  ASSERT_EQ(got.rows, want.rows) << what;
  ASSERT_EQ(got.cols, want.cols) << what;
  int64_t differ = 0;
  for (size_t k = 0; k < got.data.size(); ++k) {
    if (got.data[k] == want.data[k]) continue;
    if (++differ <= 5) {
      ADD_FAILURE() << what << ": row " << k / got.cols << " column " << k % got.cols << ": got "
                    << got.data[k] << ", hls4ml's arithmetic gives " << want.data[k];
    }
  }
  EXPECT_EQ(differ, 0) << what << ": " << differ << " of " << got.data.size() << " values differ";
}

}  // namespace firmnet::e2e
