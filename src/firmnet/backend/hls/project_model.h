// The HLS project's view of a graph: the layers in graph (topological) order with their C
// identifiers, sizes, producers and emissions, the top function's ports (one per graph input and
// output) and, for io_stream, the streams between the layers. Shared by the writers of the top
// function, the testbench and the scripts.
//
// Names inside the top function (all unique C identifiers, checked against the layer identifiers):
//   input port       <ident>            of an input layer
//   output port      <ident>_out        of an output layer
//   layer buffer     <ident>_out        array (io_parallel) or stream (io_stream) of a layer's
//                                       output; for an output layer the port itself, except where
//                                       it is also read by other layers in io_parallel (then a
//                                       local array <ident>_local that is copied to the port)
//   stream copies    <ident>_cpy<r>     io_stream: a tensor read by several readers (consumers and
//                                       the output port) is copied by fnet::clone_stream into one
//                                       stream per reader
//
// A multi-output layer (split) has one ProjectLayer per output port: port 0 is the layer itself,
// ports 1, 2, ... are port layers (ident <ident>_p<k>) with a buffer, readers and output port of
// their own but no call: the owner's run() writes all its ports' buffers.
#pragma once

#include <string>
#include <vector>

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::backend::hls {

struct ProjectLayer {
  const ir::Node* node = nullptr;  // a port layer: the multi-output node
  std::string ident;               // C identifier, unique
  std::string tensor;              // the tensor it holds: "<node>" or "<node>:<port>"
  ir::Shape shape;                 // that tensor's shape
  int port = 0;                    // which output of the node
  int owner = -1;                  // a port layer: the layer index of port 0
  std::vector<int> port_layers;    // port 0 of a multi-output layer: its ports 1, 2, ...
  std::vector<int> producers;      // layer indices of node.inputs, in order; empty for an input
  int64_t n_in = 0, n_out = 0;     // n_in: elements of input 0 (the input layer: its own size)
  int64_t channels = 1;            // the last axis of the output: values per io_stream beat
  LayerEmission emission;
  // Where the output goes (filled by BuildProjectModel): one entry per read of the tensor, in
  // graph order of the readers (a layer that reads it twice appears twice), then the output port.
  struct Reader {
    int layer = -1;  // the reading layer, or -1 for the output port
    int slot = 0;    // which of its inputs
  };
  std::vector<Reader> readers;
  std::string buffer;               // the array or stream the layer writes (or the input port)
  std::vector<std::string> copies;  // io_stream with several readers: one stream per reader
  int output_index = -1;            // index in ProjectModel::outputs, or -1
  // io_stream, several inputs, no run_stream: the generated adapter function (top source).
  std::string adapter;
  bool is_input() const { return producers.empty() && owner < 0; }
  bool is_port() const { return owner >= 0; }
  int64_t beats() const { return n_out / channels; }
  std::string type_name() const { return ident + "_result_t"; }
  std::string config_name() const { return "config_" + ident; }
};

struct ProjectModel {
  std::string name;  // the top function
  const ir::Graph* graph = nullptr;
  std::vector<ProjectLayer> layers;  // graph order
  std::vector<int> inputs;           // layer indices of graph.Inputs(), in that order
  std::vector<int> outputs;          // layer indices of graph.outputs, in that order
  bool stream = false;
  std::string port_protocol = "ap_vld";  // io_parallel: INTERFACE mode of the array ports
  int max_reuse = 1;
  bool any_resource = false;
  const ProjectLayer& input(size_t k = 0) const { return layers[inputs[k]]; }
  const ProjectLayer& out(size_t k = 0) const { return layers[outputs[k]]; }
  bool single_io() const { return inputs.size() == 1 && outputs.size() == 1; }
  // The top function's port names.
  std::string input_port(size_t k = 0) const { return input(k).ident; }
  std::string output_port(size_t k = 0) const { return out(k).ident + "_out"; }
  // defines.h names of the ports' sizes and types: N_INPUT/input_t/N_OUTPUT/result_t for a model
  // with one input and one output, N_INPUT_<k>/input<k>_t/N_OUTPUT_<k>/result<k>_t otherwise.
  std::string input_size(size_t k) const;
  std::string input_type(size_t k) const;
  std::string output_size(size_t k) const;
  std::string output_type(size_t k) const;
  // io_stream: the beat type of a port, "fnet::pixel<input_t, 3>".
  std::string input_beat(size_t k) const;
  std::string output_beat(size_t k) const;
  // The testbench data files (tb_data/...) of input k and output k.
  std::string input_file(size_t k) const;
  std::string output_file(size_t k) const;
  // The array or stream that `reader` of layer `k` reads: the layer's buffer, or its copy.
  std::string ReadBuffer(int k, int reader_layer, int slot) const;
};

StatusOr<ProjectModel> BuildProjectModel(const ir::Graph& graph, const std::string& name);

// "fnet::pixel<T, C>" with C = the layer's channels.
std::string PixelType(const ProjectLayer& l, const std::string& value_type);

// Writers (one file each).
std::string WriteTopHeader(const ProjectModel& m);
std::string WriteTopSource(const ProjectModel& m);
std::string WriteDefines(const ProjectModel& m);
StatusOr<std::string> WriteParameters(const ProjectModel& m);
// firmware/weights/<ident>.h for a layer with constant arrays.
StatusOr<std::string> WriteWeights(const ProjectModel& m, const ProjectLayer& l);
std::string WriteTestbench(const ProjectModel& m);
std::string WriteBuildTcl(const ProjectModel& m);
std::string WriteVivadoSynthTcl(const ProjectModel& m);
std::string WriteReadme(const ProjectModel& m);

}  // namespace firmnet::backend::hls
