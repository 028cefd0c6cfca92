#include "firmnet/passes/fuse_batchnorm.h"

#include <algorithm>

#include "firmnet/ir/numpy_arith.h"

namespace firmnet::passes {
namespace {

using ir::Add;
using ir::At;
using ir::Mul;

bool IsOutput(const ir::Graph& g, const std::string& name) {
  return std::any_of(g.outputs.begin(), g.outputs.end(),
                     [&](const ir::TensorRef& t) { return t.node == name; });
}

bool ResultIsAuto(const ir::Node& node) { return node.auto_precision.count("result") > 0; }

// Removes the single-output node `index` and makes its readers and the graph outputs read
// `replacement`.
void Bypass(ir::Graph& g, size_t index, const ir::TensorRef& replacement) {
  const ir::TensorRef self(g.nodes[index].name);
  for (ir::Node& n : g.nodes) std::replace(n.inputs.begin(), n.inputs.end(), self, replacement);
  std::replace(g.outputs.begin(), g.outputs.end(), self, replacement);
  g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(index));
}

std::string Describe(const ir::Node& n) {
  return "layer '" + n.name + "' (" + std::string(LayerKindId(n.kind)) + ")";
}

// The batchnorm at `index` and its producer, when the producer's result is auto, nothing else
// reads it and it is not a graph output.
ir::Node* FusableProducer(ir::Graph& g, size_t index, LayerKind producer_kind) {
  const ir::Node& bn = g.nodes[index];
  if (bn.kind != LayerKind::kBatchNorm || bn.inputs.size() != 1 || bn.inputs[0].port != 0) {
    return nullptr;
  }
  ir::Node* p = g.Find(bn.inputs[0].node);
  if (!p || p->kind != producer_kind || !ResultIsAuto(*p)) return nullptr;
  if (g.Consumers(p->name).size() != 1 || IsOutput(g, p->name)) return nullptr;
  return p;
}

StatusOr<const ir::Tensor*> NeedWeight(const ir::Node& n, const char* key, size_t size,
                                       const std::string& ctx) {
  const ir::Tensor* t = n.Weight(key);
  if (!t || t->data.empty() || t->data.size() % size != 0) {
    return InvalidArgument(ctx + ": " + Describe(n) + " has no '" + key + "' tensor with " +
                           std::to_string(size) + " values per output");
  }
  return t;
}

// hls4ml's compatibility rule for a producer whose weights the model quantizes (QKeras
// kernel/bias quantizers, binary/ternary weights: the slots in model_precision): a quantized
// weight fuses only with an all-ones scale, a quantized bias only with an all-zeros shift.
bool QuantizersAllowFusion(const ir::Node& producer, const ir::Tensor& scale,
                           const ir::Tensor& shift) {
  const auto all = [](const ir::Tensor& t, double v) {
    return std::all_of(t.data.begin(), t.data.end(), [v](double x) { return x == v; });
  };
  const bool scale_ok = !producer.model_precision.count("weight") || all(scale, 1.0);
  const bool bias_ok = !producer.model_precision.count("bias") || all(shift, 0.0);
  return scale_ok && bias_ok;
}

// Pattern 1: batchnorm after batchnorm.
StatusOr<bool> TryFuseConsecutive(ir::Graph& g, size_t index) {
  ir::Node* first = FusableProducer(g, index, LayerKind::kBatchNorm);
  if (!first) return false;
  ir::Node& second = g.nodes[index];
  // A scale or bias that a quantizer fixed (a QONNX Quant on the constant) keeps its layer.
  for (const ir::Node* bn : {first, &second}) {
    if (bn->model_precision.count("scale") || bn->model_precision.count("bias")) return false;
  }
  const std::string ctx = "fuse_batchnorm: " + Describe(*first) + " into " + Describe(second);
  const size_t n = second.Weight("scale") ? second.Weight("scale")->data.size() : 0;
  FIRMNET_ASSIGN_OR_RETURN(const ir::Tensor* s0, NeedWeight(*first, "scale", n, ctx));
  FIRMNET_ASSIGN_OR_RETURN(const ir::Tensor* b0, NeedWeight(*first, "bias", n, ctx));
  FIRMNET_ASSIGN_OR_RETURN(const ir::Tensor* s1, NeedWeight(second, "scale", n, ctx));
  FIRMNET_ASSIGN_OR_RETURN(const ir::Tensor* b1, NeedWeight(second, "bias", n, ctx));
  if (s0->data.size() != n || b0->data.size() != n || b1->data.size() != n) {
    return InvalidArgument(ctx + ": scale and bias sizes disagree");
  }
  ir::TensorBuilder scale(s1->shape), bias(b1->shape);
  for (size_t i = 0; i < n; ++i) {
    scale.Set(i, Mul(At(*s0, i), At(*s1, i)));
    bias.Set(i, Add(Mul(At(*s1, i), At(*b0, i)), At(*b1, i)));
  }
  second.weights["scale"] = std::move(scale).Finish();
  second.weights["bias"] = std::move(bias).Finish();
  const ir::TensorRef first_input = first->inputs.at(0);
  const size_t first_index = static_cast<size_t>(first - g.nodes.data());
  second.inputs[0] = first_input;
  g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(first_index));
  return true;
}

// Pattern 2: batchnorm after dense, conv1d or conv2d (hls4ml's FuseBatchNormalization matches
// Dense, Conv1D and Conv2D). The output channel is the last axis of the weight tensor in each
// ([n_in, n_out], [kw, C, F], [kh, kw, C, F]), so the scale of weight i is scale[i mod n_out].
StatusOr<bool> TryFuseIntoDense(ir::Graph& g, size_t index) {
  ir::Node* dense = nullptr;
  for (LayerKind k : {LayerKind::kDense, LayerKind::kConv1D, LayerKind::kConv2D}) {
    if (dense == nullptr) dense = FusableProducer(g, index, k);
  }
  if (!dense) return false;
  const ir::Node& bn = g.nodes[index];
  const std::string ctx = "fuse_batchnorm: " + Describe(bn) + " after " + Describe(*dense);
  const ir::Tensor* w = dense->Weight("weight");
  const ir::Tensor* b = dense->Weight("bias");
  const ir::Tensor* scale = bn.Weight("scale");
  const ir::Tensor* shift = bn.Weight("bias");
  if (scale && shift && !QuantizersAllowFusion(*dense, *scale, *shift)) return false;
  if (!w || !b || !scale || !shift || w->shape.size() < 2) {
    return InvalidArgument(ctx +
                           ": missing weights (the layer needs a weight [..., n_out] and a bias, "
                           "batchnorm needs scale and bias)");
  }
  const size_t n_out = static_cast<size_t>(w->shape.back());
  if (n_out == 0 || w->data.size() % n_out != 0 || b->data.size() != n_out ||
      scale->data.size() != n_out || shift->data.size() != n_out) {
    return InvalidArgument(ctx + ": sizes disagree: weight " + ir::FormatShape(w->shape) +
                           ", bias " + ir::FormatShape(b->shape) + ", batchnorm scale " +
                           ir::FormatShape(scale->shape) + ", bias " +
                           ir::FormatShape(shift->shape));
  }
  ir::TensorBuilder new_w(w->shape), new_b(b->shape);
  for (size_t i = 0; i < w->data.size(); ++i) new_w.Set(i, Mul(At(*scale, i % n_out), At(*w, i)));
  for (size_t j = 0; j < n_out; ++j) {
    new_b.Set(j, Add(Mul(At(*scale, j), At(*b, j)), At(*shift, j)));
  }
  dense->weights["weight"] = std::move(new_w).Finish();
  dense->weights["bias"] = std::move(new_b).Finish();
  // The auto types were (or will be) inferred for the old weights: infer_precision redoes them.
  for (const std::string& slot : dense->auto_precision) dense->precision.erase(slot);
  Bypass(g, index, dense->name);
  return true;
}

}  // namespace

StatusOr<bool> FuseBatchNormPass::Run(ir::Graph& g) {
  // hls4ml's optimizer loop: the first pattern that matches anywhere is applied, then the search
  // starts over with the first pattern.
  bool changed = false;
  while (true) {
    bool fused = false;
    for (auto* pattern : {&TryFuseConsecutive, &TryFuseIntoDense}) {
      for (size_t k = 0; k < g.nodes.size() && !fused; ++k) {
        FIRMNET_ASSIGN_OR_RETURN(fused, (*pattern)(g, k));
      }
      if (fused) break;
    }
    if (!fused) return changed;
    changed = true;
  }
}

StatusOr<bool> RemoveNopBatchNormPass::Run(ir::Graph& g) {
  bool changed = false;
  size_t k = 0;
  while (k < g.nodes.size()) {
    const ir::Node& n = g.nodes[k];
    const ir::Tensor* scale = n.Weight("scale");
    const ir::Tensor* bias = n.Weight("bias");
    const bool nop =
        n.kind == LayerKind::kBatchNorm && n.inputs.size() == 1 && scale && bias &&
        std::all_of(scale->data.begin(), scale->data.end(), [](double v) { return v == 1.0; }) &&
        std::all_of(bias->data.begin(), bias->data.end(), [](double v) { return v == 0.0; });
    if (!nop) {
      ++k;
      continue;
    }
    const ir::TensorRef input = n.inputs[0];
    Bypass(g, k, input);
    changed = true;
  }
  return changed;
}

}  // namespace firmnet::passes
