// Every activation layer: the int64_t and BigInt kernels agree bit for bit (values and overflow
// counters) on random inputs over a grid of input/result types and table sizes, including types
// that force the int64_t kernel onto its BigInt fallback.
#include <gtest/gtest.h>

#include <random>

#include "firmnet/layers/clip/clip.h"
#include "firmnet/layers/common/test_util.h"
#include "firmnet/layers/elu/elu.h"
#include "firmnet/layers/hard_sigmoid/hard_sigmoid.h"
#include "firmnet/layers/leaky_relu/leaky_relu.h"
#include "firmnet/layers/linear/linear.h"
#include "firmnet/layers/relu/relu.h"
#include "firmnet/layers/sigmoid/sigmoid.h"
#include "firmnet/layers/softplus/softplus.h"
#include "firmnet/layers/softsign/softsign.h"
#include "firmnet/layers/tanh/tanh.h"

namespace firmnet::layers {
namespace {

const char* const kInputTypes[] = {"ap_fixed<16,6>",  "ap_fixed<8,3,AP_RND,AP_SAT>",
                                   "ap_fixed<12,-2>", "ap_ufixed<10,4>",
                                   "ap_int<9>",       "ap_fixed<24,30>",
                                   "ap_fixed<40,20>"};
const char* const kResultTypes[] = {"ap_fixed<16,6>", "ap_fixed<9,2,AP_RND_CONV,AP_SAT_SYM>",
                                    "ap_ufixed<12,8,AP_RND,AP_WRAP>",
                                    "ap_fixed<6,1,AP_TRN_ZERO,AP_SAT_ZERO>"};

template <LayerKind K>
void CheckKind(const std::map<std::string, ir::AttrValue>& attrs,
               const std::map<std::string, std::string>& extra = {}) {
  std::mt19937_64 rng(static_cast<uint64_t>(K) * 7919 + 1);
  for (const char* in_type : kInputTypes) {
    const FixedType in = testing::Type(in_type);
    const int bits = std::min(in.width, 40);
    std::uniform_int_distribution<int64_t> dist(
        in.is_signed ? -(int64_t{1} << (bits - 1)) : 0,
        in.is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1);
    for (const char* result : kResultTypes) {
      for (int size : {0, 100}) {
        auto precision = extra;
        precision["result"] = result;
        auto s = testing::MakeSetup(K, in_type, 1, precision, attrs, size);
        if (GetLayerInfo(K).default_table_size == 0) s.node.settings.table_size = 0;
        std::vector<int64_t> x(300);
        for (auto& v : x) v = dist(rng);
        x[0] = 0;
        SCOPED_TRACE(std::string(LayerKindId(K)) + " " + in_type + " -> " + result);
        testing::ExpectRepresentationsAgree<K>(s, x);
      }
    }
  }
}

TEST(AgreementTest, Linear) { CheckKind<LayerKind::kLinear>({}); }
TEST(AgreementTest, Relu) { CheckKind<LayerKind::kRelu>({}); }
TEST(AgreementTest, LeakyRelu) {
  CheckKind<LayerKind::kLeakyRelu>({{"alpha", 0.3}}, {{"param", "ap_fixed<12,1,AP_RND>"}});
}
TEST(AgreementTest, Clip) { CheckKind<LayerKind::kClip>({{"min", -0.7}, {"max", 6.0}}); }
TEST(AgreementTest, HardSigmoid) {
  CheckKind<LayerKind::kHardSigmoid>({{"alpha", 0.2}, {"beta", 0.5}});
}
TEST(AgreementTest, Sigmoid) { CheckKind<LayerKind::kSigmoid>({}); }
TEST(AgreementTest, Tanh) { CheckKind<LayerKind::kTanh>({}); }
TEST(AgreementTest, Softplus) { CheckKind<LayerKind::kSoftplus>({}); }
TEST(AgreementTest, Elu) { CheckKind<LayerKind::kElu>({{"alpha", 1.5}}); }
TEST(AgreementTest, Softsign) { CheckKind<LayerKind::kSoftsign>({}); }

}  // namespace
}  // namespace firmnet::layers
