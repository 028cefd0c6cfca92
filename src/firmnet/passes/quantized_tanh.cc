#include "firmnet/passes/quantized_tanh.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <variant>

#include "firmnet/ir/numpy_arith.h"
#include "firmnet/layers/batchnorm_quantized_tanh/batchnorm_quantized_tanh.h"

namespace firmnet::passes {
namespace {

using ir::Add;
using ir::At;
using ir::Div;
using ir::Elem;
using ir::Mul;
using ir::Weak;

bool IsOutput(const ir::Graph& g, const std::string& name) {
  return std::any_of(g.outputs.begin(), g.outputs.end(),
                     [&](const ir::TensorRef& t) { return t.node == name; });
}

FixedType TernaryType() { return *ParseFixedType(layers::kTernaryType); }
FixedType XnorType() { return *MakeFixedType(1, 1, false); }

// floor(v * 2^F) / 2^F in the element's arithmetic; the float reference keeps the exact value.
Elem FloorToGrid(Elem v, int frac_bits) {
  const double scale = std::ldexp(1.0, frac_bits);
  Elem up = Mul(v, Weak(scale, v.t));
  up.v = std::floor(up.v);
  Elem out = Div(up, Weak(scale, v.t));
  out.ref = v.ref;
  return out;
}

}  // namespace

StatusOr<bool> MergeBatchNormQuantizedTanhPass::Run(ir::Graph& g) {
  bool changed = false;
  for (size_t k = 0; k < g.nodes.size(); ++k) {
    const ir::Node& act = g.nodes[k];
    if (act.kind != LayerKind::kBinaryTanh && act.kind != LayerKind::kTernaryTanh) continue;
    if (act.inputs.size() != 1 || act.inputs[0].port != 0) continue;
    const ir::Node* bn = g.Find(act.inputs[0].node);
    if (bn == nullptr || bn->kind != LayerKind::kBatchNorm || bn->inputs.size() != 1) continue;
    if (g.Consumers(bn->name).size() != 1 || IsOutput(g, bn->name)) continue;
    const ir::Node* producer = g.Find(bn->inputs[0].node);
    const ir::Tensor* scale = bn->Weight("scale");
    const ir::Tensor* bias = bn->Weight("bias");
    if (producer == nullptr || scale == nullptr || bias == nullptr ||
        scale->data.size() != bias->data.size() || !producer->precision.count("result")) {
      return Internal("merge_batchnorm_quantized_tanh: " + bn->Label() +
                      " has no resolved input type or scale/bias");
    }
    const int frac = producer->Precision("result").frac_bits();
    const bool binary = act.kind == LayerKind::kBinaryTanh;
    const size_t n = scale->data.size();
    ir::TensorBuilder t(scale->shape), hi(scale->shape), lo(scale->shape);
    for (size_t i = 0; i < n; ++i) {
      const Elem s = At(*scale, i);
      Elem b = At(*bias, i);
      b.v = -b.v;
      b.ref = -b.ref;
      const Elem threshold = Div(b, s);  // -bias / scale
      if (binary) {
        t.Set(i, FloorToGrid(threshold, frac));
      } else {
        hi.Set(i, FloorToGrid(Add(Div(Weak(0.5, s.t), s), threshold), frac));
        lo.Set(i, FloorToGrid(Add(Div(Weak(-0.5, s.t), s), threshold), frac));
      }
    }
    ir::Node merged;
    merged.name = "bnbt_" + bn->name;
    merged.kind = LayerKind::kBatchNormQuantizedTanh;
    merged.inputs = bn->inputs;
    merged.shape = act.shape;
    merged.attrs["levels"] = int64_t{binary ? 2 : 3};
    if (binary) {
      merged.weights["threshold"] = std::move(t).Finish();
    } else {
      merged.weights["threshold_hi"] = std::move(hi).Finish();
      merged.weights["threshold_lo"] = std::move(lo).Finish();
    }
    merged.precision["result"] = TernaryType();
    merged.model_precision["result"] = TernaryType();
    merged.settings = bn->settings;
    merged.origin = bn->origin;
    // hls4ml's binary BatchNormalizationQuantizedTanh writes its XNOR type (ap_uint<1>: 1 for
    // +1, 0 for -1); its readers take 0 as -1. Where the layer is a graph output firmnet writes
    // those bits too; readers inside the model keep -1/+1 (the same numbers). An output that
    // also has readers gets the bits from a binary_tanh (xnor=1) after the merged layer.
    const bool output_bits = binary && IsOutput(g, act.name);
    const bool readers = !g.Consumers(act.name).empty();
    std::optional<ir::Node> bits;
    if (output_bits && !readers) {
      merged.attrs["xnor"] = int64_t{1};
      merged.precision["result"] = XnorType();
      merged.model_precision["result"] = XnorType();
    } else if (output_bits) {
      bits.emplace();
      bits->name = merged.name + "_xnor";
      bits->kind = LayerKind::kBinaryTanh;
      bits->inputs = {ir::TensorRef(merged.name)};
      bits->shape = merged.shape;
      bits->attrs["xnor"] = int64_t{1};
      bits->precision["result"] = XnorType();
      bits->model_precision["result"] = XnorType();
      bits->settings = merged.settings;
      bits->origin = act.origin;
    }
    for (const std::string& name : {merged.name, bits ? bits->name : merged.name}) {
      if (g.Find(name) != nullptr) {
        return InvalidArgument("merge_batchnorm_quantized_tanh: a layer named '" + name +
                               "' already exists; rename it");
      }
    }
    // The merged layer takes the activation's place; the batchnorm goes.
    const std::string act_name = act.name, bn_name = bn->name;
    const ir::TensorRef old_ref(act_name), new_ref(merged.name);
    for (ir::Node& other : g.nodes) {
      std::replace(other.inputs.begin(), other.inputs.end(), old_ref, new_ref);
    }
    std::replace(g.outputs.begin(), g.outputs.end(), old_ref,
                 bits ? ir::TensorRef(bits->name) : new_ref);
    g.nodes[k] = std::move(merged);
    g.nodes.erase(std::find_if(g.nodes.begin(), g.nodes.end(),
                               [&](const ir::Node& x) { return x.name == bn_name; }));
    if (bits) g.AddNode(std::move(*bits));
    changed = true;
    k = 0;  // indices moved; start over (each merge removes a batchnorm, so this ends)
  }
  return changed;
}

StatusOr<bool> QuantizeDenseOutputPass::Run(ir::Graph& g) {
  bool changed = false;
  for (ir::Node& d : g.nodes) {
    if (d.kind != LayerKind::kDense || d.inputs.size() != 1) continue;
    auto q = d.attrs.find("weight_quantizer");
    if (q == d.attrs.end()) continue;
    const auto* qname = std::get_if<std::string>(&q->second);
    if (qname == nullptr || (*qname != "binary" && *qname != "ternary")) continue;  // Keras only
    const ir::Node* in = g.Find(d.inputs[0].node);
    if (in == nullptr || in->kind != LayerKind::kBatchNormQuantizedTanh) continue;
    const ir::Tensor* w = d.Weight("weight");
    if (w == nullptr || w->shape.size() != 2) continue;
    const int64_t n_in = w->shape[0];
    const int nbits = static_cast<int>(std::ceil(std::log2(static_cast<double>(n_in)))) + 2;
    FIRMNET_ASSIGN_OR_RETURN(FixedType out, MakeFixedType(nbits, nbits, true));
    ir::Tensor& bias = d.weights["bias"];
    const bool zero_bias =
        std::all_of(bias.data.begin(), bias.data.end(), [](double v) { return v == 0.0; });
    if (d.precision["accum"] == out && d.precision["result"] == out && zero_bias) continue;
    d.precision["accum"] = out;
    d.precision["result"] = out;
    d.auto_precision.erase("accum");
    d.auto_precision.erase("result");
    bias.data.assign(bias.data.size(), 0.0);
    bias.reference.clear();
    for (ir::Node& reader : g.nodes) {
      if (reader.kind != LayerKind::kBatchNormQuantizedTanh || reader.inputs.empty() ||
          reader.inputs[0].node != d.name) {
        continue;
      }
      for (auto& [key, t] : reader.weights) {
        if (t.reference.empty()) t.reference = t.data;  // the float reference stays unfloored
        for (double& v : t.data) v = std::floor(v);
      }
    }
    changed = true;
  }
  return changed;
}

}  // namespace firmnet::passes
