// hls4ml's batchnorm rule on the batch-normalized jet taggers, against hand-computed fixed-point
// outputs (tests/models/make_bn_reference.py, an independent implementation of hls4ml's
// arithmetic in Python integers): with a typed Dense result every BatchNormalization stays a layer
// with its own quantized scale, bias and cast; with an `auto` Dense result it folds into the Dense
// (in float32, as hls4ml's numpy code does) and the Dense's sums keep every bit.
#include <gtest/gtest.h>

#include "e2e_util.h"
#include "firmnet/ir/printer.h"

namespace firmnet::e2e {
namespace {

struct BnModel {
  std::string name;  // as the reference files call it
  std::string model;
  std::string weights;
};

const std::vector<BnModel>& BnModels() {
  static const std::vector<BnModel> kModels = {
      {"KERAS_3layer_batch_norm", "keras/KERAS_3layer_batch_norm.json",
       "keras/KERAS_3layer_batch_norm_weights.h5"},
      {"three_layer_bn_keras", "onnx/three_layer_bn_keras.onnx", ""},
      {"three_layer_bn_pytorch", "onnx/three_layer_bn_pytorch.onnx", ""},
  };
  return kModels;
}

fs::path RefDir() { return SourceDir() / "tests/models/bn_reference"; }

class BatchNormHls4ml : public ::testing::TestWithParam<std::tuple<BnModel, std::string>> {};

TEST_P(BatchNormHls4ml, MatchesHandComputedFixedPoint) {
  if (!HaveExampleModels()) GTEST_SKIP() << ExampleModels() << " is absent";
  const auto& [m, mode] = GetParam();
  driver::ModelSource src;
  src.model_path = (ExampleModels() / m.model).string();
  if (!m.weights.empty()) src.weights_path = (ExampleModels() / m.weights).string();
  src.config_path = (RefDir() / (mode + ".yml")).string();
  auto graph = driver::LoadResolvedGraph(src);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();

  // The fusion decision, visible in the graph: four batchnorms with a typed Dense result, none
  // with an auto one.
  int batchnorms = 0;
  std::vector<std::string> relus;
  std::string logits;
  for (const auto& n : graph->nodes) {
    batchnorms += n.kind == LayerKind::kBatchNorm;
    if (n.kind == LayerKind::kRelu) relus.push_back(n.name);
    if (n.kind == LayerKind::kSoftmax) logits = n.inputs.at(0).node;
  }
  EXPECT_EQ(batchnorms, mode == "fixed" ? 4 : 0) << ir::PrintGraph(*graph);
  ASSERT_EQ(relus.size(), 3u);
  ASSERT_FALSE(logits.empty());

  auto emulator = emu::Emulator::Create(*graph);
  ASSERT_TRUE(emulator.ok()) << emulator.status().ToString();
  emu::RunOptions options;
  options.trace = true;
  auto result = (*emulator)->Run(ReadBatch((RefDir() / "inputs.npy").string()), options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const std::string stem = m.name + "." + mode + ".";
  ExpectSameAsReference(result->trace.at(relus[2]),
                        ReadBatch((RefDir() / (stem + "relu3.npy")).string()), stem + "relu3");
  ExpectSameAsReference(result->trace.at(logits),
                        ReadBatch((RefDir() / (stem + "logits.npy")).string()), stem + "logits");
}

INSTANTIATE_TEST_SUITE_P(Models, BatchNormHls4ml,
                         ::testing::Combine(::testing::ValuesIn(BnModels()),
                                            ::testing::Values("fixed", "auto")),
                         [](const auto& info) {
                           return std::get<0>(info.param).name + "_" + std::get<1>(info.param);
                         });

}  // namespace
}  // namespace firmnet::e2e
