#include "firmnet/ir/parser.h"

#include <gtest/gtest.h>

#include <random>

#include "firmnet/ir/printer.h"

namespace firmnet::ir {
namespace {

constexpr char kValid[] = R"(# A jet tagger head, written by hand.
graph "jet tagger" {
  settings project=tagger part=xcvu9p-flga2104-2-e clock=3.125 io=io_stream
  %input_1 = input() shape=[4] precision{result=ap_fixed<16,6>}
  %"dense/BiasAdd:0" = dense(%input_1) shape=[2] reuse=2 strategy=Resource multiplier=lut precision{
      result=ap_fixed<16,6>, weight = ap_fixed<8, 3, AP_RND, AP_SAT>,
      bias="ap_fixed<8,3>", accum=fixed<24,12,RND_CONV,SAT>}
    weight f64[4,2] = [0.5, -1.5e-3,   # rows wrap freely inside brackets
                       1, 2,
                       3, 4, 5, 6]
    bias f64[2] = [0, 0.25]
  %act = leaky_relu(%"dense/BiasAdd:0", alpha=0.01) shape=[2]
  %flat = reshape(%act, target_shape=[2, 1], note="a \"quoted\"\tstring", f=f64[], g=[1, 2.5])
  outputs %act, %flat
}
)";

TEST(ParserTest, ReadsHandWrittenText) {
  auto g = ParseGraph(kValid, "hand.fir");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->name, "jet tagger");
  EXPECT_EQ(g->settings.project_name, "tagger");
  EXPECT_EQ(g->settings.part, "xcvu9p-flga2104-2-e");
  EXPECT_EQ(g->settings.clock_period_ns, 3.125);
  EXPECT_EQ(g->settings.io_type, IoType::kStream);
  ASSERT_EQ(g->nodes.size(), 4u);
  const Node& d = g->nodes[1];
  EXPECT_EQ(d.name, "dense/BiasAdd:0");
  EXPECT_EQ(d.kind, LayerKind::kDense);
  EXPECT_EQ(d.inputs, std::vector<ir::TensorRef>{"input_1"});
  EXPECT_EQ(d.shape, (Shape{2}));
  EXPECT_EQ(d.settings.reuse_factor, 2);
  EXPECT_EQ(d.settings.strategy, Strategy::kResource);
  EXPECT_EQ(d.settings.multiplier, Multiplier::kLut);
  EXPECT_EQ(FormatFixedType(d.Precision("weight")), "ap_fixed<8,3,AP_RND,AP_SAT>");
  EXPECT_EQ(FormatFixedType(d.Precision("bias")), "ap_fixed<8,3>");
  EXPECT_EQ(FormatFixedType(d.Precision("accum")), "ap_fixed<24,12,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(d.Weight("weight")->shape, (Shape{4, 2}));
  EXPECT_EQ(d.Weight("weight")->data, (std::vector<double>{0.5, -1.5e-3, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(d.Weight("bias")->data, (std::vector<double>{0, 0.25}));
  EXPECT_EQ(std::get<double>(g->nodes[2].attrs.at("alpha")), 0.01);
  const Node& f = g->nodes[3];
  EXPECT_EQ(std::get<std::vector<int64_t>>(f.attrs.at("target_shape")),
            (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(std::get<std::string>(f.attrs.at("note")), "a \"quoted\"\tstring");
  EXPECT_EQ(std::get<std::vector<double>>(f.attrs.at("f")), std::vector<double>{});
  EXPECT_EQ(std::get<std::vector<double>>(f.attrs.at("g")), (std::vector<double>{1, 2.5}));
  EXPECT_EQ(g->outputs, (std::vector<ir::TensorRef>{"act", "flat"}));
  // The canonical text reads back to the same graph.
  auto again = ParseGraph(PrintGraph(*g));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(*again == *g);
}

TEST(ParserTest, ModelPrecisionRoundTrips) {
  const std::string text = R"(graph g {
  %x = input() shape=[2]
  %r = relu(%x) shape=[2] precision{result=ap_ufixed<6,0,AP_RND_CONV,AP_SAT>} model_precision{result=ufixed<6,0,RND_CONV,SAT>}
  outputs %r
}
)";
  auto g = ParseGraph(text, "q.fnir");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(FormatFixedType(g->nodes[1].model_precision.at("result")),
            "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>");
  const std::string printed = PrintGraph(*g);
  EXPECT_NE(printed.find(" model_precision{result=ap_ufixed<6,0,AP_RND_CONV,AP_SAT>}"),
            std::string::npos)
      << printed;
  auto again = ParseGraph(printed, "printed");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *g);
  std::string twice = text;
  twice.replace(twice.find("model_precision{result=ufixed<6,0,RND_CONV,SAT>}"), 48,
                "model_precision{result=int<2>, result=int<3>}");
  auto bad = ParseGraph(twice, "q.fnir");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("model_precision slot 'result' is given twice"),
            std::string::npos)
      << bad.status().message();
}

TEST(ParserTest, AcceptsCrLfAndMissingSettings) {
  auto g = ParseGraph("graph g {\r\n  %x = input() shape=[1]\r\n  outputs %x\r\n}\r\n");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->settings, ModelSettings{});
  EXPECT_EQ(g->outputs, std::vector<ir::TensorRef>{"x"});
}

struct ErrorCase {
  const char* text;
  const char* message;  // the whole message after "invalid argument: "
};

TEST(ParserTest, ErrorsNameSourceLineColumnAndProblem) {
  constexpr ErrorCase kCases[] = {
      {"", "m.fir:1:1: expected 'graph <name> {' at the start of the text"},
      {"graph g {\n", "m.fir:2:1: unexpected end of input: graph 'g' has no closing '}'"},
      {"graph g\n{\n}", "m.fir:1:8: expected '{' after the graph name, found end of line"},
      // A prefix: the list grows with layers.def.
      {"graph g {\n  %x = no_such_layer(%y)\n}",
       "m.fir:2:8: layer 'x': unknown layer kind 'no_such_layer' (known: input, dense, batchnorm, "
       "linear, relu, leaky_relu, clip, sigmoid, tanh, hard_sigmoid, softmax, softsign, "
       "softplus, elu, reshape, max_pool1d, "},
      {"graph g {\n  %x = relu(%y) colour=red\n}",
       "m.fir:2:17: layer 'x': unknown field 'colour' (known: shape, extra_shapes, reuse, "
       "strategy, table_size, multiplier, table_style, implementation, precision"},
      {"graph g {\n  %x = relu(%y) shape=[1] shape=[2]\n}",
       "m.fir:2:27: layer 'x': field 'shape' is given twice"},
      {"graph g {\n  %x = relu(%y, a=1, a=2)\n}",
       "m.fir:2:22: layer 'x': attribute 'a' is given twice"},
      {"graph g {\n  %x = relu(%y, a=red)\n}",
       "m.fir:2:19: layer 'x': attribute 'a': expected a number, a \"string\" or a [list], "
       "found 'red' (strings must be quoted)"},
      {"graph g {\n  %x = relu(%y, a=1.2.3)\n}",
       "m.fir:2:19: malformed number '1.2.3' (expected a number)"},
      {"graph g {\n  %x = relu(%y, a=99999999999999999999)\n}",
       "m.fir:2:19: integer '99999999999999999999' does not fit in 64 bits"},
      {"graph g {\n  %x = relu(%y, a=i64[1.5])\n}",
       "m.fir:2:19: layer 'x': attribute 'a': an i64 list holds a value that is not an integer"},
      {"graph g {\n  %x = relu(%y precision{})\n}",
       "m.fir:2:16: layer 'x': expected ',' or ')' after an operand, found 'p'"},
      {"graph g {\n  %x = relu(%y) precision{result=ap_fixed<0,6>}\n}",
       "m.fir:2:34: layer 'x': precision 'result': invalid fixed-point type 'ap_fixed<0,6>'"},
      {"graph g {\n  %x = relu(%y) precision{result=ap_fixed<16,6}\n}",
       "m.fir:2:42: layer 'x': the '<' of a type is never closed"},
      {"graph g {\n  %x = relu(%y) reuse=2.5\n}",
       "m.fir:2:23: expected the reuse factor (an integer), found '2.5'"},
      {"graph g {\n  %x = relu(%y) reuse=4294967296\n}",
       "m.fir:2:23: the reuse factor 4294967296 does not fit in an int"},
      {"graph g {\n  %x = relu(%y) strategy=Fast\n}",
       "m.fir:2:26: layer 'x': unknown strategy 'Fast' (expected Latency or Resource)"},
      {"graph g {\n  %x = dense(%y) multiplier=carry\n}",
       "m.fir:2:29: layer 'x': unknown multiplier 'carry' (expected auto, lut or dsp)"},
      {"graph g {\n  weight f64[1] = [1]\n}",
       "m.fir:2:3: a weight line must follow the line of the node it belongs to"},
      {"graph g {\n  %x = dense(%y)\n    weight i64[1] = [1]\n}",
       "m.fir:3:12: layer 'x': weight 'weight': expected the element type 'f64' or 'f32' (as in "
       "'f64[16,64]')"},
      {"graph g {\n  %x = dense(%y)\n    weight f32[2] = [1, 0.1]\n}",
       "m.fir:3:25: layer 'x': weight 'weight': value 0.1 of an f32 tensor is not a float32 "
       "value"},
      {"graph g {\n  %x = dense(%y)\n    w f64[1] = [1]\n    w f64[1] = [2]\n}",
       "m.fir:4:5: layer 'x': weight 'w' is given twice"},
      {"graph g {\n  %x = dense(%y)\n    w f64[2] = [1 2]\n}",
       "m.fir:3:19: expected ',' or ']' in the weight's values, found '2'"},
      {"graph g {\n  %x = dense(%y)\n    w f64[2] = [1, 1e999]\n}",
       "m.fir:3:20: number '1e999' is out of the range of a double"},
      {"graph g {\n  settings clock=5 speed=3\n}",
       "m.fir:2:20: unknown setting 'speed' (known: project, part, clock, io, precision, "
       "max_precision, bit_exact)"},
      {"graph g {\n  settings io=io_serial\n}",
       "m.fir:2:15: setting 'io': unknown IO type 'io_serial' (expected io_parallel or io_stream)"},
      {"graph g {\n  settings\n  settings\n}", "m.fir:3:3: the 'settings' line is given twice"},
      {"graph g {\n  outputs %a %b\n}",
       "m.fir:2:14: unexpected '%' after the outputs; expected the end of the line"},
      {"graph g {\n  outputs %\n}",
       "m.fir:2:12: expected a name after '%', found end of line (quote names with other "
       "characters: %\"a/b:0\")"},
      {"graph g {\n  %\"abc = relu()\n}", "m.fir:2:4: unterminated string (a '\"' is missing)"},
      {"graph g {\n  %\"a\\q\" = relu()\n}",
       "m.fir:2:6: unknown escape '\\q' in a string (use \\\" \\\\ \\n \\r \\t or \\xHH)"},
      {"graph g {\n  %\"a\\x4\" = relu()\n}",
       "m.fir:2:6: '\\x' must be followed by two hex digits"},
      {"graph g {\n  %x = relu(%y)\n}\nextra",
       "m.fir:4:1: unexpected 'e' after the graph's closing '}'"},
      {"graph g {\n  = relu()\n}",
       "m.fir:2:3: expected a node ('%name = kind(...)'), a weight, 'settings', 'outputs' or '}', "
       "found '='"},
      {"graph g {\n  %x = relu(%y)\x01\n}",
       "m.fir:2:16: expected a field (shape, extra_shapes, reuse, strategy, table_size, "
       "multiplier, precision, model_precision, origin) or the end of line, found byte 0x01"},
      {"graph g {\n  %x = relu(%y:0)\n}",
       "m.fir:2:16: output port 0 of 'y': ports after ':' count from 1 (port 0 is the bare "
       "name)"},
      {"graph g {\n  %x = split(%y) extra_shapes=[]\n}",
       "m.fir:2:31: layer 'x': extra_shapes is empty (leave it out)"},
  };
  for (const ErrorCase& c : kCases) {
    auto g = ParseGraph(c.text, "m.fir");
    ASSERT_FALSE(g.ok()) << c.text;
    EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
    // A case may give only the start of the message where the rest comes from ParseFixedType.
    EXPECT_EQ(g.status().message().substr(0, std::string(c.message).size()), c.message)
        << "input:\n"
        << c.text << "\nfull message: " << g.status().message();
  }
}

// Truncations and mutations of a valid text must give either a graph or a located error, never a
// crash or hang; whatever parses must print and parse back to the same text.
TEST(ParserTest, FuzzedInputNeverCrashes) {
  const std::string base = kValid;
  std::mt19937 rng(2024);
  const std::string interesting = "%\"\\{}[]()<>=,#\n\r\t 0123456789.-+eE_ainfxf64";
  int parsed_ok = 0;
  for (int iter = 0; iter < 4000; ++iter) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = rng() % text.size();
      switch (rng() % 5) {
        case 0:
          text.resize(at);
          break;
        case 1:
          text[at] = interesting[rng() % interesting.size()];
          break;
        case 2:
          text.erase(at, 1 + rng() % 8);
          break;
        case 3:
          text.insert(at, 1, interesting[rng() % interesting.size()]);
          break;
        default:
          text[at] = static_cast<char>(rng() % 256);
          break;
      }
    }
    auto g = ParseGraph(text, "fuzz");
    if (!g.ok()) {
      EXPECT_EQ(g.status().message().rfind("fuzz:", 0), 0u) << g.status().message();
      continue;
    }
    ++parsed_ok;
    const std::string printed = PrintGraph(*g);
    auto again = ParseGraph(printed, "reprinted");
    ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << printed;
    EXPECT_EQ(PrintGraph(*again), printed);
  }
  // Some mutations (inside comments, numbers) keep the text valid; the loop must exercise both.
  EXPECT_GT(parsed_ok, 50);
  EXPECT_LT(parsed_ok, 3500);
}

}  // namespace
}  // namespace firmnet::ir
