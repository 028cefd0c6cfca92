#include "firmnet/ir/verifier.h"

#include <cmath>
#include <set>

#include "firmnet/layers/registry.h"

namespace firmnet::ir {
namespace {

enum class AttrType { kDouble, kInt, kInts };

struct AttrSpec {
  std::string_view key;
  AttrType type;
};

// The attributes graph.h fixes for each kind. An exhaustive switch (no default) so that adding a
// layer to layers.def fails to compile here until its conventions are stated.
std::vector<AttrSpec> AttrSpecs(LayerKind kind) {
  switch (kind) {
    case LayerKind::kInput:
    case LayerKind::kDense:
    case LayerKind::kBatchNorm:
    case LayerKind::kLinear:
    case LayerKind::kRelu:
    case LayerKind::kSigmoid:
    case LayerKind::kTanh:
    case LayerKind::kSoftsign:
    case LayerKind::kSoftplus:
      return {};
    case LayerKind::kLeakyRelu:
    case LayerKind::kElu:
      return {{"alpha", AttrType::kDouble}};
    case LayerKind::kClip:
      return {{"min", AttrType::kDouble}, {"max", AttrType::kDouble}};
    case LayerKind::kHardSigmoid:
      return {{"alpha", AttrType::kDouble}, {"beta", AttrType::kDouble}};
    case LayerKind::kSoftmax:
      return {{"axis", AttrType::kInt}};
    case LayerKind::kReshape:
      return {{"target_shape", AttrType::kInts}};
  }
  return {};
}

// Weight names and ranks per kind (graph.h): dense weight [n_in,n_out] + bias [n_out];
// batchnorm scale [n] + bias [n].
std::vector<std::pair<std::string_view, size_t>> WeightSpecs(LayerKind kind) {
  if (kind == LayerKind::kDense) return {{"weight", 2}, {"bias", 1}};
  if (kind == LayerKind::kBatchNorm) return {{"scale", 1}, {"bias", 1}};
  return {};
}

std::string Join(const std::vector<std::string_view>& items) {
  std::string out;
  for (auto s : items) out += (out.empty() ? "" : ", ") + std::string(s);
  return out.empty() ? "none" : out;
}

// Elements of `shape` when every dimension is positive and the product fits comfortably in
// memory-sized integers; nullopt otherwise.
std::optional<int64_t> CheckedElements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d <= 0 || n > (int64_t{1} << 48) / d) return std::nullopt;
    n *= d;
  }
  return n;
}

class Verifier {
 public:
  Verifier(const Graph& g, VerifyLevel level) : g_(g), level_(level) {}

  Status Run() {
    std::set<std::string> defined;
    for (const Node& node : g_.nodes) {
      FIRMNET_RETURN_IF_ERROR(CheckNode(node, defined));
      defined.insert(node.name);
    }
    std::set<std::string> outputs;
    for (const std::string& out : g_.outputs) {
      if (!defined.count(out)) {
        return InvalidArgument("graph '" + g_.name + "': output '" + out + "' is not a node");
      }
      if (!outputs.insert(out).second) {
        return InvalidArgument("graph '" + g_.name + "': output '" + out + "' is listed twice");
      }
    }
    if (level_ == VerifyLevel::kResolved && g_.outputs.empty()) {
      return InvalidArgument("graph '" + g_.name + "' has no outputs");
    }
    return OkStatus();
  }

 private:
  Status CheckNode(const Node& node, const std::set<std::string>& defined) {
    const std::string ctx =
        "layer '" + node.name + "' (" + std::string(LayerKindId(node.kind)) + ")";
    auto err = [&](const std::string& what) { return InvalidArgument(ctx + ": " + what); };
    if (node.name.empty()) return err("the layer has an empty name");
    if (defined.count(node.name)) return err("the name is used by an earlier layer too");

    // Inputs: every layer kind but input reads exactly one tensor.
    if (node.kind == LayerKind::kInput) {
      if (!node.inputs.empty()) return err("an input layer must not have inputs");
      if (!CheckedElements(node.shape) || node.shape.empty()) {
        return err("an input layer needs a shape with positive dimensions, got " +
                   FormatShape(node.shape));
      }
    } else if (node.inputs.size() != 1) {
      return err("expects exactly 1 input, got " + std::to_string(node.inputs.size()));
    }
    for (const std::string& in : node.inputs) {
      if (in == node.name) return err("reads its own output");
      if (!defined.count(in)) {
        return err(g_.Find(in) ? "input '" + in +
                                     "' is defined after this layer (the nodes "
                                     "must be in topological order)"
                               : "input '" + in + "' is not defined");
      }
    }

    // Attributes: exactly the ones the kind defines, with their types.
    const std::vector<AttrSpec> specs = AttrSpecs(node.kind);
    std::vector<std::string_view> known;
    known.reserve(specs.size());
    for (const AttrSpec& s : specs) known.push_back(s.key);
    for (const auto& [key, value] : node.attrs) {
      bool found = false;
      for (auto k : known) found = found || k == key;
      if (!found) return err("unknown attribute '" + key + "' (expected: " + Join(known) + ")");
    }
    for (const AttrSpec& s : specs) {
      const std::string key(s.key);
      Status st;
      if (s.type == AttrType::kDouble) {
        auto v = node.GetDouble(key);
        st = v.status();
        if (v.ok() && !std::isfinite(*v)) return err("attribute '" + key + "' is not finite");
      } else if (s.type == AttrType::kInt) {
        st = node.GetInt(key).status();
      } else {
        st = node.GetInts(key).status();
      }
      if (!st.ok()) return err(st.message());
    }
    if (node.kind == LayerKind::kClip && *node.GetDouble("min") > *node.GetDouble("max")) {
      return err("attribute 'min' is greater than 'max'");
    }

    FIRMNET_RETURN_IF_ERROR(CheckWeights(node, err));
    if (level_ == VerifyLevel::kResolved) FIRMNET_RETURN_IF_ERROR(CheckResolved(node, err));
    return OkStatus();
  }

  template <typename Err>
  Status CheckWeights(const Node& node, const Err& err) {
    const auto specs = WeightSpecs(node.kind);
    std::vector<std::string_view> known;
    known.reserve(specs.size());
    for (const auto& s : specs) known.push_back(s.first);
    for (const auto& [key, t] : node.weights) {
      bool found = false;
      for (auto k : known) found = found || k == key;
      if (!found) return err("unknown weight '" + key + "' (expected: " + Join(known) + ")");
      const auto n = CheckedElements(t.shape);
      if (!n) return err("weight '" + key + "' has a bad shape " + FormatShape(t.shape));
      if (static_cast<uint64_t>(*n) != t.data.size()) {
        return err("weight '" + key + "' has shape " + FormatShape(t.shape) + " (" +
                   std::to_string(*n) + " values) but holds " + std::to_string(t.data.size()) +
                   " values");
      }
      if (!t.reference.empty() && t.reference.size() != t.data.size()) {
        return err("weight '" + key + "' holds " + std::to_string(t.data.size()) + " values but " +
                   std::to_string(t.reference.size()) + " reference values");
      }
      for (double r : t.reference) {
        if (!std::isfinite(r))
          return err("weight '" + key + "' holds a non-finite reference value");
      }
      for (size_t k = 0; k < t.data.size(); ++k) {
        if (!std::isfinite(t.data[k])) {
          return err("weight '" + key + "' holds a non-finite value at index " + std::to_string(k));
        }
        if (t.dtype == ElementType::kF32 &&
            static_cast<double>(static_cast<float>(t.data[k])) != t.data[k]) {
          return err("weight '" + key +
                     "' is f32 but holds a value that is not a float32 at index " +
                     std::to_string(k));
        }
      }
    }
    for (const auto& [key, rank] : specs) {
      const Tensor* t = node.Weight(std::string(key));
      if (!t) return err("missing weight '" + std::string(key) + "'");
      if (t->shape.size() != rank) {
        return err("weight '" + std::string(key) + "' must have rank " + std::to_string(rank) +
                   ", got shape " + FormatShape(t->shape));
      }
    }
    if (node.kind == LayerKind::kDense) {
      const Shape& w = node.Weight("weight")->shape;
      const Shape& b = node.Weight("bias")->shape;
      if (b[0] != w[1]) {
        return err("bias shape " + FormatShape(b) + " does not match weight shape " +
                   FormatShape(w) + " (expected [" + std::to_string(w[1]) + "])");
      }
    }
    if (node.kind == LayerKind::kBatchNorm) {
      const Shape& s = node.Weight("scale")->shape;
      const Shape& b = node.Weight("bias")->shape;
      if (s != b) {
        return err("bias shape " + FormatShape(b) + " does not match scale shape " +
                   FormatShape(s));
      }
    }
    return OkStatus();
  }

  template <typename Err>
  Status CheckResolved(const Node& node, const Err& err) {
    if (node.shape.empty() || !CheckedElements(node.shape)) {
      return err("shape " + FormatShape(node.shape) +
                 " is not set or has a non-positive dimension (run infer_shapes)");
    }
    const LayerInfo& info = GetLayerInfo(node.kind);
    std::vector<std::string_view> slots;
    for (const PrecisionSlot& s : info.slots) slots.push_back(s.name);
    for (const PrecisionSlot& s : info.slots) {
      const std::string name(s.name);
      if (!node.precision.count(name)) {
        return err("precision slot '" + name + "' is " +
                   (node.auto_precision.count(name) ? "auto and was not inferred (run "
                                                      "infer_precision)"
                                                    : "not set"));
      }
    }
    for (const std::string& slot : node.auto_precision) {
      bool found = false;
      for (auto s : slots) found = found || s == slot;
      if (!found)
        return err("unknown precision slot '" + slot + "' (expected: " + Join(slots) + ")");
    }
    for (const auto& [slot, t] : node.precision) {
      bool found = false;
      for (auto s : slots) found = found || s == slot;
      if (!found)
        return err("unknown precision slot '" + slot + "' (expected: " + Join(slots) + ")");
      const bool modes_ok = static_cast<int>(t.rounding) < kNumRoundings &&
                            static_cast<int>(t.overflow) < kNumOverflows;
      auto made =
          MakeFixedType(t.width, t.int_bits, t.is_signed, t.rounding, t.overflow, t.sat_bits);
      if (!modes_ok || !made.ok()) {
        return err("precision '" + slot + "' is not a valid type" +
                   (made.ok() ? std::string() : ": " + made.status().message()));
      }
    }
    if (node.settings.reuse_factor < 1) {
      return err("reuse factor " + std::to_string(node.settings.reuse_factor) +
                 " must be at least 1");
    }
    const int ts = node.settings.table_size;
    if (ts < 0 || (ts & (ts - 1)) != 0) {
      return err("table size " + std::to_string(ts) + " must be 0 (the default) or a power of two");
    }
    if (ts != 0 && info.default_table_size == 0) {
      return err("table size " + std::to_string(ts) + " is set, but this layer has no table");
    }

    if (node.kind == LayerKind::kInput) return OkStatus();
    const Node* in = g_.Find(node.inputs[0]);
    FIRMNET_CHECK(in != nullptr) << "inputs were checked above";
    switch (node.kind) {
      case LayerKind::kInput:
        break;
      case LayerKind::kDense: {
        const Shape& w = node.Weight("weight")->shape;
        if (in->shape != Shape{w[0]}) {
          return err("input '" + in->name + "' has shape " + FormatShape(in->shape) +
                     " but the weight " + FormatShape(w) + " expects [" + std::to_string(w[0]) +
                     "]");
        }
        if (node.shape != Shape{w[1]}) {
          return err("shape " + FormatShape(node.shape) + " does not match the weight " +
                     FormatShape(w) + " (expected [" + std::to_string(w[1]) + "])");
        }
        break;
      }
      case LayerKind::kReshape:
        if (CheckedElements(in->shape) != CheckedElements(node.shape)) {
          return err("shape " + FormatShape(node.shape) +
                     " does not hold as many values as the "
                     "input shape " +
                     FormatShape(in->shape));
        }
        break;
      case LayerKind::kBatchNorm:
      case LayerKind::kLinear:
      case LayerKind::kRelu:
      case LayerKind::kLeakyRelu:
      case LayerKind::kClip:
      case LayerKind::kSigmoid:
      case LayerKind::kTanh:
      case LayerKind::kHardSigmoid:
      case LayerKind::kSoftmax:
      case LayerKind::kSoftsign:
      case LayerKind::kSoftplus:
      case LayerKind::kElu:
        if (node.shape != in->shape) {
          return err("shape " + FormatShape(node.shape) + " differs from the input's shape " +
                     FormatShape(in->shape) + " (an element-wise layer keeps it)");
        }
        break;
    }
    return OkStatus();
  }

  const Graph& g_;
  VerifyLevel level_;
};

}  // namespace

Status VerifyGraph(const Graph& g, VerifyLevel level) { return Verifier(g, level).Run(); }

}  // namespace firmnet::ir
