#!/usr/bin/python3
"""End-to-end test of `firmnet serve` with an independent client.

The client is Python grpcio with stubs generated here from the project's .proto files (what
Triton clients are generated from), plus urllib for REST and metrics. It runs the call sequence
of CMS SONIC (RepositoryIndex -> ModelConfig -> ModelMetadata -> ModelInfer, synchronous and 8
concurrent ragged requests -> ModelStatistics) on the bundled jet tagger and checks the outputs
against `firmnet predict` bit for bit; then gzip/deflate and >4 MiB requests, streaming, errors,
REST (JSON and binary tensors), the metrics (with promtool) and the SIGTERM shutdown.

  tests/serve/sonic_client_test.py --firmnet build/bin/firmnet
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "examples", "jet_tagger", "jet_tagger.onnx")
PROTO_DIR = os.path.join(ROOT, "src", "firmnet", "serve", "proto")

JET_CONFIG = """
name: "jet"
backend: "firmnet"
max_batch_size: 128
input [ { name: "input" data_type: TYPE_FP32 dims: [ 16 ] } ]
output [ { name: "output" data_type: TYPE_FP32 dims: [ 5 ] } ]
dynamic_batching { max_queue_delay_microseconds: 2000 }
instance_group [ { count: 2 kind: KIND_CPU } ]
model_repository_agents { agents [ { name: "checksum"
  parameters { key: "MD5:1/model.onnx" value: "0123456789abcdef" } } ] }
"""

BIG_CONFIG = """
backend: "firmnet"
max_batch_size: 100000
"""

MAX_REQUEST = 8000000  # bytes; the >4 MiB request below fits, a 9 MB one does not

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def make_stubs(out):
    subprocess.run(["protoc", "-I", PROTO_DIR, "--python_out", out, "--grpc_python_out", out,
                    "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin",
                    "grpc_service.proto", "model_config.proto"], check=True)
    sys.path.insert(0, out)


def make_repository(root):
    for name, config in (("jet", JET_CONFIG), ("jet_big", BIG_CONFIG),
                         ("broken", "max_batch_size: [")):
        os.makedirs(os.path.join(root, name, "1"))
        shutil.copy(MODEL, os.path.join(root, name, "1", "model.onnx"))
        with open(os.path.join(root, name, "config.pbtxt"), "w") as f:
            f.write(config)


def start_server(firmnet, repo):
    proc = subprocess.Popen([firmnet, "serve", "--model-repository", repo, "--grpc-port", "0",
                             "--http-port", "0", "--metrics-port", "0",
                             "--max-request-size", str(MAX_REQUEST)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ports = {}
    deadline = time.time() + 60
    while len(ports) < 3 and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        for key, service in (("grpc", "GRPCInferenceService"), ("http", "HTTPService"),
                             ("metrics", "Metrics Service")):
            if line.startswith("Started " + service + " at "):
                ports[key] = int(line.rsplit(":", 1)[1])
    if len(ports) < 3:
        proc.kill()
        raise SystemExit("the server did not start: " + proc.stderr.read())
    return proc, ports


def reference(firmnet, x, tmp):
    np.save(os.path.join(tmp, "x.npy"), x)
    subprocess.run([firmnet, "predict", MODEL, "--input", os.path.join(tmp, "x.npy"),
                    "--output", os.path.join(tmp, "y.npy")], check=True, stdout=subprocess.DEVNULL)
    return np.load(os.path.join(tmp, "y.npy"))


def infer_request(pb, x, model="jet", outputs=None, rid=None):
    req = pb.ModelInferRequest(model_name=model, id=rid or "req-%d" % len(x))
    t = req.inputs.add()
    t.name = "input"
    t.datatype = "FP32"
    t.shape.extend(x.shape)
    req.raw_input_contents.append(x.astype("<f4").tobytes())
    for o in outputs or []:
        req.outputs.add().name = o
    return req


def decode(resp, i=0):
    out = resp.outputs[i]
    return np.frombuffer(resp.raw_output_contents[i], dtype="<f4").reshape(tuple(out.shape))


def http(port, path, body=None, headers=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=body,
                                 headers=headers or {}, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def scrape_with_prometheus(port, tmp):
    """A real Prometheus server scrapes the endpoint; its query API must see the counter."""
    if not shutil.which("prometheus"):
        check(False, "prometheus is not installed (scripts/setup installs it)")
        return
    web = free_port()
    with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
        f.write("global:\n  scrape_interval: 1s\nscrape_configs:\n"
                "  - job_name: firmnet\n    static_configs:\n"
                "      - targets: ['127.0.0.1:%d']\n" % port)
    prom = subprocess.Popen(["prometheus", "--config.file", os.path.join(tmp, "prometheus.yml"),
                             "--storage.tsdb.path", os.path.join(tmp, "tsdb"),
                             "--web.listen-address", "127.0.0.1:%d" % web],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        value = None
        deadline = time.time() + 60
        while time.time() < deadline and value is None:
            time.sleep(1)
            try:
                status, _, body = http(web, "/api/v1/query?query=" +
                                       "nv_inference_count%7Bmodel%3D%22jet%22%7D")
            except (urllib.error.URLError, ConnectionError):
                continue
            if status == 200:
                result = json.loads(body)["data"]["result"]
                if result:
                    value = float(result[0]["value"][1])
        check(value is not None and value >= 300,
              "prometheus scraped nv_inference_count{model=\"jet\"}: %s" % value)
        status, _, body = http(web, "/api/v1/targets")
        health = [t["health"] for t in json.loads(body)["data"]["activeTargets"]]
        check(health == ["up"], "prometheus target health %s" % health)
    finally:
        prom.terminate()
        prom.wait(timeout=30)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--firmnet", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="firmnet_serve_")
    try:
        run(args.firmnet, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


def run(firmnet, tmp):
    make_stubs(tmp)
    import grpc
    import grpc_service_pb2 as pb
    import grpc_service_pb2_grpc as pbg

    repo = os.path.join(tmp, "repo")
    make_repository(repo)
    proc, ports = start_server(firmnet, repo)
    try:
        channel = grpc.insecure_channel("127.0.0.1:%d" % ports["grpc"], options=[
            ("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)])
        stub = pbg.GRPCInferenceServiceStub(channel)
        rng = np.random.default_rng(7)
        x = rng.normal(0, 1.5, size=(300, 16)).astype(np.float32)
        want = reference(firmnet, x, tmp)

        # SONIC's sequence.
        check(stub.ServerLive(pb.ServerLiveRequest()).live, "ServerLive")
        index = {m.name: m for m in stub.RepositoryIndex(pb.RepositoryIndexRequest()).models}
        check(index["jet"].state == "READY", "jet READY in RepositoryIndex")
        check(index["broken"].state == "UNAVAILABLE" and "config.pbtxt" in index["broken"].reason,
              "broken model UNAVAILABLE with its reason: %r" % index["broken"].reason)
        check(not stub.ServerReady(pb.ServerReadyRequest()).ready,
              "ServerReady is false while a model failed to load")
        config = stub.ModelConfig(pb.ModelConfigRequest(name="jet")).config
        check(config.max_batch_size == 128, "ModelConfig max_batch_size")
        check(config.model_repository_agents.agents[0].parameters["MD5:1/model.onnx"]
              == "0123456789abcdef", "model_repository_agents echoed")
        meta = stub.ModelMetadata(pb.ModelMetadataRequest(name="jet"))
        check(list(meta.inputs[0].shape) == [-1, 16] and meta.inputs[0].datatype == "FP32",
              "ModelMetadata input: %s" % meta.inputs[0])
        check(list(meta.outputs[0].shape) == [-1, 5], "ModelMetadata output shape")
        resp = stub.ModelInfer(infer_request(pb, x[:100]))
        check(resp.id == "req-100", "id echoed")
        got = decode(resp)
        check(got.shape == (100, 5) and np.array_equal(got.astype(np.float64), want[:100]),
              "ModelInfer sync equals firmnet predict bit for bit")
        # 8 concurrent ragged requests, repeatedly (SONIC's batch-1 bursts).
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(stub.ModelInfer, infer_request(pb, x[100 + i:101 + i]))
                       for i in range(200)]
            rows = [decode(f.result()) for f in futures]
        check(np.array_equal(np.concatenate(rows).astype(np.float64), want[100:300]),
              "ragged concurrent requests equal firmnet predict")
        stats = stub.ModelStatistics(pb.ModelStatisticsRequest(name="jet")).model_stats[0]
        check(stats.inference_count == 300, "inference_count %d" % stats.inference_count)
        check(stats.inference_stats.success.count == 201,
              "success.count %d" % stats.inference_stats.success.count)
        check(1 <= stats.execution_count <= 201, "execution_count %d" % stats.execution_count)

        # Compression, large messages, streaming.
        for c in (grpc.Compression.Gzip, grpc.Compression.Deflate):
            r = stub.ModelInfer(infer_request(pb, x[:50]), compression=c)
            check(np.array_equal(decode(r).astype(np.float64), want[:50]), "compressed %s" % c)
        big = np.tile(x, (250, 1))  # 75000 x 16 floats: 4.8 MB
        r = stub.ModelInfer(infer_request(pb, big, model="jet_big"))
        check(np.array_equal(decode(r).astype(np.float64), np.tile(want, (250, 1))),
              "a >4 MiB request")
        too_big = np.tile(x, (500, 1))  # 150000 x 16 floats: 9.6 MB
        try:
            stub.ModelInfer(infer_request(pb, too_big, model="jet_big"))
            check(False, "a request above --max-request-size is refused")
        except grpc.RpcError as e:
            check(e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, "too big: %s" % e.code())
        # Typed contents instead of raw bytes, and an explicit output subset.
        typed = pb.ModelInferRequest(model_name="jet")
        t = typed.inputs.add(name="input", datatype="FP32")
        t.shape.extend([4, 16])
        t.contents.fp32_contents.extend(x[:4].reshape(-1).tolist())
        typed.outputs.add().name = "output"
        r = stub.ModelInfer(typed)
        check(np.array_equal(decode(r).astype(np.float64), want[:4]), "typed contents")
        # grpc.health.v1: an empty HealthCheckRequest; SERVING is field 1 = 1.
        health = channel.unary_unary("/grpc.health.v1.Health/Check",
                                     request_serializer=lambda b: b,
                                     response_deserializer=lambda b: b)
        check(health(b"") == b"\x08\x01", "grpc.health.v1 SERVING")
        responses = list(stub.ModelStreamInfer(iter(
            [infer_request(pb, x[i:i + 3], rid="s%d" % i) for i in range(0, 30, 3)])))
        check(len(responses) == 10 and all(not s.error_message for s in responses),
              "ModelStreamInfer answers each request")
        streamed = {s.infer_response.id: decode(s.infer_response) for s in responses}
        check(all(np.array_equal(streamed["s%d" % i].astype(np.float64), want[i:i + 3])
                  for i in range(0, 30, 3)), "streamed outputs")

        # Errors.
        bad = infer_request(pb, x[:2])
        bad.raw_input_contents[0] = bad.raw_input_contents[0][:-1]
        try:
            stub.ModelInfer(bad)
            check(False, "a short tensor is refused")
        except grpc.RpcError as e:
            check(e.code() == grpc.StatusCode.INVALID_ARGUMENT and "input 'input'" in e.details(),
                  "short tensor: %s %s" % (e.code(), e.details()))
        try:
            stub.ModelInfer(infer_request(pb, x[:2], model="nope"))
            check(False, "an unknown model is refused")
        except grpc.RpcError as e:
            check(e.code() == grpc.StatusCode.NOT_FOUND, "unknown model: %s" % e.code())

        # REST.
        port = ports["http"]
        check(http(port, "/v2/health/live")[0] == 200, "REST live")
        status, _, body = http(port, "/v2/models/jet")
        check(status == 200 and json.loads(body)["inputs"][0]["shape"] == [-1, 16], "REST metadata")
        body = json.dumps({"inputs": [{"name": "input", "shape": [2, 16], "datatype": "FP32",
                                       "data": x[:2].tolist()}]}).encode()
        status, _, out = http(port, "/v2/models/jet/infer", body)
        check(status == 200, "REST infer status %d %s" % (status, out[:200]))
        if status == 200:
            data = np.array(json.loads(out)["outputs"][0]["data"], dtype=np.float64)
            check(np.array_equal(data, want[:2].reshape(-1)), "REST JSON infer")
        header = json.dumps({"inputs": [{"name": "input", "shape": [3, 16], "datatype": "FP32",
                                         "parameters": {"binary_data_size": 3 * 16 * 4}}],
                             "outputs": [{"name": "output",
                                          "parameters": {"binary_data": True}}]}).encode()
        status, headers, out = http(port, "/v2/models/jet/infer",
                                    header + x[:3].astype("<f4").tobytes(),
                                    {"Inference-Header-Content-Length": str(len(header))})
        check(status == 200, "REST binary infer status %d" % status)
        if status == 200:
            n = int(headers["Inference-Header-Content-Length"])
            data = np.frombuffer(out[n:], dtype="<f4").astype(np.float64)
            check(np.array_equal(data, want[:3].reshape(-1)), "REST binary infer")
        status, _, out = http(port, "/v2/models/jet/infer", b"{not json")
        check(status == 400 and b"error" in out, "REST malformed JSON")
        status, _, out = http(port, "/v2/models/jet/infer", b" " * (MAX_REQUEST + 1))
        check(status == 413, "REST body above --max-request-size: %d" % status)
        status, _, out = http(port, "/v2/models/nope/infer", body)
        check(status == 404 and b"nope" in out, "REST unknown model: %d" % status)
        status, _, out = http(port, "/v2/models/jet/infer", json.dumps(
            {"parameters": {"binary_data_output": 1}, "inputs": []}).encode())
        check(status == 400, "REST field of the wrong type: %d %s" % (status, out[:200]))
        deep = b'{"inputs": [{"name": "input", "shape": [1, 16], "datatype": "FP32", "data": ' + \
            b"[" * 100000 + b"]" * 100000 + b"}]}"
        status, _, out = http(port, "/v2/models/jet/infer", deep)
        check(status == 400, "REST deeply nested data: %d %s" % (status, out[:200]))
        status, _, out = http(port, "/v2/models/stats")
        check(status == 200 and [m["name"] for m in json.loads(out)["model_stats"]]
              == ["jet", "jet_big"], "REST all-model stats: %s" % out[:200])
        status, _, out = http(port, "/v2/models/jet/stats")
        check(status == 200 and json.loads(out)["model_stats"][0]["inference_count"] > 300,
              "REST stats")

        # firmnet perf against the same server: a short run, CSV, no errors.
        p = subprocess.run([firmnet, "perf", "-m", "jet", "-u", "127.0.0.1:%d" % ports["grpc"],
                            "--concurrency-range", "1:2:1", "--measurement-interval", "0.5",
                            "--warmup", "0.1", "--csv"], capture_output=True, text=True,
                           timeout=120)
        rows = p.stdout.strip().splitlines()
        check(p.returncode == 0 and len(rows) == 3 and rows[0].startswith("Concurrency,"),
              "firmnet perf --csv: %s %s" % (p.stdout, p.stderr))
        if p.returncode == 0 and len(rows) == 3:
            fields = rows[2].split(",")
            check(fields[0] == "2" and float(fields[1]) > 0 and fields[-1] == "0",
                  "firmnet perf at concurrency 2: %s" % rows[2])
        p = subprocess.run([firmnet, "perf", "-m", "nope", "-u", "127.0.0.1:%d" % ports["grpc"]],
                           capture_output=True, text=True, timeout=60)
        check(p.returncode != 0 and "nope" in p.stderr, "firmnet perf, unknown model: " + p.stderr)

        # Metrics.
        status, _, text = http(ports["metrics"], "/metrics")
        check(status == 200, "metrics status")
        text = text.decode()
        check('nv_inference_count{model="jet",version="1"}' in text, "nv_inference_count")
        # promtool parses the exposition (a parse error is "error while linting") and then
        # lints names against Prometheus's conventions, which Triton's own names (no _total,
        # _us units, _count on counters) do not follow: those findings are expected.
        p = subprocess.run(["promtool", "check", "metrics"], input=text, text=True,
                           capture_output=True)
        report = p.stdout + p.stderr
        conventions = ('should have "_total" suffix', "should not contain abbreviated units",
                       'should not have "_count" suffix')
        unexpected = [l for l in report.splitlines()
                      if l.strip() and not any(c in l for c in conventions)]
        check(not unexpected, "promtool check metrics: " + "\n".join(unexpected))
        scrape_with_prometheus(ports["metrics"], tmp)
    finally:
        start = time.time()
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = None
        check(rc == 0 and time.time() - start < 5,
              "SIGTERM: exit %s after %.1f s" % (rc, time.time() - start))


if __name__ == "__main__":
    sys.exit(main())
