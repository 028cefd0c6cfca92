#include "firmnet/emu/emulator.h"

#include <cmath>

#include "firmnet/layers/layer.h"

namespace firmnet::emu {
namespace {

// Shared plan building: node order, input indices, checks.
struct Plan {
  std::vector<const ir::Node*> nodes;
  std::vector<std::vector<int>> inputs;
  std::vector<int> outputs;
  int input_index = -1;
};

StatusOr<Plan> MakePlan(const ir::Graph& graph) {
  Plan p;
  std::map<std::string, int> index;
  for (const auto& node : graph.nodes) {
    std::vector<int> in;
    for (const auto& name : node.inputs) {
      auto it = index.find(name);
      if (it == index.end()) {
        return InvalidArgument("layer '" + node.name + "' reads '" + name +
                               "', which is not produced by an earlier layer");
      }
      in.push_back(it->second);
    }
    if (node.kind == LayerKind::kInput) {
      if (p.input_index >= 0) {
        return Unimplemented("graph '" + graph.name +
                             "' has more than one input layer; the emulator supports one");
      }
      p.input_index = static_cast<int>(p.nodes.size());
    }
    if (node.shape.empty()) {
      return InvalidArgument("layer '" + node.name + "' has no shape (run shape inference)");
    }
    index[node.name] = static_cast<int>(p.nodes.size());
    p.nodes.push_back(&node);
    p.inputs.push_back(std::move(in));
  }
  if (p.input_index < 0) return InvalidArgument("graph '" + graph.name + "' has no input layer");
  if (graph.outputs.empty()) return InvalidArgument("graph '" + graph.name + "' has no outputs");
  for (const auto& name : graph.outputs) {
    auto it = index.find(name);
    if (it == index.end()) {
      return InvalidArgument("graph output '" + name + "' is not a layer of the graph");
    }
    p.outputs.push_back(it->second);
  }
  return p;
}

Status CheckInputs(const Batch& inputs, int64_t size) {
  if (inputs.cols != size) {
    return InvalidArgument("the model expects " + std::to_string(size) +
                           " input values per sample, but the input has " +
                           std::to_string(inputs.cols));
  }
  if (static_cast<int64_t>(inputs.data.size()) != inputs.rows * inputs.cols) {
    return InvalidArgument("input batch size does not match rows x cols");
  }
  for (int64_t k = 0; k < static_cast<int64_t>(inputs.data.size()); ++k) {
    if (!std::isfinite(inputs.data[k])) {
      return InvalidArgument("input row " + std::to_string(k / size + 1) + ", column " +
                             std::to_string(k % size + 1) + " is not a finite number");
    }
  }
  return OkStatus();
}

template <typename R>
class EngineImpl final : public Emulator {
 public:
  Status Init(const ir::Graph& graph) {
    FIRMNET_ASSIGN_OR_RETURN(plan_, MakePlan(graph));
    for (size_t k = 0; k < plan_.nodes.size(); ++k) {
      const ir::Node& node = *plan_.nodes[k];
      layers::NodeInputs ins;
      for (int i : plan_.inputs[k]) ins.push_back(plan_.nodes[i]);
      auto kernel = layers::MakeKernel<R>(node, ins);
      if (!kernel.ok()) return kernel.status().WithContext("layer '" + node.name + "'");
      kernels_.push_back(std::move(kernel).value());
      buffers_.emplace_back(ir::NumElements(node.shape));
      counters_.push_back({});
      types_.push_back(node.Precision("result"));
    }
    input_type_ = types_[plan_.input_index];
    input_simple_ = input_type_.rounding == Rounding::kTrn &&
                    input_type_.overflow == Overflow::kWrap && input_type_.sat_bits == 0 &&
                    input_type_.width <= 52 && std::abs(input_type_.lsb_exponent()) < 900;
    input_scale_ = std::ldexp(1.0, -input_type_.lsb_exponent());
    input_cast_ = Caster(input_type_.lsb_exponent(), input_type_);
    return OkStatus();
  }

  Engine engine() const override {
    return std::is_same_v<R, int64_t> ? Engine::kInt64 : Engine::kBigInt;
  }
  int64_t input_size() const override {
    return static_cast<int64_t>(buffers_[plan_.input_index].size());
  }

  StatusOr<RunResult> Run(const Batch& inputs, const RunOptions& options) override {
    FIRMNET_RETURN_IF_ERROR(CheckInputs(inputs, input_size()));
    for (auto& c : counters_) c = {};
    RunResult result;
    for (int o : plan_.outputs) {
      result.outputs.push_back({inputs.rows, static_cast<int64_t>(buffers_[o].size()), {}});
      result.outputs.back().data.reserve(inputs.rows * buffers_[o].size());
      result.output_types.push_back(types_[o]);
      if (options.keep_raw) result.raw_outputs.emplace_back();
    }
    if (options.trace) {
      for (size_t k = 0; k < plan_.nodes.size(); ++k) {
        result.trace[plan_.nodes[k]->name] = {
            inputs.rows, static_cast<int64_t>(buffers_[k].size()), {}};
      }
    }
    for (int64_t r = 0; r < inputs.rows; ++r) {
      Forward(inputs.data.data() + r * inputs.cols);
      for (size_t o = 0; o < plan_.outputs.size(); ++o) {
        const int k = plan_.outputs[o];
        for (const R& v : buffers_[k]) {
          result.outputs[o].data.push_back(ToDoubleValue(v, types_[k]));
          if (options.keep_raw) result.raw_outputs[o].push_back(ToBig(v));
        }
      }
      if (options.trace) {
        for (size_t k = 0; k < plan_.nodes.size(); ++k) {
          auto& t = result.trace[plan_.nodes[k]->name].data;
          for (const R& v : buffers_[k]) t.push_back(ToDoubleValue(v, types_[k]));
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
    for (int k : plan_.outputs) {
      for (const R& v : buffers_[k]) output[n++] = ToDoubleValue(v, types_[k]);
    }
  }

 private:
  static double ToDoubleValue(const R& v, const FixedType& t) { return ToDouble(v, t); }

  void Forward(const double* sample) {
    auto& in = buffers_[plan_.input_index];
    LayerCounters& ic = counters_[plan_.input_index];
    for (size_t i = 0; i < in.size(); ++i) {
      OverflowEvent e = OverflowEvent::kNone;
      if constexpr (std::is_same_v<R, int64_t>) {
        // AP_TRN into a type with at most 52 bits: floor(v * 2^F) is exact in doubles (a
        // power-of-two scaling), then the shared wrap check; anything else takes the general path.
        const double scaled = sample[i] * input_scale_;
        if (input_simple_ && std::fabs(scaled) < 0x1p52) {
          in[i] = input_cast_(static_cast<int64_t>(std::floor(scaled)), ic);
          continue;
        }
        in[i] = QuantizeDouble64(sample[i], input_type_, &e);
      } else {
        in[i] = QuantizeDouble(sample[i], input_type_, &e);
      }
      ic.Record(e);
    }
    std::vector<const R*>& args = args_;  // reused: no allocation per sample
    for (size_t k = 0; k < plan_.nodes.size(); ++k) {
      if (static_cast<int>(k) == plan_.input_index) continue;
      args.clear();
      for (int i : plan_.inputs[k]) args.push_back(buffers_[i].data());
      kernels_[k]->Run(args, buffers_[k].data(), counters_[k]);
    }
  }

  Plan plan_;
  std::vector<std::unique_ptr<Kernel<R>>> kernels_;
  std::vector<std::vector<R>> buffers_;
  std::vector<LayerCounters> counters_;
  std::vector<FixedType> types_;
  FixedType input_type_;
  bool input_simple_ = false;
  double input_scale_ = 1.0;
  Caster input_cast_;
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

StatusOr<std::unique_ptr<FloatEmulator>> FloatEmulator::Create(const ir::Graph& graph) {
  FIRMNET_ASSIGN_OR_RETURN(Plan plan, MakePlan(graph));
  auto f = std::unique_ptr<FloatEmulator>(new FloatEmulator());
  for (size_t k = 0; k < plan.nodes.size(); ++k) {
    const ir::Node& node = *plan.nodes[k];
    layers::NodeInputs ins;
    for (int i : plan.inputs[k]) ins.push_back(plan.nodes[i]);
    auto kernel = layers::MakeFloatKernel(node, ins);
    if (!kernel.ok()) return kernel.status().WithContext("layer '" + node.name + "'");
    const int64_t size = ir::NumElements(node.shape);
    f->steps_.push_back({&node, plan.inputs[k], std::move(kernel).value(), size});
    f->buffers_.emplace_back(size);
    f->names_.push_back(node.name);
  }
  f->output_steps_ = plan.outputs;
  f->input_size_ = ir::NumElements(plan.nodes[plan.input_index]->shape);
  // The input layer is the identity: its buffer receives the samples directly.
  return f;
}

void FloatEmulator::RunOne(const double* input, double* output) {
  std::vector<const double*>& args = args_;
  for (size_t k = 0; k < steps_.size(); ++k) {
    Step& s = steps_[k];
    if (s.node->kind == LayerKind::kInput) {
      std::copy(input, input + s.size, buffers_[k].begin());
      continue;
    }
    args.clear();
    for (int i : s.inputs) args.push_back(buffers_[i].data());
    s.kernel->Run(args, buffers_[k].data());
  }
  int64_t n = 0;
  for (int k : output_steps_) {
    for (double v : buffers_[k]) output[n++] = v;
  }
}

StatusOr<RunResult> FloatEmulator::Run(const Batch& inputs, const RunOptions& options) {
  FIRMNET_RETURN_IF_ERROR(CheckInputs(inputs, input_size_));
  RunResult result;
  int64_t out_size = 0;
  for (int k : output_steps_) {
    const int64_t cols = static_cast<int64_t>(buffers_[k].size());
    result.outputs.push_back({inputs.rows, cols, {}});
    result.outputs.back().data.reserve(inputs.rows * cols);
    out_size += cols;
  }
  if (options.trace) {
    for (size_t k = 0; k < steps_.size(); ++k) {
      result.trace[names_[k]] = {inputs.rows, steps_[k].size, {}};
    }
  }
  std::vector<double> out(out_size);
  for (int64_t r = 0; r < inputs.rows; ++r) {
    RunOne(inputs.data.data() + r * inputs.cols, out.data());
    int64_t n = 0;
    for (auto& o : result.outputs) {
      for (int64_t c = 0; c < o.cols; ++c) o.data.push_back(out[n++]);
    }
    if (options.trace) {
      for (size_t k = 0; k < steps_.size(); ++k) {
        auto& t = result.trace[names_[k]].data;
        t.insert(t.end(), buffers_[k].begin(), buffers_[k].end());
      }
    }
  }
  for (const auto& s : steps_) result.layers.push_back({s.node->name, s.node->kind, {}});
  return result;
}

}  // namespace firmnet::emu
