// Concatenate: the layout along every axis of 1-D to 3-D inputs against index arithmetic written
// here, casts to the result type, the engines and the float kernel, hls4ml's `auto` rule, and
// the errors.
#include "firmnet/layers/concatenate/concatenate.h"

#include <gtest/gtest.h>

#include "firmnet/fixed/fixed_value.h"
#include "firmnet/layers/common/test_util.h"

namespace firmnet::layers {
namespace {

using testing::Type;

struct CatSetup {
  std::vector<ir::Node> ins;
  ir::Node node;
  NodeInputs inputs() const {
    NodeInputs v;
    for (const ir::Node& n : ins) v.push_back(&n);
    return v;
  }
};

CatSetup Make(const std::vector<ir::Shape>& shapes, const std::vector<std::string>& types,
              const std::string& result, std::optional<int64_t> axis) {
  CatSetup s;
  for (size_t k = 0; k < shapes.size(); ++k) {
    ir::Node in;
    in.name = "x" + std::to_string(k);
    in.kind = LayerKind::kInput;
    in.shape = shapes[k];
    in.precision["result"] = Type(types[k]);
    s.node.inputs.push_back(in.name);
    s.ins.push_back(in);
  }
  s.node.name = "cat";
  s.node.kind = LayerKind::kConcatenate;
  s.node.precision["result"] = Type(result);
  if (axis) s.node.attrs["axis"] = *axis;
  return s;
}

// Row-major strides of a shape.
std::vector<int64_t> Strides(const ir::Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * s[d];
  return st;
}

// Every output index: which input and which of its elements, by coordinates.
TEST(ConcatenateTest, LayoutAlongEveryAxis) {
  const std::vector<std::vector<ir::Shape>> cases = {
      {{3}, {5}},
      {{2, 3}, {4, 3}},
      {{2, 3}, {2, 1}, {2, 2}},
      {{2, 3, 4}, {1, 3, 4}},
      {{2, 3, 4}, {2, 2, 4}},
      {{2, 3, 4}, {2, 3, 1}, {2, 3, 2}},
  };
  for (const auto& shapes : cases) {
    const size_t rank = shapes[0].size();
    // The axis where the shapes differ (the last one when they all agree).
    size_t axis = rank - 1;
    for (size_t d = 0; d < rank; ++d) {
      if (shapes[0][d] != shapes[1][d]) axis = d;
    }
    for (int64_t spelled :
         {static_cast<int64_t>(axis), static_cast<int64_t>(axis) - static_cast<int64_t>(rank)}) {
      SCOPED_TRACE(::testing::PrintToString(shapes) + " axis " + std::to_string(spelled));
      CatSetup s = Make(shapes, std::vector<std::string>(shapes.size(), "ap_fixed<16,10>"),
                        "ap_fixed<16,10>", spelled);
      ASSERT_TRUE(layers::InferShape(s.node, s.inputs()).ok());
      ir::Shape want = shapes[0];
      for (size_t k = 1; k < shapes.size(); ++k) want[axis] += shapes[k][axis];
      ASSERT_EQ(s.node.shape, want);
      // Input k's element e holds the raw value 1000 * k + e.
      std::vector<std::vector<int64_t>> x(shapes.size());
      std::vector<const int64_t*> ptrs;
      for (size_t k = 0; k < shapes.size(); ++k) {
        for (int64_t e = 0; e < ir::NumElements(shapes[k]); ++e) x[k].push_back(1000 * k + e);
        ptrs.push_back(x[k].data());
      }
      auto kernel = layers::MakeKernel<int64_t>(s.node, s.inputs());
      ASSERT_TRUE(kernel.ok());
      std::vector<int64_t> out(ir::NumElements(want));
      emu::LayerCounters c;
      (*kernel)->Run(ptrs, out.data(), c);
      const std::vector<int64_t> ostride = Strides(want);
      for (int64_t o = 0; o < ir::NumElements(want); ++o) {
        std::vector<int64_t> coord(rank);
        for (size_t d = 0; d < rank; ++d) coord[d] = (o / ostride[d]) % want[d];
        size_t k = 0;
        while (coord[axis] >= shapes[k][axis]) coord[axis] -= shapes[k++][axis];
        const std::vector<int64_t> istride = Strides(shapes[k]);
        int64_t e = 0;
        for (size_t d = 0; d < rank; ++d) e += coord[d] * istride[d];
        ASSERT_EQ(out[o], static_cast<int64_t>(1000 * k + e)) << "output " << o;
      }
      // The float kernel moves the same values.
      std::vector<std::vector<double>> xf(shapes.size());
      std::vector<const double*> fptrs;
      for (size_t k = 0; k < shapes.size(); ++k) {
        for (int64_t v : x[k]) xf[k].push_back(static_cast<double>(v));
        fptrs.push_back(xf[k].data());
      }
      auto fk = layers::MakeFloatKernel(s.node, s.inputs());
      ASSERT_TRUE(fk.ok());
      std::vector<double> fout(out.size());
      (*fk)->Run(fptrs, fout.data());
      for (size_t i = 0; i < out.size(); ++i) ASSERT_EQ(fout[i], static_cast<double>(out[i]));
    }
  }
}

// Each input's values cast to the result type (here with rounding and saturation), against
// firmnet::Cast of the exact value; the BigInt engine (and a wide type) agree.
TEST(ConcatenateTest, CastsEveryInputToTheResult) {
  for (const char* result : {"ap_fixed<6,2,AP_RND,AP_SAT>", "ap_ufixed<5,2,AP_RND_CONV>",
                             "ap_fixed<70,30,AP_RND,AP_SAT>"}) {
    SCOPED_TRACE(result);
    const FixedType res = Type(result);
    const std::vector<std::string> types = {"ap_fixed<8,4>", "ap_ufixed<7,1,AP_RND,AP_SAT>"};
    CatSetup s = Make({{2, 128}, {2, 128}}, types, result, -1);
    ASSERT_TRUE(layers::InferShape(s.node, s.inputs()).ok());
    std::vector<std::vector<int64_t>> x(2);
    for (int64_t r = 0; r < 2; ++r) {
      for (int64_t i = 0; i < 128; ++i) {
        x[0].push_back(i - 128 * r);
        x[1].push_back(i);
      }
    }
    std::vector<std::vector<BigInt>> xb(2);
    for (int k = 0; k < 2; ++k) {
      for (int64_t v : x[k]) xb[k].emplace_back(v);
    }
    auto k64 = layers::MakeKernel<int64_t>(s.node, s.inputs());
    auto kb = layers::MakeKernel<BigInt>(s.node, s.inputs());
    ASSERT_TRUE(k64.ok() && kb.ok());
    std::vector<int64_t> out(512);
    std::vector<BigInt> outb(512);
    emu::LayerCounters c64, cb;
    const int64_t* p[] = {x[0].data(), x[1].data()};
    const BigInt* pb[] = {xb[0].data(), xb[1].data()};
    (*k64)->Run(p, out.data(), c64);
    (*kb)->Run(pb, outb.data(), cb);
    uint64_t sats = 0, wraps = 0;
    for (int64_t r = 0; r < 2; ++r) {
      for (int k = 0; k < 2; ++k) {
        for (int64_t i = 0; i < 128; ++i) {
          OverflowEvent ev = OverflowEvent::kNone;
          const BigInt want =
              Cast(BigInt(x[k][r * 128 + i]), Type(types[k]).lsb_exponent(), res, &ev);
          sats += ev == OverflowEvent::kSaturated;
          wraps += ev == OverflowEvent::kWrapped;
          const int64_t o = r * 256 + k * 128 + i;
          ASSERT_EQ(BigInt(out[o]), want) << o;
          ASSERT_EQ(outb[o], want) << o;
        }
      }
    }
    EXPECT_EQ(c64.saturations, sats);
    EXPECT_EQ(c64.wraps, wraps);
    EXPECT_EQ(cb.saturations, sats);
    EXPECT_EQ(cb.wraps, wraps);
  }
}

TEST(ConcatenateTest, Errors) {
  CatSetup s = Make({{2, 3}, {2, 4}}, {"ap_fixed<8,3>", "ap_fixed<8,3>"}, "ap_fixed<8,3>", 2);
  EXPECT_EQ(layers::InferShape(s.node, s.inputs()).message(),
            "layer 'cat' (concatenate): attribute 'axis' = 2 is out of range for inputs of rank 2 "
            "(shapes exclude the batch; valid axes are -2 to 1)");
  s.node.attrs["axis"] = int64_t{-3};
  EXPECT_NE(layers::InferShape(s.node, s.inputs()).message().find("'axis' = -3 is out of range"),
            std::string::npos);
  s.node.attrs["axis"] = int64_t{0};
  EXPECT_EQ(layers::InferShape(s.node, s.inputs()).message(),
            "layer 'cat' (concatenate): input 'x1' has shape [2,4] but input 'x0' has shape "
            "[2,3]; concatenating along axis 0 needs inputs of one rank with every other "
            "dimension equal");
  s.node.attrs.erase("axis");  // -1
  ASSERT_TRUE(layers::InferShape(s.node, s.inputs()).ok());
  EXPECT_EQ(s.node.shape, (ir::Shape{2, 7}));
  s.ins[1].shape = {8};
  EXPECT_NE(layers::InferShape(s.node, s.inputs()).message().find("input 'x1' has shape [8]"),
            std::string::npos);
  EXPECT_EQ(layers::InferShape(s.node, {&s.ins[0]}).message(),
            "layer 'cat' (concatenate): expects at least 2 inputs, got 1");
}

std::string Inferred(const std::vector<std::string>& types,
                     std::optional<std::string> max = std::nullopt) {
  CatSetup s = Make(std::vector<ir::Shape>(types.size(), ir::Shape{4}), types, "ap_fixed<16,6>", 0);
  PrecisionContext ctx{Type("ap_fixed<16,6>"), std::nullopt};
  if (max) ctx.max_precision = Type(*max);
  auto t = layers::InferPrecision(s.node, s.inputs(), "result", ctx);
  return t.ok() ? FormatFixedType(*t) : t.status().message();
}

// hls4ml's _infer_cat_precision, by hand.
TEST(ConcatenateTest, AutoPrecision) {
  EXPECT_EQ(Inferred({"ap_fixed<8,3,AP_RND,AP_SAT>", "ap_fixed<8,3,AP_RND,AP_SAT>"}),
            "ap_fixed<8,3,AP_RND,AP_SAT>");
  // Signed: the unsigned input's I + 1 = 3; I = 3, F = max(5, 4) = 5; the first non-default
  // rounding and overflow modes in input order.
  EXPECT_EQ(Inferred({"ap_fixed<8,3>", "ap_ufixed<6,2,AP_RND,AP_SAT>"}),
            "ap_fixed<8,3,AP_RND,AP_SAT>");
  EXPECT_EQ(Inferred({"ap_fixed<8,3,AP_RND_CONV>", "ap_ufixed<6,2,AP_RND,AP_SAT>"}),
            "ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Inferred({"ap_fixed<8,3>", "ap_fixed<8,3>", "ap_fixed<12,8,AP_TRN,AP_WRAP,2>"}),
            "ap_fixed<13,8,AP_TRN,AP_WRAP,2>");
  EXPECT_EQ(Inferred({"ap_fixed<8,3>", "ap_ufixed<6,2>"}, "ap_fixed<7,2>"), "ap_fixed<7,2>");
}

}  // namespace
}  // namespace firmnet::layers
