#include "firmnet/passes/merge_linear_activation.h"

#include <gtest/gtest.h>

#include "firmnet/passes/pass_test_util.h"

namespace firmnet::passes {
namespace {

using testing::Canonical;
using testing::RunOn;

std::string RunMerge(const std::string& in, bool* changed) {
  MergeLinearActivationPass pass;
  return RunOn(pass, in, changed);
}

// conv (auto result) -> Quant cast -> max pool -> Quant cast -> output.
constexpr char kChain[] = R"(graph g {
  %x = input() shape=[4,4,1] precision{result=ap_fixed<8,2>}
  %c = conv2d(%x, strides=[1,1], pads=[0,0,0,0]) shape=[3,3,2] precision{result=auto, weight=ap_fixed<4,0>, bias=ap_fixed<4,0>, accum=auto}
    weight f64[2,2,1,2] = [0.5, -0.25, 0.125, 0.5, -0.5, 0.25, 0.25, 0.125]
    bias f64[2] = [0, 0.25]
  %q1 = linear(%c, quant=1) shape=[3,3,2] precision{result=ap_fixed<4,1,AP_RND_CONV,AP_SAT>} model_precision{result=ap_fixed<4,1,AP_RND_CONV,AP_SAT>}
  %p = max_pool2d(%q1, pool_size=[2,2], strides=[1,1]) shape=[2,2,2] precision{result=auto, accum=auto}
  %q2 = linear(%p, quant=1) shape=[2,2,2] precision{result=ap_fixed<3,1,AP_RND_CONV,AP_SAT>} model_precision{result=ap_fixed<3,1,AP_RND_CONV,AP_SAT>}
  outputs %q2
})";

TEST(MergeLinearActivationTest, FoldsIntoAConvWithAutoResultAndKeepsTheRest) {
  const std::string want = R"(graph g {
  %x = input() shape=[4,4,1] precision{result=ap_fixed<8,2>}
  %c = conv2d(%x, strides=[1,1], pads=[0,0,0,0]) shape=[3,3,2] precision{result=ap_fixed<4,1,AP_RND_CONV,AP_SAT>, weight=ap_fixed<4,0>, bias=ap_fixed<4,0>, accum=auto} model_precision{result=ap_fixed<4,1,AP_RND_CONV,AP_SAT>}
    weight f64[2,2,1,2] = [0.5, -0.25, 0.125, 0.5, -0.5, 0.25, 0.25, 0.125]
    bias f64[2] = [0, 0.25]
  %p = max_pool2d(%c, pool_size=[2,2], strides=[1,1]) shape=[2,2,2] precision{result=auto, accum=auto}
  %q2 = linear(%p, quant=1) shape=[2,2,2] precision{result=ap_fixed<3,1,AP_RND_CONV,AP_SAT>} model_precision{result=ap_fixed<3,1,AP_RND_CONV,AP_SAT>}
  outputs %q2
})";
  bool changed = false;
  EXPECT_EQ(RunMerge(kChain, &changed), Canonical(want));
  EXPECT_TRUE(changed);
}

TEST(MergeLinearActivationTest, LeavesCastsAfterExplicitTypesAndPlainLinears) {
  // The conv's result is the config's: the cast stays (hls4ml only folds into an unset type).
  std::string explicit_result = kChain;
  explicit_result.replace(explicit_result.find("result=auto, weight"), 11, "result=ap_fixed<12,4>");
  bool changed = true;
  EXPECT_EQ(RunMerge(explicit_result, &changed), Canonical(explicit_result));
  EXPECT_FALSE(changed);
  // A linear that is not a quantizer cast (no quant attribute) is not this pass's business.
  std::string plain = kChain;
  plain.replace(plain.find("%c, quant=1"), 11, "%c");
  changed = true;
  EXPECT_EQ(RunMerge(plain, &changed), Canonical(plain));
  EXPECT_FALSE(changed);
}

TEST(MergeLinearActivationTest, FoldsIntoActivationsAndRewiresGraphOutputs) {
  constexpr char kIn[] = R"(graph g {
  %x = input() shape=[3] precision{result=ap_fixed<8,2>}
  %r = leaky_relu(%x, alpha=0.125) shape=[3] precision{result=auto, param=ap_fixed<8,0>}
  %q = linear(%r, quant=2) shape=[3] precision{result=ap_fixed<5,2>} model_precision{result=ap_fixed<5,2>}
  outputs %q
})";
  constexpr char kWant[] = R"(graph g {
  %x = input() shape=[3] precision{result=ap_fixed<8,2>}
  %r = leaky_relu(%x, alpha=0.125) shape=[3] precision{result=ap_fixed<5,2>, param=ap_fixed<8,0>} model_precision{result=ap_fixed<5,2>}
  outputs %r
})";
  bool changed = false;
  EXPECT_EQ(RunMerge(kIn, &changed), Canonical(kWant));
  EXPECT_TRUE(changed);
}

}  // namespace
}  // namespace firmnet::passes
