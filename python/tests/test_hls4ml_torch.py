"""An hls4ml script with one changed import, on the shared example models; from_torch."""

import os
import subprocess

import numpy as np
import pytest
import torch

import firmnet
import firmnet.hls4ml as hls4ml
from conftest import JET, firmnet_binary, random_inputs, shared


def test_hls4ml_keras_script_runs_and_equals_the_cli(tmp_path):
    model = shared("keras", "KERAS_3layer.json")
    weights = shared("keras", "KERAS_3layer_weights.h5")
    # As in hls4ml's tutorial, with the model given as its file.
    config = hls4ml.utils.config_from_keras_model(model, granularity="name", backend="Vitis",
                                                  default_precision="ap_fixed<12,5>")
    # hls4ml's tree: the Model section's keys, 'auto' results, weights, biases, accumulators.
    assert config["Model"] == {"Precision": {"default": "ap_fixed<12,5>"}, "ReuseFactor": 1,
                               "Strategy": "Latency", "BramFactor": 1000000000,
                               "TraceOutput": False}
    assert config["LayerName"]["fc1_relu"] == {
        "Precision": {"result": "auto", "weight": "auto", "bias": "auto", "accum": "auto"},
        "ReuseFactor": 1}
    assert config["LayerName"]["output_softmax_softmax"]["Precision"]["accum"] == \
        "ap_fixed<18,8,AP_RND,AP_SAT>"
    no_backend = hls4ml.utils.config_from_keras_model(model, granularity="name")
    assert no_backend["LayerName"]["fc1_relu"]["Precision"] == {
        "result": "auto", "weight": "auto", "bias": "auto"}
    config["LayerName"]["fc1_relu"]["Precision"]["weight"] = "ap_fixed<8,3>"
    hls_model = hls4ml.converters.convert_from_keras_model(
        model, hls_config=config, output_dir=str(tmp_path / "prj"), io_type="io_parallel",
        backend="Vitis", part="xcu250-figd2104-2L-e", clock_period=4)
    hls_model.compile()
    assert os.path.isdir(tmp_path / "prj")
    # hls4ml's precision inference of the 'auto' slots: 16 products of <12,5> inputs and <8,3>
    # weights, plus a <12,5> bias, exactly: ap_fixed<25,13>; the next layer's 64 products of
    # <12,5> by <12,5>, plus the bias: ap_fixed<31,17>.
    types = {name: t for name, _, _, _, t in hls_model.model.layers}
    assert types["fc1_relu"] == "ap_fixed<25,13>" and types["fc2_relu"] == "ap_fixed<31,17>"
    x = random_inputs((16,), 300)
    y = hls_model.predict(x)
    # The same config through the CLI, from the resolved config the model reports.
    import yaml

    (tmp_path / "c.yml").write_text(yaml.safe_dump(hls_model.config))
    np.save(tmp_path / "x.npy", x)
    subprocess.run([firmnet_binary(), "predict", model, "--weights", weights, "-c",
                    str(tmp_path / "c.yml"), "--input", str(tmp_path / "x.npy"), "--output",
                    str(tmp_path / "y.npy")], check=True, capture_output=True)
    assert np.array_equal(y, np.load(tmp_path / "y.npy"))
    assert hls_model.config["Part"] == "xcu250-figd2104-2L-e"
    assert hls_model.config["HLSConfig"]["LayerName"]["fc1_relu"]["Precision"]["weight"] in (
        "ap_fixed<8,3>", "fixed<8,3>")
    out, trace = hls_model.trace(x)
    assert np.array_equal(out, y) and "fc1_relu" in trace
    report = hls_model.build(csim=True, synth=False)
    assert report["CSimResults"]["failed"] == 0


def test_hls4ml_onnx_path_and_defaults(tmp_path):
    path = shared("onnx", "three_layer_bn_keras.onnx")
    config = hls4ml.utils.config_from_onnx_model(path, granularity="model")
    assert config["Model"]["Precision"] == {"default": "fixed<16,6>"}
    assert "LayerName" not in config
    hls_model = hls4ml.converters.convert_from_onnx_model(path, hls_config=config,
                                                          output_dir=str(tmp_path / "prj"))
    m = firmnet.convert(path)
    (_, shape, _), = m.inputs
    x = random_inputs(shape, 100)
    assert np.array_equal(hls_model.predict(x), m.predict(x))
    with pytest.raises(firmnet.Error, match="backend"):
        hls4ml.converters.convert_from_onnx_model(path, backend="Quartus")


def test_from_torch_matches_torch_and_the_cli_on_its_onnx(tmp_path):
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(10, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
    m = firmnet.from_torch(net, torch.zeros(1, 10),
                           config={"Model": {"Precision": "ap_fixed<24,10>"}})
    x = random_inputs((10,), 500, scale=1.0)
    with torch.no_grad():
        want = net(torch.from_numpy(x)).numpy().astype(np.float64)
    # The float reference is float64 where torch computes in float32.
    assert np.allclose(m.predict_float(x), want, rtol=0, atol=1e-5)
    # Wide fixed point: within a few LSB of 2^-14 after three roundings.
    assert np.abs(m.predict(x) - want).max() < 2e-3
    # The same ONNX through the CLI gives the same bits.
    import io

    buf = io.BytesIO()
    torch.onnx.export(net, torch.zeros(1, 10), buf, opset_version=13)
    (tmp_path / "net.onnx").write_bytes(buf.getvalue())
    (tmp_path / "c.yml").write_text("Model:\n  Precision: ap_fixed<24,10>\n")
    np.save(tmp_path / "x.npy", x)
    subprocess.run([firmnet_binary(), "predict", str(tmp_path / "net.onnx"), "-c",
                    str(tmp_path / "c.yml"), "--input", str(tmp_path / "x.npy"), "--output",
                    str(tmp_path / "y.npy")], check=True, capture_output=True)
    assert np.array_equal(m.predict(x), np.load(tmp_path / "y.npy"))


def test_hls4ml_pytorch_converter():
    torch.manual_seed(2)
    net = torch.nn.Sequential(torch.nn.Linear(8, 4), torch.nn.ReLU())
    config = hls4ml.utils.config_from_pytorch_model(net, (None, 8))
    hls_model = hls4ml.converters.convert_from_pytorch_model(net, (None, 8), hls_config=config)
    x = random_inputs((8,), 20)
    y = hls_model.predict(x)
    assert y.shape == (20, 4)
