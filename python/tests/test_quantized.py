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
