#include "firmnet/ir/verifier.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "firmnet/layers/registry.h"

namespace firmnet::ir {
namespace {

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
    // name -> output ports; a multi-output layer before shape inference may have any number.
    std::map<std::string, int> defined;
    for (const Node& node : g_.nodes) {
      FIRMNET_RETURN_IF_ERROR(CheckNode(node, defined));
      const bool unknown = GetLayerInfo(node.kind).multi_output && node.shape.empty() &&
                           level_ != VerifyLevel::kResolved;
      defined[node.name] = unknown ? std::numeric_limits<int>::max() : node.NumOutputs();
    }
    std::set<TensorRef> outputs;
    for (const TensorRef& out : g_.outputs) {
      const auto it = defined.find(out.node);
      if (it == defined.end()) {
        return InvalidArgument("graph '" + g_.name + "': output '" + out.ToString() +
                               "' is not a node");
      }
      if (out.port < 0 || out.port >= it->second) {
        return InvalidArgument("graph '" + g_.name + "': output '" + out.ToString() +
                               "' names a port that layer '" + out.node + "' does not have (" +
                               std::to_string(it->second) + " output" +
                               (it->second == 1 ? "" : "s") + ")");
      }
      if (!outputs.insert(out).second) {
        return InvalidArgument("graph '" + g_.name + "': output '" + out.ToString() +
                               "' is listed twice");
      }
    }
    if (level_ == VerifyLevel::kResolved && g_.outputs.empty()) {
      return InvalidArgument("graph '" + g_.name + "' has no outputs");
    }
    return OkStatus();
  }

 private:
  Status CheckNode(const Node& node, const std::map<std::string, int>& defined) {
    const std::string ctx =
        "layer '" + node.name + "' (" + std::string(LayerKindId(node.kind)) + ")";
    auto err = [&](const std::string& what) { return InvalidArgument(ctx + ": " + what); };
    if (node.name.empty()) return err("the layer has an empty name");
    if (!node.extra_outputs.empty() && !GetLayerInfo(node.kind).multi_output) {
      return err("has " + std::to_string(node.NumOutputs()) +
                 " output shapes, but this layer kind has one output");
    }
    if (defined.count(node.name)) return err("the name is used by an earlier layer too");

    // Inputs: as many as the layer's schema allows.
    const LayerInfo& info = GetLayerInfo(node.kind);
    const int n_in = static_cast<int>(node.inputs.size());
    if (n_in < info.min_inputs || (info.max_inputs != kAnyInputs && n_in > info.max_inputs)) {
      std::string want =
          info.min_inputs == info.max_inputs ? "exactly " + std::to_string(info.min_inputs)
          : info.max_inputs == kAnyInputs
              ? "at least " + std::to_string(info.min_inputs)
              : std::to_string(info.min_inputs) + " to " + std::to_string(info.max_inputs);
      return err("expects " + want + " input" + (info.max_inputs == 1 ? "" : "s") + ", got " +
                 std::to_string(n_in));
    }
    if (node.kind == LayerKind::kInput && (!CheckedElements(node.shape) || node.shape.empty())) {
      return err("an input layer needs a shape with positive dimensions, got " +
                 FormatShape(node.shape));
    }
    for (const TensorRef& in : node.inputs) {
      if (in.node == node.name) return err("reads its own output");
      const auto it = defined.find(in.node);
      if (it == defined.end()) {
        return err(g_.Find(in.node) ? "input '" + in.ToString() +
                                          "' is defined after this layer (the nodes "
                                          "must be in topological order)"
                                    : "input '" + in.ToString() + "' is not defined");
      }
      if (in.port < 0 || in.port >= it->second) {
        return err("input '" + in.ToString() + "' names output port " + std::to_string(in.port) +
                   ", but layer '" + in.node + "' has " + std::to_string(it->second) + " output" +
                   (it->second == 1 ? "" : "s"));
      }
    }

    // Attributes: exactly the ones the schema declares, with their types.
    std::vector<std::string_view> known;
    known.reserve(info.attrs.size());
    for (const AttrSpec& s : info.attrs) known.push_back(s.key);
    for (const auto& [key, value] : node.attrs) {
      bool found = false;
      for (auto k : known) found = found || k == key;
      if (!found) return err("unknown attribute '" + key + "' (expected: " + Join(known) + ")");
    }
    for (const AttrSpec& s : info.attrs) {
      const std::string key(s.key);
      if (s.optional && !node.attrs.count(key)) continue;
      Status st;
      switch (s.type) {
        case AttrType::kDouble: {
          auto v = node.GetDouble(key);
          st = v.status();
          if (v.ok() && !std::isfinite(*v)) return err("attribute '" + key + "' is not finite");
          break;
        }
        case AttrType::kInt:
          st = node.GetInt(key).status();
          break;
        case AttrType::kInts:
          st = node.GetInts(key).status();
          break;
        case AttrType::kDoubles: {
          auto v = node.GetDoubles(key);
          st = v.status();
          for (double d : v.ok() ? *v : std::vector<double>{}) {
            if (!std::isfinite(d)) return err("attribute '" + key + "' holds a non-finite value");
          }
          break;
        }
        case AttrType::kString:
          st = node.GetString(key).status();
          break;
      }
      if (!st.ok()) return err(st.message());
    }
    FIRMNET_RETURN_IF_ERROR(CheckWeights(node, info, err));
    for (const auto& [slot, t] : node.model_precision) {
      bool found = false;
      for (const PrecisionSlot& s : info.slots) found = found || s.name == slot;
      if (!found) {
        std::vector<std::string_view> slots;
        for (const PrecisionSlot& s : info.slots) slots.push_back(s.name);
        return err("unknown model_precision slot '" + slot + "' (expected: " + Join(slots) + ")");
      }
      if (!MakeFixedType(t.width, t.int_bits, t.is_signed, t.rounding, t.overflow, t.sat_bits)
               .ok()) {
        return err("model_precision '" + slot + "' is not a valid type");
      }
    }
    if (info.check) {
      if (Status st = info.check(node); !st.ok()) return err(st.message());
    }
    if (level_ == VerifyLevel::kResolved) FIRMNET_RETURN_IF_ERROR(CheckResolved(node, err));
    return OkStatus();
  }

  template <typename Err>
  Status CheckWeights(const Node& node, const LayerInfo& info, const Err& err) {
    std::vector<std::string_view> known;
    known.reserve(info.weights.size());
    for (const WeightSpec& s : info.weights) known.push_back(s.key);
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
    for (const WeightSpec& s : info.weights) {
      const Tensor* t = node.Weight(std::string(s.key));
      if (!t) {
        if (s.optional) continue;
        return err("missing weight '" + std::string(s.key) + "'");
      }
      if (t->shape.size() != s.rank) {
        return err("weight '" + std::string(s.key) + "' must have rank " + std::to_string(s.rank) +
                   ", got shape " + FormatShape(t->shape));
      }
    }
    return OkStatus();
  }

  template <typename Err>
  Status CheckResolved(const Node& node, const Err& err) {
    for (int p = 0; p < node.NumOutputs(); ++p) {
      const Shape& shape = node.OutputShape(p);
      if (shape.empty() || !CheckedElements(shape)) {
        return err((node.NumOutputs() == 1 ? "shape " : "output " + std::to_string(p) + " shape ") +
                   FormatShape(shape) +
                   " is not set or has a non-positive dimension (run infer_shapes)");
      }
    }
    const LayerInfo& info = GetLayerInfo(node.kind);
    std::vector<std::string_view> slots;
    for (const PrecisionSlot& s : info.slots) slots.push_back(s.name);
    for (const PrecisionSlot& s : info.slots) {
      const std::string name(s.name);
      if (!node.precision.count(name)) {
        if (s.optional && !node.auto_precision.count(name)) continue;
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

    // Shapes against the layer's own inference: layers::CheckShapes (the verifier knows only
    // the schema; the emulator runs both).
    return OkStatus();
  }

  const Graph& g_;
  VerifyLevel level_;
};

}  // namespace

Status VerifyGraph(const Graph& g, VerifyLevel level) { return Verifier(g, level).Run(); }

}  // namespace firmnet::ir
