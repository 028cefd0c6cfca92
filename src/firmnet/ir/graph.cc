#include "firmnet/ir/graph.h"

#include <sstream>

namespace firmnet::ir {

int64_t NumElements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string FormatShape(const Shape& shape) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? "," : "") << shape[i];
  os << "]";
  return os.str();
}

std::string_view ElementTypeName(ElementType t) { return t == ElementType::kF32 ? "f32" : "f64"; }

std::string_view StrategyName(Strategy s) {
  return s == Strategy::kLatency ? "Latency" : "Resource";
}

std::string_view IoTypeName(IoType t) {
  return t == IoType::kParallel ? "io_parallel" : "io_stream";
}

std::string_view MultiplierName(Multiplier m) {
  constexpr std::string_view kNames[] = {"auto", "lut", "dsp"};
  return kNames[static_cast<int>(m)];
}

std::optional<Multiplier> ParseMultiplier(std::string_view name) {
  for (Multiplier m : {Multiplier::kAuto, Multiplier::kLut, Multiplier::kDsp}) {
    const std::string_view n = MultiplierName(m);
    if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      return m;
    }
  }
  return std::nullopt;
}

namespace {
bool EqualsLower(std::string_view lower, std::string_view name) {
  return lower.size() == name.size() &&
         std::equal(lower.begin(), lower.end(), name.begin(), [](char a, char b) {
           return a == std::tolower(static_cast<unsigned char>(b));
         });
}
}  // namespace

std::string_view TableStyleName(TableStyle s) {
  return s == TableStyle::kHls4ml ? "hls4ml" : "firmnet";
}

std::string_view SoftmaxImplName(SoftmaxImpl s) {
  constexpr std::string_view kNames[] = {"stable", "latency", "legacy"};
  return kNames[static_cast<int>(s)];
}

std::optional<TableStyle> ParseTableStyle(std::string_view name) {
  for (TableStyle s : {TableStyle::kHls4ml, TableStyle::kFirmnet}) {
    if (EqualsLower(TableStyleName(s), name)) return s;
  }
  return std::nullopt;
}

std::optional<SoftmaxImpl> ParseSoftmaxImpl(std::string_view name) {
  for (SoftmaxImpl s : {SoftmaxImpl::kStable, SoftmaxImpl::kLatency, SoftmaxImpl::kLegacy}) {
    if (EqualsLower(SoftmaxImplName(s), name)) return s;
  }
  return std::nullopt;
}

namespace {
const char* AttrTypeName(const AttrValue& v) {
  switch (v.index()) {
    case 0:
      return "int";
    case 1:
      return "float";
    case 2:
      return "string";
    case 3:
      return "int list";
    default:
      return "float list";
  }
}
}  // namespace

StatusOr<double> Node::GetDouble(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return InvalidArgument("layer '" + name + "': missing attribute '" + key + "'");
  if (auto* d = std::get_if<double>(&it->second)) return *d;
  if (auto* i = std::get_if<int64_t>(&it->second)) return static_cast<double>(*i);
  return InvalidArgument("layer '" + name + "': attribute '" + key + "' is a " +
                         AttrTypeName(it->second) + ", expected a float");
}

StatusOr<int64_t> Node::GetInt(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return InvalidArgument("layer '" + name + "': missing attribute '" + key + "'");
  if (auto* i = std::get_if<int64_t>(&it->second)) return *i;
  return InvalidArgument("layer '" + name + "': attribute '" + key + "' is a " +
                         AttrTypeName(it->second) + ", expected an int");
}

StatusOr<std::vector<int64_t>> Node::GetInts(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return InvalidArgument("layer '" + name + "': missing attribute '" + key + "'");
  if (auto* v = std::get_if<std::vector<int64_t>>(&it->second)) return *v;
  return InvalidArgument("layer '" + name + "': attribute '" + key + "' is a " +
                         AttrTypeName(it->second) + ", expected an int list");
}

StatusOr<std::vector<double>> Node::GetDoubles(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return InvalidArgument("layer '" + name + "': missing attribute '" + key + "'");
  if (auto* v = std::get_if<std::vector<double>>(&it->second)) return *v;
  if (auto* v = std::get_if<std::vector<int64_t>>(&it->second)) {
    return std::vector<double>(v->begin(), v->end());
  }
  return InvalidArgument("layer '" + name + "': attribute '" + key + "' is a " +
                         AttrTypeName(it->second) + ", expected a number list");
}

StatusOr<std::string> Node::GetString(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return InvalidArgument("layer '" + name + "': missing attribute '" + key + "'");
  if (auto* v = std::get_if<std::string>(&it->second)) return *v;
  return InvalidArgument("layer '" + name + "': attribute '" + key + "' is a " +
                         AttrTypeName(it->second) + ", expected a string");
}

int64_t Node::GetIntOr(const std::string& key, int64_t fallback) const {
  auto v = GetInt(key);
  return v.ok() ? *v : fallback;
}

std::vector<int64_t> Node::GetIntsOr(const std::string& key, std::vector<int64_t> fallback) const {
  auto v = GetInts(key);
  return v.ok() ? *v : fallback;
}

std::string Node::Label() const {
  std::string s = "layer '" + name + "' (" + std::string(LayerKindId(kind));
  if (!origin.empty()) s += ", from " + origin;
  return s + ")";
}

const FixedType& Node::Precision(const std::string& slot) const {
  auto it = precision.find(slot);
  FIRMNET_CHECK(it != precision.end())
      << "layer '" << name << "' has no '" << slot << "' precision";
  return it->second;
}

const Tensor* Node::Weight(const std::string& key) const {
  auto it = weights.find(key);
  return it == weights.end() ? nullptr : &it->second;
}

std::string TensorRef::ToString() const {
  return port == 0 ? node : node + ":" + std::to_string(port);
}

const Shape& Node::OutputShape(int port) const {
  FIRMNET_CHECK(port >= 0 && port < NumOutputs())
      << "layer '" << name << "' has no output port " << port;
  return port == 0 ? shape : extra_outputs[static_cast<size_t>(port) - 1];
}

const Shape* Graph::TensorShape(const TensorRef& t) const {
  const Node* n = Find(t.node);
  if (!n || t.port < 0 || t.port >= n->NumOutputs()) return nullptr;
  return &n->OutputShape(t.port);
}

Node* Graph::Find(const std::string& node_name) {
  for (auto& n : nodes) {
    if (n.name == node_name) return &n;
  }
  return nullptr;
}

const Node* Graph::Find(const std::string& node_name) const {
  for (const auto& n : nodes) {
    if (n.name == node_name) return &n;
  }
  return nullptr;
}

Node& Graph::AddNode(Node node) {
  nodes.push_back(std::move(node));
  return nodes.back();
}

std::vector<const Node*> Graph::Consumers(const std::string& node_name) const {
  std::vector<const Node*> out;
  for (const auto& n : nodes) {
    for (const auto& in : n.inputs) {
      if (in.node == node_name) {
        out.push_back(&n);
        break;
      }
    }
  }
  return out;
}

std::vector<const Node*> Graph::Inputs() const {
  std::vector<const Node*> out;
  for (const auto& n : nodes) {
    if (n.kind == LayerKind::kInput) out.push_back(&n);
  }
  return out;
}

}  // namespace firmnet::ir
