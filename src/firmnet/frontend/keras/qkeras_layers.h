// QKeras layers on top of the Keras importer (docs/keras.md, "QKeras"): the quantizers a
// QDense/QConv/QDepthwiseConv/QSeparableConv layer names for its weights, and QActivation (or a
// quantizer given as a layer's `activation=`), read from the model JSON alone.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "firmnet/common/status.h"
#include "firmnet/frontend/keras/keras_context.h"
#include "firmnet/ir/graph.h"

namespace firmnet::keras {

// When the layer's config has a quantizer under `config_key` (e.g. "kernel_quantizer"): replaces
// node.weights[weight] by QKeras' quantized values and records hls4ml's type for them as
// node.model_precision[slot]. Nothing happens when the key is absent or null. A bias quantizer
// of a layer without a bias leaves the zero bias with hls4ml's ap_uint<1>.
Status ApplyWeightQuantizer(KerasContext& ctx, ir::Node& node, const char* config_key,
                            const std::string& weight, const std::string& slot);

// Whether a layer's `activation` value is a QKeras quantizer (an object, or a string such as
// "quantized_relu(3,1)") rather than a Keras activation name.
bool IsQKerasActivation(const nlohmann::json& activation);

// Emits the layer hls4ml makes of a QKeras activation quantizer, named `name`, reading `input`:
// quantized_relu -> relu (leaky_relu with a negative slope), quantized_bits -> linear,
// binary -> binary_tanh, ternary -> ternary_tanh; its result type is the quantizer's
// (model_precision "result"). Returns the node's name.
StatusOr<std::string> EmitQKerasActivation(KerasContext& ctx, const nlohmann::json& activation,
                                           const std::string& name, const std::string& input);

// The rule for the QActivation class.
Status ImportQActivation(KerasContext& ctx);

}  // namespace firmnet::keras
