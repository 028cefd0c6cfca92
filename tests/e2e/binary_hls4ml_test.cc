// hls4ml's binary and ternary networks (BinaryDense / TernaryDense, BatchNormalization,
// binary_tanh, ternary_tanh, relu1) on the Keras example models, against hand-computed fixed-point
// outputs (tests/models/make_binary_reference.py, an independent implementation of hls4ml's
// arithmetic in Python integers): a BatchNormalization followed by binary_tanh or ternary_tanh
// becomes thresholds on the Dense result, a Dense after such a layer sums XNOR bits (binary) or
// -1/0/+1 (ternary) into an integer, and with a typed Dense result no BatchNormalization is fused.
#include <gtest/gtest.h>

#include <ostream>

#include "e2e_util.h"
#include "firmnet/ir/printer.h"

namespace firmnet::e2e {
namespace {

struct BinaryModel {
  std::string name;  // the stem of the model's .json and _weights.h5, and of its reference file
  int batchnorms;    // BatchNormalization layers left after hls4ml's passes
};

// Names the model in gtest's messages.
void PrintTo(const BinaryModel& m, std::ostream* os) { *os << m.name; }

const std::vector<BinaryModel>& BinaryModels() {
  static const std::vector<BinaryModel> kModels = {
      {"KERAS_3layer_binary_smaller", 1},
      {"KERAS_3layer_binarydense_relu_max", 4},
      {"KERAS_3layer_ternary_small", 1},
      {"keras_bnn", 1},
  };
  return kModels;
}

fs::path RefDir() { return SourceDir() / "tests/models/binary_reference"; }

class BinaryHls4ml : public ::testing::TestWithParam<BinaryModel> {};

TEST_P(BinaryHls4ml, MatchesHandComputedFixedPoint) {
  if (!HaveExampleModels()) GTEST_SKIP() << ExampleModels() << " is absent";
  const BinaryModel& m = GetParam();
  auto graph = Load((ExampleModels() / "keras" / (m.name + ".json")).string(),
                    (ExampleModels() / "keras" / (m.name + "_weights.h5")).string(),
                    (RefDir() / "config.yml").string());
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();

  // Every Dense result has a type, so no BatchNormalization folds into a Dense; the ones before a
  // binary_tanh or ternary_tanh merge with it into thresholds.
  int dense = 0, batchnorms = 0;
  for (const auto& n : graph->nodes) {
    dense += n.kind == LayerKind::kDense;
    batchnorms += n.kind == LayerKind::kBatchNorm;
  }
  EXPECT_EQ(dense, 4) << ir::PrintGraph(*graph);
  EXPECT_EQ(batchnorms, m.batchnorms) << ir::PrintGraph(*graph);

  auto emulator = emu::Emulator::Create(*graph);
  ASSERT_TRUE(emulator.ok()) << emulator.status().ToString();
  auto result = (*emulator)->Run(ReadBatch((RefDir() / "inputs.npy").string()), emu::RunOptions{});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->outputs.size(), 1u);
  ExpectSameAsReference(result->outputs[0],
                        ReadBatch((RefDir() / (m.name + ".output.npy")).string()), m.name);
}

INSTANTIATE_TEST_SUITE_P(Models, BinaryHls4ml, ::testing::ValuesIn(BinaryModels()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace firmnet::e2e
