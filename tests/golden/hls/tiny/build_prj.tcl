# Builds tiny with Vitis HLS (2022.1 or later) or Vivado HLS (2020.1):
#   vitis_hls -f build_prj.tcl                       (or vivado_hls -f build_prj.tcl)
#   vitis_hls -f build_prj.tcl -tclargs csim=0 cosim=1 export=1
# Each step runs when its variable is 1. Part and clock come from the firmnet config.
array set step {csim 1 csynth 1 cosim 0 export 0}
foreach arg $::argv {
  if {[regexp {^(csim|csynth|cosim|export)=([01])$} $arg -> key value]} {
    set step($key) $value
  }
}
set part "xcu250-figd2104-2L-e"
set clock_period 4
set cflags "-std=c++14 -Ifirmware"

open_project -reset tiny_prj
set_top tiny
add_files firmware/tiny.cpp -cflags $cflags
add_files -tb tiny_test.cpp -cflags $cflags
add_files -tb tb_data
# Vitis HLS wants -flow_target; Vivado HLS 2020.1 does not know the option.
if {[catch {open_solution -reset solution1 -flow_target vivado}]} {
  open_solution -reset solution1
}
set_part $part
create_clock -period $clock_period -name default

if {$step(csim)} {
  csim_design
}
if {$step(csynth)} {
  csynth_design
}
if {$step(cosim)} {
  cosim_design -trace_level none
}
if {$step(export)} {
  export_design -format ip_catalog
}
exit
