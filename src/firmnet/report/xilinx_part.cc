#include "firmnet/report/xilinx_part.h"

#include <cctype>
#include <optional>

namespace firmnet::report {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "115" -> "", "5p" -> "p", "13p" -> "p"; nullopt when no digit follows the prefix.
std::optional<std::string_view> SuffixAfterDigits(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0) return std::nullopt;
  return s.substr(i);
}

// docs/synth.md shows these in a table; keep the two in step.
constexpr DelayModel kXc7{
    .lut = 0.55,
    .muxf = 0.35,
    .carry_entry = 0.50,
    .carry_step = 0.10,
    .dsp_comb = 3.90,
    .ff_clk_to_q = 0.45,
    .ff_setup = 0.05,
    .bram_clk_to_q = 2.10,
    .bram_setup = 0.50,
    .dsp_clk_to_p = 0.70,
    .dsp_setup = 0.35,
    .srl_clk_to_q = 1.40,
};
constexpr DelayModel kXcu{
    .lut = 0.45,
    .muxf = 0.30,
    .carry_entry = 0.40,
    .carry_step = 0.06,
    .dsp_comb = 3.20,
    .ff_clk_to_q = 0.40,
    .ff_setup = 0.05,
    .bram_clk_to_q = 1.75,
    .bram_setup = 0.45,
    .dsp_clk_to_p = 0.60,
    .dsp_setup = 0.30,
    .srl_clk_to_q = 1.20,
};
constexpr DelayModel kXcup{
    .lut = 0.40,
    .muxf = 0.25,
    .carry_entry = 0.35,
    .carry_step = 0.05,
    .dsp_comb = 2.80,
    .ff_clk_to_q = 0.35,
    .ff_setup = 0.05,
    .bram_clk_to_q = 1.50,
    .bram_setup = 0.40,
    .dsp_clk_to_p = 0.55,
    .dsp_setup = 0.25,
    .srl_clk_to_q = 1.00,
};

}  // namespace

const char* YosysFamilyName(XilinxFamily f) {
  switch (f) {
    case XilinxFamily::kXc7:
      return "xc7";
    case XilinxFamily::kXcu:
      return "xcu";
    case XilinxFamily::kXcup:
      return "xcup";
  }
  return "?";
}

const char* FamilyDisplayName(XilinxFamily f) {
  switch (f) {
    case XilinxFamily::kXc7:
      return "7 series";
    case XilinxFamily::kXcu:
      return "UltraScale";
    case XilinxFamily::kXcup:
      return "UltraScale+";
  }
  return "?";
}

std::string AcceptedPartPrefixes() {
  return "xc7a/xc7k/xc7v/xc7z/xc7s (7 series -> xc7); xcku<N>, xcvu<N> (UltraScale, e.g. "
         "xcku115 -> xcu); xcku<N>p, xcvu<N>p, xczu, xcau, xck26, Alveo xcu<N> (UltraScale+ -> "
         "xcup); xa/xq variants of these are accepted too";
}

StatusOr<XilinxFamily> FamilyForPart(std::string_view part) {
  std::string lower;
  for (char c : part)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const std::string_view device = std::string_view(lower).substr(0, lower.find('-'));
  // Automotive (xa) and defense (xq) grades share the commercial fabric.
  std::string norm(device);
  if (StartsWith(norm, "xa") || StartsWith(norm, "xq")) norm = "xc" + norm.substr(2);
  const std::string_view d = norm;

  auto unknown = [&](const std::string& why) -> Status {
    return InvalidArgument("--part '" + std::string(part) + "': " + why +
                           ". Accepted parts: " + AcceptedPartPrefixes());
  };
  if (d.empty()) return unknown("the part name is empty");
  if (StartsWith(d, "xc7") && d.size() > 3 && std::isalpha(static_cast<unsigned char>(d[3]))) {
    return XilinxFamily::kXc7;
  }
  if (StartsWith(d, "xczu") || StartsWith(d, "xcau") || StartsWith(d, "xck26") ||
      StartsWith(d, "xck24")) {
    return XilinxFamily::kXcup;
  }
  for (std::string_view prefix : {"xcku", "xcvu"}) {
    if (!StartsWith(d, prefix)) continue;
    auto suffix = SuffixAfterDigits(d.substr(prefix.size()));
    if (suffix && suffix->empty()) return XilinxFamily::kXcu;
    if (suffix && StartsWith(*suffix, "p")) return XilinxFamily::kXcup;
    return unknown("'" + std::string(device) +
                   "' is not a known Kintex/Virtex UltraScale(+) device");
  }
  // Alveo cards (xcu50, xcu55c, xcu200, xcu250, xcu280) carry UltraScale+ devices.
  if (StartsWith(d, "xcu") && SuffixAfterDigits(d.substr(3))) return XilinxFamily::kXcup;
  if (StartsWith(d, "xcv") && d.size() > 3 &&
      std::string_view("cmeph").find(d[3]) != std::string_view::npos) {
    return unknown("Versal devices are not supported by Yosys 0.23 synth_xilinx");
  }
  return unknown("'" + std::string(device) +
                 "' is not a 7 series, UltraScale or UltraScale+ device");
}

const DelayModel& DelayModelFor(XilinxFamily f) {
  switch (f) {
    case XilinxFamily::kXc7:
      return kXc7;
    case XilinxFamily::kXcu:
      return kXcu;
    case XilinxFamily::kXcup:
      return kXcup;
  }
  return kXc7;
}

}  // namespace firmnet::report
