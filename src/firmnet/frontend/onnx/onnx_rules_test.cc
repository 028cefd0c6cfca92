// The ONNX op table is assembled from the importer's own ops and every layer folder's
// OnnxRules_<id>(): each op type must be claimed exactly once, and the list quoted in errors
// must be exactly the table's ops.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "firmnet/frontend/onnx/onnx_context.h"
#include "firmnet/frontend/onnx/onnx_importer.h"

namespace firmnet::onnx {
namespace {

TEST(OnnxRulesTest, EveryOpTypeIsClaimedExactlyOnce) {
  std::map<std::string, int> claims;
  for (const OnnxRule& r : OnnxRules()) {
    EXPECT_FALSE(r.op_type.empty());
    EXPECT_NE(r.handler, nullptr) << r.op_type;
    ++claims[std::string(r.op_type)];
  }
  for (const auto& [op, count] : claims) EXPECT_EQ(count, 1) << op << " is claimed more than once";
}

TEST(OnnxRulesTest, SupportedOpsListsTheTableSorted) {
  std::vector<std::string> ops;
  for (const OnnxRule& r : OnnxRules()) ops.emplace_back(r.op_type);
  std::sort(ops.begin(), ops.end());
  ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
  std::string want;
  for (const std::string& op : ops) want += (want.empty() ? "" : ", ") + op;
  EXPECT_EQ(std::string(frontend::SupportedOnnxOps()), want);
}

// The ops the importer accepts (none may be lost): ONNX's, then QONNX's by domain.
TEST(OnnxRulesTest, KnownOpsAreAllClaimed) {
  EXPECT_EQ(
      std::string(frontend::SupportedOnnxOps()),
      "Add, AveragePool, BatchNormalization, Cast, Clip, Concat, Constant, Conv, Div, Dropout, "
      "Elu, Flatten, Gather, Gemm, GlobalAveragePool, GlobalMaxPool, HardSigmoid, Identity, "
      "LeakyRelu, MatMul, Max, MaxPool, Mean, Min, Mul, Neg, Pad, Pow, Reciprocal, ReduceMax, "
      "ReduceMean, Relu, Reshape, Resize, Selu, Shape, Sigmoid, Slice, Softmax, Softplus, "
      "Softsign, Split, Sqrt, Squeeze, Sub, Sum, Tanh, Transpose, Unsqueeze, Upsample, "
      "qonnx.custom_op.channels_last.AveragePool, "
      "qonnx.custom_op.channels_last.BatchNormalization, qonnx.custom_op.channels_last.Conv, "
      "qonnx.custom_op.channels_last.MaxPool, qonnx.custom_op.general.BipolarQuant, "
      "qonnx.custom_op.general.Quant, qonnx.custom_op.general.Trunc");
}

}  // namespace
}  // namespace firmnet::onnx
