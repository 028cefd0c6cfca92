"""A numpy evaluation of HGQ proxy models (full Keras .h5 files with FixedPointQuantizer layers),
independent of firmnet: the reference that the HGQ tests compare firmnet with.

The proxy model's own semantics: Dense and Conv2D sum the stored (already quantized) weights
exactly (float64: the sums here are far below 2^53), relu, max pooling and reshapes move values,
and each FixedPointQuantizer casts every element to its own fixed-point type (keep_negative,
bits, integers broadcast from [1, *shape]) with the layer's rounding and overflow modes, as HGQ's
quantizer computes: round x * 2^f, wrap or saturate to the integer range, divide by 2^f, and 0
where an element has no bits."""

import json

import h5py
import numpy as np


def _round(mode, y):
    if mode == "TRN":
        return np.floor(y)
    if mode == "RND":
        return np.floor(y + 0.5)
    if mode == "RND_CONV":
        return np.round(y)
    if mode == "TRN_ZERO":
        return np.trunc(y)
    if mode == "RND_ZERO":
        return np.sign(y) * np.ceil(np.abs(y) - 0.5)
    if mode == "RND_MIN_INF":
        return np.ceil(y - 0.5)
    if mode == "RND_INF":
        return np.sign(y) * np.floor(np.abs(y) + 0.5)
    raise ValueError(mode)


def fixed_point_quantize(x, k, b, i, rnd, sat):
    """HGQ's quantizer, elementwise (k, b, i broadcast against x)."""
    k = np.broadcast_to(k, x.shape).astype(np.float64)
    b = np.broadcast_to(b, x.shape).astype(np.float64)
    i = np.broadcast_to(i, x.shape).astype(np.float64)
    f = b - i
    r = _round(rnd, x.astype(np.float64) * 2.0**f)
    hi = 2.0 ** (b - k) - 1
    lo = -k * 2.0 ** (b - k)
    if sat == "WRAP":
        q = np.mod(r - lo, 2.0**b) + lo
    elif sat == "SAT":
        q = np.clip(r, lo, hi)
    elif sat == "SAT_SYM":
        q = np.clip(r, -k * hi, hi)
    elif sat == "SAT_ZERO":
        q = np.where((r >= lo) & (r <= hi), r, 0.0)
    else:
        raise ValueError(sat)
    return np.where(b > 0, q / 2.0**f, 0.0)


def _weights(f, name):
    found = {}

    def visit(path, obj):
        if isinstance(obj, h5py.Dataset):
            found[path.split("/")[-1].split(":")[0]] = np.asarray(obj, np.float64)

    f["model_weights"][name].visititems(visit)
    return found


def _conv2d(x, w, b, strides, padding):
    n, h, wd, c = x.shape
    kh, kw, _, m = w.shape
    if padding == "same":
        ph = max((int(np.ceil(h / strides[0])) - 1) * strides[0] + kh - h, 0)
        pw = max((int(np.ceil(wd / strides[1])) - 1) * strides[1] + kw - wd, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
        n, h, wd, c = x.shape
    oh = (h - kh) // strides[0] + 1
    ow = (wd - kw) // strides[1] + 1
    out = np.zeros((n, oh, ow, m))
    for a in range(kh):
        for d in range(kw):
            patch = x[:, a:a + strides[0] * (oh - 1) + 1:strides[0], d:d + strides[1] * (ow - 1) + 1:strides[1], :]
            out += patch @ w[a, d]
    return out + b


def _maxpool(x, pool, strides):
    n, h, w, c = x.shape
    oh = (h - pool[0]) // strides[0] + 1
    ow = (w - pool[1]) // strides[1] + 1
    out = np.full((n, oh, ow, c), -np.inf)
    for a in range(pool[0]):
        for d in range(pool[1]):
            out = np.maximum(out, x[:, a:a + strides[0] * (oh - 1) + 1:strides[0],
                                    d:d + strides[1] * (ow - 1) + 1:strides[1], :])
    return out


def run(path, x):
    """Evaluates the proxy model at `path` on `x` ([N, *input shape]); returns [N, *output]."""
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["model_config"])
        layers = config["config"]["layers"]
        env = {}
        for layer in layers:
            cls, cfg, name = layer["class_name"], layer["config"], layer["config"]["name"]
            inbound = [node[0][0] for node in layer.get("inbound_nodes", [])]
            v = env[inbound[0]] if inbound else None
            if cls == "InputLayer":
                y = np.asarray(x, np.float64)
            elif cls.endswith("FixedPointQuantizer"):
                w = _weights(f, name)
                mask = lambda a: a.reshape(a.shape[1:]) if a.ndim == v.ndim else a  # noqa: E731
                y = fixed_point_quantize(v, mask(w["keep_negative"]), mask(w["bits"]),
                                         mask(w["integers"]), cfg["RND"], cfg["SAT"])
            elif cls == "Dense":
                w = _weights(f, name)
                y = v @ w["kernel"] + w.get("bias", 0.0)
                assert cfg.get("activation", "linear") == "linear"
            elif cls == "Conv2D":
                w = _weights(f, name)
                y = _conv2d(v, w["kernel"], w.get("bias", 0.0), cfg["strides"], cfg["padding"])
                assert cfg.get("activation", "linear") == "linear"
            elif cls == "Activation" and cfg["activation"] == "relu":
                y = np.maximum(v, 0.0)
            elif cls == "MaxPooling2D":
                y = _maxpool(v, cfg["pool_size"], cfg["strides"] or cfg["pool_size"])
            elif cls in ("Reshape",):
                y = v.reshape((v.shape[0],) + tuple(cfg["target_shape"]))
            elif cls == "Flatten":
                y = v.reshape(v.shape[0], -1)
            else:
                raise NotImplementedError(cls)
            env[name] = y
        out = config["config"]["output_layers"][0][0]
        return env[out]
