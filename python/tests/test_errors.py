"""Bad input raises firmnet.Error (a ValueError) naming what is wrong; the interpreter survives."""

import os

import numpy as np
import pytest

import firmnet
from conftest import JET, MODELS, random_inputs

JET_ONNX = os.path.join(JET, "jet_tagger.onnx")


@pytest.fixture(scope="module")
def jet():
    return firmnet.convert(JET_ONNX)


def test_error_is_a_value_error():
    assert issubclass(firmnet.Error, ValueError)
    assert firmnet.Error.__module__ == "firmnet"


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.complex128, object, np.float16, bool])
def test_dtypes_other_than_float32_and_float64_are_refused(jet, dtype):
    x = np.zeros((3, 16), dtype=dtype)
    with pytest.raises(firmnet.Error, match=r"input '.*'.*dtype"):
        jet.predict(x)


def test_strided_views_are_refused(jet):
    x = random_inputs((32,), 4)[:, ::2]
    assert x.shape == (4, 16) and not x.flags.c_contiguous and not x.flags.f_contiguous
    with pytest.raises(firmnet.Error, match="contiguous"):
        jet.predict(x)


@pytest.mark.parametrize("shape", [(4, 15), (4, 16, 1), (16, 4), (2, 2, 16), (), (17,)])
def test_wrong_shapes_name_the_input_and_the_shapes(jet, shape):
    with pytest.raises(firmnet.Error, match=r"input '.*' \[16\]: got an array of shape"):
        jet.predict(np.zeros(shape, dtype=np.float32))


def test_not_an_array(jet):
    with pytest.raises(firmnet.Error, match="expected a numpy array"):
        jet.predict([[0.0] * 16])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_name_the_sample_and_element(jet, bad):
    x = random_inputs((16,), 2000)
    x[1234, 7] = bad
    with pytest.raises(firmnet.Error, match="sample 1234, element 7"):
        jet.predict(x)
    with pytest.raises(firmnet.Error, match="sample 1234, element 7"):
        jet.predict_float(x)


def test_wrong_number_of_inputs():
    m = firmnet.convert(os.path.join(MODELS, "cnn", "cnn1d_two_inputs.onnx"))
    (_, sa, _), (_, sb, _) = m.inputs
    with pytest.raises(firmnet.Error, match="2 input"):
        m.predict(random_inputs(sa, 3))
    with pytest.raises(firmnet.Error, match="2 input"):
        m.predict([random_inputs(sa, 3)] * 3)
    with pytest.raises(firmnet.Error, match="4 sample.*has 3"):
        m.predict([random_inputs(sa, 3), random_inputs(sb, 4)])
    with pytest.raises(firmnet.Error, match="unknown input"):
        m.predict({"nope": random_inputs(sa, 3)})


def test_bad_files_and_configs_name_them(tmp_path):
    with pytest.raises(firmnet.Error, match="missing.onnx"):
        firmnet.convert(str(tmp_path / "missing.onnx"))
    truncated = open(JET_ONNX, "rb").read()[:300]
    with pytest.raises(firmnet.Error):
        firmnet.convert(truncated)
    (tmp_path / "junk.onnx").write_bytes(b"\x00garbage" * 50)
    with pytest.raises(firmnet.Error, match="junk.onnx"):
        firmnet.convert(str(tmp_path / "junk.onnx"))
    with pytest.raises(firmnet.Error, match="Precison"):
        firmnet.convert(JET_ONNX, config={"Model": {"Precison": "ap_fixed<8,3>"}})
    with pytest.raises(firmnet.Error, match="ap_fixd"):
        firmnet.convert(JET_ONNX, config={"Model": {"Precision": "ap_fixd<8,3>"}})
    with pytest.raises(firmnet.Error, match="nosuchlayer"):
        firmnet.convert(JET_ONNX, config={"LayerName": {"nosuchlayer": {"ReuseFactor": 2}}})
    (tmp_path / "bad.yml").write_text("Model: [unclosed\n")
    with pytest.raises(firmnet.Error, match="bad.yml"):
        firmnet.convert(JET_ONNX, config=str(tmp_path / "bad.yml"))
    with pytest.raises(firmnet.Error, match="granularity"):
        firmnet.config_from_model(JET_ONNX, granularity="layer")
    with pytest.raises(firmnet.Error, match="config"):
        firmnet.convert(JET_ONNX, config=42)
    with pytest.raises(TypeError):
        firmnet.Model()


def test_backend_errors(tmp_path, jet):
    with pytest.raises(firmnet.Error):
        jet.csim(str(tmp_path / "not_a_project"))
    with pytest.raises(firmnet.Error):
        jet.sim(str(tmp_path / "not_a_project"), random_inputs((16,), 2))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("keep")
    with pytest.raises(firmnet.Error, match="full"):
        jet.write_hls(str(tmp_path / "full"), force=False)
    assert (tmp_path / "full" / "x").read_text() == "keep"
