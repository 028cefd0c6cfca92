// hls4ml's QKeras layers on the QKeras example models (qkeras_3layer: quantized_bits kernels and
// biases, quantized_relu activations; qkeras_mnist_dense: a quantized_po2 kernel, whose products
// hls4ml computes as truncating shifts, and quantized_relu(2)/(3,1) activations), against
// hand-computed fixed-point logits (tests/models/make_qkeras_reference.py, an independent
// implementation of hls4ml's arithmetic and QKeras' quantizers in Python integers and float32
// numpy). The configs are what hls4ml's config_from_keras_model(model, granularity='name')
// writes, with backend='Vivado' (`accum: auto`) and without a backend (no accum, so the default).
#include <gtest/gtest.h>

#include <ostream>
#include <tuple>

#include "e2e_util.h"
#include "firmnet/ir/printer.h"

namespace firmnet::e2e {
namespace {

struct QKerasModel {
  std::string name;    // the stem of the model's .json and _weights.h5, and of its reference files
  std::string inputs;  // the reference inputs, relative to RefDir()
};

// Names the model in gtest's messages.
void PrintTo(const QKerasModel& m, std::ostream* os) { *os << m.name; }

const std::vector<QKerasModel>& QKerasModels() {
  static const std::vector<QKerasModel> kModels = {
      {"qkeras_3layer", "qkeras_3layer.inputs.npy"},
      {"qkeras_mnist_dense", "qkeras_mnist_dense.inputs.npz"},
  };
  return kModels;
}

fs::path RefDir() { return SourceDir() / "tests/models/qkeras_reference"; }

class QKerasHls4ml : public ::testing::TestWithParam<std::tuple<QKerasModel, std::string>> {};

TEST_P(QKerasHls4ml, MatchesHandComputedFixedPoint) {
  if (!HaveExampleModels()) GTEST_SKIP() << ExampleModels() << " is absent";
  const auto& [m, mode] = GetParam();
  const std::string stem = m.name + "." + mode;
  auto graph = Load((ExampleModels() / "keras" / (m.name + ".json")).string(),
                    (ExampleModels() / "keras" / (m.name + "_weights.h5")).string(),
                    (RefDir() / (stem + ".yml")).string());
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();

  // The logits are the input of the softmax.
  std::string logits;
  for (const auto& n : graph->nodes) {
    if (n.kind == LayerKind::kSoftmax) logits = n.inputs.at(0).node;
  }
  ASSERT_FALSE(logits.empty()) << ir::PrintGraph(*graph);

  auto emulator = emu::Emulator::Create(*graph);
  ASSERT_TRUE(emulator.ok()) << emulator.status().ToString();
  emu::RunOptions options;
  options.trace = true;
  auto result = (*emulator)->Run(ReadBatch((RefDir() / m.inputs).string()), options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_TRUE(result->trace.count(logits)) << logits;
  ExpectSameAsReference(result->trace.at(logits),
                        ReadBatch((RefDir() / (stem + ".logits.npy")).string()),
                        stem + " " + logits);
}

INSTANTIATE_TEST_SUITE_P(Models, QKerasHls4ml,
                         ::testing::Combine(::testing::ValuesIn(QKerasModels()),
                                            ::testing::Values("vivado", "nobackend")),
                         [](const auto& info) {
                           return std::get<0>(info.param).name + "_" + std::get<1>(info.param);
                         });

}  // namespace
}  // namespace firmnet::e2e
