// GenerateHlsProject: the graph -> ProjectModel -> one file per writer, plus the library and the
// testbench data computed by the emulator.
#include "firmnet/backend/hls/project.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "firmnet/backend/hls/csim.h"
#include "firmnet/backend/hls/hls_types.h"
#include "firmnet/backend/hls/project_model.h"
#include "firmnet/backend/hls/runtime_files.h"
#include "firmnet/io/output_dir.h"
#include "firmnet/layers/layer.h"

namespace firmnet::backend::hls {

namespace {

// Picks `base`, or base_2, base_3, ... when it is taken, and takes it.
std::string Unique(std::set<std::string>& used, const std::string& base) {
  std::string id = base;
  for (int k = 2; used.count(id); ++k) id = base + "_" + std::to_string(k);
  used.insert(id);
  return id;
}

}  // namespace

std::string ProjectModel::input_size(size_t k) const {
  return single_io() ? "N_INPUT" : "N_INPUT_" + std::to_string(k);
}
std::string ProjectModel::input_type(size_t k) const {
  return single_io() ? "input_t" : "input" + std::to_string(k) + "_t";
}
std::string ProjectModel::output_size(size_t k) const {
  return single_io() ? "N_OUTPUT" : "N_OUTPUT_" + std::to_string(k);
}
std::string ProjectModel::output_type(size_t k) const {
  return single_io() ? "result_t" : "result" + std::to_string(k) + "_t";
}
std::string ProjectModel::input_beat(size_t k) const { return PixelType(input(k), input_type(k)); }
std::string ProjectModel::output_beat(size_t k) const { return PixelType(out(k), output_type(k)); }
std::string ProjectModel::input_file(size_t k) const {
  return inputs.size() == 1 ? "tb_input_features.dat"
                            : "tb_input_features_" + std::to_string(k) + ".dat";
}
std::string ProjectModel::output_file(size_t k) const {
  return outputs.size() == 1 ? "tb_output_predictions.dat"
                             : "tb_output_predictions_" + std::to_string(k) + ".dat";
}

std::string ProjectModel::ReadBuffer(int k, int reader_layer, int slot) const {
  const ProjectLayer& l = layers[k];
  if (l.copies.empty()) return l.buffer;
  for (size_t r = 0; r < l.readers.size(); ++r) {
    if (l.readers[r].layer == reader_layer && l.readers[r].slot == slot) return l.copies[r];
  }
  FIRMNET_CHECK(false) << "layer " << l.ident << " has no reader " << reader_layer << "/" << slot;
  return l.buffer;
}

std::string PixelType(const ProjectLayer& l, const std::string& value_type) {
  return "fnet::pixel<" + value_type + ", " + std::to_string(l.channels) + ">";
}

StatusOr<ProjectModel> BuildProjectModel(const ir::Graph& graph, const std::string& name) {
  ProjectModel m;
  m.name = name;
  m.graph = &graph;
  m.stream = graph.settings.io_type == ir::IoType::kStream;
  if (graph.Inputs().empty()) {
    return Unimplemented("hls backend: the model has no input layer; there is nothing to build");
  }
  if (graph.outputs.empty()) {
    return Unimplemented("hls backend: the model has no outputs; there is nothing to build");
  }
  std::map<ir::TensorRef, int> index;  // tensor -> layer index
  std::set<std::string> used = {name, "input_t", "result_t"};
  // Layer identifiers first (graph order, as before), then the names derived from them.
  auto take = [&](const std::string& base) {
    std::string id = base;
    for (int k = 2; used.count(id) || used.count(id + "_result_t") || used.count(id + "_out");
         ++k) {
      id = base + "_" + std::to_string(k);
    }
    used.insert(id);
    used.insert(id + "_result_t");
    used.insert(id + "_out");
    return id;
  };
  std::vector<std::string> idents;
  for (const ir::Node& node : graph.nodes) idents.push_back(take(CIdentifier(node.name)));
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const ir::Node& node = graph.nodes[i];
    ProjectLayer l;
    l.node = &node;
    l.ident = idents[i];
    l.tensor = node.name;
    l.shape = node.shape;
    l.n_out = ir::NumElements(node.shape);
    l.channels = node.shape.empty() ? 1 : node.shape.back();
    const int self = static_cast<int>(m.layers.size());
    if (node.kind == LayerKind::kInput) {
      l.n_in = l.n_out;
      m.inputs.push_back(self);
      FIRMNET_ASSIGN_OR_RETURN(l.emission, EmitHlsLayer({&graph, &node, nullptr, l.ident, {}}));
    } else {
      if (node.inputs.empty()) return HlsUnsupported(node, "it has no inputs");
      for (const ir::TensorRef& in : node.inputs) {
        if (!index.count(in)) {
          return HlsUnsupported(
              node, "its input '" + in.ToString() + "' is not produced by an earlier layer");
        }
        const int p = index.at(in);
        l.producers.push_back(p);
        m.layers[p].readers.push_back({self, static_cast<int>(l.producers.size()) - 1});
      }
      l.n_in = m.layers[l.producers[0]].n_out;
      // The producers as the emitters see them (a port of a multi-output layer: a view).
      FIRMNET_ASSIGN_OR_RETURN(layers::ResolvedInputs ins, layers::ResolveInputs(graph, node));
      HlsLayerContext ctx{&graph, &node, ins.nodes[0], l.ident, ins.nodes};
      FIRMNET_ASSIGN_OR_RETURN(l.emission, EmitHlsLayer(ctx));
    }
    if (node.kind == LayerKind::kDense) {
      m.max_reuse = std::max(m.max_reuse, node.settings.reuse_factor);
      m.any_resource |= node.settings.strategy == ir::Strategy::kResource;
    }
    index[ir::TensorRef(node.name)] = self;
    m.layers.push_back(std::move(l));
    for (int p = 1; p < node.NumOutputs(); ++p) {
      ProjectLayer q;
      q.node = &node;
      q.ident = take(idents[i] + "_p" + std::to_string(p));
      q.tensor = ir::TensorRef(node.name, p).ToString();
      q.shape = node.OutputShape(p);
      q.port = p;
      q.owner = self;
      q.n_in = m.layers[self].n_in;
      q.n_out = ir::NumElements(q.shape);
      q.channels = q.shape.empty() ? 1 : q.shape.back();
      const int at = static_cast<int>(m.layers.size());
      m.layers[self].port_layers.push_back(at);
      index[ir::TensorRef(node.name, p)] = at;
      m.layers.push_back(std::move(q));
    }
  }
  for (const ir::TensorRef& o : graph.outputs) {
    if (!index.count(o)) {
      return InvalidArgument("hls backend: output '" + o.ToString() + "' is no layer output");
    }
    const int k = index.at(o);
    ProjectLayer& l = m.layers[k];
    if (l.is_input()) {
      return Unimplemented("hls backend: the model's output '" + o.ToString() +
                           "' is one of its inputs; there is nothing to build for it");
    }
    if (l.output_index >= 0) {
      return Unimplemented("hls backend: '" + o.ToString() +
                           "' is listed twice among the model's outputs");
    }
    l.output_index = static_cast<int>(m.outputs.size());
    l.readers.push_back({-1, 0});
    m.outputs.push_back(k);
  }
  for (ProjectLayer& l : m.layers) {
    const bool is_output = l.output_index >= 0;
    if (m.stream && !l.is_port() && !l.emission.native_stream &&
        (l.producers.size() > 1 || !l.port_layers.empty())) {
      l.adapter = Unique(used, "adapter_" + l.ident);
    }
    if (l.is_input()) {
      l.buffer = l.ident;
    } else if (!is_output || m.stream || l.readers.size() == 1) {
      // An output's port itself (io_stream: copied from it when read elsewhere).
      l.buffer = l.ident + "_out";
    } else {
      l.buffer = Unique(used, l.ident + "_local");
    }
    if (m.stream && l.readers.size() > 1) {
      // The port of an io_stream output that is read elsewhere too is one of the copies; the
      // layer then writes a local stream.
      if (is_output) l.buffer = Unique(used, l.ident + "_local");
      for (size_t r = 0; r < l.readers.size(); ++r) {
        l.copies.push_back(l.readers[r].layer < 0
                               ? l.ident + "_out"
                               : Unique(used, l.ident + "_cpy" + std::to_string(r)));
      }
    }
  }
  return m;
}

std::string FormatRoundTrip(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

emu::Batch GenerateTestInputs(const FixedType& t, int64_t cols, int64_t rows, int stream) {
  emu::Batch b{rows, cols, {}};
  b.data.reserve(static_cast<size_t>(rows * cols));
  const double lo = t.MinValue(), hi = t.MaxValue();
  const double span = (hi - lo) * 1.5;
  const double start = lo - (hi - lo) * 0.25;
  // A fixed seed per stream: the project is deterministic, and the inputs of a model with
  // several differ.
  uint64_t state = 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(stream) * 0xD1B54A32D192ED03ULL;
  for (int64_t k = 0; k < rows * cols; ++k) {
    // splitmix64: a tiny, well-mixed generator whose output is the same on every platform.
    state += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    const double u = static_cast<double>(z >> 11) * 0x1.0p-53;
    b.data.push_back(start + u * span);
  }
  return b;
}

int64_t EstimatedMultiplyAdds(const ir::Graph& graph) {
  int64_t total = 0;
  for (const ir::Node& node : graph.nodes) {
    const int64_t out = ir::NumElements(node.shape);
    const ir::Tensor* w = node.Weight("weight");
    if (w == nullptr || node.shape.empty() || node.shape.back() == 0) {
      total += out;
      continue;
    }
    total += out / node.shape.back() * ir::NumElements(w->shape);
  }
  return total;
}

int64_t DefaultTestbenchSamples(const ir::Graph& graph) {
  constexpr int64_t kMax = 1000, kMin = 4;
  int64_t values = 0;
  for (const ir::Node* in : graph.Inputs()) values += ir::NumElements(in->shape);
  for (const ir::TensorRef& t : graph.outputs) {
    if (const ir::Shape* shape = graph.TensorShape(t)) values += ir::NumElements(*shape);
  }
  const int64_t by_ops = kTbMultiplyAddBudget / std::max<int64_t>(1, EstimatedMultiplyAdds(graph));
  const int64_t by_values = kTbValueBudget / std::max<int64_t>(1, values);
  return std::clamp(std::min(by_ops, by_values), kMin, kMax);
}

namespace {

Status AddTbData(const ProjectModel& m, const HlsProjectOptions& options, FileMap& files) {
  const ir::Graph& g = *m.graph;
  std::vector<emu::Batch> in = options.tb_inputs;
  const int64_t samples = options.tb_samples > 0 ? options.tb_samples : DefaultTestbenchSamples(g);
  if (in.empty()) {
    for (size_t k = 0; k < m.inputs.size(); ++k) {
      in.push_back(GenerateTestInputs(m.input(k).node->Precision("result"), m.input(k).n_out,
                                      samples, static_cast<int>(k)));
    }
  }
  if (in.size() != m.inputs.size()) {
    return InvalidArgument("hls backend: " + std::to_string(in.size()) +
                           " testbench sample sets for a model with " +
                           std::to_string(m.inputs.size()) + " inputs");
  }
  for (size_t k = 0; k < in.size(); ++k) {
    if (in[k].cols != m.input(k).n_out || in[k].rows != in[0].rows) {
      return InvalidArgument("hls backend: testbench samples for input '" + m.input(k).node->name +
                             "' have " + std::to_string(in[k].cols) + " values per row (" +
                             std::to_string(in[k].rows) + " rows); the input has " +
                             std::to_string(m.input(k).n_out) +
                             (k ? " and every input needs the same rows" : ""));
    }
  }
  FIRMNET_ASSIGN_OR_RETURN(auto emulator, emu::Emulator::Create(g));
  emu::RunOptions ro;
  ro.keep_raw = true;
  FIRMNET_ASSIGN_OR_RETURN(emu::RunResult result, emulator->Run(in, ro));
  for (size_t k = 0; k < in.size(); ++k) {
    std::string text;
    const int64_t cols = in[k].cols;
    for (int64_t r = 0; r < in[k].rows; ++r) {
      for (int64_t c = 0; c < cols; ++c) {
        if (c) text += ' ';
        text += FormatRoundTrip(in[k].data[r * cols + c]);
      }
      text += '\n';
    }
    files["tb_data/" + m.input_file(k)] = std::move(text);
  }
  for (size_t k = 0; k < m.outputs.size(); ++k) {
    std::string text;
    const FixedType& out_t = result.output_types[k];
    const int64_t ocols = result.outputs[k].cols;
    for (int64_t r = 0; r < in[0].rows; ++r) {
      for (int64_t c = 0; c < ocols; ++c) {
        if (c) text += ' ';
        text += ToExactDecimal(result.raw_outputs[k][r * ocols + c], out_t);
      }
      text += '\n';
    }
    files["tb_data/" + m.output_file(k)] = std::move(text);
  }
  return OkStatus();
}

}  // namespace

StatusOr<HlsPort> ParseHlsPort(std::string_view name) {
  if (name == "ap_vld") return HlsPort::kApVld;
  if (name == "ap_none") return HlsPort::kApNone;
  return InvalidArgument("hls backend: port protocol '" + std::string(name) +
                         "' is not known; use ap_vld or ap_none");
}

std::string_view HlsPortName(HlsPort port) {
  return port == HlsPort::kApNone ? "ap_none" : "ap_vld";
}

StatusOr<FileMap> GenerateHlsProject(const ir::Graph& graph, const HlsProjectOptions& options) {
  const std::string name =
      options.project_name.empty() ? graph.settings.project_name : options.project_name;
  if (!IsCIdentifier(name)) {
    return InvalidArgument("hls backend: project name '" + name +
                           "' is not a valid C identifier (it names the top function); choose "
                           "one with --project or ProjectName in the config");
  }
  FIRMNET_ASSIGN_OR_RETURN(ProjectModel m, BuildProjectModel(graph, name));
  if (m.stream && options.port != HlsPort::kApVld) {
    // Stream ports are AXI streams; a different port protocol would be silently ignored.
    return InvalidArgument("hls backend: port protocol '" + std::string(HlsPortName(options.port)) +
                           "' applies to IOType io_parallel; this config has io_stream, whose "
                           "ports are AXI streams");
  }
  m.port_protocol = std::string(HlsPortName(options.port));
  FileMap files;
  files["firmware/" + name + ".h"] = WriteTopHeader(m);
  files["firmware/" + name + ".cpp"] = WriteTopSource(m);
  files["firmware/defines.h"] = WriteDefines(m);
  FIRMNET_ASSIGN_OR_RETURN(files["firmware/parameters.h"], WriteParameters(m));
  for (const ProjectLayer& l : m.layers) {
    if (l.is_port() || l.emission.arrays.empty()) continue;
    FIRMNET_ASSIGN_OR_RETURN(files["firmware/weights/" + l.ident + ".h"], WriteWeights(m, l));
  }
  for (const auto& [file, text] : RuntimeHeaders()) {
    files["firmware/fnet/" + std::string(file)] = std::string(text);
  }
  files[name + "_test.cpp"] = WriteTestbench(m);
  files["build_prj.tcl"] = WriteBuildTcl(m);
  files["vivado_synth.tcl"] = WriteVivadoSynthTcl(m);
  files["README.md"] = WriteReadme(m);
  CsimPorts ports;
  for (size_t k = 0; k < m.inputs.size(); ++k) {
    ports.inputs.push_back({m.input(k).node->name, m.input(k).node->shape});
  }
  for (size_t k = 0; k < m.outputs.size(); ++k) {
    ports.outputs.push_back({m.out(k).tensor, m.out(k).shape});
  }
  files["tb_data/ports.json"] = WriteCsimPorts(ports);
  FIRMNET_RETURN_IF_ERROR(AddTbData(m, options, files));
  return files;
}

Status WriteFiles(const FileMap& files, const std::string& dir, bool force) {
  FIRMNET_ASSIGN_OR_RETURN(io::OutputDir out, io::OutputDir::Begin(dir, force));
  for (const auto& [path, text] : files) FIRMNET_RETURN_IF_ERROR(out.WriteFile(path, text));
  return out.Commit();
}

}  // namespace firmnet::backend::hls
