// The firmnet CLI as a user runs it: a child process per command, files in a temp directory.
// Checks determinism of convert, the .fnir round trip, exact text output, compare's JSON, the
// config/-c loop, and that every bad input gives exit code 1 (not a signal), a message naming
// what is wrong, and no output left behind.
#include <sys/wait.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e_util.h"
#include "firmnet/io/atomic_file.h"
#include "firmnet/io/npy.h"
#include "firmnet/io/npz.h"
#include "firmnet/io/subprocess.h"

namespace firmnet::e2e {
namespace {

class CliTest : public ::testing::Test {
 protected:
  // Runs `firmnet ARGS...`, capturing stdout and stderr separately.
  CliResult Cli(const std::vector<std::string>& args) { return RunFirmnet(args, tmp_.path()); }

  // A command that must fail cleanly: exit code 1, a message on stderr containing each of
  // `needles`, and none of `must_not_exist` created.
  void ExpectCleanFailure(const std::vector<std::string>& args,
                          const std::vector<std::string>& needles,
                          const std::vector<std::string>& must_not_exist) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    SCOPED_TRACE(joined);
    CliResult r = Cli(args);
    ASSERT_TRUE(r.exited) << "killed by a signal; stderr: " << r.err;
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("error"), std::string::npos) << r.err;
    for (const auto& n : needles)
      EXPECT_NE(r.err.find(n), std::string::npos) << "'" << n << "' not in: " << r.err;
    for (const auto& p : must_not_exist) EXPECT_FALSE(fs::exists(p)) << p << " was left behind";
    // No staging directories or temporary files either.
    for (const auto& e : fs::directory_iterator(tmp_.path())) {
      EXPECT_TRUE(fs::is_regular_file(e.path()) && created_.count(e.path().filename().string()))
          << "left behind: " << e.path();
    }
  }

  // A file created by the test itself (so ExpectCleanFailure does not count it as debris).
  std::string Make(const std::string& name, const std::string& contents) {
    WriteText(tmp_ / name, contents);
    created_.insert(name);
    return tmp_ / name;
  }
  std::string Copy(const std::string& from, const std::string& name) {
    return Make(name, ReadText(from));
  }
  // An .npy (any rank) or .npz file made by the test.
  std::string MakeNpy(const std::string& name, const io::NdArray& a) {
    return Make(name, io::EncodeNpyArray(a));
  }
  std::string MakeNpz(const std::string& name, const std::vector<io::NpzEntry>& arrays) {
    auto bytes = io::EncodeNpz(arrays, name);
    EXPECT_TRUE(bytes.ok()) << bytes.status().message();
    return Make(name, bytes.ok() ? *bytes : "");
  }

  TempDir tmp_;
  std::set<std::string> created_;
  const std::string model_ = TestModel("mlp_relu_bn");  // 8 inputs, batchnorm, softmax
  const std::string inputs_ = TestModel("mlp_relu_bn", ".inputs.npy");
  const fs::path jet_ = SourceDir() / "examples/jet_tagger";
};

TEST_F(CliTest, ConvertIsDeterministicAndRefusesNonEmptyDirWithoutForce) {
  const std::string out = tmp_ / "proj";
  CliResult r = Cli({"convert", model_, "-o", out});
  ASSERT_TRUE(r.exited);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string fnir = ReadText(out + "/myproject.fnir");
  const std::string cfg = ReadText(out + "/config.yml");
  ASSERT_FALSE(fnir.empty());
  ASSERT_FALSE(cfg.empty());
  EXPECT_NE(cfg.find("ap_fixed<16,6>"), std::string::npos) << cfg;

  // Again, into a new directory: byte-identical.
  r = Cli({"convert", model_, "-o", tmp_ / "proj2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "proj2/myproject.fnir"), fnir);
  EXPECT_EQ(ReadText(tmp_ / "proj2/config.yml"), cfg);

  // The existing, non-empty directory is refused and left untouched...
  WriteText(out + "/keep.txt", "mine");
  r = Cli({"convert", model_, "-o", out});
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(out), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(ReadText(out + "/keep.txt"), "mine");
  EXPECT_EQ(ReadText(out + "/myproject.fnir"), fnir);
  // ...and replaced with --force, with the same bytes.
  r = Cli({"convert", model_, "-o", out, "--force"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(out + "/myproject.fnir"), fnir);
  EXPECT_EQ(ReadText(out + "/config.yml"), cfg);
  EXPECT_FALSE(fs::exists(out + "/keep.txt"));

  // The ProjectName of a config names the IR file.
  const std::string named = Make("named.yml", "ProjectName: jet_tagger\n");
  r = Cli({"convert", model_, "-c", named, "-o", tmp_ / "proj3"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(tmp_ / "proj3/jet_tagger.fnir"));
}

TEST_F(CliTest, ConvertedFnirPredictsTheSameAsTheOriginalModel) {
  const std::string cfg = Make("cfg.yml",
                               "Model:\n  Precision: ap_fixed<14,5,AP_RND,AP_SAT>\n"
                               "LayerType:\n  Softmax:\n    TableSize: 256\n");
  ASSERT_EQ(Cli({"convert", model_, "-c", cfg, "-o", tmp_ / "p"}).code, 0);
  const std::string fnir = tmp_ / "p/myproject.fnir";
  // Converting the converted model again changes nothing.
  CliResult r = Cli({"convert", fnir, "-o", tmp_ / "q"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "q/myproject.fnir"), ReadText(fnir));

  r = Cli({"predict", model_, "-c", cfg, "--input", inputs_, "--output", tmp_ / "a.npy"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"predict", fnir, "--input", inputs_, "--output", tmp_ / "b.npy"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string a = ReadText(tmp_ / "a.npy");
  ASSERT_GT(a.size(), 256u * 4 * 8);
  EXPECT_EQ(a, ReadText(tmp_ / "b.npy"));
  // The config made a difference (otherwise the round trip would prove little).
  r = Cli({"predict", model_, "--input", inputs_, "--output", tmp_ / "c.npy"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(a, ReadText(tmp_ / "c.npy"));
}

TEST_F(CliTest, PredictTextAndNpyHoldTheSameValues) {
  CliResult r = Cli({"predict", model_, "--input", inputs_, "--output", tmp_ / "y.npy"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"predict", model_, "--input", inputs_, "--output", tmp_ / "y.txt"});
  ASSERT_EQ(r.code, 0) << r.err;
  const emu::Batch npy = ReadBatch(tmp_ / "y.npy");
  const emu::Batch txt = ReadBatch(tmp_ / "y.txt");
  EXPECT_EQ(npy.rows, 256);
  EXPECT_EQ(npy.cols, 4);
  EXPECT_EQ(txt.rows, npy.rows);
  EXPECT_EQ(txt.cols, npy.cols);
  EXPECT_EQ(txt.data, npy.data);  // exact: the text is the shortest round-trip form

  // The same emulator through the library gives the same values (the CLI adds nothing).
  auto g = Load(model_);
  ASSERT_TRUE(g.ok()) << g.status().message();
  auto e = emu::Emulator::Create(*g);
  ASSERT_TRUE(e.ok());
  auto res = (*e)->Run(ReadBatch(inputs_));
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->outputs[0].data, npy.data);

  // --float gives the float64 reference, which matches torch to 1e-6 relative.
  r = Cli({"predict", model_, "--float", "--input", inputs_, "--output", tmp_ / "f.txt"});
  ASSERT_EQ(r.code, 0) << r.err;
  const emu::Batch f = ReadBatch(tmp_ / "f.txt");
  const emu::Batch want = ReadBatch(TestModel("mlp_relu_bn", ".outputs.npy"));
  ASSERT_EQ(f.data.size(), want.data.size());
  for (size_t i = 0; i < f.data.size(); ++i) {
    EXPECT_LE(std::abs(f.data[i] - want.data[i]), 1e-6 * std::max(std::abs(want.data[i]), 1e-6))
        << i;
  }
  // CSV input reads the same as npy.
  std::string csv;
  const emu::Batch in = ReadBatch(inputs_);
  for (int64_t row = 0; row < in.rows; ++row) {
    for (int64_t c = 0; c < in.cols; ++c) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%s%.17g", c ? "," : "", in.data[row * in.cols + c]);
      csv += buf;
    }
    csv += "\n";
  }
  const std::string csv_path = Make("in.csv", csv);
  r = Cli({"predict", model_, "--input", csv_path, "--output", tmp_ / "z.npy"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "z.npy"), ReadText(tmp_ / "y.npy"));
}

TEST_F(CliTest, CompareJsonReportsArgmaxAgreement) {
  const std::string model = (jet_ / "jet_tagger.onnx").string();
  const std::string in = (jet_ / "inputs.npy").string();
  CliResult r = Cli({"compare", model, "--input", in, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(r.out)) << r.out;
  EXPECT_EQ(j["samples"], 1000);
  EXPECT_EQ(j["engine"], "int64");
  ASSERT_EQ(j["outputs"].size(), 1u);
  const auto& o = j["outputs"][0];

  // Recompute the agreement from predict's two outputs.
  ASSERT_EQ(Cli({"predict", model, "--input", in, "--output", tmp_ / "fx.npy"}).code, 0);
  ASSERT_EQ(Cli({"predict", model, "--float", "--input", in, "--output", tmp_ / "fl.npy"}).code, 0);
  const emu::Batch fx = ReadBatch(tmp_ / "fx.npy"), fl = ReadBatch(tmp_ / "fl.npy");
  ASSERT_EQ(fx.cols, 5);
  int64_t agree = 0;
  double max_diff = 0;
  for (int64_t row = 0; row < fx.rows; ++row) {
    const double* a = &fx.data[row * 5];
    const double* b = &fl.data[row * 5];
    agree += std::max_element(a, a + 5) - a == std::max_element(b, b + 5) - b;
    for (int c = 0; c < 5; ++c) max_diff = std::max(max_diff, std::abs(a[c] - b[c]));
  }
  EXPECT_EQ(o["argmax_agree"].get<int64_t>(), agree);
  EXPECT_GT(agree, 950);  // <16,6> on a trained 5-class tagger: nearly every argmax agrees
  EXPECT_DOUBLE_EQ(o["max_abs_diff"].get<double>(), max_diff);
  EXPECT_DOUBLE_EQ(o["argmax_agreement"].get<double>(), agree / 1000.0);
  EXPECT_GE(j["layers"].size(), 4u);

  // The text form says the same.
  r = Cli({"compare", model, "--input", in});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(std::to_string(agree)), std::string::npos) << r.out;
}

TEST_F(CliTest, ConfigOutputFeedsBackIntoMinusC) {
  for (const std::string name : {"mlp_acts_a", "mlp_acts_b", "mlp_relu_bn"}) {
    SCOPED_TRACE(name);
    CliResult r = Cli({"config", TestModel(name)});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_NE(r.out.find("LayerName"), std::string::npos) << r.out;
    const std::string cfg = Make(name + ".yml", r.out);
    r = Cli({"predict", TestModel(name), "-c", cfg, "--input", TestModel(name, ".inputs.npy"),
             "--output", tmp_ / (name + "_c.npy")});
    ASSERT_EQ(r.code, 0) << r.err;
    r = Cli({"predict", TestModel(name), "--input", TestModel(name, ".inputs.npy"), "--output",
             tmp_ / (name + "_d.npy")});
    ASSERT_EQ(r.code, 0) << r.err;
    // The printed config is the default config: same numbers.
    EXPECT_EQ(ReadText(tmp_ / (name + "_c.npy")), ReadText(tmp_ / (name + "_d.npy")));
  }
  // Keras JSON+H5 too.
  CliResult r = Cli({"config", (jet_ / "jet_tagger.json").string(), "--weights",
                     (jet_ / "jet_tagger_weights.h5").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string cfg = Make("jet.yml", r.out);
  r = Cli({"convert", (jet_ / "jet_tagger.json").string(), "--weights",
           (jet_ / "jet_tagger_weights.h5").string(), "-c", cfg, "-o", tmp_ / "jet"});
  EXPECT_EQ(r.code, 0) << r.err;
}

// ---- error paths ------------------------------------------------------------------------

TEST_F(CliTest, BatchNormDecisionIsVisibleInConvertAndDumpAfter) {
  // A pass that is not part of the run (checked first: the runs below leave directories).
  ExpectCleanFailure({"convert", model_, "-o", tmp_ / "bad", "--dump-after", "fuse_bn"},
                     {"--dump-after: pass 'fuse_bn' is not part of this run"}, {tmp_ / "bad"});
  // mlp_relu_bn: dense -> batchnorm. With the default config the dense result has a type and
  // the batchnorm stays a layer; with an auto result it folds into the dense (hls4ml's rule).
  CliResult r = Cli({"convert", model_, "-o", tmp_ / "typed"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(ReadText(tmp_ / "typed/myproject.fnir").find("= batchnorm("), std::string::npos);
  const std::string cfg = Make("auto.yml", "LayerType:\n  Dense:\n    Precision: {result: auto}\n");
  r = Cli({"convert", model_, "-c", cfg, "-o", tmp_ / "auto", "--dump-after", "fuse_batchnorm",
           "--dump-after", "infer_precision"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string ir = ReadText(tmp_ / "auto/myproject.fnir");
  EXPECT_EQ(ir.find("= batchnorm("), std::string::npos) << ir;
  EXPECT_NE(ir.find("result=auto:ap_fixed<"), std::string::npos) << ir;
  // The dumps: right after the decision the result is still auto, after inference it has a type.
  const size_t fuse = r.err.find("after pass fuse_batchnorm");
  const size_t infer = r.err.find("after pass infer_precision");
  ASSERT_NE(fuse, std::string::npos) << r.err;
  ASSERT_NE(infer, std::string::npos) << r.err;
  EXPECT_NE(r.err.substr(fuse, infer - fuse).find("result=auto,"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.substr(fuse, infer - fuse).find("= batchnorm("), std::string::npos) << r.err;
  // The resolved config says auto again, so it reproduces the fusion.
  r = Cli({"convert", model_, "-c", tmp_ / "auto/config.yml", "-o", tmp_ / "again"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "again/myproject.fnir"), ir);
}

TEST_F(CliTest, TruncatedAndGarbageOnnx) {
  const std::string onnx = ReadText(model_);
  ASSERT_GT(onnx.size(), 100u);
  const std::string trunc = Make("trunc.onnx", onnx.substr(0, 100));
  ExpectCleanFailure({"convert", trunc, "-o", tmp_ / "out"}, {trunc}, {tmp_ / "out"});
  const std::string garbage = Make("garbage.onnx", std::string(300, '\xff') + "not a model");
  ExpectCleanFailure({"convert", garbage, "-o", tmp_ / "out"}, {garbage}, {tmp_ / "out"});
  const std::string empty = Make("empty.onnx", "");
  ExpectCleanFailure({"convert", empty, "-o", tmp_ / "out"}, {empty}, {tmp_ / "out"});
  ExpectCleanFailure({"predict", garbage, "--input", inputs_, "--output", tmp_ / "y.npy"},
                     {garbage}, {tmp_ / "y.npy"});
}

TEST_F(CliTest, TruncatedAndGarbageH5) {
  const std::string json = Copy((jet_ / "jet_tagger.json").string(), "jet.json");
  const std::string h5 = ReadText((jet_ / "jet_tagger_weights.h5").string());
  ASSERT_GT(h5.size(), 4096u);
  const std::string trunc = Make("trunc.h5", h5.substr(0, h5.size() / 2));
  ExpectCleanFailure({"convert", json, "--weights", trunc, "-o", tmp_ / "out"}, {trunc},
                     {tmp_ / "out"});
  const std::string head = Make("head.h5", h5.substr(0, 100));
  ExpectCleanFailure({"convert", json, "--weights", head, "-o", tmp_ / "out"}, {head},
                     {tmp_ / "out"});
  const std::string garbage = Make("garbage.h5", std::string(2000, 'x'));
  ExpectCleanFailure({"convert", json, "--weights", garbage, "-o", tmp_ / "out"}, {garbage},
                     {tmp_ / "out"});
  // A full-model .h5 that is garbage.
  ExpectCleanFailure({"convert", garbage, "-o", tmp_ / "out"}, {garbage}, {tmp_ / "out"});
  // Garbage JSON with good weights.
  const std::string bad_json = Make("bad.json", "{\"class_name\": ");
  ExpectCleanFailure({"convert", bad_json, "--weights", (jet_ / "jet_tagger_weights.h5").string(),
                      "-o", tmp_ / "out"},
                     {bad_json}, {tmp_ / "out"});
}

TEST_F(CliTest, ConfigErrors) {
  const std::string out = tmp_ / "out";
  const std::string syntax = Make("syntax.yml", "Model:\n  Precision: [ap_fixed<16,6>\n");
  ExpectCleanFailure({"convert", model_, "-c", syntax, "-o", out}, {syntax}, {out});
  const std::string garbage = Make("garbage.yml", std::string("\x01\x02\xff\xfe: : :\n\t- ["));
  ExpectCleanFailure({"convert", model_, "-c", garbage, "-o", out}, {garbage}, {out});
  const std::string key = Make("key.yml", "Model: {ReuseFactr: 1}\n");
  ExpectCleanFailure({"convert", model_, "-c", key, "-o", out}, {key, "ReuseFactr", "ReuseFactor"},
                     {out});
  const std::string layer = Make("layer.yml", "LayerName:\n  no_such_layer:\n    ReuseFactor: 2\n");
  ExpectCleanFailure({"convert", model_, "-c", layer, "-o", out}, {layer, "no_such_layer"}, {out});
  const std::string type = Make("type.yml", "Model:\n  Precision: ap_fixed<16,6,AP_RNDX>\n");
  ExpectCleanFailure({"convert", model_, "-c", type, "-o", out}, {type, "Model.Precision"}, {out});
  const std::string width = Make("width.yml", "Model:\n  Precision: ap_fixed<0,6>\n");
  ExpectCleanFailure({"convert", model_, "-c", width, "-o", out}, {width}, {out});
  const std::string missing = tmp_ / "no_such.yml";
  ExpectCleanFailure({"convert", model_, "-c", missing, "-o", out}, {missing}, {out});
  // The same errors from predict leave no output file.
  ExpectCleanFailure({"predict", model_, "-c", key, "--input", inputs_, "--output", tmp_ / "y.npy"},
                     {key, "ReuseFactr"}, {tmp_ / "y.npy"});
}

TEST_F(CliTest, InputErrors) {
  // The jet tagger takes 16 features; give it 15.
  const std::string model = (jet_ / "jet_tagger.onnx").string();
  const emu::Batch in = ReadBatch((jet_ / "inputs.npy").string());
  ASSERT_EQ(in.cols, 16);
  io::Matrix narrow{in.rows, 15, {}};
  for (int64_t r = 0; r < in.rows; ++r) {
    for (int c = 0; c < 15; ++c) narrow.data.push_back(in.data[r * 16 + c]);
  }
  ASSERT_TRUE(io::WriteSamples(tmp_ / "narrow.npy", narrow).ok());
  created_.insert("narrow.npy");
  const std::string y = tmp_ / "y.npy";
  ExpectCleanFailure({"predict", model, "--input", tmp_ / "narrow.npy", "--output", y},
                     {"narrow.npy", "15", "16"}, {y});
  ExpectCleanFailure({"compare", model, "--input", tmp_ / "narrow.npy"}, {"narrow.npy", "15", "16"},
                     {});
  const std::string missing = tmp_ / "missing.npy";
  ExpectCleanFailure({"predict", model, "--input", missing, "--output", y}, {missing}, {y});
  const std::string bad_csv = Make("bad.csv", "1,2,3\n4,five,6\n");
  ExpectCleanFailure({"predict", model, "--input", bad_csv, "--output", y}, {bad_csv}, {y});
  // A model file that does not exist.
  const std::string no_model = tmp_ / "nope.onnx";
  ExpectCleanFailure({"convert", no_model, "-o", tmp_ / "out"}, {no_model}, {tmp_ / "out"});
}

TEST_F(CliTest, UnsupportedOpNamesNodeAndOp) {
  if (!HaveExampleModels()) GTEST_SKIP() << ExampleModels() << " is absent";
  // A Keras layer class firmnet does not import (GarNet comes with a later issue).
  const std::string j = (ExampleModels() / "keras/garnet_1layer.json").string();
  const std::string w = (ExampleModels() / "keras/garnet_1layer_weights.h5").string();
  ExpectCleanFailure({"convert", j, "--weights", w, "-o", tmp_ / "out"}, {j, "GarNet"},
                     {tmp_ / "out"});
  ExpectCleanFailure({"config", j, "--weights", w}, {j, "GarNet"}, {});
}

TEST_F(CliTest, BadCommandLineIsAnErrorNotACrash) {
  CliResult r = Cli({"predict", model_});  // --input and --output missing
  ASSERT_TRUE(r.exited);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--input"), std::string::npos) << r.err;
  r = Cli({"frobnicate"});
  ASSERT_TRUE(r.exited);
  EXPECT_NE(r.code, 0);
}

// ---- Several inputs and outputs, N-D samples. ----

// Two inputs (one of them 2-D), two outputs: sum = reshape(a) + b, fc = dense(sum). All types
// ap_fixed<16,6> (the default config).
constexpr const char* kTwoInOut = R"(graph two {
  %a = input() shape=[2,3]
  %b = input() shape=[6]
  %af = reshape(%a, target_shape=[6])
  %sum = add(%af, %b)
  %fc = dense(%sum)
    bias f64[2] = [0.25, -0.5]
    weight f64[6,2] = [0.5, -1.25, 0, 0.75, 0, 0.3, -0.6, 1.1, 0, 0.05, -0.2, 1.9]
  outputs %sum, %fc
}
)";

// Samples of `shape` whose values are multiples of 1/16 (exact in ap_fixed<16,6>), so that the
// sums below are exact too.
io::NdArray Sixteenths(std::vector<int64_t> shape, int seed) {
  io::NdArray a{std::move(shape), {}};
  int64_t n = 1;
  for (int64_t d : a.shape) n *= d;
  for (int64_t i = 0; i < n; ++i)
    a.data.push_back(static_cast<double>((i * 7 + seed) % 41 - 20) / 16);
  return a;
}

io::NdArray ReadNpyFile(const std::string& path) {
  std::string bytes;
  EXPECT_TRUE(io::ReadFile(path, &bytes).ok()) << path;
  auto a = io::DecodeNpyArray(bytes, path);
  EXPECT_TRUE(a.ok()) << a.status().message();
  return a.ok() ? *a : io::NdArray{};
}

TEST_F(CliTest, TwoInputsTwoOutputsFromFilesOrOneNpz) {
  const std::string model = Make("two.fnir", kTwoInOut);
  const io::NdArray a = Sixteenths({5, 2, 3}, 1), b = Sixteenths({5, 6}, 4);
  const std::string a_npy = MakeNpy("a.npy", a), b_npy = MakeNpy("b.npy", b);
  CliResult r =
      Cli({"predict", model, "--input", a_npy, "--input", b_npy, "--output", tmp_ / "o.npz"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("5 samples"), std::string::npos) << r.out;
  auto out = io::ReadNpz(tmp_ / "o.npz");
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].name, "sum");
  EXPECT_EQ((*out)[1].name, "fc");
  EXPECT_EQ((*out)[0].array.shape, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ((*out)[1].array.shape, (std::vector<int64_t>{5, 2}));
  // sum: a (flattened in C order) plus b, exact.
  for (size_t i = 0; i < 30; ++i) EXPECT_EQ((*out)[0].array.data[i], a.data[i] + b.data[i]) << i;
  // fc: the library's emulator on the same batches (the CLI adds nothing).
  auto g = Load(model);
  ASSERT_TRUE(g.ok()) << g.status().message();
  auto e = emu::Emulator::Create(*g);
  ASSERT_TRUE(e.ok());
  auto res = (*e)->Run({emu::Batch{5, 6, a.data}, emu::Batch{5, 6, b.data}});
  ASSERT_TRUE(res.ok()) << res.status().message();
  EXPECT_EQ((*out)[1].array.data, res->outputs[1].data);
  const std::string want = ReadText(tmp_ / "o.npz");

  // The same from one .npz whose arrays are named after the inputs, in any order...
  const std::string ab = MakeNpz("ab.npz", {{"b", b}, {"a", a}});
  r = Cli({"predict", model, "--input", ab, "--output", tmp_ / "o2.npz"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "o2.npz"), want);
  // ...from [N, size] flattened arrays, and from text with one flattened sample per row.
  const std::string flat = MakeNpy("aflat.npy", io::NdArray{{5, 6}, a.data});
  r = Cli({"predict", model, "--input", flat, "--input", b_npy, "--output", tmp_ / "o3.npz"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "o3.npz"), want);
  std::string csv;
  for (int row = 0; row < 5; ++row) {
    for (int c = 0; c < 6; ++c) csv += (c ? "," : "") + std::to_string(a.data[row * 6 + c]);
    csv += "\n";
  }
  r = Cli({"predict", model, "--input", Make("a.csv", csv), "--input", b_npy, "--output",
           tmp_ / "o4.npz"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "o4.npz"), want);

  // compare reports both outputs.
  r = Cli({"compare", model, "--input", ab, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(r.out)) << r.out;
  EXPECT_EQ(j["samples"], 5);
  ASSERT_EQ(j["outputs"].size(), 2u);
  EXPECT_EQ(j["outputs"][0]["name"], "sum");
  EXPECT_EQ(j["outputs"][0]["max_abs_diff"], 0.0);  // exact sums
  EXPECT_EQ(j["outputs"][1]["name"], "fc");
  EXPECT_EQ(j["outputs"][1]["size"], 2);

  // --trace writes every layer with its shape, the samples first.
  r = Cli(
      {"predict", model, "--input", ab, "--output", tmp_ / "o5.npz", "--trace", tmp_ / "trace"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadNpyFile(tmp_ / "trace/00_a.npy").shape, (std::vector<int64_t>{5, 2, 3}));
  EXPECT_EQ(ReadNpyFile(tmp_ / "trace/00_a.npy").data, a.data);
  EXPECT_EQ(ReadNpyFile(tmp_ / "trace/01_b.npy").shape, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(ReadNpyFile(tmp_ / "trace/04_fc.npy").data, res->outputs[1].data);
  EXPECT_NE(ReadText(tmp_ / "trace/index.txt").find("03_sum.npy sum add ap_fixed<16,6>"),
            std::string::npos);
}

TEST_F(CliTest, SeveralInputsAndOutputsErrors) {
  const std::string model = Make("two.fnir", kTwoInOut);
  const io::NdArray a = Sixteenths({5, 2, 3}, 1), b = Sixteenths({5, 6}, 4);
  const std::string a_npy = MakeNpy("a.npy", a), b_npy = MakeNpy("b.npy", b);
  const std::string y = tmp_ / "y.npz";
  // Arrays not named after the inputs: the error lists what was expected and found.
  const std::string bad = MakeNpz("bad.npz", {{"a", a}, {"c", b}});
  ExpectCleanFailure({"predict", model, "--input", bad, "--output", y},
                     {"bad.npz", "'a' [2,3], 'b' [6]", "found 'a', 'c'", "missing 'b'"}, {y});
  ExpectCleanFailure({"compare", model, "--input", bad}, {"bad.npz", "missing 'b'"}, {});
  // One sample without the sample axis.
  const std::string one = MakeNpy("one.npy", io::NdArray{{2, 3}, std::vector<double>(6, 0.5)});
  ExpectCleanFailure({"predict", model, "--input", one, "--input", b_npy, "--output", y},
                     {"one.npy", "shape [2,3]", "input 'a' [2,3]", "expected [N,2,3]", "[1,2,3]"},
                     {y});
  // A shape that fits neither [N,2,3] nor [N,6].
  const std::string wrong = MakeNpy("wrong.npy", Sixteenths({5, 3, 2}, 0));
  ExpectCleanFailure({"predict", model, "--input", wrong, "--input", b_npy, "--output", y},
                     {"wrong.npy", "[5,3,2]", "[N,2,3]", "[N,6]"}, {y});
  // In an .npz too.
  const std::string wrong_npz = MakeNpz("wrong.npz", {{"a", Sixteenths({5, 3, 2}, 0)}, {"b", b}});
  ExpectCleanFailure({"predict", model, "--input", wrong_npz, "--output", y},
                     {"wrong.npz", "array 'a'", "[5,3,2]", "[N,2,3]"}, {y});
  // Files in the wrong order.
  ExpectCleanFailure({"predict", model, "--input", b_npy, "--input", a_npy, "--output", y},
                     {"a.npy", "[5,2,3]", "input 'b' [6]", "model's order"}, {y});
  // Sample counts that differ.
  const std::string b3 = MakeNpy("b3.npy", Sixteenths({3, 6}, 2));
  ExpectCleanFailure({"predict", model, "--input", a_npy, "--input", b3, "--output", y},
                     {"different numbers of samples", "a.npy", "5", "b3.npy", "3"}, {y});
  // Too few files, or an .npz beside another file.
  ExpectCleanFailure({"predict", model, "--input", a_npy, "--output", y},
                     {"2 inputs", "'a' [2,3], 'b' [6]", "1 input files"}, {y});
  ExpectCleanFailure({"predict", model, "--input", a_npy, "--input", bad, "--output", y},
                     {"bad.npz", "only --input"}, {y});
  // Two outputs do not fit a .npy or text file; nothing is written.
  for (const char* name : {"y.npy", "y.txt"}) {
    ExpectCleanFailure(
        {"predict", model, "--input", a_npy, "--input", b_npy, "--output", tmp_ / name},
        {name, "2 outputs", "'sum', 'fc'", ".npz"}, {tmp_ / name});
  }
  // csim --input reads the inputs of a project (HlsCli tests the files); a directory that is not
  // one is named first.
  ExpectCleanFailure(
      {"csim", tmp_ / "nodir", "--input", a_npy, "--input", b_npy, "--output", tmp_ / "c.npy"},
      {"csim: cannot read directory", "nodir"}, {tmp_ / "c.npy"});
  // Each --input takes one file.
  CliResult r = Cli({"predict", model, "--input", a_npy, b_npy, "--output", y});
  ASSERT_TRUE(r.exited);
  EXPECT_NE(r.code, 0);
  EXPECT_FALSE(fs::exists(y));
}

TEST_F(CliTest, SingleInputModelTakesAnyNpzOfOneArray) {
  const emu::Batch in = ReadBatch(inputs_);
  ASSERT_EQ(in.cols, 8);
  const std::string npz = MakeNpz("in.npz", {{"whatever", io::NdArray{{in.rows, 8}, in.data}}});
  CliResult r = Cli({"predict", model_, "--input", inputs_, "--output", tmp_ / "y.npy"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"predict", model_, "--input", npz, "--output", tmp_ / "z.npy"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "z.npy"), ReadText(tmp_ / "y.npy"));
  // The output .npy keeps its 2-D form [N, 4] for a 1-D output.
  EXPECT_EQ(ReadNpyFile(tmp_ / "y.npy").shape, (std::vector<int64_t>{in.rows, 4}));
  // An .npz output has the one array, named after the output node.
  r = Cli({"predict", model_, "--input", npz, "--output", tmp_ / "y.npz"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto out = io::ReadNpz(tmp_ / "y.npz");
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->size(), 1u);
  auto g = Load(model_);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*out)[0].name, g->outputs[0]);
  EXPECT_EQ((*out)[0].array.data, ReadBatch(tmp_ / "y.npy").data);
  // Two arrays for one input: the error names them.
  created_.insert({"y.npy", "z.npy", "y.npz"});
  const std::string two = MakeNpz("two.npz", {{"x", io::NdArray{{1, 8}, std::vector<double>(8)}},
                                              {"y", io::NdArray{{1, 8}, std::vector<double>(8)}}});
  ExpectCleanFailure({"predict", model_, "--input", two, "--output", tmp_ / "w.npy"},
                     {"two.npz", "found 'x', 'y'"}, {tmp_ / "w.npy"});
}

TEST_F(CliTest, NumpyReadsPredictsNpz) {
  const std::string model = Make("two.fnir", kTwoInOut);
  const std::string ab =
      MakeNpz("ab.npz", {{"a", Sixteenths({4, 2, 3}, 1)}, {"b", Sixteenths({4, 6}, 4)}});
  CliResult r = Cli({"predict", model, "--input", ab, "--output", tmp_ / "o.npz"});
  ASSERT_EQ(r.code, 0) << r.err;
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  io::ProcessOptions o;
  o.argv = {"/usr/bin/python3", "-c",
            "import sys, numpy\nd = numpy.load(sys.argv[1])\n"
            "print([(k, d[k].dtype.name, d[k].shape) for k in d.files])",
            tmp_ / "o.npz"};
  o.timeout_s = 60;
  auto p = io::RunProcess(o);
  ASSERT_TRUE(p.ok()) << p.status().message();
  if (p->output.find("No module named 'numpy'") != std::string::npos) {
    GTEST_SKIP() << "no numpy for /usr/bin/python3";
  }
  EXPECT_EQ(p->output, "[('sum', 'float64', (4, 6)), ('fc', 'float64', (4, 2))]\n");
}

TEST_F(CliTest, ConvolutionalModelTakesNdSamples) {
  if (!HaveExampleModels()) GTEST_SKIP() << ExampleModels() << " is absent";
  const std::string model = (ExampleModels() / "keras/KERAS_conv2d_model.json").string();
  auto g = Load(model);
  if (!g.ok() && g.status().message().find("unsupported: Conv2D") != std::string::npos) {
    GTEST_SKIP() << "no Conv2D import yet: " << g.status().message();
  }
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->Inputs().size(), 1u);
  const ir::Shape shape = g->Inputs()[0]->shape;
  ASSERT_GE(shape.size(), 2u);
  std::vector<int64_t> batch = {3};
  batch.insert(batch.end(), shape.begin(), shape.end());
  const io::NdArray x = Sixteenths(batch, 3);
  CliResult r = Cli({"predict", model, "--input", MakeNpy("x.npy", x), "--output", tmp_ / "y.npz"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto out = io::ReadNpz(tmp_ / "y.npz");
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->size(), g->outputs.size());
  std::vector<int64_t> want = {3};
  const ir::Shape& out_shape = g->Find(g->outputs[0].node)->shape;
  want.insert(want.end(), out_shape.begin(), out_shape.end());
  EXPECT_EQ((*out)[0].array.shape, want);
  // Flattened samples give the same outputs.
  const std::string flat = MakeNpy("flat.npy", io::NdArray{{3, ir::NumElements(shape)}, x.data});
  r = Cli({"predict", model, "--input", flat, "--output", tmp_ / "z.npz"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadText(tmp_ / "z.npz"), ReadText(tmp_ / "y.npz"));
  created_.insert("y.npz");
  created_.insert("z.npz");
  // One sample without the sample axis is refused, naming the shape expected.
  const std::string one = MakeNpy("one.npy", Sixteenths(shape, 3));
  std::string expected = "[N";
  for (int64_t d : shape) expected += "," + std::to_string(d);
  ExpectCleanFailure({"predict", model, "--input", one, "--output", tmp_ / "w.npy"},
                     {"one.npy", expected + "]"}, {tmp_ / "w.npy"});
}

}  // namespace
}  // namespace firmnet::e2e
