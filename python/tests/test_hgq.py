"""HGQ proxy models (issue 17): firmnet's emulator against an independent numpy evaluation of the
proxy model (hgq_exec.py), exactly. hls4ml's bit-exact flow (on for models with HGQ quantizers)
gives every intermediate type enough bits that its firmware computes the proxy model's values;
per-element quantizers stay layers, one type per element; homogeneous ones become the type of
the layer before them."""

import numpy as np
import pytest

import firmnet
import hgq_exec
from conftest import shared

MODELS = ["hgq_jet_classifier", "hgq_mnist_heterogeneous", "hgq_mnist_homogeneous"]


def _inputs(name, n, seed):
    rng = np.random.default_rng(seed)
    if name == "hgq_jet_classifier":
        x = rng.standard_normal((n, 16)) * rng.choice([1.0, 4.0, 30.0], size=(n, 1))
    else:
        # Pixels in [0, 1), and some far beyond, where the input quantizers wrap.
        x = rng.uniform(0, 1, (n, 28, 28)) * rng.choice([1.0, 1.2, 6.0], size=(n, 1, 1))
    return x.astype(np.float32)


@pytest.mark.parametrize("name", MODELS)
def test_proxy_models_equal_the_numpy_evaluation(name):
    path = shared("keras", name + ".h5")
    x = _inputs(name, 300, seed=11)
    want = hgq_exec.run(path, x.astype(np.float64))
    m = firmnet.convert(path)
    got = np.asarray(m.predict(x.reshape(len(x), -1)), np.float64).reshape(want.shape)
    differ = np.argwhere(got != want)
    assert differ.size == 0, "%s: %d of %d differ, first %s: %r vs %r" % (
        name, len(differ), want.size, differ[0], got[tuple(differ[0])], want[tuple(differ[0])])
    assert np.ptp(want) > 0
    # The float reference is the proxy model too: its quantizers are part of the model.
    flt = np.asarray(m.predict_float(x.reshape(len(x), -1)), np.float64).reshape(want.shape)
    assert np.array_equal(flt, want)


def test_config_types_do_not_change_a_bit_exact_model(tmp_path):
    # hls4ml's bit-exact flow derives every result and accumulator itself: a narrow Model type
    # in the config changes nothing; BitExact: false gives the config back its say.
    path = shared("keras", "hgq_jet_classifier.h5")
    x = _inputs("hgq_jet_classifier", 200, seed=3)
    narrow = {"Model": {"Precision": "ap_fixed<6,2>", "ReuseFactor": 1}}
    assert np.array_equal(firmnet.convert(path, config=narrow).predict(x),
                          firmnet.convert(path).predict(x))
    off = {"Model": {"Precision": "ap_fixed<6,2>", "ReuseFactor": 1, "BitExact": False}}
    assert not np.array_equal(firmnet.convert(path, config=off).predict(x),
                              firmnet.convert(path).predict(x))


def test_heterogeneous_quantizers_stay_layers_and_homogeneous_ones_fold():
    het = firmnet.convert(shared("keras", "hgq_jet_classifier.h5"))
    kinds = {layer[0]: layer[1] for layer in het.layers}
    assert kinds["inp_q_quantizer"] == "fixed_point_quantizer"
    assert kinds["dense_4_quantizer"] == "fixed_point_quantizer"
    assert "dense_1_quantizer" not in kinds  # folded: dense_1's result is its type
    types = {layer[0]: layer[4] for layer in het.layers}
    assert types["dense_1"] == "ap_fixed<12,9>"
    hom = firmnet.convert(shared("keras", "hgq_mnist_homogeneous.h5"))
    assert not any(layer[1] == "fixed_point_quantizer" for layer in hom.layers)


@pytest.mark.parametrize("io_type", ["io_parallel", "io_stream"])
def test_hls_csim_equals_the_emulator(tmp_path, io_type):
    for name in ("hgq_jet_classifier", "hgq_mnist_heterogeneous"):
        m = firmnet.convert(shared("keras", name + ".h5"))
        m.write_hls(str(tmp_path / name), io_type=io_type)
        x = _inputs(name, 20, seed=4).reshape(20, -1)
        assert np.array_equal(np.asarray(m.csim(str(tmp_path / name), x)), np.asarray(m.predict(x)))


def test_verilog_simulation_is_bit_exact(tmp_path):
    # The per-element casts in RTL: Verilator against the emulator, on inputs that wrap.
    m = firmnet.convert(shared("keras", "hgq_jet_classifier.h5"))
    m.write_verilog(str(tmp_path / "v"))
    r = m.sim(str(tmp_path / "v"), _inputs("hgq_jet_classifier", 100, seed=8))
    assert r["failed"] == 0 and r["passed"] == 100, r
