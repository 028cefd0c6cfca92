// The firmware/ files: the top function, defines.h, parameters.h and the weight headers.
#include <set>

#include "firmnet/backend/hls/code_writer.h"
#include "firmnet/backend/hls/hls_types.h"
#include "firmnet/backend/hls/project_model.h"

namespace firmnet::backend::hls {
namespace {

std::string Guard(const std::string& name) {
  std::string g;
  for (char c : name) g.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return g + "_H_";
}

// The argument list of a layer's run(): its constant arrays.
std::string ConstArgs(const ProjectLayer& l) {
  std::string s;
  for (const ConstArray& a : l.emission.arrays) s += ", " + a.name;
  return s;
}

std::string Ports(const ProjectModel& m) {
  std::vector<std::string> ports;
  for (size_t k = 0; k < m.inputs.size(); ++k) {
    ports.push_back(m.stream ? "hls::stream<" + m.input_beat(k) + " >& " + m.input_port(k)
                             : "const " + m.input_type(k) + " " + m.input_port(k) + "[" +
                                   m.input_size(k) + "]");
  }
  for (size_t k = 0; k < m.outputs.size(); ++k) {
    ports.push_back(m.stream
                        ? "hls::stream<" + m.output_beat(k) + " >& " + m.output_port(k)
                        : m.output_type(k) + " " + m.output_port(k) + "[" + m.output_size(k) + "]");
  }
  std::string s;
  for (const std::string& p : ports) s += (s.empty() ? "" : ", ") + p;
  return s;
}

std::vector<std::string> PortNames(const ProjectModel& m) {
  std::vector<std::string> names;
  for (size_t k = 0; k < m.inputs.size(); ++k) names.push_back(m.input_port(k));
  for (size_t k = 0; k < m.outputs.size(); ++k) names.push_back(m.output_port(k));
  return names;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (size_t k = 0; k < v.size(); ++k) s += (k ? sep : "") + v[k];
  return s;
}

// The arrays or streams a layer reads, in node.inputs order.
std::vector<std::string> InputBuffers(const ProjectModel& m, int k) {
  const ProjectLayer& l = m.layers[k];
  std::vector<std::string> in;
  for (size_t j = 0; j < l.producers.size(); ++j) {
    in.push_back(m.ReadBuffer(l.producers[j], k, static_cast<int>(j)));
  }
  return in;
}

// io_stream: the adapter function of a layer with several inputs and no run_stream: it reads
// every input tensor into an array, calls run() and writes the output beats.
void WriteAdapter(const ProjectModel& m, const ProjectLayer& l, CodeWriter& w) {
  const std::string c = l.config_name();
  std::vector<std::string> params;
  for (size_t j = 0; j < l.producers.size(); ++j) {
    params.push_back("hls::stream<" +
                     PixelType(m.layers[l.producers[j]], m.layers[l.producers[j]].type_name()) +
                     " >& x" + std::to_string(j));
  }
  // The output ports: the layer itself, then its port layers.
  std::vector<const ProjectLayer*> outs = {&l};
  for (int p : l.port_layers) outs.push_back(&m.layers[p]);
  for (size_t p = 0; p < outs.size(); ++p) {
    params.push_back("hls::stream<" + PixelType(*outs[p], outs[p]->type_name()) + " >& y" +
                     (p == 0 ? "" : std::to_string(p)));
  }
  w.Line("// " + l.node->name + " (" + std::string(LayerKindId(l.node->kind)) +
         "): reads every input, runs the layer, writes the output beats.");
  w.Open("static void " + l.adapter + "(" + Join(params, ", ") + ")");
  std::vector<std::string> args;
  for (size_t j = 0; j < l.producers.size(); ++j) {
    const std::string a = "a" + std::to_string(j);
    const std::string n = j == 0 ? c + "::n_in" : c + "::n_in" + std::to_string(j);
    w.Line("FNET_BUFFER " + m.layers[l.producers[j]].type_name() + " " + a + "[" + n + "];");
    w.Raw("#pragma HLS ARRAY_PARTITION variable = " + a + " complete");
    w.Line("fnet::read_pixels(x" + std::to_string(j) + ", " + a + ");");
    args.push_back(a);
  }
  for (size_t p = 0; p < outs.size(); ++p) {
    const std::string b = "b" + (p == 0 ? "" : std::to_string(p));
    w.Line("FNET_BUFFER " + outs[p]->type_name() + " " + b + "[" +
           (p == 0 ? c + "::n_out" : std::to_string(outs[p]->n_out)) + "];");
    w.Raw("#pragma HLS ARRAY_PARTITION variable = " + b + " complete");
    args.push_back(b);
  }
  w.Line(l.emission.library_struct + "<" + c + ">::run(" + Join(args, ", ") + ConstArgs(l) + ");");
  for (size_t p = 0; p < outs.size(); ++p) {
    const std::string n = p == 0 ? "" : std::to_string(p);
    w.Line("fnet::write_pixels(b" + n + ", y" + n + ");");
  }
  w.Close();
  w.Line();
}

}  // namespace

std::string WriteTopHeader(const ProjectModel& m) {
  CodeWriter w;
  w.Line("// " + m.name + ": the top function of this firmnet-generated HLS project.");
  w.Line(
      m.stream
          ? "// io_stream: one pixel (the values of the last axis) per AXI-stream beat, pixels in "
            "row-major order."
          : "// io_parallel: the ports are arrays, completely partitioned, with " +
                m.port_protocol + " ports.");
  w.Raw("#ifndef " + Guard(m.name));
  w.Raw("#define " + Guard(m.name));
  w.Line();
  w.Raw("#include \"ap_fixed.h\"");
  w.Raw("#include \"ap_int.h\"");
  w.Raw("#include \"hls_stream.h\"");
  w.Line();
  w.Raw("#include \"defines.h\"");
  if (m.stream) w.Raw("#include \"fnet/fnet_common.h\"");
  w.Line();
  w.Line("void " + m.name + "(" + Ports(m) + ");");
  w.Line();
  w.Raw("#endif  // " + Guard(m.name));
  return w.str();
}

std::string WriteDefines(const ProjectModel& m) {
  CodeWriter w;
  w.Line("// Port sizes and the result type of every layer (from the resolved config).");
  w.Raw("#ifndef DEFINES_H_");
  w.Raw("#define DEFINES_H_");
  w.Line();
  w.Raw("#include \"ap_fixed.h\"");
  w.Raw("#include \"ap_int.h\"");
  w.Line();
  for (size_t k = 0; k < m.inputs.size(); ++k) {
    w.Raw("#define " + m.input_size(k) + " " + std::to_string(m.input(k).n_out));
  }
  for (size_t k = 0; k < m.outputs.size(); ++k) {
    w.Raw("#define " + m.output_size(k) + " " + std::to_string(m.out(k).n_out));
  }
  w.Line();
  for (const ProjectLayer& l : m.layers) {
    w.Line("typedef " + CppType(l.node->Precision("result")) + " " + l.type_name() + ";  // " +
           l.tensor + " (" + std::string(LayerKindId(l.node->kind)) + ")");
  }
  for (size_t k = 0; k < m.inputs.size(); ++k) {
    w.Line("typedef " + m.input(k).type_name() + " " + m.input_type(k) + ";");
  }
  for (size_t k = 0; k < m.outputs.size(); ++k) {
    w.Line("typedef " + m.out(k).type_name() + " " + m.output_type(k) + ";");
  }
  w.Line();
  w.Raw("#endif  // DEFINES_H_");
  return w.str();
}

StatusOr<std::string> WriteParameters(const ProjectModel& m) {
  CodeWriter w;
  w.Line("// One configuration struct per layer: types, sizes and settings that the layer library");
  w.Line("// (fnet/*.h) reads at compile time.");
  w.Raw("#ifndef PARAMETERS_H_");
  w.Raw("#define PARAMETERS_H_");
  w.Line();
  w.Raw("#include \"defines.h\"");
  std::set<std::string> headers = {"fnet_common.h"};
  for (const ProjectLayer& l : m.layers) {
    if (!l.emission.library_header.empty()) headers.insert(l.emission.library_header);
  }
  for (const std::string& h : headers) w.Raw("#include \"fnet/" + h + "\"");
  for (const ProjectLayer& l : m.layers) {
    if (l.is_input() || l.is_port()) continue;
    const ir::Node& n = *l.node;
    w.Line();
    w.Line("// " + n.name + " (" + std::string(LayerKindId(n.kind)) + ")");
    w.Open("struct " + l.config_name());
    w.Line("typedef " + m.layers[l.producers[0]].type_name() + " in_t;");
    for (size_t j = 1; j < l.producers.size(); ++j) {
      w.Line("typedef " + m.layers[l.producers[j]].type_name() + " in" + std::to_string(j) + "_t;");
    }
    w.Line("typedef " + l.type_name() + " out_t;");
    w.Line(ConstMember("n_in", l.n_in));
    for (size_t j = 1; j < l.producers.size(); ++j) {
      w.Line(ConstMember("n_in" + std::to_string(j), m.layers[l.producers[j]].n_out));
    }
    w.Line(ConstMember("n_out", l.n_out));
    for (const std::string& member : l.emission.config_members) w.Line(member);
    w.Close(";");
  }
  w.Line();
  w.Raw("#endif  // PARAMETERS_H_");
  return w.str();
}

StatusOr<std::string> WriteWeights(const ProjectModel& m, const ProjectLayer& l) {
  (void)m;
  std::string out;
  out += "// Constants of layer '" + l.node->name + "' (" + std::string(LayerKindId(l.node->kind)) +
         "): raw bit patterns, value = raw * 2^(I-W) of the\n// type named beside each array.\n";
  out += "#ifndef WEIGHTS_" + Guard(l.ident) + "\n#define WEIGHTS_" + Guard(l.ident) + "\n\n";
  out += "#include \"../parameters.h\"\n";
  for (const ConstArray& a : l.emission.arrays) {
    out += "\n// " + CppType(a.type) + "\n";
    out += "static const " + l.config_name() + "::" + a.raw_ctype_member + " " + a.name + "[" +
           std::to_string(a.raw.size()) + "] = {";
    // Plain integer literals, 16 per line: g++ compiles a million of these in seconds.
    for (size_t k = 0; k < a.raw.size(); ++k) {
      out += k % 16 == 0 ? "\n    " : " ";
      out += RawLiteral(a.raw[k], a.type);
      if (k + 1 < a.raw.size()) out += ",";
    }
    out += "\n};\n";
  }
  out += "\n#endif\n";
  return out;
}

std::string WriteTopSource(const ProjectModel& m) {
  CodeWriter w;
  w.Line("// " + m.name + ": generated by firmnet from model '" + m.graph->name + "'.");
  w.Line("// Every layer is one call into the layer library (fnet/*.h) with its config struct.");
  w.Raw("#include \"" + m.name + ".h\"");
  w.Raw("#include \"parameters.h\"");
  for (const ProjectLayer& l : m.layers) {
    if (!l.emission.arrays.empty()) w.Raw("#include \"weights/" + l.ident + ".h\"");
  }
  w.Line();
  for (const ProjectLayer& l : m.layers) {
    if (!l.adapter.empty()) WriteAdapter(m, l, w);
  }
  w.Open("void " + m.name + "(" + Ports(m) + ")");
  const std::vector<std::string> ports = PortNames(m);
  if (m.stream) {
    for (const std::string& p : ports) w.Raw("#pragma HLS INTERFACE axis port = " + p);
    w.Raw("#pragma HLS DATAFLOW");
  } else {
    w.Raw("#pragma HLS INTERFACE " + m.port_protocol + " port = " + Join(ports, ","));
    for (const std::string& p : ports)
      w.Raw("#pragma HLS ARRAY_PARTITION variable = " + p + " complete");
    if (m.any_resource) {
      // Resource layers pipeline their own reuse loops; each layer is a dataflow process.
      w.Raw("#pragma HLS DATAFLOW");
    } else {
      w.Raw("#pragma HLS PIPELINE II = " + std::to_string(m.max_reuse));
    }
  }
  // io_stream: a FIFO holds a whole tensor (docs/hls_backend.md, "FIFO depths").
  auto declare_stream = [&](const ProjectLayer& l, const std::string& s) {
    w.Line("hls::stream<" + PixelType(l, l.type_name()) + " > " + s + "(\"" + s + "\");");
    w.Raw("#pragma HLS STREAM variable = " + s + " depth = " + std::to_string(l.beats()));
  };
  // io_stream: one copy of a tensor per reader.
  auto clone = [&](const ProjectLayer& l) {
    if (l.copies.empty()) return;
    for (size_t r = 0; r < l.copies.size(); ++r) {
      if (l.readers[r].layer >= 0) declare_stream(l, l.copies[r]);
    }
    w.Line("fnet::clone_stream<" + std::to_string(l.beats()) + ">(" + l.buffer + ", " +
           Join(l.copies, ", ") + ");");
  };
  for (const ProjectLayer& l : m.layers) {
    if (!l.is_input() || l.copies.empty()) continue;
    w.Line();
    w.Line("// " + l.node->name + " (input) is read " + std::to_string(l.readers.size()) +
           " times");
    clone(l);
  }
  for (size_t k = 0; k < m.layers.size(); ++k) {
    const ProjectLayer& l = m.layers[k];
    if (l.is_input() || l.is_port()) continue;  // a port layer's buffer comes with its owner
    w.Line();
    w.Line("// " + l.node->name + " (" + std::string(LayerKindId(l.node->kind)) + ")");
    // A buffer's size: the config's n_out, or a port layer's own size.
    auto size = [&](const ProjectLayer& o) {
      return o.is_port() ? std::to_string(o.n_out) : l.config_name() + "::n_out";
    };
    // The buffers the layer writes: its own, then those of its port layers.
    std::vector<const ProjectLayer*> outs = {&l};
    for (int p : l.port_layers) outs.push_back(&m.layers[p]);
    std::vector<std::string> out_buffers;
    for (const ProjectLayer* o : outs) {
      const bool writes_port = o->output_index >= 0 && o->buffer == m.output_port(o->output_index);
      if (!writes_port) {
        if (m.stream) {
          declare_stream(*o, o->buffer);
        } else {
          w.Line("FNET_BUFFER " + o->type_name() + " " + o->buffer + "[" + size(*o) + "];");
          w.Raw("#pragma HLS ARRAY_PARTITION variable = " + o->buffer + " complete");
        }
      }
      out_buffers.push_back(o->buffer);
    }
    const std::string in = Join(InputBuffers(m, static_cast<int>(k)), ", ");
    const std::string out = Join(out_buffers, ", ");
    const std::string layer = l.emission.library_struct + "<" + l.config_name() + ">";
    if (!m.stream) {
      w.Line(layer + "::run(" + in + ", " + out + ConstArgs(l) + ");");
      for (const ProjectLayer* o : outs) {
        if (o->output_index >= 0 && o->buffer != m.output_port(o->output_index)) {
          w.Line("fnet::copy_array<" + size(*o) + ">(" + o->buffer + ", " +
                 m.output_port(o->output_index) + ");");
        }
      }
    } else if (l.emission.native_stream) {
      w.Line(layer + "::run_stream(" + in + ", " + out + ConstArgs(l) + ");");
    } else if (!l.adapter.empty()) {
      w.Line(l.adapter + "(" + in + ", " + out + ");");
    } else {
      w.Line("fnet::stream_layer<" + layer + " >(" + in + ", " + out + ConstArgs(l) + ");");
    }
    for (const ProjectLayer* o : outs) clone(*o);
  }
  w.Close();
  return w.str();
}

}  // namespace firmnet::backend::hls
