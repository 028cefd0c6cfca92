// The repository, the batcher and request validation on the bundled jet tagger
// (examples/jet_tagger): results equal the emulator's bit for bit, alone and batched.
#include "firmnet/serve/infer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "firmnet/driver/pipeline.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/serve/server_info.h"

namespace firmnet::serve {
namespace {

namespace fs = std::filesystem;

const std::string kModel = std::string(FIRMNET_SOURCE_DIR) + "/examples/jet_tagger/jet_tagger.onnx";

class Repo : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("firmnet_serve_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  // DIR/<name>/config.pbtxt and DIR/<name>/1/model.onnx.
  void AddModel(const std::string& name, const std::string& config, const std::string& model) {
    fs::create_directories(root_ / name / "1");
    fs::copy_file(model, root_ / name / "1" / "model.onnx");
    std::ofstream(root_ / name / "config.pbtxt") << config;
  }
  fs::path root_;
};

// The emulator's outputs for rows of `inputs` (16 values each).
std::vector<double> Reference(const std::vector<double>& inputs, int64_t rows) {
  auto graph = driver::LoadResolvedGraph({kModel, "", ""});
  EXPECT_TRUE(graph.ok());
  auto emu = emu::Emulator::Create(*graph);
  emu::Batch b{rows, 16, inputs};
  auto r = (*emu)->Run(b);
  EXPECT_TRUE(r.ok());
  return r->outputs[0].data;
}

std::vector<double> RandomInputs(int64_t rows, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> d(0.0f, 1.5f);
  std::vector<double> v(static_cast<size_t>(rows * 16));
  for (double& x : v) x = d(gen);  // float32 values, as a client sends them
  return v;
}

InferRequest Request(const std::vector<double>& v, int64_t rows, std::string* raw_store) {
  InferRequest r;
  r.model = "jet";
  RequestInput in;
  in.name = "input";
  in.datatype = "FP32";
  in.shape = {rows, 16};
  raw_store->clear();
  EncodeElements(DataType::kFp32, v.data(), static_cast<int64_t>(v.size()), raw_store);
  in.raw = raw_store;
  r.inputs.push_back(std::move(in));
  return r;
}

constexpr char kJetConfig[] = R"(
backend: "firmnet"
max_batch_size: 128
input [ { name: "input" data_type: TYPE_FP32 dims: [ 16 ] } ]
output [ { name: "output" data_type: TYPE_FP32 dims: [ 5 ] } ]
dynamic_batching { max_queue_delay_microseconds: 20000 }
)";

TEST_F(Repo, ServesTheEmulatorsBitsAloneAndBatched) {
  AddModel("jet", kJetConfig, kModel);
  Repository repo({root_.string(), false, {}});
  ASSERT_TRUE(repo.LoadStartup().ok());
  ASSERT_TRUE(repo.Ready());

  const std::vector<double> x = RandomInputs(64, 1);
  const std::vector<double> want = Reference(x, 64);
  // One request of 64 rows.
  std::string raw;
  auto r = InferSync(repo, Request(x, 64, &raw));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(r->outputs[0].name, "output");
  EXPECT_EQ(r->outputs[0].shape, (std::vector<int64_t>{64, 5}));
  EXPECT_EQ(r->outputs[0].values, want);
  EXPECT_EQ(r->version, "1");

  // 64 concurrent one-row requests: joined into fewer batches, each row's result unchanged.
  std::vector<std::thread> threads;
  threads.reserve(64);
  std::vector<std::vector<double>> got(64);
  std::vector<std::string> raws(64);
  for (int64_t i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] {
      std::vector<double> row(x.begin() + i * 16, x.begin() + (i + 1) * 16);
      auto one = InferSync(repo, Request(row, 1, &raws[i]));
      ASSERT_TRUE(one.ok()) << one.status().message();
      got[i] = one->outputs[0].values;
    });
  }
  for (auto& t : threads) t.join();
  for (int64_t i = 0; i < 64; ++i) {
    EXPECT_EQ(got[i], std::vector<double>(want.begin() + i * 5, want.begin() + (i + 1) * 5)) << i;
  }
  auto model = repo.Find("jet", "");
  ASSERT_TRUE(model.ok());
  const StatsSnapshot s = (*model)->stats().Snapshot();
  EXPECT_EQ(s.inference_count, 128u);
  EXPECT_EQ(s.success.count, 65u);
  EXPECT_LT(s.execution_count, 65u);  // at least two requests shared a batch
  EXPECT_EQ(s.pending, 0u);
  inference::ModelStatistics proto;
  FillStatistics(**model, &proto);
  EXPECT_EQ(proto.inference_count(), 128u);
  EXPECT_EQ(proto.inference_stats().success().count(), 65u);
}

// The batcher's timing rules: a batch that reaches a preferred size runs at once; a smaller one
// waits for max_queue_delay_microseconds after its first request.
TEST_F(Repo, APreferredSizeEndsTheWaitAndASmallerBatchWaitsForTheDelay) {
  AddModel("jet", R"(
backend: "firmnet"
max_batch_size: 8
dynamic_batching { preferred_batch_size: [ 4 ] max_queue_delay_microseconds: 400000 }
instance_group [ { count: 2 } ]
)",
           kModel);
  Repository repo({root_.string(), false, {}});
  ASSERT_TRUE(repo.LoadStartup().ok());
  auto model = repo.Find("jet", "");
  ASSERT_TRUE(model.ok());
  const std::vector<double> x = RandomInputs(1, 3);
  const std::vector<double> want = Reference(x, 1);
  // Sends `n` one-row requests at once; returns the seconds until the last answer.
  const auto burst = [&](int n) {
    std::mutex mu;
    std::condition_variable cv;
    int answered = 0;
    std::vector<std::string> raws(static_cast<size_t>(n));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      Infer(repo, Request(x, 1, &raws[static_cast<size_t>(i)]), [&](StatusOr<InferResponse> r) {
        EXPECT_TRUE(r.ok()) << r.status().message();
        if (r.ok()) {
          EXPECT_EQ(r->outputs[0].values, want);
        }
        std::lock_guard lock(mu);
        if (++answered == n) cv.notify_all();
      });
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return answered == n; });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const uint64_t before = (*model)->stats().Snapshot().execution_count;
  EXPECT_LT(burst(4), 0.3);  // the fourth request completes the preferred size
  EXPECT_EQ((*model)->stats().Snapshot().execution_count, before + 1);
  EXPECT_GE(burst(3), 0.4);  // three rows wait for the delay, then run together
  EXPECT_EQ((*model)->stats().Snapshot().execution_count, before + 2);
}

// A request whose deadline passes while it waits in the queue is answered DEADLINE_EXCEEDED and
// not run; the batch it would have joined runs without it.
TEST_F(Repo, ARequestPastItsDeadlineInTheQueueIsNotRun) {
  AddModel("jet", R"(
backend: "firmnet"
max_batch_size: 8
dynamic_batching { max_queue_delay_microseconds: 300000 }
)",
           kModel);
  Repository repo({root_.string(), false, {}});
  ASSERT_TRUE(repo.LoadStartup().ok());
  auto model = repo.Find("jet", "");
  ASSERT_TRUE(model.ok());
  const std::vector<double> x = RandomInputs(1, 4);
  const std::vector<double> want = Reference(x, 1);
  std::string raw_a, raw_b;
  std::promise<StatusOr<InferResponse>> a, b;
  // A starts a batch that waits 300 ms for more rows; B (deadline 50 ms) queues behind it.
  Infer(repo, Request(x, 1, &raw_a), [&](StatusOr<InferResponse> r) { a.set_value(std::move(r)); });
  InferRequest rb = Request(x, 1, &raw_b);
  rb.deadline = Clock::now() + std::chrono::milliseconds(50);
  Infer(repo, std::move(rb), [&](StatusOr<InferResponse> r) { b.set_value(std::move(r)); });
  StatusOr<InferResponse> got_b = b.get_future().get();
  ASSERT_FALSE(got_b.ok());
  EXPECT_EQ(got_b.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(got_b.status().message().find("deadline"), std::string::npos);
  StatusOr<InferResponse> got_a = a.get_future().get();
  ASSERT_TRUE(got_a.ok()) << got_a.status().message();
  EXPECT_EQ(got_a->outputs[0].values, want);
  const StatsSnapshot s = (*model)->stats().Snapshot();
  EXPECT_EQ(s.inference_count, 1u);  // only A's row ran
  EXPECT_EQ(s.execution_count, 1u);
  EXPECT_EQ(s.success.count, 1u);
  EXPECT_EQ(s.fail.count, 1u);
  EXPECT_EQ(s.pending, 0u);
}

TEST_F(Repo, RefusesBadRequestsNamingTheTensorAndCountsThem) {
  AddModel("jet", kJetConfig, kModel);
  Repository repo({root_.string(), false, {}});
  ASSERT_TRUE(repo.LoadStartup().ok());
  std::string raw;
  const std::vector<double> x = RandomInputs(2, 2);
  auto message = [&](InferRequest r) {
    auto out = InferSync(repo, std::move(r));
    return out.ok() ? std::string("ok") : out.status().message();
  };
  {
    InferRequest r = Request(x, 2, &raw);
    raw.pop_back();
    EXPECT_NE(message(std::move(r)).find("input 'input' has 127 bytes of data"), std::string::npos);
  }
  {
    InferRequest r = Request(x, 2, &raw);
    r.inputs[0].datatype = "FP64";
    EXPECT_NE(message(std::move(r)).find("has datatype FP64; the model takes FP32"),
              std::string::npos);
  }
  {
    InferRequest r = Request(x, 2, &raw);
    r.inputs[0].shape = {2, 15};
    EXPECT_NE(message(std::move(r)).find("has shape [2,15]; expected [2,16]"), std::string::npos);
  }
  {
    std::vector<double> big = RandomInputs(129, 3);
    EXPECT_NE(message(Request(big, 129, &raw)).find("batch size 129 is above max_batch_size 128"),
              std::string::npos);
  }
  {
    std::vector<double> nan = x;
    nan[5] = std::nan("");
    EXPECT_NE(message(Request(nan, 2, &raw)).find("element 5 is not finite (NaN)"),
              std::string::npos);
  }
  {
    InferRequest r = Request(x, 2, &raw);
    r.outputs = {"nope"};
    EXPECT_NE(message(std::move(r)).find("has no output 'nope'"), std::string::npos);
  }
  {
    InferRequest r = Request(x, 2, &raw);
    r.model = "nope";
    EXPECT_NE(message(std::move(r)).find("unknown model 'nope'"), std::string::npos);
  }
  {
    InferRequest r = Request(x, 2, &raw);
    r.version = "7";
    EXPECT_NE(message(std::move(r)).find("no loaded version '7'"), std::string::npos);
  }
  auto model = repo.Find("jet", "");
  EXPECT_EQ((*model)->stats().Snapshot().fail.count, 6u);  // the unknown model/version not
  EXPECT_EQ(message(Request(x, 2, &raw)), "ok");
}

TEST_F(Repo, ABrokenModelIsUnavailableWithItsReasonWhileTheOthersServe) {
  AddModel("jet", kJetConfig, kModel);
  AddModel("broken_config", "max_batch_size: [", kModel);
  AddModel("wrong_output", R"(output [ { name: "prob" data_type: TYPE_FP32 dims: [5] } ])", kModel);
  fs::create_directories(root_ / "no_version");
  Repository repo({root_.string(), false, {}});
  ASSERT_TRUE(repo.LoadStartup().ok());
  EXPECT_FALSE(repo.Ready());
  std::map<std::string, IndexEntry> index;
  for (const IndexEntry& e : repo.Index(false)) index[e.name] = e;
  EXPECT_EQ(index["jet"].state, "READY");
  EXPECT_EQ(index["broken_config"].state, "UNAVAILABLE");
  EXPECT_NE(index["broken_config"].reason.find("config.pbtxt:1:"), std::string::npos)
      << index["broken_config"].reason;
  EXPECT_NE(index["wrong_output"].reason.find("output 'prob' is not an output of the model; its "
                                              "outputs are 'output'"),
            std::string::npos)
      << index["wrong_output"].reason;
  EXPECT_NE(index["no_version"].reason.find("no version folder"), std::string::npos);
  EXPECT_EQ(repo.Index(true).size(), 1u);
  std::string raw;
  EXPECT_TRUE(InferSync(repo, Request(RandomInputs(1, 4), 1, &raw)).ok());
}

TEST_F(Repo, ExplicitControlLoadsAndUnloads) {
  AddModel("jet", kJetConfig, kModel);
  Repository repo({root_.string(), true, {}});
  ASSERT_TRUE(repo.LoadStartup().ok());
  EXPECT_TRUE(repo.ReadyModels().empty());
  ASSERT_TRUE(repo.Load("jet").ok());
  EXPECT_EQ(repo.ReadyModels(), std::vector<std::string>{"jet"});
  ASSERT_TRUE(repo.Unload("jet").ok());
  std::string raw;
  auto r = InferSync(repo, Request(RandomInputs(1, 5), 1, &raw));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(repo.Load("missing").code(), StatusCode::kNotFound);
  EXPECT_EQ(repo.Load("../etc").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace firmnet::serve
