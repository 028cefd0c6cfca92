// `firmnet build --backend verilog` and `firmnet sim` as a user runs them: child processes, files
// in a temp directory. Checks the bit-exact simulation under both simulators (outputs equal to
// `firmnet predict`'s, exactly), byte-identical rebuilds, the atomic output directory, and clean
// failures (unsupported layer, missing simulator, a design that disagrees with the emulator).
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "e2e_util.h"
#include "firmnet/backend/verilog/layer_emitter.h"

namespace firmnet::e2e {
namespace {

class VerilogCliTool : public ::testing::Test {
 protected:
  // The model's softmax in firmnet's tables: the Verilog backend builds no other style.
  VerilogCliTool() { WriteText(cfg_, "Model:\n  TableStyle: firmnet\n"); }

  CliResult Cli(const std::vector<std::string>& args, const std::string& env = "") {
    return RunFirmnet(args, tmp_.path(), env);
  }

  // Every regular file under `dir` (relative path -> contents), sim_build excluded.
  std::map<std::string, std::string> Files(const std::string& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      const std::string rel = fs::relative(e.path(), dir).string();
      if (rel.rfind("sim_build", 0) == 0 || !e.is_regular_file()) continue;
      files[rel] = ReadText(e.path().string());
    }
    return files;
  }

  TempDir tmp_;
  const std::string cfg_ = tmp_ / "firmnet_tables.yml";
  const std::string model_ = TestModel("mlp_relu_bn");  // 8 inputs, batchnorm, relu, softmax
  const std::string inputs_ = TestModel("mlp_relu_bn", ".inputs.npy");
};

TEST_F(VerilogCliTool, BuildAndSimulateBitExactUnderBothSimulators) {
  const std::string proj = tmp_ / "rtl";
  CliResult r = Cli({"build", model_, "-c", cfg_, "--backend", "verilog", "-o", proj});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("latency"), std::string::npos) << r.out;
  for (const char* f : {"myproject.v", "design.json", "README.md", "myproject.fnir",
                        "tb_verilator.cpp", "tb_icarus.v"}) {
    EXPECT_TRUE(fs::exists(proj + "/" + f)) << f;
  }
  const std::string readme = ReadText(proj + "/README.md");
  EXPECT_NE(readme.find("| in_data | in | 128 |"), std::string::npos) << readme;
  EXPECT_NE(readme.find("ap_fixed<16,6>"), std::string::npos);

  // The emulator's exact text output is the reference for --output.
  r = Cli({"predict", model_, "-c", cfg_, "--input", inputs_, "--output", tmp_ / "emu.txt"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli({"sim", proj, "--input", inputs_, "--output", tmp_ / "rtl.txt"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("256 passed, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("II 1 (measured)"), std::string::npos) << r.out;
  EXPECT_EQ(ReadText(tmp_ / "rtl.txt"), ReadText(tmp_ / "emu.txt"));
  // Piped, the progress line stays away: stderr holds nothing.
  EXPECT_EQ(r.err, "") << r.err;
  // --json: the same figures, machine-readable.
  r = Cli({"sim", proj, "--input", inputs_, "--json"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["samples"], 256);
  EXPECT_EQ(j["passed"], 256);
  EXPECT_EQ(j["failed"], 0);
  EXPECT_EQ(j["ii_cycles"], 1);
  EXPECT_GT(j["latency_cycles"].get<int>(), 0);
  EXPECT_TRUE(j["build_cached"].get<bool>());
  // Again: the Verilator build of unchanged sources is reused, with the same results.
  r = Cli({"sim", proj, "--input", inputs_, "--output", tmp_ / "rtl2.txt"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("(cached)"), std::string::npos) << r.out;
  EXPECT_EQ(ReadText(tmp_ / "rtl2.txt"), ReadText(tmp_ / "emu.txt"));

  // Icarus, on the first rows (it is slow), through a text input file.
  std::string rows;
  emu::Batch x = ReadBatch(inputs_);
  for (int64_t i = 0; i < 30; ++i) {
    for (int64_t c = 0; c < x.cols; ++c) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", x.data[i * x.cols + c]);
      rows += (c ? "," : "") + std::string(buf);
    }
    rows += "\n";
  }
  WriteText(tmp_ / "x30.csv", rows);
  r = Cli({"sim", proj, "--input", tmp_ / "x30.csv", "--simulator", "icarus", "--output",
           tmp_ / "icarus.npy"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("30 passed, 0 failed"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(tmp_ / "icarus.npy"));
}

TEST_F(VerilogCliTool, RebuildIsByteIdenticalAndOutputDirectoryIsAtomic) {
  const std::string a = tmp_ / "a", b = tmp_ / "b";
  ASSERT_EQ(Cli({"build", model_, "-c", cfg_, "--backend", "verilog", "-o", a}).code, 0);
  ASSERT_EQ(Cli({"build", model_, "-c", cfg_, "--backend", "verilog", "-o", b}).code, 0);
  EXPECT_EQ(Files(a), Files(b));
  // No absolute paths or temp names leak into the project.
  for (const auto& [name, text] : Files(a)) {
    EXPECT_EQ(text.find(tmp_.path().string()), std::string::npos) << name;
  }

  // A non-empty directory is refused without --force, and left as it was.
  WriteText(a + "/keep.txt", "mine");
  CliResult r = Cli({"build", model_, "-c", cfg_, "--backend", "verilog", "-o", a});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(ReadText(a + "/keep.txt"), "mine");
  r = Cli({"build", model_, "-c", cfg_, "--backend", "verilog", "-o", a, "--force"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(a + "/keep.txt"));
  EXPECT_EQ(Files(a), Files(b));

  // A model the backend cannot build leaves nothing behind and names the layer (asked of the
  // backend: softsign while it has no emitter; a failing build in any case).
  const std::string bad = tmp_ / "bad";
  const bool softsign = verilog::VerilogSupports(LayerKind::kSoftsign);
  const std::string text =
      "graph g {\n  %x = input() shape=[3] precision{result=ap_fixed<8,3>}\n"
      "  %s = softsign(%x) shape=[3]\n  outputs %s\n}\n";
  WriteText(tmp_ / "ss.fnir", text);
  if (!softsign) {
    r = Cli({"build", tmp_ / "ss.fnir", "--backend", "verilog", "-o", bad});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("verilog backend: layer 's' (softsign) is not supported"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(bad));
  }
  // A table activation in hls4ml's style (the default) is refused up front, naming the layer
  // and the setting that builds it.
  WriteText(tmp_ / "sg.fnir",
            "graph g {\n  %x = input() shape=[3] precision{result=ap_fixed<8,3>}\n"
            "  %s = sigmoid(%x) shape=[3]\n  outputs %s\n}\n");
  r = Cli({"build", tmp_ / "sg.fnir", "--backend", "verilog", "-o", bad});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("layer 's' (sigmoid) uses TableStyle hls4ml"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("set `TableStyle: firmnet`"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(bad));
  // A top name that is not a Verilog identifier.
  r = Cli({"build", model_, "-c", cfg_, "--backend", "verilog", "-o", bad, "--project", "9bad"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("is not a Verilog identifier"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(bad));
}

TEST_F(VerilogCliTool, SimFailsCleanly) {
  const std::string proj = tmp_ / "rtl";
  ASSERT_EQ(Cli({"build", model_, "-c", cfg_, "--backend", "verilog", "-o", proj}).code, 0);
  // No simulator on PATH: a clear message, exit 1.
  CliResult r = Cli({"sim", proj, "--input", inputs_}, "PATH=/nonexistent ");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("verilator is not installed"), std::string::npos) << r.err;
  r = Cli({"sim", proj, "--input", inputs_, "--simulator", "icarus"}, "PATH=/nonexistent ");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("iverilog is not installed"), std::string::npos) << r.err;
  // Not a project.
  r = Cli({"sim", tmp_.path().string(), "--input", inputs_});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("design.json"), std::string::npos) << r.err;

  // The emulator's model no longer matches the RTL (a bias changed): mismatches, exit 1, and
  // no --output file.
  const std::string fnir = proj + "/myproject.fnir";
  std::string text = ReadText(fnir);
  // The weights keep the element type of the model file (f32 for an ONNX export).
  size_t pos = text.find("bias f64[");
  if (pos == std::string::npos) pos = text.find("bias f32[");
  ASSERT_NE(pos, std::string::npos);
  const size_t open = text.find("= [", pos);
  text.insert(open + 3, "3.5, ");
  const size_t comma = text.find(", ", open + 3 + 5);  // drop the old first value
  text.erase(open + 3 + 5, comma + 2 - (open + 3 + 5));
  WriteText(fnir, text);
  r = Cli({"sim", proj, "--input", inputs_, "--simulator", "icarus"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find(" failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("first mismatch: sample"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace firmnet::e2e
