// The float64 reference path (import -> passes -> FloatEmulator) against torch's float64
// outputs, for every torch-made test model and for the demo model in both frontends.
//
// Criterion: |got - want| <= 1e-6 * max(|want|, 1e-6), and a reference output that is exactly
// zero (ReLU) must come out exactly zero. The 1e-6 floor keeps tiny softmax probabilities
// relative rather than letting any absolute error pass; make_models.py checks its own numpy
// interpreter against the same bound.
#include <cmath>

#include "e2e_util.h"

namespace firmnet::e2e {
namespace {

constexpr double kRel = 1e-6;

void ExpectMatchesReference(const std::string& what, const emu::Batch& got,
                            const emu::Batch& want) {
  ASSERT_EQ(got.rows, want.rows) << what;
  ASSERT_EQ(got.cols, want.cols) << what;
  ASSERT_EQ(got.data.size(), want.data.size()) << what;
  int bad = 0;
  double worst = 0;
  for (size_t i = 0; i < want.data.size(); ++i) {
    const double a = got.data[i], b = want.data[i];
    const bool ok = b == 0 ? a == 0 : std::abs(a - b) <= kRel * std::max(std::abs(b), 1e-6);
    if (b != 0) worst = std::max(worst, std::abs(a - b) / std::max(std::abs(b), 1e-6));
    if (!ok && bad++ < 5) {
      ADD_FAILURE() << what << ": element " << i << " (row " << i / want.cols << ", col "
                    << i % want.cols << "): got " << a << ", torch " << b;
    }
  }
  EXPECT_EQ(bad, 0) << what << ": " << bad << " elements out of tolerance";
  EXPECT_LE(worst, kRel) << what;
}

emu::Batch RunFloat(const std::string& what, const ir::Graph& g, const emu::Batch& in) {
  auto f = emu::FloatEmulator::Create(g);
  EXPECT_TRUE(f.ok()) << what << ": " << f.status().message();
  if (!f.ok()) return {};
  EXPECT_EQ((*f)->input_size(), in.cols) << what;
  auto r = (*f)->Run(in);
  EXPECT_TRUE(r.ok()) << what << ": " << r.status().message();
  if (!r.ok()) return {};
  EXPECT_EQ(r->outputs.size(), 1u) << what;
  return r->outputs.empty() ? emu::Batch{} : r->outputs[0];
}

TEST(FloatReference, EveryTestModelMatchesTorch) {
  const auto names = TestModelNames();
  ASSERT_GE(names.size(), 15u);  // the README lists 15 models; a lost file must not pass silently
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    auto g = Load(TestModel(name));
    ASSERT_TRUE(g.ok()) << g.status().message();
    const emu::Batch in = ReadBatch(TestModel(name, ".inputs.npy"));
    const emu::Batch want = ReadBatch(TestModel(name, ".outputs.npy"));
    ASSERT_EQ(in.rows, 256);
    ExpectMatchesReference(name, RunFloat(name, *g, in), want);
  }
}

TEST(FloatReference, JetTaggerOnnxAndKerasMatchTorch) {
  const fs::path dir = SourceDir() / "examples/jet_tagger";
  const emu::Batch in = ReadBatch((dir / "inputs.npy").string());
  const emu::Batch want = ReadBatch((dir / "float_outputs.npy").string());
  ASSERT_EQ(in.rows, 1000);
  ASSERT_EQ(want.cols, 5);

  auto onnx = Load((dir / "jet_tagger.onnx").string());
  ASSERT_TRUE(onnx.ok()) << onnx.status().message();
  const emu::Batch from_onnx = RunFloat("jet_tagger.onnx", *onnx, in);
  ExpectMatchesReference("jet_tagger.onnx", from_onnx, want);

  auto keras = Load((dir / "jet_tagger.json").string(), (dir / "jet_tagger_weights.h5").string());
  ASSERT_TRUE(keras.ok()) << keras.status().message();
  const emu::Batch from_keras = RunFloat("jet_tagger.json", *keras, in);
  ExpectMatchesReference("jet_tagger.json+h5", from_keras, want);

  // Same float32 weights, same summation order: the two frontends agree to the last bit.
  EXPECT_EQ(from_onnx.data, from_keras.data);
}

}  // namespace
}  // namespace firmnet::e2e
