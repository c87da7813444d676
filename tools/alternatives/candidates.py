"""Hand-written rewrites, in builtin TFLite ops, of APIs that fail under TFLite builtins.

Each is only a candidate: tools/find_alternatives.py converts it with builtins only and compares
it with the original on the inputs given here; the file it writes says what held.
Expressions see `tf`, `keras`, `np`, the inputs by name, and what `setup` defines; inputs are
numpy expressions of `rng` (numpy's default_rng(0)). The first dimension of every input is
converted as None (a batch) unless `static`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    api: str  # the API as the op knowledge names it, with the argument that decides: "tf.image.resize(method='bicubic')"
    original: str  # a call of the API on the inputs
    use: str  # the rewrite, an expression on the same inputs
    inputs: dict[str, str] = field(default_factory=dict)  # name -> numpy expression
    identity: bool = True  # the same function mathematically; False: an approximation at best
    setup: str = ""  # statements run first (layers with shared weights, constant matrices)
    note: str = ""  # where the rewrite holds ("3x3 matrices", "unique indices")
    static: bool = False  # convert with the inputs' static shapes
    bound: float = 0.05  # an approximation is kept up to this error, relative to the output's scale
    display: str = ""  # how to show the rewrite where setup and use would not say it (layers)

    @property
    def shown(self) -> str:
        """The rewrite as the table and messages show it."""
        return self.display or (f"{self.setup.strip()}\n{self.use}" if self.setup else self.use)


def _unary(api: str, use: str, x: str, **kw) -> Candidate:
    return Candidate(api, f"{api}(x)", use, {"x": x}, **kw)


def _twins(tf_api: str, keras_api: str, tf_use: str, keras_use: str, x: str, **kw) -> list[Candidate]:
    """The same rewrite of a tf.math function and of its keras.ops twin, each in its own namespace."""
    return [_unary(tf_api, tf_use, x, **kw), _unary(keras_api, keras_use, x, **kw)]


_VALUES = "rng.uniform(-4, 4, (2, 16))"
_UNIT = "rng.uniform(-0.999, 0.999, (2, 16))"

# Abramowitz and Stegun 7.1.26: |error| < 1.5e-7 in exact arithmetic.
_ERF = ("def erf(x):\n"
        "    t = 1 / (1 + 0.3275911 * tf.abs(x))\n"
        "    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))\n"
        "    return tf.sign(x) * (1 - poly * tf.exp(-x * x))")
# Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011), single precision.
_ERFINV = ("def erfinv(x):\n"
           "    w = -tf.math.log((1 - x) * (1 + x))\n"
           "    c = w - 2.5\n"
           "    central = 1.50140941 + c * (0.246640727 + c * (-0.00417768164 + c * (-0.00125372503 + c * (\n"
           "        0.00021858087 + c * (-4.39150654e-06 + c * (-3.5233877e-06 + c * (3.43273939e-07 + c * 2.81022636e-08)))))))\n"
           "    t = tf.sqrt(w) - 3\n"
           "    tail = 2.83297682 + t * (1.00167406 + t * (0.00943887047 + t * (-0.0076224613 + t * (\n"
           "        0.00573950773 + t * (-0.00367342844 + t * (0.00134934322 + t * (0.000100950558 + t * -0.000200214257)))))))\n"
           "    return tf.where(w < 5, central, tail) * x")

_DET3 = ("x[..., 0, 0] * (x[..., 1, 1] * x[..., 2, 2] - x[..., 1, 2] * x[..., 2, 1])"
         " - x[..., 0, 1] * (x[..., 1, 0] * x[..., 2, 2] - x[..., 1, 2] * x[..., 2, 0])"
         " + x[..., 0, 2] * (x[..., 1, 0] * x[..., 2, 1] - x[..., 1, 1] * x[..., 2, 0])")
_INV2 = ("tf.stack([tf.stack([x[..., 1, 1], -x[..., 0, 1]], -1), tf.stack([-x[..., 1, 0], x[..., 0, 0]], -1)], -2)"
         " / (x[..., 0, 0] * x[..., 1, 1] - x[..., 0, 1] * x[..., 1, 0])[..., None, None]")
_WELL_CONDITIONED = "rng.uniform(-1, 1, ({n})) + 3 * np.eye({k})"
_SPD3 = "(lambda m: m @ np.swapaxes(m, -1, -2) + np.eye(3))(rng.uniform(-1, 1, (2, 3, 3)))"
_CROSS = ("tf.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1], a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],"
          " a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], axis=-1)")
_CUMPROD = "tf.stack([tf.reduce_prod(x[..., :i + 1], axis=-1) for i in range(x.shape[-1])], axis=-1)"
_SEGMENTS = {"x": "rng.normal(size=(8, 3))", "ids": "np.array([0, 0, 1, 1, 1, 2, 3, 3], np.int32)"}
_IMAGE = "rng.uniform(0, 1, (2, 8, 8, 3))"
_VOLUME = "rng.normal(size=(2, 4, 4, 4, 3))"
# A 3D pool as a 2D pool over (height, width) with depth folded into the batch, then a 1D pool over depth.
_POOL3D = ("tf.reduce_{reduce}(tf.reshape(tf.nn.{op}_pool2d(tf.reshape(x, [-1, 4, 4, 3]), 2, 2, 'VALID'),"
           " [-1, 2, 2, 2, 2, 3]), axis=2)")
_DCT = ("D = 2 * np.cos(np.pi * np.outer(2 * np.arange(8) + 1, np.arange(8)) / 16).astype(np.float32)")
_IDCT = ("D3 = (np.cos(np.pi * np.outer(np.arange(8), 2 * np.arange(8) + 1) / 16)"
         " * np.where(np.arange(8) == 0, 1, 2)[:, None]).astype(np.float32)")
_RNN = ("a = keras.layers.{layer}(4)\n"
        "b = keras.layers.{layer}(4, unroll=True)  # a fixed number of time steps, the same weights\n"
        "a(np.zeros((1, 5, 3), np.float32)), b(np.zeros((1, 5, 3), np.float32))\n"
        "b.set_weights(a.get_weights())")
_INTS = "rng.integers(-(2 ** 20), 2 ** 20, (2, 16), dtype=np.int32)"
_BITWISE = {"a": _INTS, "b": _INTS}

CANDIDATES: list[Candidate] = [
    *_twins("tf.math.sinh", "keras.ops.sinh", "(tf.exp(x) - tf.exp(-x)) / 2",
            "(keras.ops.exp(x) - keras.ops.exp(-x)) / 2", _VALUES),
    *_twins("tf.math.cosh", "keras.ops.cosh", "(tf.exp(x) + tf.exp(-x)) / 2",
            "(keras.ops.exp(x) + keras.ops.exp(-x)) / 2", _VALUES),
    *_twins("tf.math.tan", "keras.ops.tan", "tf.sin(x) / tf.cos(x)", "keras.ops.sin(x) / keras.ops.cos(x)",
            "rng.uniform(-1.4, 1.4, (2, 16))"),
    *_twins("tf.math.atan", "keras.ops.arctan", "tf.math.atan2(x, tf.ones_like(x))",
            "keras.ops.arctan2(x, keras.ops.ones_like(x))", "rng.uniform(-10, 10, (2, 16))"),
    *_twins("tf.math.asin", "keras.ops.arcsin", "tf.math.atan2(x, tf.sqrt(1 - x * x))",
            "keras.ops.arctan2(x, keras.ops.sqrt(1 - x * x))", _UNIT),
    *_twins("tf.math.acos", "keras.ops.arccos", "tf.math.atan2(tf.sqrt(1 - x * x), x)",
            "keras.ops.arctan2(keras.ops.sqrt(1 - x * x), x)", _UNIT),
    *_twins("tf.math.asinh", "keras.ops.arcsinh", "tf.sign(x) * tf.math.log(tf.abs(x) + tf.sqrt(x * x + 1))",
            "keras.ops.sign(x) * keras.ops.log(keras.ops.abs(x) + keras.ops.sqrt(x * x + 1))", _VALUES),
    *_twins("tf.math.acosh", "keras.ops.arccosh", "tf.math.log(x + tf.sqrt(x * x - 1))",
            "keras.ops.log(x + keras.ops.sqrt(x * x - 1))", "rng.uniform(1, 10, (2, 16))"),
    *_twins("tf.math.atanh", "keras.ops.arctanh", "0.5 * tf.math.log((1 + x) / (1 - x))",
            "0.5 * keras.ops.log((1 + x) / (1 - x))", _UNIT),
    *(_unary(api, "erf(x)", _VALUES, identity=False, setup=_ERF) for api in ("tf.math.erf", "keras.ops.erf")),
    *(_unary(api, "1 - erf(x)", _VALUES, identity=False, setup=_ERF) for api in ("tf.math.erfc", "keras.ops.erfc")),
    *(_unary(api, "erfinv(x)", _UNIT, identity=False, setup=_ERFINV) for api in ("tf.math.erfinv", "keras.ops.erfinv")),
    _unary("tf.math.erfcinv", "erfinv(1 - x)", "rng.uniform(0.001, 1.999, (2, 16))", identity=False, setup=_ERFINV),
    _unary("tf.math.ndtri", "np.sqrt(2) * erfinv(2 * x - 1)", "rng.uniform(0.001, 0.999, (2, 16))",
           identity=False, setup=_ERFINV),
    *(Candidate(api, f"{api}(x, axis=-1)", _CUMPROD, {"x": "rng.normal(size=(2, 8))"},
                note="a last axis of static length") for api in ("tf.math.cumprod", "keras.ops.cumprod")),
    *(Candidate(api, f"{api}(x, axis=-1)", "tf.exp(tf.math.cumsum(tf.math.log(x), axis=-1))",
                {"x": "rng.uniform(0.5, 2, (2, 8))"}, identity=False, note="positive inputs")
      for api in ("tf.math.cumprod", "keras.ops.cumprod")),
    Candidate("tf.math.cumulative_logsumexp", "tf.math.cumulative_logsumexp(x, axis=-1)",
              "tf.reduce_max(x, -1, keepdims=True) + tf.math.log(tf.math.cumsum(tf.exp(x - tf.reduce_max(x, -1, keepdims=True)), axis=-1))",
              {"x": "rng.normal(0, 3, (2, 16))"}),
    Candidate("tf.math.reduce_euclidean_norm", "tf.math.reduce_euclidean_norm(x, axis=-1)",
              "tf.sqrt(tf.reduce_sum(tf.square(x), axis=-1))", {"x": _VALUES}),
    Candidate("tf.linalg.trace", "tf.linalg.trace(x)", "tf.reduce_sum(x * tf.eye(x.shape[-1]), axis=[-2, -1])",
              {"x": "rng.normal(size=(2, 4, 4))"}),
    *(Candidate(api, f"{api}(x)", "tf.reduce_sum(x * tf.eye(x.shape[-1]), axis=-1)", {"x": "rng.normal(size=(2, 4, 4))"})
      for api in ("tf.linalg.diag_part",)),
    Candidate("tf.linalg.tensor_diag_part", "tf.linalg.tensor_diag_part(x)",
              "tf.reduce_sum(x * tf.eye(x.shape[-1]), axis=-1)", {"x": "rng.normal(size=(4, 4))"}, static=True),
    Candidate("keras.ops.diagonal", "keras.ops.diagonal(x)", "keras.ops.sum(x * keras.ops.eye(x.shape[-1]), axis=-1)",
              {"x": "rng.normal(size=(4, 4))"}, static=True),
    Candidate("tf.linalg.tensor_diag", "tf.linalg.tensor_diag(x)", "tf.linalg.diag(x)",
              {"x": "rng.normal(size=(4,))"}, static=True),
    Candidate("keras.ops.diag", "keras.ops.diag(x)", "x[:, None] * keras.ops.eye(x.shape[0])",
              {"x": "rng.normal(size=(4,))"}, static=True),
    *(Candidate(api, f"{api}(x)", _DET3, {"x": "rng.normal(size=(2, 3, 3))"}, note="3x3 matrices")
      for api in ("tf.linalg.det", "keras.ops.det")),
    *(Candidate(api, f"{api}(x)", f"tf.math.log({_DET3})", {"x": _SPD3}, note="3x3 positive definite matrices")
      for api in ("tf.linalg.logdet", "keras.ops.logdet")),
    *(Candidate(api, f"{api}(x)", _INV2, {"x": _WELL_CONDITIONED.format(n="2, 2, 2", k=2)}, note="2x2 matrices")
      for api in ("tf.linalg.inv", "keras.ops.inv")),
    *(Candidate(api, f"{api}(x, b)", f"tf.matmul({_INV2}, b)",
                {"x": _WELL_CONDITIONED.format(n="2, 2, 2", k=2), "b": "rng.normal(size=(2, 2, 1))"},
                note="2x2 systems") for api in ("tf.linalg.solve", "keras.ops.solve")),
    *(Candidate(api, f"{api}(x)",
                "tf.stack([tf.stack([tf.sqrt(x[..., 0, 0]), tf.zeros_like(x[..., 0, 0])], -1),"
                " tf.stack([x[..., 1, 0] / tf.sqrt(x[..., 0, 0]),"
                " tf.sqrt(x[..., 1, 1] - x[..., 1, 0] ** 2 / x[..., 0, 0])], -1)], -2)",
                {"x": "(lambda m: m @ np.swapaxes(m, -1, -2) + np.eye(2))(rng.uniform(-1, 1, (2, 2, 2)))"},
                note="2x2 positive definite matrices") for api in ("tf.linalg.cholesky", "keras.ops.cholesky")),
    *(Candidate(api, f"{api}(a, b)", _CROSS, {"a": "rng.normal(size=(2, 3))", "b": "rng.normal(size=(2, 3))"})
      for api in ("tf.linalg.cross", "keras.ops.cross")),
    *(Candidate(f"tf.math.segment_{kind}", f"tf.math.segment_{kind}(x, ids)",
                f"tf.math.unsorted_segment_{kind}(x, ids, num_segments=4)", _SEGMENTS,
                note="the number of segments known when building the model")
      for kind in ("max", "min", "prod")),
    Candidate("tf.math.segment_mean", "tf.math.segment_mean(x, ids)",
              "tf.math.unsorted_segment_sum(x, ids, 4) / tf.math.unsorted_segment_sum(tf.ones_like(x), ids, 4)",
              _SEGMENTS, note="the number of segments known when building the model"),
    *(Candidate(f"keras.ops.segment_{kind}(sorted='True')", f"keras.ops.segment_{kind}(x, ids, sorted=True)",
                f"keras.ops.segment_{kind}(x, ids, 4)", _SEGMENTS) for kind in ("max", "min", "prod")),
    Candidate("tf.tensor_scatter_nd_sub", "tf.tensor_scatter_nd_sub(t, idx, u)", "tf.tensor_scatter_nd_add(t, idx, -u)",
              {"t": "rng.normal(size=(4, 3))", "idx": "np.array([[0], [2]], np.int32)", "u": "rng.normal(size=(2, 3))"},
              static=True),
    *(Candidate(f"tf.tensor_scatter_nd_{kind}", f"tf.tensor_scatter_nd_{kind}(t, idx, u)",
                f"tf.{'maximum' if kind == 'max' else 'minimum'}(t, tf.tensor_scatter_nd_update("
                f"tf.fill(tf.shape(t), {'-' if kind == 'max' else ''}np.inf), idx, u))",
                {"t": "rng.normal(size=(4, 3))", "idx": "np.array([[0], [2]], np.int32)",
                 "u": "rng.normal(size=(2, 3))"}, static=True, note="unique indices")
      for kind in ("max", "min")),
    Candidate("tf.truncatemod", "tf.truncatemod(x, y)", "tf.sign(x) * tf.math.floormod(tf.abs(x), tf.abs(y))",
              {"x": "rng.uniform(-10, 10, (2, 16))", "y": "rng.choice([-3.0, -1.5, 2.0, 2.5], (2, 16))"}),
    Candidate("tf.unravel_index", "tf.unravel_index(i, [3, 4])", "tf.stack([i // 4, i % 4])",
              {"i": "rng.integers(0, 12, (6,), dtype=np.int32)"}),
    Candidate("tf.searchsorted", "tf.searchsorted(s, v)",
              "tf.reduce_sum(tf.cast(s[..., None, :] < v[..., :, None], tf.int32), axis=-1)",
              {"s": "np.sort(rng.normal(size=(2, 8)), axis=-1)", "v": "rng.normal(size=(2, 5))"}),
    Candidate("keras.ops.searchsorted", "keras.ops.searchsorted(s, v)",
              "keras.ops.sum(keras.ops.cast(s[None, :] < v[:, None], 'int32'), axis=-1)",
              {"s": "np.sort(rng.normal(size=(8,)))", "v": "rng.normal(size=(5,))"}, static=True),
    Candidate("tf.dtypes.saturate_cast", "tf.dtypes.saturate_cast(x, tf.uint8)",
              "tf.cast(tf.clip_by_value(x, 0.0, 255.0), tf.uint8)", {"x": "rng.uniform(-50, 300, (2, 16))"}),
    Candidate("tf.math.bincount", "tf.math.bincount(x, minlength=5, maxlength=5)",
              "tf.reduce_sum(tf.cast(tf.equal(tf.reshape(x, [-1, 1]), tf.range(5)), tf.int32), axis=0)",
              {"x": "rng.integers(0, 5, (4, 6), dtype=np.int32)"}, note="a fixed number of bins"),
    Candidate("tf.math.in_top_k", "tf.math.in_top_k(t, p, 3)",
              "tf.reduce_sum(tf.cast(p > tf.reduce_sum(p * tf.one_hot(t, 10), -1, keepdims=True), tf.int32), -1) < 3",
              {"t": "rng.integers(0, 10, (4,), dtype=np.int32)", "p": "rng.normal(size=(4, 10))"}),
    Candidate("tf.image.adjust_contrast", "tf.image.adjust_contrast(x, 2.0)",
              "(x - tf.reduce_mean(x, axis=[-3, -2], keepdims=True)) * 2.0 + tf.reduce_mean(x, axis=[-3, -2], keepdims=True)",
              {"x": _IMAGE}),
    Candidate("tf.image.extract_patches",
              "tf.image.extract_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], 'VALID')",
              "tf.nn.conv2d(x, k, strides=2, padding='VALID')", {"x": _IMAGE},
              setup="k = np.eye(2 * 2 * 3, dtype=np.float32).reshape(2, 2, 3, 12)  # one-hot filters: one per patch value"),
    *(Candidate(f"tf.nn.{op}_pool3d", f"tf.nn.{op}_pool3d(x, 2, 2, 'VALID')", _POOL3D.format(op=op, reduce=reduce),
                {"x": _VOLUME}, note="a 4x4x4 volume: the pool over depth follows the 2D pool")
      for op, reduce in (("max", "max"), ("avg", "mean"))),
    *(Candidate(f"keras.layers.{layer}3D", f"keras.layers.{layer}3D(2)(x)", _POOL3D.format(op=op, reduce=reduce),
                {"x": _VOLUME}, note="a 4x4x4 volume: the pool over depth follows the 2D pool")
      for layer, op, reduce in (("MaxPool", "max", "max"), ("AvgPool", "avg", "mean"))),
    Candidate("tf.image.resize(method='bicubic')", "tf.image.resize(x, [16, 16], method='bicubic')",
              "tf.image.resize(x, [16, 16], method='bilinear')", {"x": _IMAGE}, identity=False, bound=0.5),
    Candidate("tf.image.resize(method='area')", "tf.image.resize(x, [4, 4], method='area')",
              "tf.nn.avg_pool2d(x, 2, 2, 'VALID')", {"x": _IMAGE}, note="downscaling by an integer factor"),
    Candidate("tf.compat.v1.image.resize_bicubic", "tf.compat.v1.image.resize_bicubic(x, [16, 16])",
              "tf.compat.v1.image.resize_bilinear(x, [16, 16])", {"x": _IMAGE}, identity=False, bound=0.5),
    Candidate("tf.compat.v1.image.resize_area", "tf.compat.v1.image.resize_area(x, [4, 4])",
              "tf.nn.avg_pool2d(x, 2, 2, 'VALID')", {"x": _IMAGE}, note="downscaling by an integer factor"),
    Candidate("keras.ops.image.resize(interpolation='bicubic')",
              "keras.ops.image.resize(x, (16, 16), interpolation='bicubic')",
              "keras.ops.image.resize(x, (16, 16), interpolation='bilinear')", {"x": _IMAGE}, identity=False, bound=0.5),
    Candidate("keras.ops.image.resize(interpolation='area')", "keras.ops.image.resize(x, (4, 4), interpolation='area')",
              "keras.ops.average_pool(x, 2, 2, 'valid')", {"x": _IMAGE}, note="downscaling by an integer factor"),
    Candidate("tf.signal.dct", "tf.signal.dct(x)", "tf.matmul(x, D)", {"x": "rng.normal(size=(2, 8))"},
              setup=_DCT, note="a last axis of 8 (D: that length's DCT-II matrix)"),
    Candidate("tf.signal.idct", "tf.signal.idct(x)", "tf.matmul(x, D3)", {"x": "rng.normal(size=(2, 8))"},
              setup=_IDCT, note="a last axis of 8 (D3: that length's DCT-III matrix)"),
    Candidate("tf.signal.mfccs_from_log_mel_spectrograms", "tf.signal.mfccs_from_log_mel_spectrograms(x)",
              "tf.matmul(x, D) / np.sqrt(2 * 8)", {"x": "rng.normal(size=(2, 8))"},
              setup=_DCT, note="8 mel bins (D: that length's DCT-II matrix)"),
    Candidate("tf.parallel_stack", "tf.parallel_stack([a, b])", "tf.stack([a, b])",
              {"a": "rng.normal(size=(2, 3))", "b": "rng.normal(size=(2, 3))"}, static=True),
    _unary("tf.guarantee_const", "tf.identity(x)", _VALUES),
    *(Candidate(f"keras.ops.{f}", f"keras.ops.{f}(x, axis=-1)", f"tf.math.{f}(x, axis=-1, output_type=tf.int32)",
                {"x": "rng.normal(size=(2, 16))"}, note="inputs without NaN") for f in ("argmax", "argmin")),
    Candidate("keras.ops.signbit", "keras.ops.signbit(x)", "tf.bitcast(x, tf.int32) < 0",
              {"x": "np.concatenate([rng.normal(size=(2, 14)), [[-0.0, 0.0], [np.inf, -np.inf]]], axis=1)"}),
    *(Candidate(api, f"{api}(a, b)", "(a + b - tf.bitwise.bitwise_xor(a, b)) // 2", _BITWISE,
                note="|a|, |b| < 2**30 (a + b must not overflow)")
      for api in ("tf.bitwise.bitwise_and", "keras.ops.bitwise_and")),
    *(Candidate(api, f"{api}(a, b)", "(a + b + tf.bitwise.bitwise_xor(a, b)) // 2", _BITWISE,
                note="|a|, |b| < 2**30 (a + b must not overflow)")
      for api in ("tf.bitwise.bitwise_or", "keras.ops.bitwise_or")),
    *(_unary(api, "-x - 1", _INTS) for api in ("tf.bitwise.invert", "keras.ops.bitwise_invert", "keras.ops.bitwise_not")),
    *(Candidate(api, f"{api}(x, n)", "x * tf.gather(2 ** np.arange(31, dtype=np.int32), n)",
                {"x": "rng.integers(-1000, 1000, (2, 16), dtype=np.int32)", "n": "rng.integers(0, 10, (2, 16), dtype=np.int32)"})
      for api in ("tf.bitwise.left_shift", "keras.ops.left_shift", "keras.ops.bitwise_left_shift")),
    *(Candidate(f"keras.layers.{layer}", "a(x)", "b(x)", {"x": "rng.normal(size=(2, 5, 3))"},
                setup=_RNN.format(layer=layer), note="a sequence length known when building the model",
                display=f"keras.layers.{layer}(units, unroll=True)")
      for layer in ("LSTM", "GRU", "SimpleRNN")),
]
