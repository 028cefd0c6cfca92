// Xilinx part names -> the Yosys `synth_xilinx -family` they synthesize for, and the delay model
// the timing estimate uses for that family. One table, so `firmnet synth`, its docs and its
// tests agree on which parts are accepted.
#pragma once

#include <string>
#include <string_view>

#include "firmnet/common/status.h"

namespace firmnet::report {

enum class XilinxFamily { kXc7, kXcu, kXcup };

// The value of `synth_xilinx -family` ("xc7", "xcu", "xcup").
const char* YosysFamilyName(XilinxFamily f);
// A readable name ("7 series", "UltraScale", "UltraScale+").
const char* FamilyDisplayName(XilinxFamily f);

// Maps a part such as "xcku115-flvb2104-2-i" (case-insensitive; only the device name before the
// first '-' matters) to its family. An unknown or unsupported part (Versal, Spartan-6...) is an
// InvalidArgument that lists the accepted prefixes.
StatusOr<XilinxFamily> FamilyForPart(std::string_view part);

// The accepted part prefixes, for help texts and error messages.
std::string AcceptedPartPrefixes();

// Per-family delays in ns of a -2 speed grade device, each including the typical routing delay
// of the net the element drives (there is no placement, so routing is a constant per hop). These
// are coarse averages of datasheet figures and post-route experience: the estimate ranks designs
// and flags long paths; it is not a Vivado timing report. docs/synth.md explains the model.
struct DelayModel {
  double lut;            // one LUT level: logic plus a typical net
  double muxf;           // MUXF7/MUXF8 stage
  double carry_entry;    // into a CARRY4 from fabric (S/DI), through to its outputs
  double carry_step;     // one CARRY4 further along a carry chain (CO -> CI), half a CARRY8
  double dsp_comb;       // a DSP48 used with no internal register (A/B -> P)
  double ff_clk_to_q;    // FF clock to output, plus the net it drives
  double ff_setup;       // FF data setup
  double bram_clk_to_q;  // block RAM clock to output (no output register), plus net
  double bram_setup;     // block RAM address/data setup
  double dsp_clk_to_p;   // DSP48 with PREG: clock to P, plus net
  double dsp_setup;      // into a DSP48 whose first register is AREG/BREG/MREG/PREG (average)
  double srl_clk_to_q;   // SRL16/SRLC32 and LUT RAM clock to output
};

const DelayModel& DelayModelFor(XilinxFamily f);

}  // namespace firmnet::report
