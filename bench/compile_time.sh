#!/bin/sh
# Times g++ -O2 on a generated C-simulation of a dense network with 4096 weights (16-64-32-32-5
# is 4256; here 64x64), written the way firmnet's HLS backend writes it: constant weight arrays,
# a fully unrolled-by-the-tool loop, ap_fixed<16,6> data and an ap_fixed<32,12> accumulator,
# HLS pragmas. Goal (issue 3): <= 3 s with firmnet's headers.
# Usage: bench/compile_time.sh [include-dir]   (default: hls/include next to this script)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
inc=${1:-$here/../hls/include}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/net.cc" <<'PY'
import random, sys
random.seed(1)
n_in, n_out = 64, 64
with open(sys.argv[1], "w") as f:
    f.write('#include "ap_fixed.h"\n#include "hls_stream.h"\n#include <cstdio>\n')
    f.write("typedef ap_fixed<16,6> data_t;\ntypedef ap_fixed<8,3,AP_RND_CONV,AP_SAT> weight_t;\n")
    f.write("typedef ap_fixed<32,12> accum_t;\n")
    ws = ",".join("%.6f" % random.uniform(-2, 2) for _ in range(n_in * n_out))
    f.write("static const weight_t w[%d] = {%s};\n" % (n_in * n_out, ws))
    bs = ",".join("%.4f" % random.uniform(-1, 1) for _ in range(n_out))
    f.write("static const accum_t b[%d] = {%s};\n" % (n_out, bs))
    f.write("void dense(const data_t x[%d], data_t y[%d]) {\n" % (n_in, n_out))
    f.write("#pragma HLS PIPELINE II=1\n")
    f.write("  for (int o = 0; o < %d; ++o) {\n#pragma HLS UNROLL\n" % n_out)
    f.write("    accum_t acc = b[o];\n")
    f.write("    for (int i = 0; i < %d; ++i) {\n#pragma HLS UNROLL\n" % n_in)
    f.write("      acc += (accum_t)(x[i] * w[i * %d + o]);\n    }\n" % n_out)
    f.write("    y[o] = acc > 0 ? (data_t)acc : (data_t)0;\n  }\n}\n")
    f.write("int main() {\n  data_t x[%d], y[%d];\n" % (n_in, n_out))
    f.write("  for (int i = 0; i < %d; ++i) x[i] = i * 0.0625 - 2;\n" % n_in)
    f.write("  dense(x, y);\n  for (int o = 0; o < %d; ++o) std::printf(\"%%s\\n\", y[o].to_string(10).c_str());\n" % n_out)
    f.write("  return 0;\n}\n")
PY
start=$(date +%s.%N)
g++ -std=c++17 -O2 -Wall -Wno-unknown-pragmas -I"$inc" "$work/net.cc" -o "$work/net"
end=$(date +%s.%N)
"$work/net" > /dev/null
echo "g++ -O2 compile of a 4096-weight dense C-sim: $(echo "$end - $start" | bc) s"
