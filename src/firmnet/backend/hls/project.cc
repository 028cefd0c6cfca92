// GenerateHlsProject: the graph -> ProjectModel -> one file per writer, plus the library and the
// testbench data computed by the emulator.
#include "firmnet/backend/hls/project.h"

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "firmnet/backend/hls/hls_types.h"
#include "firmnet/backend/hls/project_model.h"
#include "firmnet/backend/hls/runtime_files.h"
#include "firmnet/io/output_dir.h"

namespace firmnet::backend::hls {

StatusOr<ProjectModel> BuildProjectModel(const ir::Graph& graph, const std::string& name) {
  ProjectModel m;
  m.name = name;
  m.graph = &graph;
  m.stream = graph.settings.io_type == ir::IoType::kStream;
  const std::vector<const ir::Node*> inputs = graph.Inputs();
  if (inputs.size() != 1 || graph.nodes.empty() || graph.nodes[0].kind != LayerKind::kInput) {
    return Unimplemented("hls backend: the model has " + std::to_string(inputs.size()) +
                         " inputs; exactly one input layer (the first) is supported");
  }
  if (graph.outputs.size() != 1) {
    return Unimplemented("hls backend: the model has " + std::to_string(graph.outputs.size()) +
                         " outputs; exactly one is supported");
  }
  std::map<std::string, int> index;
  std::set<std::string> used = {name, "input_t", "result_t"};
  for (const ir::Node& node : graph.nodes) {
    ProjectLayer l;
    l.node = &node;
    std::string id = CIdentifier(node.name);
    for (int k = 2; used.count(id) || used.count(id + "_result_t") || used.count(id + "_out");
         ++k) {
      id = CIdentifier(node.name) + "_" + std::to_string(k);
    }
    used.insert(id);
    used.insert(id + "_result_t");
    used.insert(id + "_out");
    l.ident = id;
    l.n_out = ir::NumElements(node.shape);
    if (node.kind == LayerKind::kInput) {
      if (!m.layers.empty()) {
        return Unimplemented("hls backend: input layer '" + node.name + "' is not the first layer");
      }
      l.n_in = l.n_out;
    } else {
      if (node.inputs.size() != 1 || !index.count(node.inputs[0])) {
        return HlsUnsupported(node, "it must have exactly one input produced by an earlier layer");
      }
      l.producer = index.at(node.inputs[0]);
      l.n_in = m.layers[l.producer].n_out;
      if (m.stream && graph.Consumers(node.inputs[0]).size() > 1) {
        return HlsUnsupported(node, "io_stream needs a chain of layers, and '" + node.inputs[0] +
                                        "' feeds several layers; use io_parallel");
      }
    }
    HlsLayerContext ctx{&graph, &node, l.producer >= 0 ? m.layers[l.producer].node : nullptr,
                        l.ident};
    FIRMNET_ASSIGN_OR_RETURN(l.emission, EmitHlsLayer(ctx));
    if (node.kind == LayerKind::kDense) {
      m.max_reuse = std::max(m.max_reuse, node.settings.reuse_factor);
      m.any_resource |= node.settings.strategy == ir::Strategy::kResource;
    }
    index[node.name] = static_cast<int>(m.layers.size());
    m.layers.push_back(std::move(l));
  }
  m.output = index.at(graph.outputs[0]);
  if (m.output == 0) {
    return Unimplemented("hls backend: the model's output is its input; there is nothing to build");
  }
  return m;
}

std::string FormatRoundTrip(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

emu::Batch GenerateTestInputs(const FixedType& t, int64_t cols, int64_t rows) {
  emu::Batch b{rows, cols, {}};
  b.data.reserve(static_cast<size_t>(rows * cols));
  const double lo = t.MinValue(), hi = t.MaxValue();
  const double span = (hi - lo) * 1.5;
  const double start = lo - (hi - lo) * 0.25;
  uint64_t state = 0x9E3779B97F4A7C15ULL;  // a fixed seed: the project is deterministic
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

namespace {

Status AddTbData(const ProjectModel& m, const HlsProjectOptions& options, FileMap& files) {
  const ir::Graph& g = *m.graph;
  const int64_t cols = m.input().n_out;
  emu::Batch generated;
  const emu::Batch* in = options.tb_inputs;
  if (in == nullptr) {
    generated = GenerateTestInputs(m.input().node->Precision("result"), cols, options.tb_samples);
    in = &generated;
  }
  if (in->cols != cols) {
    return InvalidArgument("hls backend: testbench samples have " + std::to_string(in->cols) +
                           " values per row; the model's input has " + std::to_string(cols));
  }
  FIRMNET_ASSIGN_OR_RETURN(auto emulator, emu::Emulator::Create(g));
  emu::RunOptions ro;
  ro.keep_raw = true;
  FIRMNET_ASSIGN_OR_RETURN(emu::RunResult result, emulator->Run(*in, ro));
  std::string inputs, outputs;
  for (int64_t r = 0; r < in->rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      if (c) inputs += ' ';
      inputs += FormatRoundTrip(in->data[r * cols + c]);
    }
    inputs += '\n';
  }
  const FixedType& out_t = result.output_types[0];
  const int64_t ocols = result.outputs[0].cols;
  for (int64_t r = 0; r < in->rows; ++r) {
    for (int64_t c = 0; c < ocols; ++c) {
      if (c) outputs += ' ';
      outputs += ToExactDecimal(result.raw_outputs[0][r * ocols + c], out_t);
    }
    outputs += '\n';
  }
  files["tb_data/tb_input_features.dat"] = std::move(inputs);
  files["tb_data/tb_output_predictions.dat"] = std::move(outputs);
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
    if (l.emission.arrays.empty()) continue;
    FIRMNET_ASSIGN_OR_RETURN(files["firmware/weights/" + l.ident + ".h"], WriteWeights(m, l));
  }
  for (const auto& [file, text] : RuntimeHeaders()) {
    files["firmware/fnet/" + std::string(file)] = std::string(text);
  }
  files[name + "_test.cpp"] = WriteTestbench(m);
  files["build_prj.tcl"] = WriteBuildTcl(m);
  files["vivado_synth.tcl"] = WriteVivadoSynthTcl(m);
  files["README.md"] = WriteReadme(m);
  FIRMNET_RETURN_IF_ERROR(AddTbData(m, options, files));
  return files;
}

Status WriteFiles(const FileMap& files, const std::string& dir, bool force) {
  FIRMNET_ASSIGN_OR_RETURN(io::OutputDir out, io::OutputDir::Begin(dir, force));
  for (const auto& [path, text] : files) FIRMNET_RETURN_IF_ERROR(out.WriteFile(path, text));
  return out.Commit();
}

}  // namespace firmnet::backend::hls
