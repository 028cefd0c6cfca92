"""hls4ml.converters.convert_from_*_model on firmnet."""

import tempfile

import firmnet

from ._source import model_source, torch_onnx_bytes
from .model import ModelGraph

_BACKENDS = ("vivado", "vitis", "vivadoaccelerator")


def _convert(model, weights, output_dir, project_name, backend, hls_config, io_type, part,
             clock_period, input_data_tb, output_data_tb):
    if backend is not None and str(backend).lower() not in _BACKENDS:
        raise firmnet.Error("backend: '%s' is not supported; firmnet writes Vivado/Vitis HLS "
                            "projects (Vivado, Vitis)" % backend)
    config = dict(hls_config or {})
    config["ProjectName"] = project_name
    if io_type is not None:
        config["IOType"] = io_type
    if part is not None:
        config["Part"] = part
    if clock_period is not None:
        config["ClockPeriod"] = clock_period
    with tempfile.TemporaryDirectory(prefix="firmnet_") as tmp:
        path, w = model_source(model, weights, tmp)
        m = firmnet.convert(path, weights=w, config=config)
    return ModelGraph(m, output_dir, input_data_tb, output_data_tb)


def convert_from_onnx_model(model, output_dir="my-hls-test", project_name="myproject",
                            input_data_tb=None, output_data_tb=None, backend="Vivado",
                            hls_config=None, io_type="io_parallel", part=None, clock_period=None,
                            **kwargs):
    """An ONNX model (a path or an onnx.ModelProto) as an hls4ml-style model object."""
    return _convert(model, None, output_dir, project_name, backend, hls_config, io_type, part,
                    clock_period, input_data_tb, output_data_tb)


def convert_from_keras_model(model, output_dir="my-hls-test", project_name="myproject",
                             input_data_tb=None, output_data_tb=None, backend="Vivado",
                             hls_config=None, io_type="io_parallel", part=None,
                             clock_period=None, **kwargs):
    """A Keras model (see utils.config_from_keras_model for the forms taken)."""
    return _convert(model, kwargs.get("weights"), output_dir, project_name, backend, hls_config,
                    io_type, part, clock_period, input_data_tb, output_data_tb)


def convert_from_pytorch_model(model, input_shape=None, output_dir="my-hls-test",
                               project_name="myproject", input_data_tb=None,
                               output_data_tb=None, backend="Vivado", hls_config=None,
                               io_type="io_parallel", part=None, clock_period=None, **kwargs):
    """A torch.nn.Module, exported to ONNX in memory for input_shape (batch first)."""
    if input_shape is None:
        raise firmnet.Error("input_shape: a torch model needs its input shape, e.g. (None, 16)")
    return _convert(torch_onnx_bytes(model, input_shape), None, output_dir, project_name,
                    backend, hls_config, io_type, part, clock_period, input_data_tb,
                    output_data_tb)
