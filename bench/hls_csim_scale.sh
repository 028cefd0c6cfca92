#!/usr/bin/env bash
# Scale check of the HLS backend: writes the HLS project of KERAS_dense_16x500x500x500x500x500x5
# (about 1 M weights, from ../shared/example-models), then compiles it with g++ -O2 the way
# `firmnet csim` does and runs its testbench (1000 samples, bit-exact against the emulator).
# Prints the project size, the wall time and peak memory of each step (/usr/bin/time -v).
#
# Usage: bench/hls_csim_scale.sh [BUILD_DIR] [MODEL_PREFIX]
#   BUILD_DIR defaults to build; MODEL_PREFIX to the 500-wide example model.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
prefix="${2:-$here/../shared/example-models/keras/KERAS_dense_16x500x500x500x500x500x5}"
firmnet="$build/bin/firmnet"
include="$here/hls/include"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() {  # measure LABEL CMD...: runs CMD under /usr/bin/time -v, prints time and peak RSS
  local label="$1"; shift
  /usr/bin/time -v "$@" >"$work/out.log" 2>"$work/time.log" || { cat "$work/out.log" "$work/time.log"; exit 1; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$work/time.log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/time.log" | awk '{print $NF}')
  printf '%-28s wall %8s   peak RSS %7.1f MB\n' "$label" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

measure "firmnet build (write)" "$firmnet" build "$prefix.json" --weights "${prefix}_weights.h5" \
  --backend hls -o "$work/prj"
echo "project: $(du -sh "$work/prj" | cut -f1), weights headers $(du -ch "$work"/prj/firmware/weights/*.h | tail -1 | cut -f1)"
cd "$work/prj"
mkdir -p csim
flags=(-O2 -std=c++17 -Wno-unknown-pragmas -Ifirmware "-I$include")
measure "g++ -O2 top function" g++ "${flags[@]}" -c firmware/myproject.cpp -o csim/top.o
measure "g++ -O2 testbench" g++ "${flags[@]}" -c myproject_test.cpp -o csim/test.o
measure "link" g++ csim/top.o csim/test.o -o csim/myproject_csim
measure "testbench run (1000 samples)" ./csim/myproject_csim
tail -1 "$work/out.log"
cd "$here"
measure "firmnet csim (all steps)" "$firmnet" csim "$work/prj" --hls-include "$include"
