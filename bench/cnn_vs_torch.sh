#!/bin/sh
# The emulator on the example CNNs of issue 14 (KERAS_conv2d_model, jetTagger_Conv2D_Small from
# ../shared), side by side in one run with the same networks in torch 1.13 float32 on one thread
# (bench/torch_cnn_peer.py). Prints inferences/s and the emulator/torch ratio (goal: the bit-exact
# emulator at least half of torch's single-sample rate). Before timing, it checks that the torch
# network is the model firmnet reads: `firmnet predict --float` and torch agree within 1e-5.
# Usage: bench/cnn_vs_torch.sh [build-dir]   (default: build; needs bin/firmnet, bin/emulator_bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
shared=${FIRMNET_SHARED_DIR:-$here/../../shared}/example-models/keras
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
models="KERAS_conv2d_model jetTagger_Conv2D_Small"
for m in $models; do
  /usr/bin/python3 "$here/torch_cnn_peer.py" "$shared/$m.json" "$shared/${m}_weights.h5" \
    --save-io "$work" >> "$work/torch.jsonl"
  "$build/bin/firmnet" predict "$shared/$m.json" --weights "$shared/${m}_weights.h5" --float \
    --input "$work/${m}_x.npy" --output "$work/${m}_firmnet.npy" > /dev/null
done
"$build/bin/emulator_bench" --benchmark_filter='Conv2d' --benchmark_min_time=1 \
  --benchmark_format=json > "$work/emu.json" 2> /dev/null
/usr/bin/python3 - "$work" $models <<'PY'
import json, sys
import numpy as np
work, models = sys.argv[1], sys.argv[2:]
torch = {}
for line in open(f"{work}/torch.jsonl"):
    r = json.loads(line)
    torch[r["model"]] = r
emu = {b["name"]: b["items_per_second"] for b in json.load(open(f"{work}/emu.json"))["benchmarks"]}
names = {"KERAS_conv2d_model": "BM_Conv2dModel", "jetTagger_Conv2D_Small": "BM_JetTaggerConv2d"}
print(f"{'model':24} {'emu bit-exact':>14} {'emu float64':>12} {'torch b=1':>10} "
      f"{'torch b=256':>12} {'bit-exact/torch b=1':>20}")
for m in models:
    a = np.load(f"{work}/{m}_firmnet.npy")
    b = np.load(f"{work}/{m}_torch.npy").reshape(a.shape)
    diff = float(np.abs(a - b).max())
    if diff > 1e-5:
        sys.exit(f"{m}: torch and firmnet --float differ by {diff}: not the same network")
    exact, flt = emu[names[m] + "BitExact"], emu[names[m] + "Float"]
    t1, t256 = torch[m]["batch1_per_s"], torch[m]["batch256_per_s"]
    print(f"{m:24} {exact:14,.0f} {flt:12,.0f} {t1:10,.0f} {t256:12,.0f} {exact / t1:19.2f}x")
print("(inferences/s, one thread; torch b=256 is per sample in batches of 256; "
      "torch vs firmnet --float max |diff| <= 1e-5)")
PY
