// The IR: a graph of layers with named tensors, shapes, per-tensor precision and attributes.
//
// A node produces one tensor per output port: most layers have one (port 0, named like the node);
// multi-output layers (split; later recurrent states) have more, each with its own shape and the
// node's "result" type. Inputs and graph outputs name a tensor as a TensorRef (node, port). Nodes
// are kept in topological order (producers before consumers); the first nodes are the `input`
// layers. Shapes exclude the
// batch dimension. Weights are stored as float64 values exactly as trained; they are quantized
// only by the emulator/backends, with the node's `weight`/`bias` precision.
//
// Conventions per layer kind (attrs and weights), fixed here so that frontends, passes and
// backends agree:
//   input        shape = the input feature shape (e.g. [16]).
//   dense        weights "weight" shape [n_in, n_out] (Keras kernel layout), "bias" [n_out]
//                (always present, zeros when the model has none). Input must be 1-D [n_in].
//                Optional attrs "weight_quantizer" ("binary"/"ternary": Keras BinaryDense/
//                TernaryDense) and "po2_weight_bits" (QKeras quantized_po2 kernel: hls4ml's
//                shift product, also on the convolutions).
//   batchnorm    weights "scale" [n], "bias" [n]: y = x*scale + bias. Frontends compute
//                scale = gamma/sqrt(var+eps), bias = beta - mean*scale in float64.
//   linear, relu, sigmoid, tanh, softsign, softplus: no attrs (linear: optional "quant", 1 a
//                QONNX Quant cast, 2 a homogeneous HGQ quantizer:
//                passes/merge_linear_activation.h).
//   fixed_point_quantizer  attrs "rounding", "overflow" (strings); weights "keep_negative",
//                "bits", "integers" [n]: one type per element (HGQ; layers/fixed_point_quantizer).
//   leaky_relu   attr "alpha" (double).
//   clip         attrs "min", "max" (double); ReLU6 is clip(0, 6).
//   binary_tanh, ternary_tanh: no attrs (values -1/+1, -1/0/+1); binary_tanh: optional "xnor"
//                (1: writes 1/0 for +1/-1, hls4ml's XNOR encoding of a graph output).
//   batchnorm_quantized_tanh  attr "levels" (2 or 3); weights "threshold" [n] (levels 2) or
//                "threshold_hi", "threshold_lo" [n] (levels 3), n = values or channels.
//   hard_sigmoid attrs "alpha" (slope, double), "beta" (offset, double): clip(alpha*x+beta, 0, 1).
//   elu          attr "alpha" (double), quantized to "param" (docs/tables.md: hls4ml style
//                multiplies the table entry by it, firmnet style folds it into the table).
//   softmax      attr "axis" (int, -1 = last; may be omitted = -1); only the last axis of a
//                1-D tensor is supported.
//   reshape      attr "target_shape" (vector<int64>): the output shape; flatten is a reshape.
//   Feature maps are channels-last: 1-D [L, C], 2-D [H, W, C]. Pads and crops are 1-D
//   [left, right], 2-D [top, left, bottom, right] (ONNX order).
//   max_pool1d/2d, avg_pool1d/2d  attrs "pool_size" (ints, one per spatial axis), "strides"
//                (ints; optional, default pool_size), "pads" (ints; optional, default 0); avg
//                pools also "count_include_pad" (int 0/1; optional, default 0).
//   global_{max,avg}_pool1d/2d  no attrs; output [C].
//   zero_pad1d/2d attr "pads"; cropping1d/2d attr "crops"; upsampling1d/2d attr "size" (ints,
//                integer factor per spatial axis, nearest neighbour); transpose attr "perm"
//                (ints, numpy's: out.shape[i] = in.shape[perm[i]]).
//   add, multiply, average, maximum, minimum: two or more inputs of one shape; subtract: two.
//   concatenate  two or more inputs; attr "axis" (int, into the shape without the batch,
//                negative from the end; may be omitted = -1).
//   dot          two 1-D inputs of one length; output shape [1].
//   split        attrs "axis" (int, as concatenate's) and "sizes" (ints, one per output port,
//                summing to the input's extent on the axis): output port k holds the k-th slice.
//   slice        attrs "starts", "ends" (ints, one per axis, ends exclusive): the window kept.
//   conv1d, conv2d, depthwise_conv1d, depthwise_conv2d (layers/common/conv.h): input [L, C] or
//                [H, W, C] (channels-last); attrs "strides" (one per spatial axis), "pads"
//                (1-D [left, right], 2-D [top, left, bottom, right]), optional "dilations" (all
//                1); weights "weight" [kw, C, F] / [kh, kw, C, F] (depthwise [.., C, M], output
//                channel c*M + m) and "bias" [F] (always present).
//
// Precision slots (node.precision keys, plus node.auto_precision for `auto`): "result" for every
// layer; dense and the convolutions: "weight", "bias", "accum"; batchnorm: "scale", "bias";
// leaky_relu/elu/clip/hard_sigmoid: "param" (the constant); table activations (sigmoid, tanh,
// softplus, elu, softsign): "table"; softmax: "exp_table", "inv_table", "accum" (sum of
// exponentials); every pooling layer and dot: "accum". The layer folders' schemas hold the
// list and defaults (layers/registry.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/layers/layer_kind.h"

namespace firmnet::ir {

using Shape = std::vector<int64_t>;
int64_t NumElements(const Shape& shape);
std::string FormatShape(const Shape& shape);  // "[16,64]"

// The element type a tensor had in the model file. Values are always held as doubles; an f32
// tensor's values are exactly float32 values. Passes that compute new weights from old ones
// (batchnorm folding) do it in the arithmetic the training framework's numpy code uses, so that
// hls4ml's float32 products and sums are reproduced bit for bit (docs/semantics.md, "Float
// steps before quantization").
enum class ElementType : uint8_t { kF64, kF32 };
std::string_view ElementTypeName(ElementType t);  // "f64", "f32"

// One tensor of the graph: output `port` of node `node`. Converts from a node name (port 0), so
// that single-output graphs read as before. Printed "split" (port 0) or "split:1" (ToString).
struct TensorRef {
  std::string node;
  int port = 0;
  TensorRef() = default;
  TensorRef(std::string n, int p = 0) : node(std::move(n)), port(p) {}  // NOLINT: implicit
  TensorRef(const char* n) : node(n) {}                                 // NOLINT: implicit
  std::string ToString() const;
  friend bool operator==(const TensorRef&, const TensorRef&) = default;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  friend auto operator<=>(const TensorRef&, const TensorRef&) = default;
  friend void PrintTo(const TensorRef& t, std::ostream* os) { *os << t.ToString(); }  // gtest
};

struct Tensor {
  Shape shape;
  std::vector<double> data;  // row-major, size NumElements(shape)
  ElementType dtype = ElementType::kF64;
  // The float reference's values, where `data` came out of float32 arithmetic on the model's
  // parameters (batchnorm folding): the same steps in float64, so that `--float` stays the model
  // as trained while the firmware quantizes hls4ml's float32 values. Empty: `data` itself.
  std::vector<double> reference = {};
  const std::vector<double>& ReferenceData() const { return reference.empty() ? data : reference; }
  friend bool operator==(const Tensor&, const Tensor&) = default;
};

using AttrValue =
    std::variant<int64_t, double, std::string, std::vector<int64_t>, std::vector<double>>;

enum class Strategy : uint8_t { kLatency, kResource };
enum class IoType : uint8_t { kParallel, kStream };
// How the Verilog backend builds a product with a constant weight: shift-and-add in LUTs, a DSP
// block, or its own per-weight choice (docs/verilog_backend.md).
enum class Multiplier : uint8_t { kAuto, kLut, kDsp };
std::string_view StrategyName(Strategy s);      // "Latency", "Resource"
std::string_view IoTypeName(IoType t);          // "io_parallel", "io_stream"
std::string_view MultiplierName(Multiplier m);  // "auto", "lut", "dsp"
// How a table activation (sigmoid, tanh, softmax, ...) computes: hls4ml's own tables and index
// arithmetic, bit for bit (the default), or firmnet's magnitude/inverse tables (docs/tables.md).
enum class TableStyle : uint8_t { kHls4ml, kFirmnet };
// hls4ml's softmax `implementation` (hls4ml style only).
enum class SoftmaxImpl : uint8_t { kStable, kLatency, kLegacy };
std::string_view TableStyleName(TableStyle s);                     // "hls4ml", "firmnet"
std::string_view SoftmaxImplName(SoftmaxImpl s);                   // "stable", "latency", "legacy"
std::optional<TableStyle> ParseTableStyle(std::string_view name);  // any case
std::optional<SoftmaxImpl> ParseSoftmaxImpl(std::string_view name);  // any case
// The Multiplier named `name` (as MultiplierName writes it, any case), or nullopt.
std::optional<Multiplier> ParseMultiplier(std::string_view name);

// Per-layer implementation settings (hls4ml's ReuseFactor, Strategy, TableSize; firmnet's
// Multiplier for the Verilog backend).
struct LayerSettings {
  int reuse_factor = 1;
  Strategy strategy = Strategy::kLatency;
  int table_size = 0;  // 0: the layer's default
  Multiplier multiplier = Multiplier::kAuto;
  TableStyle table_style = TableStyle::kHls4ml;
  SoftmaxImpl softmax_impl = SoftmaxImpl::kStable;
  friend bool operator==(const LayerSettings&, const LayerSettings&) = default;
};

struct Node {
  std::string name;
  LayerKind kind = LayerKind::kInput;
  std::vector<TensorRef> inputs;  // the tensors it reads, in order
  Shape shape;                    // output port 0's shape (filled by shape inference)
  // The shapes of output ports 1, 2, ... of a multi-output layer (empty for the others).
  std::vector<Shape> extra_outputs;
  std::map<std::string, AttrValue> attrs;
  std::map<std::string, Tensor> weights;
  std::map<std::string, FixedType> precision;
  // Slots the config left to inference (`auto`, hls4ml's UnspecifiedPrecisionType). Until the
  // infer_precision pass runs they have no entry in `precision`; afterwards they have the
  // inferred type there and stay listed here, so that the resolved config can say `auto` again
  // (the batchnorm fusion rule depends on it).
  std::set<std::string> auto_precision;
  // Types the model file itself fixes (QKeras quantizers, QONNX Quant nodes, binary/ternary
  // weights), by slot. Config resolution applies them as hls4ml applies a quantizer's type
  // (docs/config.md, "Types from the model"): a weight-like slot's type overrides every config
  // section; a "result" type takes the place of the Model-level default and yields to LayerType
  // and LayerName keys. The float reference casts the layer's output to the "result" type (the
  // framework's quantizer, evaluated in float).
  std::map<std::string, FixedType> model_precision;
  LayerSettings settings;
  // Where the node came from, for messages: "<file> node '<name>' (<op>)" for ONNX, "<file>
  // layer '<name>' (<class>)" for Keras; empty for graphs written by hand. Passes that replace
  // a node keep its origin.
  std::string origin;

  // Typed attribute access; a missing or mistyped attribute is an error naming node and key.
  StatusOr<double> GetDouble(const std::string& key) const;
  StatusOr<int64_t> GetInt(const std::string& key) const;
  StatusOr<std::vector<int64_t>> GetInts(const std::string& key) const;
  StatusOr<std::vector<double>> GetDoubles(const std::string& key) const;  // ints convert
  StatusOr<std::string> GetString(const std::string& key) const;
  // An optional attribute's value, or `fallback` when it is absent (the verifier has checked
  // its type against the schema).
  int64_t GetIntOr(const std::string& key, int64_t fallback) const;
  std::vector<int64_t> GetIntsOr(const std::string& key, std::vector<int64_t> fallback) const;
  // "layer 'conv1' (conv2d, from model.onnx node 'Conv_3' (Conv))": how errors name a node.
  std::string Label() const;
  // The precision of `slot`; a missing slot is an internal error (the config pass fills them).
  const FixedType& Precision(const std::string& slot) const;
  const Tensor* Weight(const std::string& key) const;
  int NumOutputs() const { return 1 + static_cast<int>(extra_outputs.size()); }
  // The shape of output `port` (0 <= port < NumOutputs()).
  const Shape& OutputShape(int port) const;

  friend bool operator==(const Node&, const Node&) = default;
};

// Model-wide settings from the config (top-level hls4ml keys).
struct ModelSettings {
  std::string project_name = "myproject";
  std::string part = "xcku115-flvb2104-2-i";
  double clock_period_ns = 5.0;
  IoType io_type = IoType::kParallel;
  // hls4ml's Model Precision `default` and `maximum`: the type an `auto` slot without an
  // inference rule gets, and the bound on inferred widths (docs/config.md, "auto").
  FixedType default_precision;  // ap_fixed<16,6>
  std::optional<FixedType> max_precision;
  // hls4ml's bit-exact flow (Model BitExact, on by default for HGQ models): every result and
  // accumulator slot is `auto` whatever the config says, and inference keeps every bit.
  bool bit_exact = false;
  friend bool operator==(const ModelSettings&, const ModelSettings&) = default;
};

class Graph {
 public:
  std::string name = "model";
  std::vector<Node> nodes;         // topological order
  std::vector<TensorRef> outputs;  // the tensors that are model outputs
  ModelSettings settings;

  Node* Find(const std::string& node_name);
  const Node* Find(const std::string& node_name) const;
  // Appends a node; returns a reference valid until the next AddNode.
  Node& AddNode(Node node);
  // Nodes that read any output of `node_name`.
  std::vector<const Node*> Consumers(const std::string& node_name) const;
  // The shape of tensor `t`, or null when its node or port does not exist.
  const Shape* TensorShape(const TensorRef& t) const;
  std::vector<const Node*> Inputs() const;

  friend bool operator==(const Graph&, const Graph&) = default;
};

}  // namespace firmnet::ir
