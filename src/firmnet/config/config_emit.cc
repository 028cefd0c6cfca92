// Graph -> YAML: the default config users start from, and the resolved config written next to a
// converted model. Both are valid ParseConfig input; yaml-cpp's emitter does the quoting, so
// layer names with YAML-special characters survive the round trip.
#include <yaml-cpp/yaml.h>

#include <charconv>

#include "firmnet/config/config.h"
#include "firmnet/layers/registry.h"

namespace firmnet::config {
namespace {

// Shortest text that parses back to the same double (e.g. "5", "2.5").
std::string FormatDouble(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  FIRMNET_CHECK(ec == std::errc());
  return std::string(buf, ptr);
}

void EmitModelSettings(YAML::Emitter& out, const ir::ModelSettings& ms) {
  out << YAML::Key << "ProjectName" << YAML::Value << ms.project_name;
  out << YAML::Key << "Part" << YAML::Value << ms.part;
  out << YAML::Key << "ClockPeriod" << YAML::Value << FormatDouble(ms.clock_period_ns);
  out << YAML::Key << "IOType" << YAML::Value << std::string(ir::IoTypeName(ms.io_type));
}

}  // namespace

std::string DefaultConfigYaml(const ir::Graph& graph) {
  YAML::Emitter out;
  out << YAML::Comment(
      "firmnet config with the built-in defaults and the types the model's quantizers fix. "
      "Precedence: Model < LayerType < LayerName; see docs/config.md");
  out << YAML::BeginMap;
  EmitModelSettings(out, ir::ModelSettings{});
  out << YAML::Key << "HLSConfig" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "Model" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "Precision" << YAML::Value << std::string(kDefaultPrecision);
  out << YAML::Key << "ReuseFactor" << YAML::Value << 1;
  out << YAML::Key << "Strategy" << YAML::Value
      << std::string(ir::StrategyName(ir::Strategy::kLatency));
  out << YAML::EndMap;
  out << YAML::Key << "LayerName" << YAML::Value << YAML::BeginMap;
  for (const auto& node : graph.nodes) {
    const LayerInfo& info = GetLayerInfo(node.kind);
    out << YAML::Key << node.name << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "Precision" << YAML::Value << YAML::BeginMap;
    for (const auto& slot : info.slots) {
      // A type the model fixes (a quantizer's) is what this layer gets without a config.
      auto fixed = node.model_precision.find(std::string(slot.name));
      out << YAML::Key << std::string(slot.name) << YAML::Value
          << (fixed != node.model_precision.end() ? FormatFixedType(fixed->second)
                                                  : std::string(SlotDefault(slot, true)));
    }
    out << YAML::EndMap;
    // Like hls4ml, the per-layer listing repeats ReuseFactor only where it matters (layers with
    // weights), so that Model.ReuseFactor still steers the rest.
    if (info.has_weights) out << YAML::Key << "ReuseFactor" << YAML::Value << 1;
    if (info.default_table_size > 0) {
      out << YAML::Key << "TableSize" << YAML::Value << info.default_table_size;
      if (HasHls4mlTableStyle(node.kind)) {
        out << YAML::Key << "TableStyle" << YAML::Value
            << std::string(ir::TableStyleName(ir::TableStyle::kHls4ml));
      }
    }
    if (node.kind == LayerKind::kSoftmax) {
      out << YAML::Key << "Implementation" << YAML::Value
          << std::string(ir::SoftmaxImplName(ir::SoftmaxImpl::kStable));
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;  // LayerName
  out << YAML::EndMap;  // HLSConfig
  out << YAML::EndMap;
  FIRMNET_CHECK(out.good()) << out.GetLastError();
  return std::string(out.c_str()) + "\n";
}

std::string ResolvedConfigYaml(const ir::Graph& graph) {
  YAML::Emitter out;
  out << YAML::Comment("firmnet resolved config: every slot and setting of every layer");
  out << YAML::BeginMap;
  EmitModelSettings(out, graph.settings);
  out << YAML::Key << "HLSConfig" << YAML::Value << YAML::BeginMap;
  // What `auto` slots are inferred from (every slot is spelled out below, so the default
  // reaches no slot directly).
  out << YAML::Key << "Model" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "Precision" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "default" << YAML::Value << FormatFixedType(graph.settings.default_precision);
  if (graph.settings.max_precision) {
    out << YAML::Key << "maximum" << YAML::Value << FormatFixedType(*graph.settings.max_precision);
  }
  out << YAML::EndMap;
  out << YAML::EndMap;
  out << YAML::Key << "LayerName" << YAML::Value << YAML::BeginMap;
  for (const auto& node : graph.nodes) {
    const LayerInfo& info = GetLayerInfo(node.kind);
    out << YAML::Key << node.name << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "Precision" << YAML::Value << YAML::BeginMap;
    // Registry order, not map order: result first, as users read it.
    for (const auto& slot : info.slots) {
      const std::string name(slot.name);
      auto it = node.precision.find(name);
      if (node.auto_precision.count(name)) {
        // `auto` again, so that applying this file reproduces the same inference and the same
        // batchnorm fusion; the comment says what it became.
        out << YAML::Key << name << YAML::Value << "auto";
        if (it != node.precision.end()) out << YAML::Comment(FormatFixedType(it->second));
        continue;
      }
      if (it == node.precision.end()) continue;  // not resolved: nothing to report
      out << YAML::Key << name << YAML::Value << FormatFixedType(it->second);
    }
    out << YAML::EndMap;
    out << YAML::Key << "ReuseFactor" << YAML::Value << node.settings.reuse_factor;
    out << YAML::Key << "Strategy" << YAML::Value
        << std::string(ir::StrategyName(node.settings.strategy));
    if (info.has_products) {
      out << YAML::Key << "Multiplier" << YAML::Value
          << std::string(ir::MultiplierName(node.settings.multiplier));
    }
    if (info.default_table_size > 0) {
      const int size =
          node.settings.table_size > 0 ? node.settings.table_size : info.default_table_size;
      out << YAML::Key << "TableSize" << YAML::Value << size;
      if (HasHls4mlTableStyle(node.kind)) {
        out << YAML::Key << "TableStyle" << YAML::Value
            << std::string(ir::TableStyleName(node.settings.table_style));
      }
    }
    if (node.kind == LayerKind::kSoftmax) {
      out << YAML::Key << "Implementation" << YAML::Value
          << std::string(ir::SoftmaxImplName(node.settings.softmax_impl));
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;  // LayerName
  out << YAML::EndMap;  // HLSConfig
  out << YAML::EndMap;
  FIRMNET_CHECK(out.good()) << out.GetLastError();
  return std::string(out.c_str()) + "\n";
}

}  // namespace firmnet::config
