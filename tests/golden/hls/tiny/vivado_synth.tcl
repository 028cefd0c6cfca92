# Logic synthesis of the exported RTL of tiny in Vivado (after
# `vitis_hls -f build_prj.tcl -tclargs csynth=1`):  vivado -mode batch -source vivado_synth.tcl
set part "xcu250-figd2104-2L-e"
set clock_period 4
add_files [glob tiny_prj/solution1/syn/verilog/*.v]
foreach tcl [glob -nocomplain tiny_prj/solution1/syn/verilog/*.tcl] {
  source $tcl
}
synth_design -top tiny -part $part -mode out_of_context
create_clock -period $clock_period -name ap_clk [get_ports -quiet ap_clk]
report_utilization -file vivado_synth.rpt
report_timing_summary -file vivado_timing.rpt
