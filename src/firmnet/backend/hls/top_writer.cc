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
  if (m.stream) {
    return "hls::stream<input_t>& " + m.input_port() + ", hls::stream<result_t>& " +
           m.output_port();
  }
  return "const input_t " + m.input_port() + "[N_INPUT], result_t " + m.output_port() +
         "[N_OUTPUT]";
}

}  // namespace

std::string WriteTopHeader(const ProjectModel& m) {
  CodeWriter w;
  w.Line("// " + m.name + ": the top function of this firmnet-generated HLS project.");
  w.Line(m.stream
             ? "// io_stream: one value per AXI-stream beat, inputs and outputs in row-major order."
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
  w.Raw("#define N_INPUT " + std::to_string(m.input().n_out));
  w.Raw("#define N_OUTPUT " + std::to_string(m.out().n_out));
  w.Line();
  for (const ProjectLayer& l : m.layers) {
    w.Line("typedef " + CppType(l.node->Precision("result")) + " " + l.type_name() + ";  // " +
           l.node->name + " (" + std::string(LayerKindId(l.node->kind)) + ")");
  }
  w.Line("typedef " + m.input().type_name() + " input_t;");
  w.Line("typedef " + m.out().type_name() + " result_t;");
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
    if (l.producer < 0) continue;
    const ir::Node& n = *l.node;
    w.Line();
    w.Line("// " + n.name + " (" + std::string(LayerKindId(n.kind)) + ")");
    w.Open("struct " + l.config_name());
    w.Line("typedef " + m.layers[l.producer].type_name() + " in_t;");
    w.Line("typedef " + l.type_name() + " out_t;");
    w.Line(ConstMember("n_in", l.n_in));
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
  w.Open("void " + m.name + "(" + Ports(m) + ")");
  if (m.stream) {
    w.Raw("#pragma HLS INTERFACE axis port = " + m.input_port());
    w.Raw("#pragma HLS INTERFACE axis port = " + m.output_port());
    w.Raw("#pragma HLS DATAFLOW");
  } else {
    w.Raw("#pragma HLS INTERFACE " + m.port_protocol + " port = " + m.input_port() + "," +
          m.output_port());
    w.Raw("#pragma HLS ARRAY_PARTITION variable = " + m.input_port() + " complete");
    w.Raw("#pragma HLS ARRAY_PARTITION variable = " + m.output_port() + " complete");
    if (m.any_resource) {
      // Resource layers pipeline their own reuse loops; each layer is a dataflow process.
      w.Raw("#pragma HLS DATAFLOW");
    } else {
      w.Raw("#pragma HLS PIPELINE II = " + std::to_string(m.max_reuse));
    }
  }
  for (size_t k = 1; k < m.layers.size(); ++k) {
    const ProjectLayer& l = m.layers[k];
    w.Line();
    w.Line("// " + l.node->name + " (" + std::string(LayerKindId(l.node->kind)) + ")");
    const std::string out = m.buffer(static_cast<int>(k));
    const bool is_output = static_cast<int>(k) == m.output;
    if (!is_output) {
      if (m.stream) {
        w.Line("hls::stream<" + l.type_name() + "> " + out + "(\"" + out + "\");");
        w.Raw("#pragma HLS STREAM variable = " + out + " depth = " + std::to_string(l.n_out));
      } else {
        w.Line(l.type_name() + " " + out + "[" + l.config_name() + "::n_out];");
        w.Raw("#pragma HLS ARRAY_PARTITION variable = " + out + " complete");
      }
    }
    const std::string in = m.buffer(l.producer);
    const std::string layer = l.emission.library_struct + "<" + l.config_name() + ">";
    if (m.stream) {
      w.Line("fnet::stream_layer<" + layer + " >(" + in + ", " + out + ConstArgs(l) + ");");
    } else {
      w.Line(layer + "::run(" + in + ", " + out + ConstArgs(l) + ");");
    }
  }
  w.Close();
  return w.str();
}

}  // namespace firmnet::backend::hls
