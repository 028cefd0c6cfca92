#!/bin/sh
# firmnet.Model.predict (the Python module) against the C++ emulator's batch API, same model and
# same rows, same run: the jet tagger (KERAS_3layer from ../shared when present, as
# bench/emulator_bench uses, else examples/jet_tagger) at ap_fixed<16,6> on 1 M rows.
#  - C++: bin/emulator_bench BM_JetTaggerBitExactBatch1M (Emulator::Run, one thread);
#  - Python: predict(x, threads=1) on float32 and float64 arrays (goal: >= 0.9 of C++);
#  - scaling: predict(threads=2), and two Python threads calling predict(threads=1) at once.
# Usage: bench/python_vs_emulator.sh [build-dir]   (needs bin/emulator_bench and python/firmnet)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
shared=${FIRMNET_SHARED_DIR:-$here/../../shared}/example-models/keras
"$build/bin/emulator_bench" --benchmark_filter='BM_JetTaggerBitExactBatch1M' \
  --benchmark_min_time=3 --benchmark_format=json 2> /dev/null > "${TMPDIR:-/tmp}/fn_emu_$$.json"
PYTHONPATH="$build/python" /usr/bin/python3 - "${TMPDIR:-/tmp}/fn_emu_$$.json" "$shared" \
  "$here/../examples/jet_tagger" <<'PY'
import json, os, sys, threading, time
import numpy as np
import firmnet
emu_json, shared, jet = sys.argv[1:4]
cpp = [b for b in json.load(open(emu_json))["benchmarks"]
       if b["name"].startswith("BM_JetTaggerBitExactBatch1M")][0]["items_per_second"]
os.remove(emu_json)
if os.path.exists(os.path.join(shared, "KERAS_3layer.json")):
    m = firmnet.convert(os.path.join(shared, "KERAS_3layer.json"),
                        weights=os.path.join(shared, "KERAS_3layer_weights.h5"))
    name = "KERAS_3layer (../shared)"
else:
    m = firmnet.convert(os.path.join(jet, "jet_tagger.onnx"))
    name = "examples/jet_tagger"
rows = 1 << 20
x64 = np.random.default_rng(1).standard_normal((rows, 16))
x32 = x64.astype(np.float32)
def rate(f, repeat=3):
    f()  # warm: emulators built, pages touched
    best = 0
    for _ in range(repeat):
        t = time.perf_counter(); f(); best = max(best, rows / (time.perf_counter() - t))
    return best
def two_python_threads():
    half = rows // 2
    ts = [threading.Thread(target=m.predict, args=(x32[k * half:(k + 1) * half],),
                           kwargs={"threads": 1}) for k in range(2)]
    for t in ts: t.start()
    for t in ts: t.join()
p32 = rate(lambda: m.predict(x32, threads=1))
p64 = rate(lambda: m.predict(x64, threads=1))
p2 = rate(lambda: m.predict(x32, threads=2))
pt = rate(two_python_threads)
print("model: %s, %d rows, %d cores" % (name, rows, os.cpu_count()))
print("C++ Emulator::Run, 1 thread:       %10.0f inferences/s" % cpp)
print("predict float32, threads=1:        %10.0f inferences/s  ratio %.2f (goal >= 0.9)" % (p32, p32 / cpp))
print("predict float64, threads=1:        %10.0f inferences/s  ratio %.2f" % (p64, p64 / cpp))
print("predict float32, threads=2:        %10.0f inferences/s  x%.2f of threads=1" % (p2, p2 / p32))
print("2 Python threads, threads=1 each:  %10.0f inferences/s  x%.2f of one" % (pt, pt / p32))
PY
