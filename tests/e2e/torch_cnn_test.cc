// The torch-made CNNs (tests/models/cnn, made by tests/models/make_cnn_models.py): each ONNX file
// goes through the driver (import -> passes -> default config, ap_fixed<16,6>) and the float64
// reference path must reproduce torch's float64 outputs; the bit-exact emulator must run and give
// outputs of the same shape.
//
// Inputs are fed in the model's own layout (torch's NCL / NCHW), one batch per graph input, each
// sample flattened row-major: exactly the rows of NAME_input.npy (NAME_input.npz for a model with
// several inputs, one array per input, named after it, in graph order).
//
// Criterion: |got - want| <= 1e-6 * max(1, |want|): absolute for values below 1, relative above.
// make_cnn_models.py checks its own numpy interpreter of each ONNX file against torch within 1e-9
// in the same sense, so a failure here is firmnet's.
#include <cmath>

#include "e2e_util.h"
#include "firmnet/io/npz.h"

namespace firmnet::e2e {
namespace {

constexpr double kTolerance = 1e-6;
constexpr int64_t kRows = 8;

fs::path CnnDir() { return SourceDir() / "tests/models/cnn"; }

// Every model in tests/models/cnn, by stem, sorted.
std::vector<std::string> CnnModelNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(CnnDir(), ec)) {
    if (e.path().extension() == ".onnx") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string CnnFile(const std::string& name, const std::string& suffix) {
  return (CnnDir() / (name + suffix)).string();
}

// The model's inputs, graph order, with their names ("" for the single-input .npy form).
struct NamedBatch {
  std::string name;
  emu::Batch batch;
};
std::vector<NamedBatch> ReadInputs(const std::string& name) {
  const std::string npz = CnnFile(name, "_input.npz");
  if (!fs::exists(npz)) return {{"", ReadBatch(CnnFile(name, "_input.npy"))}};
  auto entries = io::ReadNpz(npz);
  EXPECT_TRUE(entries.ok()) << entries.status().message();
  std::vector<NamedBatch> out;
  if (!entries.ok()) return out;
  for (auto& e : *entries) {
    // One sample per index of the first axis, flattened row-major (rank 1: one sample).
    const auto& shape = e.array.shape;
    const int64_t rows = shape.size() > 1 ? shape[0] : 1;
    const int64_t cols = rows == 0 ? 0 : static_cast<int64_t>(e.array.data.size()) / rows;
    out.push_back({e.name, emu::Batch{rows, cols, std::move(e.array.data)}});
  }
  return out;
}

std::vector<emu::Batch> Batches(const std::vector<NamedBatch>& inputs) {
  std::vector<emu::Batch> out;
  out.reserve(inputs.size());
  for (const auto& in : inputs) out.push_back(in.batch);
  return out;
}

// The emulator's input layers against the sample files: count, names (for the .npz form) and
// the number of values per sample.
void ExpectInputsMatch(const std::vector<const ir::Node*>& nodes, const std::vector<int64_t>& sizes,
                       const std::vector<NamedBatch>& inputs) {
  ASSERT_EQ(nodes.size(), inputs.size()) << "graph inputs vs. arrays in the input file";
  ASSERT_EQ(sizes.size(), inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].name.empty()) {
      EXPECT_EQ(nodes[i]->name, inputs[i].name) << "input " << i;
    }
    EXPECT_EQ(sizes[i], inputs[i].batch.cols)
        << "input " << i << " ('" << nodes[i]->name << "'): values per sample";
  }
}

void ExpectMatchesTorch(const emu::Batch& got, const emu::Batch& want) {
  ASSERT_EQ(got.rows, want.rows);
  ASSERT_EQ(got.cols, want.cols);
  ASSERT_EQ(got.data.size(), want.data.size());
  int bad = 0;
  double worst = 0;
  for (size_t i = 0; i < want.data.size(); ++i) {
    const double a = got.data[i];
    const double b = want.data[i];
    const double err = std::abs(a - b) / std::max(1.0, std::abs(b));
    worst = std::isnan(err) ? err : std::max(worst, err);
    if (!(err <= kTolerance) && bad++ < 5) {
      ADD_FAILURE() << "element " << i << " (row " << i / want.cols << ", col " << i % want.cols
                    << "): got " << a << ", torch " << b;
    }
  }
  EXPECT_EQ(bad, 0) << bad << " of " << want.data.size() << " elements out of tolerance";
  EXPECT_LE(worst, kTolerance);
}

class TorchCnn : public testing::TestWithParam<std::string> {};

// The fixtures themselves: present, complete and of the documented shape. Independent of the
// importer, so a lost or truncated file shows even while the import fails.
TEST(TorchCnnFiles, EveryModelHasItsInputsAndReference) {
  const auto names = CnnModelNames();
  ASSERT_GE(names.size(), 7u) << CnnDir();
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    const auto inputs = ReadInputs(name);
    ASSERT_FALSE(inputs.empty());
    for (const auto& in : inputs) {
      EXPECT_EQ(in.batch.rows, kRows) << in.name;
      EXPECT_GT(in.batch.cols, 0) << in.name;
    }
    const emu::Batch want = ReadBatch(CnnFile(name, "_expected.npy"));
    EXPECT_EQ(want.rows, kRows);
    EXPECT_GT(want.cols, 0);
  }
}

TEST_P(TorchCnn, FloatPathMatchesTorch) {
  const std::string& name = GetParam();
  auto g = Load(CnnFile(name, ".onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  auto f = emu::FloatEmulator::Create(*g);
  ASSERT_TRUE(f.ok()) << f.status().message();
  const auto inputs = ReadInputs(name);
  ExpectInputsMatch((*f)->inputs(), (*f)->input_sizes(), inputs);
  if (HasFatalFailure()) return;
  auto r = (*f)->Run(Batches(inputs));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->outputs.size(), 1u);
  ExpectMatchesTorch(r->outputs[0], ReadBatch(CnnFile(name, "_expected.npy")));
}

// The bit-exact emulator with the default config (ap_fixed<16,6>): it runs, and its outputs
// have the reference's shape. (The values are fixed-point and are not compared with torch.)
TEST_P(TorchCnn, BitExactEmulatorRuns) {
  const std::string& name = GetParam();
  auto g = Load(CnnFile(name, ".onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  auto e = emu::Emulator::Create(*g);
  ASSERT_TRUE(e.ok()) << e.status().message();
  const auto inputs = ReadInputs(name);
  ExpectInputsMatch((*e)->inputs(), (*e)->input_sizes(), inputs);
  if (HasFatalFailure()) return;
  auto r = (*e)->Run(Batches(inputs));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->outputs.size(), 1u);
  const emu::Batch want = ReadBatch(CnnFile(name, "_expected.npy"));
  EXPECT_EQ(r->outputs[0].rows, want.rows);
  EXPECT_EQ(r->outputs[0].cols, want.cols);
  EXPECT_EQ(r->outputs[0].data.size(), want.data.size());
  for (double v : r->outputs[0].data) ASSERT_TRUE(std::isfinite(v)) << v;
}

INSTANTIATE_TEST_SUITE_P(Models, TorchCnn, testing::ValuesIn(CnnModelNames()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace firmnet::e2e
