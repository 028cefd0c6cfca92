// The firmnet CLI as a user runs it: a child process per command, files in a temp directory.
// Checks determinism of convert, the .fnir round trip, exact text output, compare's JSON, the
// config/-c loop, and that every bad input gives exit code 1 (not a signal), a message naming
// what is wrong, and no output left behind.
#include <sys/wait.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e_util.h"

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
  const std::string conv = (ExampleModels() / "onnx/conv1d_small_keras.onnx").string();
  ExpectCleanFailure({"convert", conv, "-o", tmp_ / "out"}, {conv, "Conv"}, {tmp_ / "out"});
  ExpectCleanFailure({"config", conv}, {conv, "Conv"}, {});
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

}  // namespace
}  // namespace firmnet::e2e
