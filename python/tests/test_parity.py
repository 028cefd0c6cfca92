"""firmnet.Model against the CLI, bit for bit: the same driver and emulator, reached through
numpy. Input forms (dtypes, memory orders, one sample, flattened, list and dict), threads."""

import os
import subprocess
import threading

import numpy as np
import pytest

import firmnet
from conftest import JET, KERAS, MODELS, ONNX, firmnet_binary, random_inputs, shared

# (model, weights, config): single- and multi-input, MLP and CNN, ONNX, Keras, text IR.
CASES = [
    (os.path.join(JET, "jet_tagger.onnx"), None, os.path.join(JET, "config.yml")),
    (os.path.join(JET, "jet_tagger.json"), os.path.join(JET, "jet_tagger_weights.h5"), None),
    (os.path.join(MODELS, "cnn", "cnn2d_residual.onnx"), None, None),
    (os.path.join(MODELS, "cnn", "cnn1d_two_inputs.onnx"), None, None),
    (os.path.join(MODELS, "cnn", "cnn1d_split.onnx"), None, None),
    (os.path.join(MODELS, "hls_graphs", "merge2_two_io.fnir"), None, None),
    ("shared:keras/KERAS_3layer.json", "shared:keras/KERAS_3layer_weights.h5", None),
    ("shared:keras/KERAS_conv2d_model.json", "shared:keras/KERAS_conv2d_model_weights.h5", None),
    ("shared:onnx/three_layer_bn_keras.onnx", None, None),
    ("shared:keras/KERAS_3layer_batch_norm.json",
     "shared:keras/KERAS_3layer_batch_norm_weights.h5", None),
]


def resolve(p):
    if p is None:
        return None
    if p.startswith("shared:"):
        return shared(*p[len("shared:"):].split("/"))
    return p


def cli_model_args(model, weights, config):
    args = [model]
    if weights:
        args += ["--weights", weights]
    if config:
        args += ["-c", config]
    return args


def cli_predict(tmp_path, model, weights, config, arrays, names, extra=()):
    inp = tmp_path / "in.npz"
    np.savez(inp, **{n: a for n, a in zip(names, arrays)})
    out = tmp_path / "out.npz"
    subprocess.run([firmnet_binary(), "predict"] + cli_model_args(model, weights, config) +
                   ["--input", str(inp), "--output", str(out)] + list(extra),
                   check=True, capture_output=True)
    with np.load(out) as z:
        return {k: z[k] for k in z.files}


@pytest.mark.parametrize("case", CASES, ids=[os.path.basename(c[0]) for c in CASES])
def test_predict_and_float_equal_the_cli_bit_for_bit(tmp_path, case):
    model, weights, config = (resolve(p) for p in case)
    m = firmnet.convert(model, weights=weights, config=config)
    names = [n for n, _, _ in m.inputs]
    arrays = [random_inputs(shape, 200, seed=k) for k, (_, shape, _) in enumerate(m.inputs)]
    out_names = [n.replace("/", "_") for n, _, _ in m.outputs]
    for use_float in (False, True):
        want = cli_predict(tmp_path, model, weights, config, arrays, names,
                           ["--float"] if use_float else [])
        got = (m.predict_float if use_float else m.predict)(arrays if len(arrays) > 1 else arrays[0])
        got = got if isinstance(got, list) else [got]
        assert len(got) == len(out_names)
        for g, n, (_, shape, _) in zip(got, out_names, m.outputs):
            assert g.dtype == np.float64
            assert g.shape == (200,) + shape
            assert np.array_equal(g, want[n]), n


def test_trace_equals_the_cli_trace(tmp_path):
    model = os.path.join(JET, "jet_tagger.onnx")
    m = firmnet.convert(model)
    x = random_inputs((16,), 50)
    np.save(tmp_path / "x.npy", x)
    subprocess.run([firmnet_binary(), "predict", model, "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "y.npy"), "--trace", str(tmp_path / "trace")],
                   check=True, capture_output=True)
    trace = m.trace(x)
    index = (tmp_path / "trace" / "index.txt").read_text().splitlines()
    assert len(index) == len(trace) == len(m.layers)
    for line in index:
        file, name = line.split()[:2]
        assert np.array_equal(trace[name], np.load(tmp_path / "trace" / file)), name
    last = m.outputs[0][0]
    assert np.array_equal(trace[last], m.predict(x))


def test_input_forms_give_the_same_bits():
    m = firmnet.convert(os.path.join(MODELS, "cnn", "cnn2d_residual.onnx"))
    (_, shape, _), = m.inputs
    x32 = random_inputs(shape, 64, seed=3)
    want = m.predict(x32)
    assert np.array_equal(m.predict(x32.astype(np.float64)), want)
    assert np.array_equal(m.predict(np.asfortranarray(x32)), want)
    assert np.array_equal(m.predict(x32.reshape(64, -1)), want)  # [N, size]
    assert np.array_equal(m.predict([x32]), want)
    assert np.array_equal(m.predict({m.inputs[0][0]: x32}), want)
    one = m.predict(x32[5])  # one sample without the sample axis
    assert one.shape == want.shape[1:]
    assert np.array_equal(one, want[5])
    empty = m.predict(x32[:0])
    assert empty.shape == (0,) + want.shape[1:]


def test_two_inputs_as_list_and_dict():
    m = firmnet.convert(os.path.join(MODELS, "cnn", "cnn1d_two_inputs.onnx"))
    (a, sa, _), (b, sb, _) = m.inputs
    xa, xb = random_inputs(sa, 30, 1), random_inputs(sb, 30, 2)
    want = m.predict([xa, xb])
    assert np.array_equal(m.predict({b: xb, a: xa}), want)
    with pytest.raises(firmnet.Error, match="missing input"):
        m.predict({a: xa})


def test_threads_split_rows_without_changing_bits():
    m = firmnet.convert(os.path.join(JET, "jet_tagger.onnx"), config=os.path.join(JET, "config.yml"))
    x = random_inputs((16,), 20000, seed=7)
    want = m.predict(x, threads=1)
    assert np.array_equal(m.predict(x, threads=4), want)
    assert np.array_equal(m.predict(x), want)
    # Several Python threads on one model at once (the GIL is released while it runs).
    results = [None] * 4

    def work(k):
        results[k] = m.predict(x, threads=2)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        assert np.array_equal(r, want)


def test_compare_reports_agreement_and_overflows():
    m = firmnet.convert(os.path.join(JET, "jet_tagger.onnx"))
    x = random_inputs((16,), 500, scale=40.0)  # far outside <16,6>: overflows happen
    r = m.compare(x)
    assert r["samples"] == 500
    assert r["outputs"][0]["name"] == m.outputs[0][0]
    assert r["outputs"][0]["max_abs_diff"] >= r["outputs"][0]["mean_abs_diff"] >= 0
    assert {l["name"] for l in r["layers"]} == {l[0] for l in m.layers}
    diff = np.abs(m.predict(x) - m.predict_float(x)).max()
    assert r["outputs"][0]["max_abs_diff"] == pytest.approx(diff, rel=0, abs=1e-12)


def test_config_granularities_and_a_config_dict_equal_the_cli_with_its_yaml(tmp_path, cli):
    model = os.path.join(JET, "jet_tagger.onnx")
    c_model = firmnet.config_from_model(model, granularity="model")
    assert c_model["Model"]["Precision"] == "ap_fixed<16,6>"
    assert "LayerName" not in c_model and "LayerType" not in c_model
    c_type = firmnet.config_from_model(model, granularity="type")
    assert "Dense" in c_type["LayerType"]
    x = random_inputs((16,), 300)
    default = firmnet.convert(model).predict(x)
    assert np.array_equal(firmnet.convert(model, config=c_type).predict(x), default)
    c_type["LayerType"]["Dense"]["ReuseFactor"] = np.int64(2)  # numpy scalars are taken
    resolved = firmnet.convert(model, config=c_type).config["HLSConfig"]["LayerName"]
    dense = [n for n, _, t, _, _ in firmnet.convert(model).layers if t == "Dense"]
    assert dense and all(resolved[n]["ReuseFactor"] == 2 for n in dense)
    c_name = firmnet.config_from_model(model, granularity="name")
    layers = {l[0] for l in firmnet.convert(model).layers}
    assert set(c_name["LayerName"]) >= layers
    # A changed precision changes the bits, and the dict equals the same config as YAML.
    c_name["Model"]["Precision"] = "ap_fixed<10,4>"
    for name, section in c_name["LayerName"].items():
        for slot in section.get("Precision", {}):
            section["Precision"][slot] = "ap_fixed<10,4,AP_RND,AP_SAT>"
    import yaml

    (tmp_path / "c.yml").write_text(yaml.safe_dump(c_name))
    got = firmnet.convert(model, config=c_name).predict(x)
    assert not np.array_equal(got, default)
    np.save(tmp_path / "x.npy", x)
    cli("predict", model, "-c", tmp_path / "c.yml", "--input", tmp_path / "x.npy", "--output",
        tmp_path / "y.npy")
    assert np.array_equal(got, np.load(tmp_path / "y.npy"))


def test_version_repr_and_summary(cli):
    assert cli("--version").strip() == "firmnet %s (git %s)" % (firmnet.__version__,
                                                             firmnet.__git_revision__)
    m = firmnet.convert(os.path.join(JET, "jet_tagger.onnx"))
    assert "firmnet.Model" in repr(m) and "io_parallel" in repr(m)
    s = m.summary()
    for name, kind, _, _, _ in m.layers:
        assert name in s and kind in s


def test_onnx_bytes_and_modelproto_convert_like_the_file():
    path = os.path.join(JET, "jet_tagger.onnx")
    x = random_inputs((16,), 40)
    want = firmnet.convert(path).predict(x)
    data = open(path, "rb").read()
    assert np.array_equal(firmnet.convert(data).predict(x), want)
    import onnx

    assert np.array_equal(firmnet.convert(onnx.load(path)).predict(x), want)
