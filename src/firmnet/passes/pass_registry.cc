#include "firmnet/passes/pass_registry.h"

#include "firmnet/passes/fuse_batchnorm.h"
#include "firmnet/passes/infer_precision.h"
#include "firmnet/passes/infer_shapes.h"
#include "firmnet/passes/merge_linear_activation.h"
#include "firmnet/passes/quantized_tanh.h"

namespace firmnet::passes {
namespace {

using Factory = std::unique_ptr<Pass> (*)();

template <typename P>
std::unique_ptr<Pass> Make() {
  return std::make_unique<P>();
}

// THE list of passes. Add a pass here and nowhere else.
const std::vector<Factory>& Factories() {
  static const std::vector<Factory> kFactories = {
      &Make<InferShapesPass>,           &Make<FuseBatchNormPass>,
      &Make<MergeLinearActivationPass>, &Make<InferPrecisionPass>,
      &Make<RemoveNopBatchNormPass>,    &Make<MergeBatchNormQuantizedTanhPass>,
      &Make<QuantizeDenseOutputPass>,
  };
  return kFactories;
}

}  // namespace

const std::vector<PassInfo>& AllPasses() {
  static const std::vector<PassInfo> kInfos = [] {
    std::vector<PassInfo> infos;
    for (Factory f : Factories()) {
      // Name and Summary return views of string literals, which outlive the instance.
      auto pass = f();
      infos.push_back({pass->Name(), pass->Summary()});
    }
    return infos;
  }();
  return kInfos;
}

StatusOr<std::unique_ptr<Pass>> CreatePass(std::string_view name) {
  std::string known;
  for (Factory f : Factories()) {
    auto pass = f();
    if (pass->Name() == name) return pass;
    known += (known.empty() ? "" : ", ") + std::string(pass->Name());
  }
  return NotFound("unknown pass '" + std::string(name) + "' (known passes: " + known + ")");
}

const std::vector<Pipeline>& AllPipelines() {
  // "default" runs on the imported graph, before the config; "resolve" after the config is
  // applied: which batchnorms fuse depends on which results the config left `auto` (hls4ml's
  // rule), inference needs the fused weights, and hls4ml removes no-op batchnorms last.
  static const std::vector<Pipeline> kPipelines = {
      {"default", {"infer_shapes"}},
      {"resolve",
       {"fuse_batchnorm", "merge_linear_activation", "infer_precision", "remove_nop_batchnorm",
        "merge_batchnorm_quantized_tanh", "quantize_dense_output"}},
  };
  return kPipelines;
}

StatusOr<std::vector<std::string>> GetPipeline(std::string_view name) {
  std::string known;
  for (const Pipeline& p : AllPipelines()) {
    if (p.name == name) return std::vector<std::string>(p.passes.begin(), p.passes.end());
    known += (known.empty() ? "" : ", ") + std::string(p.name);
  }
  return NotFound("unknown pipeline '" + std::string(name) + "' (known pipelines: " + known + ")");
}

}  // namespace firmnet::passes
