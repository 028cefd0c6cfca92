#include "firmnet/emu/emulator.h"

#include <cmath>
#include <optional>

#include "firmnet/fixed/fixed_value.h"
#include "firmnet/layers/layer.h"

namespace firmnet::emu {
namespace {

// Shared plan building: node order, where each tensor lives, checks.
struct Slice {
  int node = 0;        // buffer index (graph order)
  int64_t offset = 0;  // a multi-output layer's buffer holds its ports one after another
  int64_t size = 0;
};
struct Plan {
  std::vector<const ir::Node*> nodes;
  std::vector<std::vector<Slice>> inputs;
  std::vector<int64_t> buffer_sizes;  // all output ports of the node
  std::vector<Slice> outputs;
  std::vector<std::pair<std::string, Slice>> tensors;  // "name" / "name:port", graph order
  std::vector<int> input_indices;                      // the input layers, graph order
  std::vector<const ir::Node*> input_nodes;
  std::vector<int64_t> input_sizes;
};

StatusOr<Plan> MakePlan(const ir::Graph& graph) {
  Plan p;
  std::map<std::string, int> index;
  // Where port `ref.port` of an earlier node lives.
  auto locate = [&](const ir::TensorRef& ref) -> std::optional<Slice> {
    auto it = index.find(ref.node);
    if (it == index.end()) return std::nullopt;
    const ir::Node& n = *p.nodes[static_cast<size_t>(it->second)];
    if (ref.port < 0 || ref.port >= n.NumOutputs()) return std::nullopt;
    Slice s{it->second, 0, 0};
    for (int q = 0; q < ref.port; ++q) s.offset += ir::NumElements(n.OutputShape(q));
    s.size = ir::NumElements(n.OutputShape(ref.port));
    return s;
  };
  for (const auto& node : graph.nodes) {
    std::vector<Slice> in;
    for (const ir::TensorRef& ref : node.inputs) {
      const std::optional<Slice> s = locate(ref);
      if (!s) {
        return InvalidArgument("layer '" + node.name + "' reads '" + ref.ToString() +
                               "', which is not produced by an earlier layer");
      }
      in.push_back(*s);
    }
    if (node.shape.empty()) {
      return InvalidArgument(node.Label() + " has no shape (run shape inference)");
    }
    if (node.kind == LayerKind::kInput) {
      p.input_indices.push_back(static_cast<int>(p.nodes.size()));
      p.input_nodes.push_back(&node);
      p.input_sizes.push_back(ir::NumElements(node.shape));
    }
    index[node.name] = static_cast<int>(p.nodes.size());
    p.nodes.push_back(&node);
    p.inputs.push_back(std::move(in));
    int64_t size = 0;
    for (int q = 0; q < node.NumOutputs(); ++q) {
      const ir::TensorRef ref(node.name, q);
      p.tensors.emplace_back(ref.ToString(), *locate(ref));
      size += ir::NumElements(node.OutputShape(q));
    }
    p.buffer_sizes.push_back(size);
  }
  if (p.input_indices.empty()) {
    return InvalidArgument("graph '" + graph.name + "' has no input layer");
  }
  FIRMNET_RETURN_IF_ERROR(layers::CheckShapes(graph));
  if (graph.outputs.empty()) return InvalidArgument("graph '" + graph.name + "' has no outputs");
  for (const ir::TensorRef& ref : graph.outputs) {
    const std::optional<Slice> s = locate(ref);
    if (!s) {
      return InvalidArgument("graph output '" + ref.ToString() +
                             "' is not an output of a layer of the graph");
    }
    p.outputs.push_back(*s);
  }
  return p;
}

Status CheckInputs(const std::vector<Batch>& inputs, const Plan& plan) {
  const size_t n = plan.input_nodes.size();
  auto describe = [&] {
    std::string s;
    for (size_t i = 0; i < n; ++i) {
      s += (i ? ", " : "") + plan.input_nodes[i]->name + " " +
           ir::FormatShape(plan.input_nodes[i]->shape);
    }
    return s;
  };
  if (inputs.size() != n) {
    return InvalidArgument("the model has " + std::to_string(n) + " input" + (n == 1 ? "" : "s") +
                           " (" + describe() + ") but " + std::to_string(inputs.size()) +
                           (inputs.size() == 1 ? " was" : " were") + " given");
  }
  for (size_t i = 0; i < n; ++i) {
    const Batch& b = inputs[i];
    const int64_t size = plan.input_sizes[i];
    const std::string what = n == 1 ? "the input" : "input '" + plan.input_nodes[i]->name + "'";
    if (b.cols != size) {
      return InvalidArgument("the model expects " + std::to_string(size) +
                             " input values per sample" +
                             (n == 1 ? "" : " for input '" + plan.input_nodes[i]->name + "'") +
                             ", but " + what + " has " + std::to_string(b.cols) + " (shape " +
                             ir::FormatShape(plan.input_nodes[i]->shape) + ")");
    }
    if (b.rows != inputs[0].rows) {
      return InvalidArgument(what + " has " + std::to_string(b.rows) + " rows but input '" +
                             plan.input_nodes[0]->name + "' has " + std::to_string(inputs[0].rows));
    }
    if (static_cast<int64_t>(b.data.size()) != b.rows * b.cols) {
      return InvalidArgument(what + ": batch size does not match rows x cols");
    }
    for (int64_t k = 0; k < static_cast<int64_t>(b.data.size()); ++k) {
      if (!std::isfinite(b.data[k])) {
        return InvalidArgument((n == 1 ? "input" : what) + " row " + std::to_string(k / size + 1) +
                               ", column " + std::to_string(k % size + 1) +
                               " is not a finite number");
      }
    }
  }
  return OkStatus();
}

// One sample's values of every input, one after another (RunOne's layout).
void GatherSample(const std::vector<Batch>& inputs, int64_t row, std::vector<double>& out) {
  out.clear();
  for (const Batch& b : inputs) {
    out.insert(out.end(), b.data.begin() + row * b.cols, b.data.begin() + (row + 1) * b.cols);
  }
}

template <typename R>
class EngineImpl final : public Emulator {
 public:
  Status Init(const ir::Graph& graph) {
    FIRMNET_ASSIGN_OR_RETURN(plan_, MakePlan(graph));
    for (size_t k = 0; k < plan_.nodes.size(); ++k) {
      const ir::Node& node = *plan_.nodes[k];
      FIRMNET_ASSIGN_OR_RETURN(layers::ResolvedInputs ins, layers::ResolveInputs(graph, node));
      auto kernel = layers::MakeKernel<R>(node, ins.nodes);
      if (!kernel.ok()) return kernel.status().WithContext(node.Label());
      kernels_.push_back(std::move(kernel).value());
      buffers_.emplace_back(plan_.buffer_sizes[k]);
      counters_.push_back({});
      types_.push_back(node.Precision("result"));
    }
    for (int k : plan_.input_indices) {
      const FixedType& t = types_[k];
      InputCast c;
      c.type = t;
      c.simple = t.rounding == Rounding::kTrn && t.overflow == Overflow::kWrap && t.sat_bits == 0 &&
                 t.width <= 52 && std::abs(t.lsb_exponent()) < 900;
      c.scale = std::ldexp(1.0, -t.lsb_exponent());
      c.cast = Caster(t.lsb_exponent(), t);
      input_casts_.push_back(c);
    }
    return OkStatus();
  }

  Engine engine() const override {
    return std::is_same_v<R, int64_t> ? Engine::kInt64 : Engine::kBigInt;
  }
  const std::vector<const ir::Node*>& inputs() const override { return plan_.input_nodes; }
  const std::vector<int64_t>& input_sizes() const override { return plan_.input_sizes; }

  StatusOr<RunResult> Run(const std::vector<Batch>& batches, const RunOptions& options) override {
    FIRMNET_RETURN_IF_ERROR(CheckInputs(batches, plan_));
    const int64_t rows = batches[0].rows;
    for (auto& c : counters_) c = {};
    RunResult result;
    for (const Slice& o : plan_.outputs) {
      result.outputs.push_back({rows, o.size, {}});
      result.outputs.back().data.reserve(rows * o.size);
      result.output_types.push_back(types_[o.node]);
      if (options.keep_raw) result.raw_outputs.emplace_back();
    }
    if (options.trace) {
      for (const auto& [name, t] : plan_.tensors) result.trace[name] = {rows, t.size, {}};
    }
    std::vector<double> sample;
    for (int64_t r = 0; r < rows; ++r) {
      GatherSample(batches, r, sample);
      Forward(sample.data());
      for (size_t o = 0; o < plan_.outputs.size(); ++o) {
        const Slice& s = plan_.outputs[o];
        const R* v = buffers_[s.node].data() + s.offset;
        for (int64_t i = 0; i < s.size; ++i) {
          result.outputs[o].data.push_back(ToDoubleValue(v[i], types_[s.node]));
          if (options.keep_raw) result.raw_outputs[o].push_back(ToBig(v[i]));
        }
      }
      if (options.trace) {
        for (const auto& [name, s] : plan_.tensors) {
          auto& t = result.trace[name].data;
          const R* v = buffers_[s.node].data() + s.offset;
          for (int64_t i = 0; i < s.size; ++i) t.push_back(ToDoubleValue(v[i], types_[s.node]));
        }
      }
    }
    for (size_t k = 0; k < plan_.nodes.size(); ++k) {
      result.layers.push_back({plan_.nodes[k]->name, plan_.nodes[k]->kind, counters_[k]});
    }
    return result;
  }

  void RunOne(const double* input, double* output) override {
    Forward(input);
    int64_t n = 0;
    for (const Slice& s : plan_.outputs) {
      const R* v = buffers_[s.node].data() + s.offset;
      for (int64_t i = 0; i < s.size; ++i) output[n++] = ToDoubleValue(v[i], types_[s.node]);
    }
  }

 private:
  static double ToDoubleValue(const R& v, const FixedType& t) { return ToDouble(v, t); }

  void Forward(const double* sample) {
    for (size_t i = 0; i < plan_.input_indices.size(); ++i) {
      const int k = plan_.input_indices[i];
      QuantizeInput(sample, input_casts_[i], buffers_[k], counters_[k]);
      sample += buffers_[k].size();
    }
    std::vector<const R*>& args = args_;  // reused: no allocation per sample
    for (size_t k = 0; k < plan_.nodes.size(); ++k) {
      if (plan_.nodes[k]->kind == LayerKind::kInput) continue;
      args.clear();
      for (const Slice& i : plan_.inputs[k]) args.push_back(buffers_[i.node].data() + i.offset);
      kernels_[k]->Run(args, buffers_[k].data(), counters_[k]);
    }
  }

  struct InputCast {
    FixedType type;
    bool simple = false;
    double scale = 1.0;
    Caster cast;
  };

  static void QuantizeInput(const double* sample, const InputCast& ic, std::vector<R>& in,
                            LayerCounters& counters) {
    for (size_t i = 0; i < in.size(); ++i) {
      OverflowEvent e = OverflowEvent::kNone;
      if constexpr (std::is_same_v<R, int64_t>) {
        // AP_TRN into a type with at most 52 bits: floor(v * 2^F) is exact in doubles (a
        // power-of-two scaling), then the shared wrap check; anything else takes the general path.
        const double scaled = sample[i] * ic.scale;
        if (ic.simple && std::fabs(scaled) < 0x1p52) {
          in[i] = ic.cast(static_cast<int64_t>(std::floor(scaled)), counters);
          continue;
        }
        in[i] = QuantizeDouble64(sample[i], ic.type, &e);
      } else {
        in[i] = QuantizeDouble(sample[i], ic.type, &e);
      }
      counters.Record(e);
    }
  }

  Plan plan_;
  std::vector<InputCast> input_casts_;
  std::vector<std::unique_ptr<Kernel<R>>> kernels_;
  std::vector<std::vector<R>> buffers_;
  std::vector<LayerCounters> counters_;
  std::vector<FixedType> types_;
  std::vector<const R*> args_;
};

}  // namespace

Engine ChooseEngine(const ir::Graph& graph) {
  for (const auto& node : graph.nodes) {
    for (const auto& [slot, t] : node.precision) {
      if (t.width > 31) return Engine::kBigInt;
    }
  }
  return Engine::kInt64;
}

StatusOr<std::unique_ptr<Emulator>> Emulator::Create(const ir::Graph& graph) {
  return CreateWithEngine(graph, ChooseEngine(graph));
}

StatusOr<std::unique_ptr<Emulator>> Emulator::CreateWithEngine(const ir::Graph& graph,
                                                               Engine engine) {
  if (engine == Engine::kInt64) {
    if (ChooseEngine(graph) != Engine::kInt64) {
      return InvalidArgument("graph '" + graph.name +
                             "' has types wider than 31 bits; it needs the BigInt engine");
    }
    auto e = std::make_unique<EngineImpl<int64_t>>();
    FIRMNET_RETURN_IF_ERROR(e->Init(graph));
    return std::unique_ptr<Emulator>(std::move(e));
  }
  auto e = std::make_unique<EngineImpl<BigInt>>();
  FIRMNET_RETURN_IF_ERROR(e->Init(graph));
  return std::unique_ptr<Emulator>(std::move(e));
}

namespace {

// The float reference of a layer whose result the model quantizes (a QKeras activation
// quantizer, a QONNX Quant): the layer's float output cast to that type, as the framework's
// quantizer computes it in float.
class QuantizedFloatKernel final : public FloatKernel {
 public:
  QuantizedFloatKernel(std::unique_ptr<FloatKernel> inner, const FixedType& type, int64_t size)
      : inner_(std::move(inner)), type_(type), size_(size) {}
  void Run(std::span<const double* const> inputs, double* out) const override {
    inner_->Run(inputs, out);
    for (int64_t i = 0; i < size_; ++i) {
      if (!std::isfinite(out[i])) continue;
      out[i] = ToDouble(QuantizeDouble(out[i], type_), type_);
    }
  }

 private:
  std::unique_ptr<FloatKernel> inner_;
  FixedType type_;
  int64_t size_;
};

}  // namespace

StatusOr<std::unique_ptr<FloatEmulator>> FloatEmulator::Create(const ir::Graph& graph) {
  FIRMNET_ASSIGN_OR_RETURN(Plan plan, MakePlan(graph));
  auto f = std::unique_ptr<FloatEmulator>(new FloatEmulator());
  for (size_t k = 0; k < plan.nodes.size(); ++k) {
    const ir::Node& node = *plan.nodes[k];
    FIRMNET_ASSIGN_OR_RETURN(layers::ResolvedInputs ins, layers::ResolveInputs(graph, node));
    auto kernel = layers::MakeFloatKernel(node, ins.nodes);
    if (!kernel.ok()) return kernel.status().WithContext(node.Label());
    if (auto q = node.model_precision.find("result"); q != node.model_precision.end()) {
      kernel = std::unique_ptr<FloatKernel>(std::make_unique<QuantizedFloatKernel>(
          std::move(kernel).value(), q->second, plan.buffer_sizes[k]));
    }
    const int64_t size = plan.buffer_sizes[k];
    std::vector<Slice> in;
    for (const auto& s : plan.inputs[k]) in.push_back({s.node, s.offset, s.size});
    f->steps_.push_back({&node, std::move(in), std::move(kernel).value(), size});
    f->buffers_.emplace_back(size);
  }
  for (const auto& s : plan.outputs) f->outputs_.push_back({s.node, s.offset, s.size});
  for (const auto& [name, s] : plan.tensors)
    f->tensors_.push_back({name, {s.node, s.offset, s.size}});
  // The input layers are the identity: their buffers receive the samples directly.
  f->input_nodes_ = plan.input_nodes;
  f->input_steps_ = plan.input_indices;
  f->input_sizes_ = plan.input_sizes;
  return f;
}

int64_t FloatEmulator::input_size() const {
  int64_t n = 0;
  for (int64_t s : input_sizes_) n += s;
  return n;
}

int64_t Emulator::input_size() const {
  int64_t n = 0;
  for (int64_t s : input_sizes()) n += s;
  return n;
}

StatusOr<RunResult> Emulator::Run(const Batch& inputs, const RunOptions& options) {
  return Run(std::vector<Batch>{inputs}, options);
}

StatusOr<RunResult> FloatEmulator::Run(const Batch& inputs, const RunOptions& options) {
  return Run(std::vector<Batch>{inputs}, options);
}

void FloatEmulator::RunOne(const double* input, double* output) {
  std::vector<const double*>& args = args_;
  for (size_t k = 0; k < steps_.size(); ++k) {
    Step& s = steps_[k];
    if (s.node->kind == LayerKind::kInput) {
      std::copy(input, input + s.size, buffers_[k].begin());
      input += s.size;
      continue;
    }
    args.clear();
    for (const Slice& i : s.inputs) args.push_back(buffers_[i.step].data() + i.offset);
    s.kernel->Run(args, buffers_[k].data());
  }
  int64_t n = 0;
  for (const Slice& o : outputs_) {
    const double* v = buffers_[o.step].data() + o.offset;
    for (int64_t i = 0; i < o.size; ++i) output[n++] = v[i];
  }
}

StatusOr<RunResult> FloatEmulator::Run(const std::vector<Batch>& batches,
                                       const RunOptions& options) {
  Plan plan;  // only what CheckInputs reads
  plan.input_nodes = input_nodes_;
  plan.input_sizes = input_sizes_;
  FIRMNET_RETURN_IF_ERROR(CheckInputs(batches, plan));
  const int64_t rows = batches[0].rows;
  RunResult result;
  int64_t out_size = 0;
  for (const Slice& o : outputs_) {
    const int64_t cols = o.size;
    result.outputs.push_back({rows, cols, {}});
    result.outputs.back().data.reserve(rows * cols);
    out_size += cols;
  }
  if (options.trace) {
    for (const auto& [name, t] : tensors_) result.trace[name] = {rows, t.size, {}};
  }
  std::vector<double> out(out_size);
  std::vector<double> sample;
  for (int64_t r = 0; r < rows; ++r) {
    GatherSample(batches, r, sample);
    RunOne(sample.data(), out.data());
    int64_t n = 0;
    for (auto& o : result.outputs) {
      for (int64_t c = 0; c < o.cols; ++c) o.data.push_back(out[n++]);
    }
    if (options.trace) {
      for (const auto& [name, s] : tensors_) {
        auto& t = result.trace[name].data;
        const double* v = buffers_[s.step].data() + s.offset;
        t.insert(t.end(), v, v + s.size);
      }
    }
  }
  for (const auto& s : steps_) result.layers.push_back({s.node->name, s.node->kind, {}});
  return result;
}

}  // namespace firmnet::emu
