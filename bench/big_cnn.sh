#!/bin/sh
# Converting and emitting an HLS project for a 1 M-parameter CNN (issue 14 goal: under 5 s and
# under 1 GiB). The CNN is made here with torch (Debian's python3-torch, opset 13): 32x32x3 input,
# conv 3x3 64 / conv 3x3 128 / maxpool / conv 3x3 256 / conv 3x3 256 / global average pool /
# dense 10, ReLUs between: 1.05 M weights. Prints wall time and peak memory of `firmnet build`
# in both io types (the generated g++ C-simulation of such a project is not part of the goal).
# Usage: bench/big_cnn.sh [build-dir]   (default: build; needs bin/firmnet)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/big_cnn.onnx" <<'PY'
import sys
import torch
torch.manual_seed(1)
net = torch.nn.Sequential(
    torch.nn.Conv2d(3, 64, 3, padding=1), torch.nn.ReLU(),
    torch.nn.Conv2d(64, 128, 3, padding=1), torch.nn.ReLU(),
    torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(128, 256, 3, padding=1), torch.nn.ReLU(),
    torch.nn.Conv2d(256, 256, 3, padding=1), torch.nn.ReLU(),
    torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
    torch.nn.Linear(256, 10)).eval()
params = sum(p.numel() for p in net.parameters())
torch.onnx.export(net, torch.zeros(1, 3, 32, 32), sys.argv[1], opset_version=13)
print(f"big_cnn.onnx: {params} parameters")
PY
for io in io_parallel io_stream; do
  printf 'Model:\n  Precision: ap_fixed<16,6>\n  ReuseFactor: 64\n  Strategy: Resource\nIOType: %s\n' \
    "$io" > "$work/$io.yml"
  /usr/bin/time -f "%e %M" -o "$work/time" "$build/bin/firmnet" build "$work/big_cnn.onnx" \
    -c "$work/$io.yml" --backend hls -o "$work/$io" > "$work/log" 2>&1 ||
    { cat "$work/log"; exit 1; }
  read -r secs kib < "$work/time"
  echo "firmnet build --backend hls ($io): ${secs} s, peak RSS $((kib / 1024)) MiB," \
    "project $(du -sh "$work/$io" | cut -f1)"
done
