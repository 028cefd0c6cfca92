// `firmnet synth` as a user runs it, on a hand-written layer-sized design
// (tests/e2e/data/synth/dense_layer): Yosys runs, the report parses, every resource class is
// used, and two runs give the same report byte for byte. Also the ways it must fail cleanly:
// an unknown part, a Verilog error, a missing Yosys and --timeout, none leaving files behind.
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "e2e_util.h"

namespace firmnet::e2e {
namespace {

class SynthToolTest : public ::testing::Test {
 protected:
  // A fresh copy of the fixture project (synth writes into DIR/synth).
  std::string Project(const std::string& name) {
    const fs::path dir = tmp_.path() / name;
    fs::create_directories(dir);
    fs::copy(SourceDir() / "tests/e2e/data/synth/dense_layer", dir, fs::copy_options::recursive);
    return dir.string();
  }

  CliResult Synth(std::vector<std::string> args) {
    args.insert(args.begin(), "synth");
    return RunFirmnet(args, tmp_.path());
  }

  // Exit status 1, an error naming each of `needles`, and the project as it was (no synth/, no
  // staging directory).
  void ExpectCleanFailure(const std::string& dir, const std::vector<std::string>& args,
                          const std::vector<std::string>& needles) {
    std::vector<std::string> all = {dir};
    all.insert(all.end(), args.begin(), args.end());
    const CliResult r = Synth(all);
    ASSERT_TRUE(r.exited) << r.err;
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("firmnet: error: "), std::string::npos) << r.err;
    for (const auto& n : needles)
      EXPECT_NE(r.err.find(n), std::string::npos) << "'" << n << "' not in: " << r.err;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().filename() == "design.json") continue;  // written by the test
      EXPECT_EQ(e.path().extension(), ".v") << "left behind: " << e.path();
    }
  }

  TempDir tmp_;
  const std::string part_ = "xcku115-flvb2104-2-i";
};

TEST_F(SynthToolTest, ReportsEveryResourceClassAndIsDeterministic) {
  const std::string a = Project("a"), b = Project("b");
  const CliResult ra = Synth({a, "--part", part_, "--json", "--timeout", "300"});
  ASSERT_EQ(ra.code, 0) << ra.err;
  const CliResult rb = Synth({b, "--part", part_, "--timeout", "300"});
  ASSERT_EQ(rb.code, 0) << rb.err;

  const auto j = nlohmann::json::parse(ra.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << ra.out;
  EXPECT_EQ(j["part"], part_);
  EXPECT_EQ(j["family"], "xcu");
  EXPECT_EQ(j["top"], "dense_layer") << "found as the module no other instantiates";
  const auto& res = j["resources"];
  for (const char* k : {"lut", "ff", "dsp", "bram18", "carry"}) {
    EXPECT_GT(res[k].get<int64_t>(), 0) << k << " in " << res.dump();
  }
  // The shift-and-add sum must stay adders on carry chains: Yosys' $macc trap (docs/synth.md)
  // maps it into about 760 LUTs and 500 MUXFs on its own.
  EXPECT_LT(res["lut"].get<int64_t>(), 450) << res.dump();
  EXPECT_LT(res["muxf"].get<int64_t>(), 20) << res.dump();
  const auto& t = j["timing"];
  ASSERT_TRUE(t.is_object()) << j.dump();
  EXPECT_TRUE(t["has_path"].get<bool>());
  EXPECT_GT(t["critical_path_ns"].get<double>(), 0.5);
  EXPECT_GT(t["fmax_mhz"].get<double>(), 50.0);
  EXPECT_GE(t["max_lut_levels"].get<int>(), 1);
  EXPECT_GT(j["yosys_wall_s"].get<double>(), 0.0);

  // The text form carries the same numbers.
  EXPECT_NE(rb.out.find("LUT"), std::string::npos) << rb.out;
  EXPECT_NE(rb.out.find("Fmax ~"), std::string::npos) << rb.out;
  EXPECT_NE(rb.out.find("Yosys wall time"), std::string::npos) << rb.out;
  // Progress went to stderr while Yosys ran.
  EXPECT_NE(rb.err.find("firmnet synth: " + part_ + " (xcu), top dense_layer"), std::string::npos)
      << rb.err;

  // Same report, script and netlist from both runs; the saved report has no wall time in it.
  const std::string rep_a = ReadText(a + "/synth/report.json"),
                    rep_b = ReadText(b + "/synth/report.json");
  EXPECT_FALSE(rep_a.empty());
  EXPECT_EQ(rep_a, rep_b);
  EXPECT_EQ(rep_a.find("yosys_wall_s"), std::string::npos);
  EXPECT_EQ(ReadText(a + "/synth/synth.ys"), ReadText(b + "/synth/synth.ys"));
  EXPECT_EQ(ReadText(a + "/synth/netlist.json"), ReadText(b + "/synth/netlist.json"));
  auto saved = nlohmann::json::parse(rep_a, nullptr, false);
  ASSERT_FALSE(saved.is_discarded());
  EXPECT_EQ(saved["resources"], res);
  EXPECT_EQ(saved["timing"], t);
  // The script reruns from its directory: it names the sources relative to it.
  EXPECT_NE(ReadText(a + "/synth/synth.ys").find("read_verilog -noautowire ../dense_layer.v"),
            std::string::npos);
}

// A project written by `firmnet build --backend verilog` (a small ONNX model), for a 7 series
// part: design.json names the top, and the DSP48E1 model (a blackbox with timing logic in it)
// must read as a primitive.
TEST_F(SynthToolTest, GeneratedProjectOn7Series) {
  const std::string dir = tmp_ / "gen";
  std::string cmd = Quote(FIRMNET_BINARY) + " build " + Quote(TestModel("act_relu")) +
                    " --backend verilog --project relu_net -o " + Quote(dir) + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const CliResult r = Synth({dir, "--part", "xc7a100t-csg324-1", "--json", "--timeout", "300"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["family"], "xc7");
  EXPECT_EQ(j["top"], "relu_net");
  EXPECT_GT(j["resources"]["lut"].get<int64_t>(), 0);
  EXPECT_GT(j["resources"]["ff"].get<int64_t>(), 0);
  EXPECT_TRUE(j["timing"]["has_path"].get<bool>()) << j.dump();
  EXPECT_TRUE(fs::exists(dir + "/synth/report.json"));
}

TEST_F(SynthToolTest, UnknownPartFailsBeforeYosys) {
  const std::string dir = Project("p");
  ExpectCleanFailure(dir, {"--part", "xc6slx9-2tqg144"},
                     {"--part 'xc6slx9-2tqg144'", "Accepted parts: xc7a"});
}

TEST_F(SynthToolTest, PartDefaultsToDesignJson) {
  // No design.json (a hand-written project): the part must be given.
  const std::string dir = Project("p");
  ExpectCleanFailure(dir, {}, {"design.json names no part; give --part"});
  // design.json's part (the config's Part) is used, and checked like --part.
  WriteText(dir + "/design.json", R"({"top": "dense_layer", "part": "xc6slx9-2tqg144"})");
  ExpectCleanFailure(dir, {}, {"--part 'xc6slx9-2tqg144'"});
}

TEST_F(SynthToolTest, BadTopAndMissingProject) {
  const std::string dir = Project("p");
  ExpectCleanFailure(
      dir, {"--part", part_, "--top", "nope"},
      {"top module 'nope' is not defined", "(modules: dot3, shift_add_dot, dense_layer)"});
  const CliResult r = Synth({tmp_ / "missing", "--part", part_});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("missing: not a directory"), std::string::npos) << r.err;
}

TEST_F(SynthToolTest, VerilogErrorShowsYosysMessage) {
  const std::string dir = Project("p");
  WriteText(dir + "/broken.v",
            "module broken(input a, output b);\n  assign b = undeclared_net;\nendmodule\n");
  ExpectCleanFailure(dir, {"--part", part_, "--top", "dense_layer"},
                     {"yosys failed", "undeclared_net"});
}

TEST_F(SynthToolTest, MissingYosys) {
  const std::string dir = Project("p");
  // A name looked up on PATH, and a path.
  ExpectCleanFailure(dir, {"--part", "xc7a35t", "--yosys", "firmnet-no-such-yosys"},
                     {"cannot run 'firmnet-no-such-yosys': not found on PATH",
                      "install the Debian package yosys"});
  const std::string missing = tmp_ / "no-such-yosys";
  ExpectCleanFailure(dir, {"--part", "xc7a35t", "--yosys", missing},
                     {"cannot run '" + missing + "': no such file"});
}

TEST_F(SynthToolTest, TimeoutStopsYosys) {
  const std::string dir = Project("p");
  ExpectCleanFailure(dir, {"--part", "xczu9eg-ffvb1156-2-e", "--timeout", "1"},
                     {"yosys did not finish within 1 s (--timeout)", "raise --timeout"});
}

}  // namespace
}  // namespace firmnet::e2e
