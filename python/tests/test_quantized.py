"""Quantization-aware Keras models from Python (issue 17): hls4ml's name-granularity config
carries the quantizers' types, and predict equals the CLI on the QKeras and binary models."""
import subprocess

import numpy as np

import firmnet
import firmnet.hls4ml as hls4ml
from conftest import firmnet_binary, random_inputs, shared


def test_config_from_keras_model_names_the_quantizer_types():
    model = shared("keras", "qkeras_3layer.json")
    weights = shared("keras", "qkeras_3layer_weights.h5")
    config = hls4ml.utils.config_from_keras_model(model, granularity="name", weights=weights)
    # hls4ml writes the quantizers' types and 'auto' for the rest.
    assert config["LayerName"]["fc1"]["Precision"] == {
        "result": "auto", "weight": "ap_fixed<6,1>", "bias": "ap_fixed<6,1>"}
    assert config["LayerName"]["relu1"]["Precision"] == {
        "result": "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>"}


def test_quantized_models_predict_like_the_cli(tmp_path):
    for stem in ("qkeras_3layer", "KERAS_3layer_binary_smaller", "KERAS_3layer_ternary_small"):
        model = shared("keras", stem + ".json")
        weights = shared("keras", stem + "_weights.h5")
        m = firmnet.convert(model, weights=weights)
        x = random_inputs((16,), 200, seed=3)
        y = m.predict(x)
        np.save(tmp_path / "x.npy", x)
        subprocess.run([firmnet_binary(), "predict", model, "--weights", weights, "--input",
                        str(tmp_path / "x.npy"), "--output", str(tmp_path / "y.npy")],
                       check=True, capture_output=True)
        assert np.array_equal(y, np.load(tmp_path / "y.npy")), stem
        # Not trivially constant.
        assert np.ptp(y) > 0.1, stem


def _qactivation_model(path, activation):
    """A Sequential model of one QActivation on 4 inputs (no weights)."""
    import json
    model = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                 "name": "x"}},
        {"class_name": "QActivation", "config": {"name": "q", "activation": activation}}]},
        "keras_version": "2.13.1", "backend": "tensorflow"}
    path.write_text(json.dumps(model))
    # Keras' weights file of a model without weights: no layer names.
    import h5py
    with h5py.File(str(path).replace(".json", "_weights.h5"), "w") as f:
        f.attrs["layer_names"] = np.array([], dtype="S1")
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.13.1"
    return str(path)


def _hard_sigmoid32(x):
    x = x.astype(np.float32)
    return np.clip(np.float32(0.5) * x + np.float32(0.5), np.float32(0), np.float32(1))


def _round_clip(p, m, lo, hi):
    # QKeras: clip(round(p * m) / m, lo, hi) in float32, round half to even.
    return np.clip(np.round(p * np.float32(m)) / np.float32(m), np.float32(lo), np.float32(hi))


def test_quantized_tanh_and_sigmoid_activations(tmp_path):
    # hls4ml's HardActivation (hard_tanh / hard_sigmoid, slope and shift 0.5) with the result
    # type _get_precision_from_quantizer writes: for inputs on the ap_fixed<16,6> grid this is
    # QKeras' forward pass (round half to even on the output grid, clipped to its range).
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(0, 1.5, (500, 4)) * 2**10) / 2**10
    x[:2] = np.array([0, 1, -1, 2.5, -2.5, 1 / 256, -1 / 256, 0.99609375]).reshape(2, 4)
    # Ties of the output grids: k / 2^8 + 1 / 2^9 for tanh(8); (k + 0.5) / 32 * 2 - 1 for sigmoid(5).
    x[8:40] = ((np.arange(-64, 64) + 0.5) / 128).reshape(32, 4)
    cases = [
        ("quantized_tanh(8)", lambda v: _round_clip(2 * _hard_sigmoid32(v) - 1, 128, -1, 1 - 1 / 128)),
        ("quantized_tanh(6, symmetric=1)",
         lambda v: _round_clip(2 * _hard_sigmoid32(v) - 1, 32, -1 + 1 / 32, 1 - 1 / 32)),
        ("quantized_sigmoid(5)", lambda v: _round_clip(_hard_sigmoid32(v), 32, 0, 1 - 1 / 32)),
    ]
    for text, reference in cases:
        m = firmnet.convert(_qactivation_model(tmp_path / "m.json", text))
        got = np.asarray(m.predict(x), np.float64)
        want = reference(x.astype(np.float32)).astype(np.float64)
        differ = np.argwhere(got != want)
        assert differ.size == 0, "%s: %d differ, first %s: %r vs %r" % (
            text, len(differ), differ[0], got[tuple(differ[0])], want[tuple(differ[0])])
        # The float reference casts to the same result type.
        assert np.array_equal(np.asarray(m.predict_float(x), np.float64), want), text
    # With use_real_sigmoid, hls4ml's table sigmoid: close to QKeras, within its table's step.
    m = firmnet.convert(_qactivation_model(tmp_path / "m.json",
                                           "quantized_sigmoid(7, use_real_sigmoid=True)"))
    got = np.asarray(m.predict(x), np.float64)
    want = _round_clip(1 / (1 + np.exp(-x.astype(np.float64))), 128, 0, 1 - 1 / 128)
    assert np.max(np.abs(got - want)) <= 2**-6
    assert [layer[1] for layer in m.layers][-1] == "sigmoid"
