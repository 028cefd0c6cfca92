"""The backends from Python: the HLS project's C-simulation and the Verilog simulation give
predict's bits; Yosys gives a report."""

import os

import numpy as np
import pytest
import torch

import firmnet
from conftest import JET, MODELS, random_inputs


def test_hls_csim_equals_predict(tmp_path):
    m = firmnet.convert(os.path.join(JET, "jet_tagger.onnx"), config=os.path.join(JET, "config.yml"))
    info = m.write_hls(tmp_path / "prj", tb_samples=50)
    assert info["files"] > 0 and os.path.isdir(tmp_path / "prj")
    x = random_inputs((16,), 300, seed=11)
    assert np.array_equal(m.csim(tmp_path / "prj", x), m.predict(x))
    tb = m.csim(tmp_path / "prj")
    assert tb["samples"] == 50 and tb["failed"] == 0


def test_hls_io_stream_cnn_csim_equals_predict(tmp_path):
    m = firmnet.convert(os.path.join(MODELS, "cnn", "cnn1d_pulse.onnx"))
    m.write_hls(tmp_path / "prj", io_type="io_stream", tb_samples=5)
    (_, shape, _), = m.inputs
    x = random_inputs(shape, 20, seed=2)
    assert np.array_equal(m.csim(tmp_path / "prj", x), m.predict(x))


def tiny_torch():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.ReLU(), torch.nn.Linear(5, 3))


def test_verilog_sim_and_synth(tmp_path):
    m = firmnet.from_torch(tiny_torch(), torch.zeros(1, 6),
                           config={"Model": {"Precision": "ap_fixed<10,4>"}})
    info = m.write_verilog(tmp_path / "rtl")
    assert info["latency_cycles"] >= 1 and info["ii_cycles"] == 1
    x = random_inputs((6,), 200, seed=5)
    r = m.sim(tmp_path / "rtl", x)
    assert r["failed"] == 0 and r["passed"] == 200, r["first_mismatch"]
    assert np.array_equal(r["outputs"], m.predict(x))
    rep = m.synth(tmp_path / "rtl", part="xcku115-flvb2104-2-i")
    assert rep["resources"]["lut"] > 0
    assert rep["timing"]["critical_path_ns"] > 0
