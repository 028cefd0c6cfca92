"""Shared fixtures: the firmnet CLI the module is compared with, the checkout's models, and the
shared example models (../shared, as CI has it)."""

import os
import subprocess

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.environ.get("FIRMNET_SHARED_DIR", os.path.join(SOURCE, "..", "shared"))
JET = os.path.join(SOURCE, "examples", "jet_tagger")
MODELS = os.path.join(SOURCE, "tests", "models")
KERAS = os.path.join(SHARED, "example-models", "keras")
ONNX = os.path.join(SHARED, "example-models", "onnx")


def firmnet_binary():
    exe = os.environ.get("FIRMNET_BINARY", os.path.join(SOURCE, "build", "bin", "firmnet"))
    if not os.path.exists(exe):
        pytest.skip("no firmnet CLI at %s (set FIRMNET_BINARY)" % exe)
    return exe


@pytest.fixture
def cli():
    """cli(*args) runs the firmnet CLI and returns its stdout; a failure fails the test."""
    exe = firmnet_binary()

    def run(*args):
        r = subprocess.run([exe] + [str(a) for a in args], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stdout

    return run


def shared(*parts):
    path = os.path.join(SHARED, "example-models", *parts)
    if not os.path.exists(path):
        pytest.skip("%s is not here (../shared)" % path)
    return path


def random_inputs(shape, n, seed=0, scale=2.0):
    """float32 samples that reach past the usual input range, so that rounding and overflow
    happen."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n,) + tuple(shape)) * scale).astype(np.float32)
