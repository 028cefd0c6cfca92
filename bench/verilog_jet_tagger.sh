#!/bin/sh
# Issue 5 benchmark: the hls4ml jet tagger (KERAS_3layer, 16-64-32-32-5) through the Verilog
# backend at ap_fixed<16,6>, ReuseFactor 1, xcku115-flvb2104-2-i, 200 MHz (bench/verilog_jet_tagger*.yml),
# next to hls4ml's published result for the 70%-pruned model. For each run it builds the RTL,
# simulates it with Verilator against the emulator on 10 k random inputs (bit-exact check and
# measured latency), synthesizes it with `firmnet synth` and prints one table.
#
# Usage: bench/verilog_jet_tagger.sh [path/to/firmnet]    (default: build/bin/firmnet)
# Environment:
#   RUNS           runs to do, from: pruned:auto pruned:lut full:auto full:lut
#                  (default "pruned:auto pruned:lut"; each synthesis takes minutes and GBs)
#   SYNTH_TIMEOUT  seconds per Yosys run (default 1800)
#   KEEP=1         keep the work directory (projects, reports, logs) and print its path
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
firmnet=${1:-$root/build/bin/firmnet}
keras=${FIRMNET_SHARED_DIR:-$root/../shared}/example-models/keras
runs=${RUNS:-"pruned:auto pruned:lut"}
timeout=${SYNTH_TIMEOUT:-1800}
part=xcku115-flvb2104-2-i

[ -x "$firmnet" ] || { echo "no firmnet binary at $firmnet (build it, or pass its path)" >&2; exit 1; }
[ -f "$keras/KERAS_3layer.json" ] || { echo "no example models in $keras (set FIRMNET_SHARED_DIR)" >&2; exit 1; }
work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "work directory: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

# Standardized jet features: standard-normal rows are the right scale (example-models/PROVENANCE.md).
/usr/bin/python3 -c "import numpy as np; np.save('$work/inputs.npy', np.random.default_rng(1).standard_normal((10000, 16)))"

for run in $runs; do
  weights=${run%%:*}
  mult=${run##*:}
  case $weights in
    pruned) h5=$keras/KERAS_3layer_70pruned_retrained_weights.h5 ;;
    full) h5=$keras/KERAS_3layer_weights.h5 ;;
    *) echo "unknown run '$run'" >&2; exit 1 ;;
  esac
  case $mult in
    auto) cfg=$here/verilog_jet_tagger.yml ;;
    lut) cfg=$here/verilog_jet_tagger_lut.yml ;;
    *) echo "unknown run '$run'" >&2; exit 1 ;;
  esac
  name=${weights}_$mult
  echo "== $name: build" >&2
  "$firmnet" build "$keras/KERAS_3layer.json" --weights "$h5" -c "$cfg" --backend verilog \
      -o "$work/$name" --force >&2
  echo "== $name: sim (Verilator, 10000 inputs)" >&2
  "$firmnet" sim "$work/$name" --input "$work/inputs.npy" > "$work/$name.sim.txt" 2>&1 || true
  cat "$work/$name.sim.txt" >&2
  echo "== $name: synth ($part)" >&2
  if ! "$firmnet" synth "$work/$name" --part "$part" --timeout "$timeout" --json > "$work/$name.synth.json"; then
    echo "synthesis of $name failed" >&2
    rm -f "$work/$name.synth.json"
  fi
done

/usr/bin/python3 - "$work" $runs <<'PY'
import json, os, re, sys
work, runs = sys.argv[1], sys.argv[2:]
cols = [("hls4ml (pruned, Vivado HLS)", {"lut": "~36k", "ff": "~53k", "dsp": "954", "bram18": "13", "carry": "-",
         "levels": "-", "fmax": "200 (met)", "latency": "~15", "ii": "1", "sim": "-", "wall": "-"})]
for run in runs:
    name = run.replace(":", "_")
    row = {}
    sim = open(os.path.join(work, name + ".sim.txt")).read() if os.path.exists(os.path.join(work, name + ".sim.txt")) else ""
    m = re.search(r"(\d+) passed, (\d+) failed", sim)
    row["sim"] = f"{m.group(1)} ok/{m.group(2)} bad" if m else "failed"
    m = re.search(r"latency (\d+) cycles, II (\d+)", sim)
    row["latency"], row["ii"] = (m.group(1), m.group(2)) if m else ("?", "?")
    path = os.path.join(work, name + ".synth.json")
    if os.path.exists(path):
        j = json.load(open(path))
        r, t = j["resources"], j.get("timing") or {}
        for k in ("lut", "ff", "dsp", "bram18", "carry"):
            row[k] = str(r[k])
        row["levels"] = f"{t.get('logic_levels', '?')} (max {t.get('max_lut_levels', '?')})"
        row["fmax"] = f"~{t.get('fmax_mhz', 0):.0f} (est.)"
        row["wall"] = f"{j['yosys_wall_s']:.0f} s"
    else:
        for k in ("lut", "ff", "dsp", "bram18", "carry", "levels", "fmax", "wall"):
            row[k] = "failed"
    cols.append((f"firmnet {run}", row))
labels = [("LUT", "lut"), ("FF", "ff"), ("DSP", "dsp"), ("BRAM18", "bram18"), ("CARRY4", "carry"),
          ("LUT levels (crit.)", "levels"), ("Fmax MHz", "fmax"), ("latency cycles", "latency"),
          ("II", "ii"), ("sim vs emulator", "sim"), ("Yosys wall", "wall")]
w0 = max(len(l) for l, _ in labels)
ws = [max(len(c), *(len(r.get(k, "")) for _, k in labels)) for c, r in cols]
print(f"{'':{w0}}  " + "  ".join(f"{c:>{w}}" for (c, _), w in zip(cols, ws)))
for label, k in labels:
    print(f"{label:{w0}}  " + "  ".join(f"{r.get(k, ''):>{w}}" for (_, r), w in zip(cols, ws)))
print("\nfirmnet: Yosys 0.23 synth_xilinx -family xcu (no-alumacc flow), out of context; Fmax is firmnet's"
      "\ndelay-model estimate (docs/synth.md). hls4ml: JINST 13 P07027 (2018), Vivado HLS, 70% pruned.")
PY
