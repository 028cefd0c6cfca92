// The HLS project's view of a graph: the layers in order with their C identifiers, sizes and
// emissions, shared by the writers of the top function, the testbench and the scripts.
#pragma once

#include <string>
#include <vector>

#include "firmnet/backend/hls/hls_layer.h"
#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::backend::hls {

struct ProjectLayer {
  const ir::Node* node = nullptr;
  std::string ident;  // C identifier, unique
  int producer = -1;  // index of the input layer in ProjectModel::layers; -1 for input
  int64_t n_in = 0, n_out = 0;
  LayerEmission emission;
  std::string type_name() const { return ident + "_result_t"; }
  std::string config_name() const { return "config_" + ident; }
};

struct ProjectModel {
  std::string name;  // the top function
  const ir::Graph* graph = nullptr;
  std::vector<ProjectLayer> layers;  // graph order; layers[0] is the input
  int output = -1;                   // index of the output layer
  bool stream = false;
  std::string port_protocol = "ap_vld";  // io_parallel: INTERFACE mode of the array ports
  int max_reuse = 1;
  bool any_resource = false;
  const ProjectLayer& input() const { return layers[0]; }
  const ProjectLayer& out() const { return layers[output]; }
  // The top function's port names.
  std::string input_port() const { return input().ident; }
  std::string output_port() const { return out().ident + "_out"; }
  // The array (or stream) that holds layer k's output inside the top function.
  std::string buffer(int k) const { return k == 0 ? input_port() : layers[k].ident + "_out"; }
};

StatusOr<ProjectModel> BuildProjectModel(const ir::Graph& graph, const std::string& name);

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
