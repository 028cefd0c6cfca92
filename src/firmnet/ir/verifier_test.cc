#include "firmnet/ir/verifier.h"

#include <gtest/gtest.h>

#include "firmnet/ir/parser.h"
#include "firmnet/layers/registry.h"

namespace firmnet::ir {
namespace {

// A resolved graph through every layer kind; each error case below changes one line of it.
// Precisions are filled from the registry's defaults (Parse below), so the text does not have to
// follow every change of the slot list.
constexpr char kResolved[] = R"(graph g {
  %in = input() shape=[2]
  %fc = dense(%in) shape=[3] reuse=2
    weight f64[2,3] = [1, 2, 3, 4, 5, 6]
    bias f64[3] = [0, 0, 0]
  %bn = batchnorm(%fc) shape=[3]
    scale f64[3] = [1, 1, 1]
    bias f64[3] = [0, 0, 0]
  %lin = linear(%bn) shape=[3]
  %relu = relu(%lin) shape=[3]
  %lr = leaky_relu(%relu, alpha=0.1) shape=[3]
  %clip = clip(%lr, min=0.0, max=6.0) shape=[3]
  %sig = sigmoid(%clip) shape=[3] table_size=512
  %tanh = tanh(%sig) shape=[3]
  %hs = hard_sigmoid(%tanh, alpha=0.2, beta=0.5) shape=[3]
  %sm = softmax(%hs, axis=-1) shape=[3]
  %ss = softsign(%sm) shape=[3]
  %sp = softplus(%ss) shape=[3]
  %elu = elu(%sp, alpha=1) shape=[3]
  %flat = reshape(%elu, target_shape=[3, 1]) shape=[3,1]
  outputs %flat
}
)";

Graph Parse(const std::string& text) {
  auto g = ParseGraph(text, "verifier_test");
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  if (!g.ok()) return Graph{};
  for (Node& n : g->nodes) {
    for (const PrecisionSlot& slot : GetLayerInfo(n.kind).slots) {
      if (!n.precision.count(std::string(slot.name))) {
        n.precision[std::string(slot.name)] = *ParseFixedType(slot.default_type);
      }
    }
  }
  return *g;
}

// kResolved with `from` replaced by `to` (which must occur once).
std::string Edit(const std::string& from, const std::string& to) {
  std::string text = kResolved;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from << " occurs twice";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(VerifierTest, AcceptsResolvedGraphWithEveryKind) {
  const Graph g = Parse(kResolved);
  EXPECT_TRUE(VerifyGraph(g, VerifyLevel::kStructure).ok());
  const Status st = VerifyGraph(g, VerifyLevel::kResolved);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(VerifierTest, StructureIgnoresMissingShapesAndPrecisions) {
  const Graph g = Parse(R"(graph g {
  %in = input() shape=[2]
  %r = relu(%in)
  outputs %r
})");
  EXPECT_TRUE(VerifyGraph(g, VerifyLevel::kStructure).ok());
  EXPECT_EQ(VerifyGraph(g, VerifyLevel::kResolved).message(),
            "layer 'r' (relu): shape [] is not set or has a non-positive dimension (run "
            "infer_shapes)");
}

struct Case {
  std::string from, to;
  VerifyLevel level;
  std::string message;
};

TEST(VerifierTest, ReportsEachProblem) {
  constexpr auto kS = VerifyLevel::kStructure;  // short names keep the table readable
  constexpr auto kR = VerifyLevel::kResolved;
  const Case cases[] = {
      {"%lin = linear(%bn)", "%fc = linear(%bn)", kS,
       "layer 'fc' (linear): the name is used by an earlier layer too"},
      {"%lin = linear(%bn)", "%lin = linear(%nope)", kS,
       "layer 'lin' (linear): input 'nope' is not defined"},
      {"%lin = linear(%bn)", "%lin = linear(%relu)", kS,
       "layer 'lin' (linear): input 'relu' is defined after this layer (the nodes must be in "
       "topological order)"},
      {"%lin = linear(%bn)", "%lin = linear(%lin)", kS,
       "layer 'lin' (linear): reads its own output"},
      {"%lin = linear(%bn)", "%lin = linear(%bn, %fc)", kS,
       "layer 'lin' (linear): expects exactly 1 input, got 2"},
      {"%in = input()", "%in = input(%fc)", kS,
       "layer 'in' (input): expects exactly 0 inputs, got 1"},
      {"%in = input() shape=[2]", "%in = input()", kS,
       "layer 'in' (input): an input layer needs a shape with positive dimensions, got []"},
      {"outputs %flat", "outputs %flat, %zz", kS, "graph 'g': output 'zz' is not a node"},
      {"outputs %flat", "outputs %flat, %flat", kS, "graph 'g': output 'flat' is listed twice"},
      {"outputs %flat", "outputs", kR, "graph 'g' has no outputs"},
      {"    weight f64[2,3] = [1, 2, 3, 4, 5, 6]", "    weight f64[2,3] = [1, 2, 3, 4, 5]", kS,
       "layer 'fc' (dense): weight 'weight' has shape [2,3] (6 values) but holds 5 values"},
      {"    weight f64[2,3] = [1, 2, 3, 4, 5, 6]", "    weight f64[6] = [1, 2, 3, 4, 5, 6]", kS,
       "layer 'fc' (dense): weight 'weight' must have rank 2, got shape [6]"},
      {"    weight f64[2,3] = [1, 2, 3, 4, 5, 6]", "    weight f64[2,-3] = [1, 2, 3, 4, 5, 6]", kS,
       "layer 'fc' (dense): weight 'weight' has a bad shape [2,-3]"},
      {"    weight f64[2,3] = [1, 2, 3, 4, 5, 6]", "    weight f64[2,3] = [1, 2, 3, 4, 5, nan]", kS,
       "layer 'fc' (dense): weight 'weight' holds a non-finite value at index 5"},
      {"    weight f64[2,3] = [1, 2, 3, 4, 5, 6]", "    kernel f64[2,3] = [1, 2, 3, 4, 5, 6]", kS,
       "layer 'fc' (dense): unknown weight 'kernel' (expected: weight, bias)"},
      {"    bias f64[3] = [0, 0, 0]\n  %bn", "\n  %bn", kS,
       "layer 'fc' (dense): missing weight 'bias'"},
      {"    bias f64[3] = [0, 0, 0]\n  %bn", "    bias f64[2] = [0, 0]\n  %bn", kS,
       "layer 'fc' (dense): bias shape [2] does not match weight shape [2,3] (expected [3])"},
      {"    scale f64[3] = [1, 1, 1]", "    scale f64[1] = [1]", kS,
       "layer 'bn' (batchnorm): bias shape [3] does not match scale shape [1]"},
      {", alpha=0.1", "", kS, "layer 'lr' (leaky_relu): layer 'lr': missing attribute 'alpha'"},
      {"alpha=0.1", "alpha=\"big\"", kS,
       "layer 'lr' (leaky_relu): layer 'lr': attribute 'alpha' is a string, expected a float"},
      {"alpha=0.1", "alpha=inf", kS, "layer 'lr' (leaky_relu): attribute 'alpha' is not finite"},
      {"alpha=0.1", "alpha=0.1, beta=2.0", kS,
       "layer 'lr' (leaky_relu): unknown attribute 'beta' (expected: alpha)"},
      {"%relu = relu(%lin)", "%relu = relu(%lin, alpha=1.0)", kS,
       "layer 'relu' (relu): unknown attribute 'alpha' (expected: none)"},
      {"min=0.0, max=6.0", "min=7.0, max=6.0", kS,
       "layer 'clip' (clip): attribute 'min' is greater than 'max'"},
      {"axis=-1", "axis=-1.0", kS,
       "layer 'sm' (softmax): layer 'sm': attribute 'axis' is a float, expected an int"},
      {"target_shape=[3, 1]", "target_shape=f64[3, 1]", kS,
       "layer 'flat' (reshape): layer 'flat': attribute 'target_shape' is a float list, expected "
       "an int list"},
      {"%relu = relu(%lin) shape=[3]", "%relu = relu(%lin)", kR,
       "layer 'relu' (relu): shape [] is not set or has a non-positive dimension (run "
       "infer_shapes)"},
      {"%fc = dense(%in) shape=[3]", "%fc = dense(%in) shape=[3] precision{table=ap_fixed<8,3>}",
       kR,
       "layer 'fc' (dense): unknown precision slot 'table' (expected: result, weight, bias, "
       "accum)"},
      {"reuse=2", "reuse=0", kR, "layer 'fc' (dense): reuse factor 0 must be at least 1"},
      {"table_size=512", "table_size=500", kR,
       "layer 'sig' (sigmoid): table size 500 must be 0 (the default) or a power of two"},
      {"table_size=512", "table_size=-2", kR,
       "layer 'sig' (sigmoid): table size -2 must be 0 (the default) or a power of two"},
      {"%relu = relu(%lin) shape=[3]", "%relu = relu(%lin) shape=[3] table_size=64", kR,
       "layer 'relu' (relu): table size 64 is set, but this layer has no table"},
  };
  for (const Case& c : cases) {
    const Graph g = Parse(Edit(c.from, c.to));
    const Status st = VerifyGraph(g, c.level);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << c.to;
    EXPECT_EQ(st.message(), c.message) << "edit: " << c.from << " -> " << c.to;
    if (c.level == VerifyLevel::kResolved) {
      // Resolved-only problems must not fail the structural check.
      EXPECT_TRUE(VerifyGraph(g, VerifyLevel::kStructure).ok()) << c.message;
    }
  }
}

TEST(VerifierTest, RejectsInvalidPrecisionBuiltInCode) {
  Graph g = Parse(kResolved);
  g.nodes[0].precision["result"].width = 0;
  EXPECT_EQ(VerifyGraph(g, VerifyLevel::kResolved)
                .message()
                .rfind("layer 'in' (input): precision 'result' is not a valid type", 0),
            0u);
  g = Parse(kResolved);
  g.nodes[1].precision.erase("accum");
  EXPECT_EQ(VerifyGraph(g, VerifyLevel::kResolved).message(),
            "layer 'fc' (dense): precision slot 'accum' is not set");
  EXPECT_TRUE(VerifyGraph(g, VerifyLevel::kStructure).ok());
  g = Parse(kResolved);
  g.nodes[0].name = "";
  EXPECT_EQ(VerifyGraph(g, VerifyLevel::kStructure).message(),
            "layer '' (input): the layer has an empty name");
}

}  // namespace
}  // namespace firmnet::ir
