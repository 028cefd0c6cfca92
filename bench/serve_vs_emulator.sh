#!/bin/sh
# `firmnet serve` on loopback against the in-process emulator, same network, same run: the jet
# tagger (KERAS_3layer from ../shared when present, as bench/emulator_bench uses, else
# examples/jet_tagger) at ap_fixed<16,6>, dynamic batching, one worker per core.
#  1. batch-1 requests from 16 concurrent streams (firmnet perf): requests/s and p99 latency
#     (goal: >= 20 k/s at p99 < 1 ms);
#  2. the same load from h2load (nghttp2) with a pre-built gRPC frame, 4 connections x 4 streams;
#  3. batch-1000 requests from 2 streams per worker (one computing, one on the wire, so that no
#     worker waits for the network): inferences/s, and the ratio to the in-process
#     emulator's single-core inferences/s (bin/emulator_bench, BM_JetTaggerBitExact) times the
#     number of workers (goal: >= 0.8).
# The client runs on the same machine and takes cores from the server: on 2 cores the figures
# are a floor.
# Usage: bench/serve_vs_emulator.sh [build-dir]   (needs bin/firmnet and bin/emulator_bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
fn=$build/bin/firmnet
shared=${FIRMNET_SHARED_DIR:-$here/../../shared}/example-models/keras
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
workers=$(nproc)
mkdir -p "$work/repo/jet/1"
if [ -f "$shared/KERAS_3layer.json" ]; then
  cp "$shared/KERAS_3layer.json" "$work/repo/jet/1/model.json"
  cp "$shared/KERAS_3layer_weights.h5" "$work/repo/jet/1/model_weights.h5"
  model="KERAS_3layer (../shared)"
else
  cp "$here/../examples/jet_tagger/jet_tagger.onnx" "$work/repo/jet/1/model.onnx"
  model="examples/jet_tagger"
fi
cat > "$work/repo/jet/config.pbtxt" <<PBTXT
backend: "firmnet"
max_batch_size: 1000
dynamic_batching { max_queue_delay_microseconds: 50 }
instance_group [ { count: $workers } ]
PBTXT
"$fn" serve --model-repository "$work/repo" --grpc-port 0 --http-port 0 --metrics-port 0 \
  > "$work/serve.out" 2> "$work/serve.err" &
server=$!
i=0
while ! grep -q "Started Metrics" "$work/serve.out" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! kill -0 "$server" 2>/dev/null; then
    cat "$work/serve.err" >&2
    exit 1
  fi
  sleep 0.1
done
port=$(sed -n 's/^Started GRPCInferenceService at .*:\([0-9]*\)$/\1/p' "$work/serve.out")
echo "model: $model; server: $workers worker(s), gRPC port $port"

echo "== firmnet perf, batch 1, 16 concurrent streams"
"$fn" perf -m jet -u "127.0.0.1:$port" --concurrency-range 16 --measurement-interval 3 \
  --csv > "$work/b1.csv"
cat "$work/b1.csv"

echo "== h2load, batch 1, 4 connections x 4 streams, 100000 requests"
protoc -I "$here/../src/firmnet/serve/proto" --python_out "$work" --grpc_python_out "$work" \
  --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin grpc_service.proto model_config.proto
# One request of one row, framed for gRPC (flag byte, big-endian length, message), with the
# model's own input name and shape from ModelMetadata.
/usr/bin/python3 - "$work" "$port" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[1])
import grpc
import numpy as np
import grpc_service_pb2 as pb
import grpc_service_pb2_grpc as pbg
stub = pbg.GRPCInferenceServiceStub(grpc.insecure_channel("127.0.0.1:" + sys.argv[2]))
meta = stub.ModelMetadata(pb.ModelMetadataRequest(name="jet"))
r = pb.ModelInferRequest(model_name="jet")
t = r.inputs.add(name=meta.inputs[0].name, datatype="FP32")
t.shape.extend([1] + list(meta.inputs[0].shape[1:]))
n = int(np.prod(meta.inputs[0].shape[1:]))
r.raw_input_contents.append(np.linspace(-1, 1, n, dtype="<f4").tobytes())
stub.ModelInfer(r)  # the frame is a valid request
body = r.SerializeToString()
open(sys.argv[1] + "/frame.bin", "wb").write(b"\0" + struct.pack(">I", len(body)) + body)
PY
h2load -n 100000 -c 4 -m 4 -t 1 --data "$work/frame.bin" \
  -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$port/inference.GRPCInferenceService/ModelInfer" > "$work/h2load.txt" 2>&1 ||
  true
grep -E "^finished in|^requests:|^status codes:|time for request:" "$work/h2load.txt" || cat "$work/h2load.txt"

echo "== firmnet perf, batch 1000, $((2 * workers)) concurrent streams"
"$fn" perf -m jet -u "127.0.0.1:$port" -b 1000 --concurrency-range $((2 * workers)) \
  --measurement-interval 3 \
  --csv > "$work/b1000.csv"
cat "$work/b1000.csv"

echo "== in-process emulator, one core"
"$build/bin/emulator_bench" --benchmark_filter='BM_JetTaggerBitExact' --benchmark_min_time=2 \
  --benchmark_format=json > "$work/emu.json" 2> /dev/null
/usr/bin/python3 - "$work" "$workers" <<'PY'
import csv, json, sys
work, workers = sys.argv[1], int(sys.argv[2])
emu = [b for b in json.load(open(work + "/emu.json"))["benchmarks"]
       if b["name"].startswith("BM_JetTaggerBitExact")][0]["items_per_second"]
b1 = list(csv.DictReader(open(work + "/b1.csv")))[0]
b1000 = list(csv.DictReader(open(work + "/b1000.csv")))[0]
served = float(b1000["Inferences/Second"])
print("emulator, one core:            %12.0f inferences/s" % emu)
print("batch 1, 16 streams:           %12.0f requests/s, p99 %s us (goal >= 20000/s, < 1000 us)"
      % (float(b1["Requests/Second"]), b1["p99 latency"]))
print("batch 1000, %2d streams:        %12.0f inferences/s" % (2 * workers, served))
print("served / (emulator x %d workers): %.2f (goal >= 0.8)" % (workers, served / (emu * workers)))
PY
