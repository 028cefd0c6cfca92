// Zero padding, cropping, upsampling and transpose against loops written here (hls4ml's
// zeropad2d_cl, cropping2d_cl, resize_nearest and transpose, in their plain form), with a result
// type that differs from the input's (the cast) and one that does not (a copy); both engines;
// the float kernel; hls4ml's `auto` rule; the errors.
#include "firmnet/layers/common/axis_map.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "firmnet/layers/common/test_util.h"
#include "firmnet/layers/cropping1d/cropping1d.h"
#include "firmnet/layers/cropping2d/cropping2d.h"
#include "firmnet/layers/transpose/transpose.h"
#include "firmnet/layers/upsampling1d/upsampling1d.h"
#include "firmnet/layers/upsampling2d/upsampling2d.h"
#include "firmnet/layers/zero_pad1d/zero_pad1d.h"
#include "firmnet/layers/zero_pad2d/zero_pad2d.h"

namespace firmnet::layers {
namespace {

using testing::Type;

struct Built {
  ir::Node in, node;
  NodeInputs inputs() const { return {&in}; }
};

Built Build(LayerKind kind, const ir::Shape& shape, const std::string& key,
            const std::vector<int64_t>& value, const std::string& in_t = "ap_fixed<10,4>",
            const std::string& result_t = "ap_fixed<10,4>") {
  Built b;
  b.in.name = "x";
  b.in.kind = LayerKind::kInput;
  b.in.shape = shape;
  b.in.precision["result"] = Type(in_t);
  b.node.name = "op";
  b.node.kind = kind;
  b.node.inputs = {"x"};
  b.node.attrs[key] = value;
  b.node.precision["result"] = Type(result_t);
  return b;
}

// Reference: for each output element (row-major over out_shape), the flat input index it reads
// (or -1 for a zero).
using Source = std::function<int64_t(const std::vector<int64_t>& out_pos)>;

int64_t Flat(const ir::Shape& shape, const std::vector<int64_t>& pos) {
  int64_t f = 0;
  for (size_t a = 0; a < shape.size(); ++a) f = f * shape[a] + pos[a];
  return f;
}

// Runs `b` on random raw inputs in both engines and as floats; expects each output to be the
// input `source` names, cast to the result type (or 0), and out_shape as the inferred shape.
void Check(Built b, const ir::Shape& out_shape, const Source& source) {
  SCOPED_TRACE(std::string(LayerKindId(b.node.kind)) + " " + ir::FormatShape(b.in.shape) + " -> " +
               ir::FormatShape(out_shape) + ", " + FormatFixedType(b.in.Precision("result")) +
               " -> " + FormatFixedType(b.node.Precision("result")));
  ASSERT_TRUE(InferShape(b.node, b.inputs()).ok());
  ASSERT_EQ(b.node.shape, out_shape);
  const FixedType in_t = b.in.Precision("result"), res_t = b.node.Precision("result");
  std::mt19937_64 rng(3);
  const int64_t lo = in_t.is_signed ? -(int64_t{1} << (in_t.width - 1)) : 0;
  std::uniform_int_distribution<int64_t> d(lo, lo + (int64_t{1} << in_t.width) - 1);
  std::vector<int64_t> x(static_cast<size_t>(ir::NumElements(b.in.shape)));
  for (auto& v : x) v = d(rng);
  std::vector<BigInt> xb;
  std::vector<double> xf;
  for (int64_t v : x) {
    xb.emplace_back(v);
    xf.push_back(ToDouble(v, in_t));
  }
  const int64_t n = ir::NumElements(out_shape);
  std::vector<int64_t> out64(n);
  std::vector<BigInt> outbig(n);
  std::vector<double> outf(n);
  emu::LayerCounters c64, cbig;
  auto k64 = MakeKernel<int64_t>(b.node, b.inputs());
  auto kbig = MakeKernel<BigInt>(b.node, b.inputs());
  auto kf = MakeFloatKernel(b.node, b.inputs());
  ASSERT_TRUE(k64.ok() && kbig.ok() && kf.ok());
  const int64_t* p64[] = {x.data()};
  const BigInt* pbig[] = {xb.data()};
  const double* pf[] = {xf.data()};
  (*k64)->Run(p64, out64.data(), c64);
  (*kbig)->Run(pbig, outbig.data(), cbig);
  (*kf)->Run(pf, outf.data());
  std::vector<int64_t> pos(out_shape.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    ASSERT_EQ(Flat(out_shape, pos), i);
    const int64_t src = source(pos);
    const BigInt want =
        src < 0 ? BigInt(0) : Cast(BigInt(x[src]), in_t.lsb_exponent(), res_t);  // (res_T) data
    EXPECT_EQ(BigInt(out64[i]), want) << "output " << i;
    EXPECT_EQ(outbig[i], want) << "output " << i;
    EXPECT_EQ(outf[i], src < 0 ? 0.0 : xf[src]) << "float output " << i;
    for (size_t a = pos.size(); a-- > 0;) {
      if (++pos[a] < out_shape[a]) break;
      pos[a] = 0;
    }
  }
  EXPECT_EQ(c64.wraps, cbig.wraps);
  EXPECT_EQ(c64.saturations, cbig.saturations);
}

// Result types: the input's own (hls4ml's case: a copy), a rounding and saturating one, a wide
// pair that runs the int64 engine through the BigInt adapter.
const std::pair<const char*, const char*> kTypes[] = {
    {"ap_fixed<10,4>", "ap_fixed<10,4>"},
    {"ap_fixed<10,4>", "ap_fixed<6,2,AP_RND,AP_SAT>"},
    {"ap_ufixed<9,3>", "ap_fixed<5,1>"},
    {"ap_fixed<50,20>", "ap_fixed<40,10,AP_RND_CONV,AP_SAT_SYM>"},
};

TEST(ZeroPadTest, MatchesZeropadLoops) {
  for (const auto& [in_t, res_t] : kTypes) {
    // 2-D [3,4,2], pads top 1, left 2, bottom 0, right 1.
    Check(Build(LayerKind::kZeroPad2D, {3, 4, 2}, "pads", {1, 2, 0, 1}, in_t, res_t), {4, 7, 2},
          [](const std::vector<int64_t>& p) -> int64_t {
            const int64_t h = p[0] - 1, w = p[1] - 2;
            if (h < 0 || h >= 3 || w < 0 || w >= 4) return -1;
            return (h * 4 + w) * 2 + p[2];
          });
    Check(Build(LayerKind::kZeroPad1D, {5, 3}, "pads", {2, 1}, in_t, res_t), {8, 3},
          [](const std::vector<int64_t>& p) -> int64_t {
            const int64_t l = p[0] - 2;
            return l < 0 || l >= 5 ? -1 : l * 3 + p[1];
          });
  }
}

TEST(CroppingTest, MatchesCroppingLoops) {
  for (const auto& [in_t, res_t] : kTypes) {
    Check(Build(LayerKind::kCropping2D, {6, 5, 2}, "crops", {1, 0, 2, 2}, in_t, res_t), {3, 3, 2},
          [](const std::vector<int64_t>& p) { return ((p[0] + 1) * 5 + p[1]) * 2 + p[2]; });
    Check(Build(LayerKind::kCropping1D, {7, 3}, "crops", {2, 4}, in_t, res_t), {1, 3},
          [](const std::vector<int64_t>& p) { return (p[0] + 2) * 3 + p[1]; });
  }
}

TEST(UpSamplingTest, MatchesNearestNeighbour) {
  for (const auto& [in_t, res_t] : kTypes) {
    Check(Build(LayerKind::kUpSampling2D, {3, 2, 2}, "size", {2, 3}, in_t, res_t), {6, 6, 2},
          [](const std::vector<int64_t>& p) { return ((p[0] / 2) * 2 + p[1] / 3) * 2 + p[2]; });
    Check(Build(LayerKind::kUpSampling1D, {4, 3}, "size", {3}, in_t, res_t), {12, 3},
          [](const std::vector<int64_t>& p) { return (p[0] / 3) * 3 + p[1]; });
  }
}

TEST(UpSamplingTest, Hls4mlParallelIndexIsFloorDivisionForUsualSizes) {
  // resize_nearest: x2 = (j * (((W << 16) / new_W) + 1)) >> 16, written out here.
  for (int64_t in = 1; in <= 64; ++in) {
    for (int64_t f = 1; f <= 8; ++f) {
      for (int64_t p = 0; p < in * f; ++p) {
        const int64_t ratio =
            static_cast<int>((static_cast<unsigned>(in) << 16) / static_cast<unsigned>(in * f)) + 1;
        ASSERT_EQ(common::ResizeNearestIndex(p, in, in * f), (p * ratio) >> 16);
        ASSERT_EQ(common::ResizeNearestIndex(p, in, in * f), p / f) << in << " " << f << " " << p;
      }
    }
  }
}

TEST(TransposeTest, MatchesNumpyPermutation) {
  for (const auto& [in_t, res_t] : kTypes) {
    // out[i][j][k] = x[j][k][i] for perm [2, 0, 1] of [2, 3, 4].
    Check(Build(LayerKind::kTranspose, {2, 3, 4}, "perm", {2, 0, 1}, in_t, res_t), {4, 2, 3},
          [](const std::vector<int64_t>& p) { return (p[1] * 3 + p[2]) * 4 + p[0]; });
    Check(Build(LayerKind::kTranspose, {3, 5}, "perm", {1, 0}, in_t, res_t), {5, 3},
          [](const std::vector<int64_t>& p) { return p[1] * 5 + p[0]; });
    Check(Build(LayerKind::kTranspose, {2, 3, 4}, "perm", {0, 1, 2}, in_t, res_t), {2, 3, 4},
          [](const std::vector<int64_t>& p) { return (p[0] * 3 + p[1]) * 4 + p[2]; });
  }
}

std::string Error(Built b) { return InferShape(b.node, b.inputs()).message(); }

TEST(AxisMapTest, ErrorsNameTheAttributeAndNumbers) {
  EXPECT_EQ(Error(Build(LayerKind::kCropping2D, {6, 5, 2}, "crops", {3, 0, 3, 0})),
            "crops [3,0,3,0] leave nothing of the input height 6 (input shape [6,5,2])");
  EXPECT_EQ(Error(Build(LayerKind::kCropping1D, {4, 2}, "crops", {1, 3})),
            "crops [1,3] leave nothing of the input length 4 (input shape [4,2])");
  EXPECT_EQ(Error(Build(LayerKind::kCropping2D, {6, 5, 2}, "crops", {0, -1, 0, 0})),
            "attribute 'crops' = [0,-1,0,0] has a negative value");
  EXPECT_EQ(Error(Build(LayerKind::kZeroPad2D, {6, 5, 2}, "pads", {1, 1})),
            "attribute 'pads' = [1,1] has 2 values; zero_pad2d needs 4");
  EXPECT_EQ(Error(Build(LayerKind::kZeroPad1D, {6, 5, 2}, "pads", {1, 1})),
            "input 'x' has shape [6,5,2]; zero_pad1d needs a 1-D feature map [length, channels]");
  EXPECT_EQ(Error(Build(LayerKind::kUpSampling2D, {3, 3, 1}, "size", {0, 2})),
            "attribute 'size' = [0,2] must be positive");
  EXPECT_EQ(Error(Build(LayerKind::kUpSampling1D, {11, 1}, "size", {100})),
            "attribute 'size' = [100] on input shape [11,1]: hls4ml's io_parallel "
            "nearest-neighbour index reads input 11 for output 1099, not 10 (io_stream's); "
            "upsample in smaller steps");
  EXPECT_EQ(Error(Build(LayerKind::kTranspose, {2, 3, 4}, "perm", {1, 0})),
            "attribute 'perm' = [1,0] has 2 entries but input 'x' has 3 axes (shape [2,3,4])");
  EXPECT_EQ(Error(Build(LayerKind::kTranspose, {2, 3, 4}, "perm", {0, 0, 1})),
            "attribute 'perm' = [0,0,1] is not a permutation of 0..2");
  EXPECT_EQ(Error(Build(LayerKind::kTranspose, {2, 3, 4}, "perm", {0, 3, 1})),
            "attribute 'perm' = [0,3,1] is not a permutation of 0..2");
  Built none = Build(LayerKind::kTranspose, {2, 3}, "perm", {1, 0});
  EXPECT_EQ(InferShape(none.node, {}).message(), "expects exactly 1 input, got 0");
}

TEST(AxisMapTest, AutoResultIsTheInputType) {
  const PrecisionContext ctx{Type("ap_fixed<16,6>"), std::nullopt};
  for (LayerKind k : {LayerKind::kZeroPad1D, LayerKind::kCropping1D, LayerKind::kUpSampling1D}) {
    const std::string key = k == LayerKind::kUpSampling1D ? "size"
                            : k == LayerKind::kZeroPad1D  ? "pads"
                                                          : "crops";
    Built b =
        Build(k, {6, 2}, key,
              k == LayerKind::kUpSampling1D ? std::vector<int64_t>{2} : std::vector<int64_t>{1, 1},
              "ap_ufixed<7,2,AP_RND,AP_SAT>");
    auto t = InferPrecision(b.node, b.inputs(), "result", ctx);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(FormatFixedType(*t), "ap_ufixed<7,2,AP_RND,AP_SAT>") << LayerKindId(k);
  }
  Built t = Build(LayerKind::kTranspose, {2, 3}, "perm", {1, 0}, "ap_int<5>");
  EXPECT_EQ(FormatFixedType(*InferPrecision(t.node, t.inputs(), "result", ctx)), "ap_int<5>");
  EXPECT_EQ(GetLayerInfo(LayerKind::kUpSampling2D).config_aliases,
            (std::vector<std::string_view>{"Resize"}));
}

}  // namespace
}  // namespace firmnet::layers
