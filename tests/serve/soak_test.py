#!/usr/bin/python3
"""Soak and bad-input test of `firmnet serve`.

One million gRPC requests on loopback, mixed good and bad (wrong byte counts, unknown models,
undecodable protobuf), sent by h2load with pre-built frames; garbage bytes and half-open
connections on all three ports; malformed REST requests. The server must answer every request
(gRPC status in the trailers), keep its resident memory flat after warm-up, count what it did in
ModelStatistics, and still serve a good request at the end.

  tests/serve/soak_test.py --firmnet build/bin/firmnet [--requests 1000000]
"""
import argparse
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sonic_client_test as common  # noqa: E402  (stubs, repository, server start-up)

failures = common.failures
check = common.check


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def frame(msg_bytes):
    return b"\0" + struct.pack(">I", len(msg_bytes)) + msg_bytes


def h2load(port, data_file, n, conns=2, streams=8):
    p = subprocess.run(["h2load", "-n", str(n), "-c", str(conns), "-m", str(streams), "-t", "1",
                        "--data", data_file, "-H", "content-type: application/grpc",
                        "-H", "te: trailers",
                        "http://127.0.0.1:%d/inference.GRPCInferenceService/ModelInfer" % port],
                       capture_output=True, text=True, timeout=600)
    done = 0
    for line in p.stdout.splitlines():
        if line.startswith("requests:"):
            # requests: N total, N started, N done, N succeeded, ...
            parts = line.replace(",", "").split()
            done = int(parts[parts.index("done") - 1])
    return done, p.stdout


def garbage(port, payload, hold=0.0):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(payload)
            if hold:
                time.sleep(hold)
            s.settimeout(2)
            try:
                s.recv(4096)
            except (socket.timeout, ConnectionError):
                pass
    except OSError:
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--firmnet", required=True)
    ap.add_argument("--requests", type=int, default=1000000)
    args = ap.parse_args()
    if not shutil.which("h2load"):
        print("FAIL: h2load is not installed (scripts/setup installs nghttp2-client)")
        return 1
    tmp = tempfile.mkdtemp(prefix="firmnet_soak_")
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


def run(args, tmp):
    common.make_stubs(tmp)
    import grpc
    import grpc_service_pb2 as pb
    import grpc_service_pb2_grpc as pbg

    repo = os.path.join(tmp, "repo")
    common.make_repository(repo)
    proc, ports = common.start_server(args.firmnet, repo)
    try:
        x = np.linspace(-2, 2, 16, dtype=np.float32).reshape(1, 16)
        good = common.infer_request(pb, x).SerializeToString()
        short = common.infer_request(pb, x)
        short.raw_input_contents[0] = short.raw_input_contents[0][:-4]
        unknown = common.infer_request(pb, x, model="nope")
        frames = {"good": frame(good), "short": frame(short.SerializeToString()),
                  "unknown": frame(unknown.SerializeToString()),
                  "garbage": frame(bytes(range(256)) * 3)}
        for k, v in frames.items():
            with open(os.path.join(tmp, k + ".bin"), "wb") as f:
                f.write(v)

        # Warm-up, then the baseline memory.
        h2load(ports["grpc"], os.path.join(tmp, "good.bin"), 50000)
        base = rss_kib(proc.pid)

        # Abuse of the ports while the load runs.
        def abuse():
            for port in ports.values():
                garbage(port, os.urandom(4096))
                garbage(port, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00", hold=0.5)  # half frame
                garbage(port, b"POST /v2/models/jet/infer HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
                garbage(port, b"GET /v2/models/jet HTTP/1.1\r\nHost: x\r\n", hold=0.5)  # half-open
        abusers = [threading.Thread(target=abuse) for _ in range(4)]
        for t in abusers:
            t.start()

        n = args.requests - 50000
        share = {"good": n // 2, "short": n // 6, "unknown": n // 6,
                 "garbage": n - n // 2 - 2 * (n // 6)}
        results = {}
        threads = []
        for k, count in share.items():
            def go(k=k, count=count):
                results[k] = h2load(ports["grpc"], os.path.join(tmp, k + ".bin"), count)
            threads.append(threading.Thread(target=go))
        start = time.time()
        for t in threads:
            t.start()
        # Malformed REST traffic alongside.
        for i in range(200):
            common.http(ports["http"], "/v2/models/jet/infer", b"{\"inputs\": [" * (i + 1))
            common.http(ports["http"], "/v2/models/jet/infer", os.urandom(512),
                        {"Inference-Header-Content-Length": "99999999"})
        for t in threads + abusers:
            t.join()
        seconds = time.time() - start
        for k, (done, out) in results.items():
            check(done == share[k], "%s: %d of %d requests answered\n%s" % (k, done, share[k],
                                                                           out[-600:]))
        print("%d requests in %.1f s (%.0f/s)" % (n, seconds, n / seconds))
        check(proc.poll() is None, "the server is still running")
        after = rss_kib(proc.pid)
        print("RSS after warm-up %d KiB, after the soak %d KiB" % (base, after))
        check(after <= base * 1.25 + 20 * 1024, "RSS stays flat: %d -> %d KiB" % (base, after))

        channel = grpc.insecure_channel("127.0.0.1:%d" % ports["grpc"])
        stub = pbg.GRPCInferenceServiceStub(channel)
        stats = stub.ModelStatistics(pb.ModelStatisticsRequest(name="jet")).model_stats[0]
        check(stats.inference_stats.success.count == 50000 + share["good"],
              "success.count %d" % stats.inference_stats.success.count)
        check(stats.inference_stats.fail.count >= share["short"],
              "fail.count %d" % stats.inference_stats.fail.count)
        resp = stub.ModelInfer(common.infer_request(pb, x))
        check(len(resp.raw_output_contents) == 1, "a good request after the soak")
        status, _, body = common.http(ports["http"], "/v2/health/live")
        check(status == 200, "REST still live")
    finally:
        proc.send_signal(2)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            check(False, "the server did not stop on SIGINT")


if __name__ == "__main__":
    sys.exit(main())
