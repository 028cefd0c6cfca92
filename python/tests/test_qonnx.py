"""QONNX models (issue 17): firmnet's emulator against an independent numpy execution of the QONNX
graph (qonnx_exec.py), exactly, with the config hls4ml's config_from_onnx_model writes
(granularity 'name': `auto` results and accumulators). As in hls4ml's own tests, the example
CNNs (branched, separable, tiny U-Net: Brevitas exports in QONNX's channels-last form) equal
QONNX's execution bit for bit; the Brevitas-like graphs made here cover the Quant options the
example models do not use."""

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import firmnet
import firmnet.hls4ml as hls4ml
import qonnx_exec
from conftest import shared

QONNX = "qonnx.custom_op.general"


def _config(model, default="fixed<24,12>"):
    # A default wide enough for exact sums; the inputs below are multiples of 2^-10, which it
    # holds exactly, so the input's cast to the default type changes nothing.
    return hls4ml.utils.config_from_onnx_model(model, granularity="name", backend="Vitis",
                                               default_precision=default)


def _inputs(shape, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, size=(n,) + tuple(shape))
    return (np.round(x * 2**10) * 2**-10).astype(np.float32)


def _expect_equal(got, want, what):
    got = np.asarray(got, np.float64).reshape(want.shape)
    differ = np.argwhere(got != want)
    assert differ.size == 0, "%s: %d of %d values differ, first at %s: %r vs QONNX %r" % (
        what, len(differ), want.size, differ[0], got[tuple(differ[0])], want[tuple(differ[0])])


@pytest.mark.parametrize("name", ["separable_conv_model_ch_last", "branched_model_ch_last",
                                  "tiny_unet_ch_last"])
def test_example_cnns_equal_qonnx_execution(name):
    path = shared("onnx", name + ".onnx")
    model = onnx.load(path)
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]
    x = np.abs(_inputs(shape, 1, seed=5))  # hls4ml's test draws from [0, 1)
    want = qonnx_exec.run(model, x)
    m = firmnet.convert(path, config=_config(path))
    got = m.predict(x.reshape(1, -1))
    _expect_equal(got, want, name)
    # Without a config a QONNX graph gets what hls4ml's config writer gives it: the same bits.
    _expect_equal(firmnet.convert(path).predict(x.reshape(1, -1)), want, name + " (no config)")
    # The Quant casts after convolutions and activations were folded into them (hls4ml's
    # MergeLinearActivation); the ones after the input, pooling, resize and concatenation stay.
    kinds = [layer[1] for layer in m.layers]
    quants = [n for n in model.graph.node if n.op_type == "Quant" and n.input[0] not in
              {t.name for t in model.graph.initializer}]
    assert 0 < kinds.count("linear") < len(quants), kinds


def test_bnn_equals_qonnx_execution():
    path = shared("onnx", "bnn_model_fc_1layer.onnx")
    model = onnx.load(path)
    x = np.array([[a, b, c] for a in (1, -1) for b in (1, -1) for c in (1, -1)], np.float32)
    want = np.concatenate([qonnx_exec.run(model, x[i:i + 1]) for i in range(len(x))])
    m = firmnet.convert(path, config=_config(path, "fixed<16,6>"))
    # The output BipolarQuant is hls4ml's XNOR type: 1 for +1, 0 for -1 (hls4ml's own test reads
    # its predict as 2y - 1).
    _expect_equal(2 * m.predict(x) - 1, want, "bnn_model_fc_1layer")
    assert set(np.unique(want)) == {-1.0, 1.0}
    assert set(np.unique(m.predict(x))) == {0.0, 1.0}


def test_bipolar_output_with_readers_is_xnor_bits(tmp_path):
    # A unit-scale BipolarQuant that is a graph output and also read by a Gemm: the output is
    # hls4ml's XNOR bits (1/0), the Gemm reads -1/+1.
    rng = np.random.default_rng(3)
    inits = [_const("s1", 1.0), _const("W", rng.normal(0, 1, (4, 3))), _const("sw", 1.0),
             _const("B", [1.0, -2.0, 0.0])]
    nodes = [helper.make_node("BipolarQuant", ["x", "s1"], ["bq"], name="bq", domain=QONNX),
             helper.make_node("BipolarQuant", ["W", "sw"], ["wq"], name="wq", domain=QONNX),
             helper.make_node("Gemm", ["bq", "wq", "B"], ["y"], name="gemm")]
    graph = helper.make_graph(
        nodes, "bout", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("bq", TensorProto.FLOAT, [1, 4]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid(QONNX, 1)])
    path = str(tmp_path / "m.onnx")
    onnx.save(model, path)
    x = _inputs([4], 50, seed=5)
    x[0] = 0.0  # BipolarQuant(0) = +1
    m = firmnet.convert(path, config=_config(path, "fixed<16,6>"))
    got = m.predict(x)
    bits, y = got
    sign = np.where(x >= 0, 1.0, -1.0)
    want_y = np.concatenate([qonnx_exec.run(model, x[i:i + 1], output="y") for i in range(len(x))])
    _expect_equal(2 * np.asarray(bits) - 1, sign, "bq")
    _expect_equal(y, want_y, "y")
    kinds = [layer[1] for layer in m.layers]
    assert kinds.count("binary_tanh") == 2, kinds


def _raw_export(w_scale=1.0):
    """What a raw Brevitas/PyTorch export holds around the layers (no cleanup): x.view(N, -1) as
    Shape/Gather/Unsqueeze/Concat/Reshape, the input scaled as 2x - 1 by Mul/Sub, a Quant weight
    transposed into a MatMul, a batchnorm written as Sub/Pow/Div/Mul/Add with its denominator
    computed from constants, and an Add of a constant after it."""
    rng = np.random.default_rng(21)
    n_in, n_out = 12, 4
    inits = [_const("two", 2.0), _const("one", [1.0]), numpy_helper.from_array(np.int64(0), "idx0"),
             numpy_helper.from_array(np.array([-1], np.int64), "minus1"),
             _const("W", rng.normal(0, 1, (n_out, n_in))),
             _const("mean", [0.5, -0.25, 0.0, 1.0]), _const("var", [0.2, 0.0625, 1.0, 3.0]),
             _const("eps", 0.05), _const("half", 0.5), _const("gamma", [0.75, -1.5, 2.0, 1.0]),
             _const("beta", [0.125, 0.0, -0.5, 0.25]), _const("shift", [0.5, 0.5, 0.5, 0.5])]
    nodes = [helper.make_node("Shape", ["x"], ["shape"]),
             helper.make_node("Gather", ["shape", "idx0"], ["batch"], axis=0),
             helper.make_node("Unsqueeze", ["batch"], ["batch1"], axes=[0]),
             helper.make_node("Concat", ["batch1", "minus1"], ["target"], axis=0),
             helper.make_node("Reshape", ["x", "target"], ["flat"]),
             helper.make_node("Mul", ["flat", "two"], ["x2"], name="mul"),
             helper.make_node("Sub", ["x2", "one"], ["xs"], name="sub"),
             _quant("qin", "xs", 2.0**-3, 0, 6, inits=inits),
             _quant("qw", "W", w_scale, 0, 3, narrow=1, inits=inits),
             helper.make_node("Transpose", ["qw_out"], ["wt"], perm=[1, 0]),
             helper.make_node("MatMul", ["qin_out", "wt"], ["mm"], name="mm"),
             helper.make_node("Sub", ["mm", "mean"], ["c"], name="center"),
             helper.make_node("Add", ["var", "eps"], ["ve"]),
             helper.make_node("Pow", ["ve", "half"], ["sd"]),
             helper.make_node("Div", ["c", "sd"], ["nrm"], name="norm"),
             helper.make_node("Mul", ["nrm", "gamma"], ["g"], name="gamma_mul"),
             helper.make_node("Add", ["g", "beta"], ["bn"], name="beta_add"),
             helper.make_node("Add", ["bn", "shift"], ["y"], name="shift_add")]
    graph = helper.make_graph(
        nodes, "raw", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n_out])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11),
                                                   helper.make_opsetid(QONNX, 1)])


def test_raw_export_ops_fold_and_become_batchnorms(tmp_path):
    model = _raw_export()
    path = str(tmp_path / "raw.onnx")
    onnx.save(model, path)
    x = _inputs([3, 4], 300, seed=4)
    want = np.concatenate([qonnx_exec.run(model, x[i:i + 1]) for i in range(len(x))])
    m = firmnet.convert(path, config=_config(path, "fixed<32,16>"))
    kinds = [layer[1] for layer in m.layers]
    # The shape computation and the transposed weight fold away; the elementwise ops with
    # constants are batchnorms (consecutive ones fused).
    assert "dense" in kinds and kinds.count("batchnorm") >= 2, kinds
    assert "transpose" not in kinds, kinds
    # The float reference is QONNX's float32 network (up to float32 rounding of the batchnorm).
    np.testing.assert_allclose(np.asarray(m.predict_float(x)).reshape(want.shape), want,
                               rtol=0, atol=2e-5)
    # Fixed point with wide types: the Quant and the integer weights are exact; the batchnorm
    # constants round to 2^-16, so the outputs stay within a few of its steps.
    got = np.asarray(m.predict(x)).reshape(want.shape)
    assert np.max(np.abs(got - want)) < 2**-10, np.max(np.abs(got - want))


def test_constant_ops_on_channels_first_maps_follow_the_layout(tmp_path):
    # NCHW feature maps are held channels-last: a per-channel [C,1,1] Mul and a per-value Add
    # read the constant at the right positions.
    c = np.array([0.5, -2.0, 0.25], np.float32).reshape(3, 1, 1)
    d = (np.arange(12, dtype=np.float32).reshape(1, 3, 2, 2) - 6) / 8
    inits = [_const("c", c), _const("d", d)]
    nodes = [helper.make_node("MaxPool", ["x"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Mul", ["p", "c"], ["m"], name="scale_c"),
             helper.make_node("Add", ["m", "d"], ["y"], name="add_d")]
    graph = helper.make_graph(
        nodes, "nchw", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 2, 2])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = str(tmp_path / "nchw.onnx")
    onnx.save(model, path)
    x = _inputs([3, 4, 4], 50, seed=8)
    pooled = x.reshape(50, 3, 2, 2, 2, 2).max(axis=(3, 5))
    want = pooled * c + d
    m = firmnet.convert(path, config={"Model": {"Precision": "ap_fixed<32,16>",
                                                "ReuseFactor": 1, "Strategy": "Latency"}})
    assert [layer[1] for layer in m.layers].count("batchnorm") >= 1
    got = np.asarray(m.predict(x)).reshape(want.shape)
    assert np.array_equal(got, want), np.argwhere(got != want)[:3]
    np.testing.assert_allclose(np.asarray(m.predict_float(x)).reshape(want.shape), want, atol=1e-6)


def test_fold_errors_name_the_node(tmp_path):
    model = _raw_export()
    for node in model.graph.node:
        if node.op_type == "Gather":
            node.name = "gather_batch"
    for init in model.graph.initializer:
        if init.name == "idx0":
            init.CopyFrom(numpy_helper.from_array(np.int64(7), "idx0"))
    path = str(tmp_path / "bad.onnx")
    onnx.save(model, path)
    with pytest.raises(firmnet.Error, match="gather_batch.*index 7 is out of range"):
        firmnet.convert(path)
    # Pow of a layer output is not folded and is named as such.
    model = _raw_export()
    model.graph.node.append(helper.make_node("Pow", ["y", "half"], ["p"], name="pow_y"))
    model.graph.output[0].name = "p"
    onnx.save(model, path)
    with pytest.raises(firmnet.Error, match="pow_y.*Pow is supported on constants only"):
        firmnet.convert(path)
    # A hostile broadcast of two constants (2^30 values) is refused, not computed.
    model = _raw_export()
    model.graph.initializer.extend([_const("col", np.zeros((2**15, 1))),
                                    _const("row", np.zeros((1, 2**15)))])
    model.graph.node.insert(0, helper.make_node("Mul", ["col", "row"], ["big"], name="blowup"))
    onnx.save(model, path)
    with pytest.raises(firmnet.Error, match="blowup.*more than 268435456 values"):
        firmnet.convert(path)


# --- Brevitas-like graphs -------------------------------------------------------------------

def _const(name, value):
    return numpy_helper.from_array(np.asarray(value, np.float32), name)


def _quant(name, x, scale, zeropt, bits, signed=1, narrow=0, rounding="ROUND", inits=None):
    inits.extend([_const(name + "_s", scale), _const(name + "_z", zeropt), _const(name + "_b", bits)])
    return helper.make_node("Quant", [x, name + "_s", name + "_z", name + "_b"], [name + "_out"],
                            name=name, domain=QONNX, signed=signed, narrow=narrow,
                            rounding_mode=rounding)


def _mlp(act_quant, w_scale=2.0**-3, n_in=6, n_out=5, seed=0):
    """input -> Quant(act_quant) -> MatMul(Quant(W)) + Quant(b) -> Relu -> Quant -> output."""
    rng = np.random.default_rng(seed)
    inits = []
    nodes = [_quant("qin", "x", inits=inits, **act_quant)]
    inits.append(_const("W", rng.normal(0, 0.5, (n_in, n_out))))
    nodes.append(_quant("qw", "W", w_scale, 0, 4, narrow=1, inits=inits))
    inits.append(_const("B", rng.normal(0, 0.5, (n_out,))))
    nodes.append(_quant("qb", "B", 2.0**-4, 0, 6, inits=inits))
    nodes.append(helper.make_node("MatMul", ["qin_out", "qw_out"], ["mm"], name="mm"))
    nodes.append(helper.make_node("Add", ["mm", "qb_out"], ["add"], name="add"))
    nodes.append(helper.make_node("Relu", ["add"], ["relu"], name="relu"))
    nodes.append(_quant("qout", "relu", 2.0**-3, 0, 5, signed=0, rounding="FLOOR", inits=inits))
    graph = helper.make_graph(
        nodes, "qmlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, n_in])],
        [helper.make_tensor_value_info("qout_out", TensorProto.FLOAT, [1, n_out])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                   helper.make_opsetid(QONNX, 1)])


ACT_QUANTS = [
    dict(scale=2.0**-4, zeropt=0, bits=6),
    dict(scale=2.0**-4, zeropt=0, bits=6, rounding="FLOOR"),
    dict(scale=2.0**-4, zeropt=0, bits=6, rounding="HALF_UP"),
    dict(scale=2.0**-4, zeropt=0, bits=6, rounding="HALF_DOWN"),
    dict(scale=2.0**-4, zeropt=0, bits=6, rounding="ROUND_TO_ZERO"),
    dict(scale=2.0**-3, zeropt=0, bits=4, narrow=1),
    dict(scale=2.0**-5, zeropt=0, bits=5, signed=0),
    dict(scale=2.0, zeropt=0, bits=3),  # integer bits beyond the width
]


@pytest.mark.parametrize("act", ACT_QUANTS, ids=lambda q: "_".join("%s%s" % kv for kv in q.items()))
def test_quant_options_equal_qonnx_execution(act, tmp_path):
    model = _mlp(act)
    path = str(tmp_path / "m.onnx")
    onnx.save(model, path)
    x = _inputs([6], 400, seed=7)
    # Values on the rounding ties of the input Quant.
    x[:40] = ((np.arange(-120, 120) + 0.5) * act["scale"]).reshape(40, 6)
    want = np.concatenate([qonnx_exec.run(model, x[i:i + 1]) for i in range(len(x))])
    m = firmnet.convert(path, config=_config(path))
    _expect_equal(m.predict(x), want, str(act))
    assert np.ptp(want) > 0


def test_non_power_of_two_scale_is_scale_cast_rescale(tmp_path):
    # A scale that is not a power of two (and a zero point) becomes hls4ml's ApplyAlpha, linear,
    # ApplyAlpha: x * (1/s) + z cast to the integer type, then (q - z) * s, with 1/s and s held
    # in the scale type. With the scale steps' types wide enough for s and 1/s at 2^-20, the
    # result is hls4ml's arithmetic on those held constants.
    act = dict(scale=0.3, zeropt=2, bits=6)
    model = _mlp(act)
    path = str(tmp_path / "m.onnx")
    onnx.save(model, path)
    cfg = _config(path, "fixed<40,20>")
    m = firmnet.convert(path, config=cfg)
    names = [layer[0] for layer in m.layers]
    assert any("qin_scale" in n for n in names) and any("qin_rescale" in n for n in names), names
    x = _inputs([6], 300, seed=9)
    got = np.asarray(m.predict(x))
    # The reference: hls4ml's steps with 1/s and s truncated to 20 fractional bits.
    # numpy's float32 1/s and -z*s (the initializers are float32), then truncated.
    s = np.float32(0.3)
    inv = np.floor(np.float64(np.float32(1) / s) * 2**20) / 2**20
    sq = np.floor(np.float64(s) * 2**20) / 2**20
    bq = np.floor(np.float64(np.float32(-2) * s) * 2**20) / 2**20
    xin = x.astype(np.float64)
    q = np.clip(np.round(xin * inv + 2), -32, 31)
    y = q * sq + bq
    # The rest of the MLP as QONNX computes it (its weights are powers of two: exact).
    rest = onnx.load(path)
    nodes = [n for n in rest.graph.node if n.name != "qin"]
    for n in nodes:
        for i, name in enumerate(n.input):
            if name == "qin_out":
                n.input[i] = "x"
    del rest.graph.node[:]
    rest.graph.node.extend(nodes)
    want = np.concatenate([qonnx_exec.run(rest, y[i:i + 1].astype(np.float32)) for i in range(len(y))])
    _expect_equal(got, want, "non-po2 scale")


@pytest.mark.parametrize("mode,signed,narrow", [("FLOOR", 1, 0), ("ROUND", 1, 1), ("DOWN", 0, 0)])
def test_trunc_equals_qonnx_execution(mode, signed, narrow, tmp_path):
    # x -> Quant (8 bits, 2^-4) -> Trunc to 5 bits at 2^-2 (QONNX's Trunc v2, as Brevitas writes
    # after an average pool), with the Trunc's own rounding of its input to the 2^-4 grid.
    inits = []
    nodes = [_quant("q", "x", 2.0**-4, 0, 8, inits=inits)]
    inits += [_const("ts", 2.0**-4), _const("tz", 0), _const("tib", 8), _const("tos", 2.0**-2),
              _const("tob", 5)]
    nodes.append(helper.make_node("Trunc", ["q_out", "ts", "tz", "tib", "tos", "tob"], ["y"],
                                  name="t", domain=QONNX, rounding_mode=mode, signed=signed,
                                  narrow=narrow))
    graph = helper.make_graph(nodes, "trunc", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 6])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid(QONNX, 2)])
    path = str(tmp_path / "t.onnx")
    onnx.save(model, path)
    x = _inputs([6], 300, seed=13) * 4
    want = np.concatenate([qonnx_exec.run(model, x[i:i + 1]) for i in range(len(x))])
    m = firmnet.convert(path, config=_config(path))
    _expect_equal(m.predict(x), want, "Trunc " + mode)
    assert len(np.unique(want)) > 5


@pytest.mark.parametrize("act,message", [
    (dict(scale=2.0**-4, zeropt=0, bits=6, rounding="CEIL"), "rounding_mode 'CEIL'"),
    (dict(scale=2.0**-4, zeropt=0, bits=6, signed=0, narrow=1), "narrow=1 with signed=0"),
    (dict(scale=2.0**-4, zeropt=0, bits=6.5), "bit width 6.5"),
    (dict(scale=2.0**-4, zeropt=0, bits=6, rounding="SIDEWAYS"), "rounding_mode 'SIDEWAYS'"),
    (dict(scale=[0.25, 0.5, 0.25, 0.25, 0.25, 0.25], zeropt=0, bits=6), "differs between elements"),
])
def test_bad_quant_nodes_are_named(act, message, tmp_path):
    model = _mlp(act)
    path = str(tmp_path / "m.onnx")
    onnx.save(model, path)
    with pytest.raises(firmnet.Error) as e:
        firmnet.convert(path)
    assert message in str(e.value) and "qin" in str(e.value), str(e.value)
