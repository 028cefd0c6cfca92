// The Keras frontend: turns a trained Keras 2 model into an ir::Graph.
//
// Two forms are accepted:
//   * a JSON architecture (`model.to_json()`) plus a weights file (`model.save_weights(...h5)`);
//   * a full-model .h5 (`model.save(...h5)`): the JSON is the root attribute `model_config` and
//     the weights live under /model_weights (then `weights_path` may be empty).
// Sequential models (both the `config: [layers]` layout of Keras < 2.2.3 and `config: {layers}`)
// and single-chain Functional models are supported. The graph follows the conventions in
// ir/graph.h: a Dense with `activation=` becomes a dense node followed by an activation node named
// "<layer>_<activation>"; Dropout disappears; BatchNormalization becomes a batchnorm node whose
// scale/bias are computed in float64; Flatten/Reshape become reshape. Precisions are left empty
// (the config pass fills them); node shapes are filled in.
//
// Every user error (missing or damaged file, not a model, unsupported layer, missing or
// mis-shaped weights, a branching model) is a Status whose message names the file, the layer, its
// class or the weight, and what is wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::keras {

// `model_path`: a .json architecture (then `weights_path` names the .h5 weights and is required)
// or a full-model .h5/.hdf5 (then `weights_path` may be empty; when given, weights are read from
// it instead of the model file).
StatusOr<ir::Graph> ImportKeras(const std::string& model_path, const std::string& weights_path);

// The Keras layer classes this frontend accepts, in the order error messages list them.
std::vector<std::string_view> SupportedKerasLayers();
// The activation names accepted in `activation=` and in Activation layers.
std::vector<std::string_view> SupportedKerasActivations();

}  // namespace firmnet::keras
