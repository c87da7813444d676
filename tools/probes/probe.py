"""Probing one API: find a call that traces, convert it under each target, and probe the
argument values that change the verdict."""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import tensorflow as tf

from . import arguments, catalog, convert, layers

TARGETS = ("builtins", "select", "int8")
DTYPES = ("float32", "float16", "float64", "int32", "int64")
# Arguments whose value decides the op (values tried beside the default).
CONDITIONS: dict[str, dict[str, tuple]] = {
    "tf.image.resize": {"method": ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                                   "gaussian", "mitchellcubic")},
    "tf.image.resize_with_pad": {"method": ("bilinear", "nearest", "bicubic", "area")},
    "tf.image.resize_with_crop_or_pad": {},
    "tf.image.crop_and_resize": {"method": ("bilinear", "nearest")},
    "tf.pad": {"mode": ("CONSTANT", "REFLECT", "SYMMETRIC")},
    "tf.image.extract_glimpse": {"noise": ("uniform", "gaussian", "zero")},
    "keras.ops.image.resize": {"interpolation": ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")},
    "keras.ops.pad": {"mode": ("constant", "reflect", "symmetric")},
    "keras.layers.Resizing": {"interpolation": ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")},
    "keras.layers.UpSampling2D": {"interpolation": ("nearest", "bilinear", "bicubic")},
    "keras.layers.LSTM": {"unroll": (True,)},
    "keras.layers.GRU": {"unroll": (True,)},
    "keras.layers.SimpleRNN": {"unroll": (True,)},
}


def conditions_for(api: catalog.Api) -> dict[str, tuple]:
    out = dict(CONDITIONS.get(api.name, {}))
    if "dtype" in api.params and api.kind == "function":
        out["dtype"] = DTYPES
    return out


def probe(api: catalog.Api) -> dict[str, Any]:
    """Everything known about one API (see tools/README.md for the fields)."""
    record: dict[str, Any] = {"api": api.name, "namespace": api.namespace, "kind": api.kind,
                              "aliases": api.aliases, "params": api.params}
    with _quiet():
        base = _probe_call(api, {})
        if "reason" in base:
            record.update(status="unprobed", reason=base["reason"])
            return record
        record.update(base)
        record["status"] = "probed" if base["ops"] else "no-ops"
        when = {}
        for param, values in conditions_for(api).items():
            for value in values:
                result = _probe_call(api, {param: tf.as_dtype(value) if param == "dtype" else value})
                if "reason" not in result and _differs(result, base):
                    when.setdefault(param, {})[str(value)] = result
        if when:
            record["when"] = when
    return record


def _differs(a: dict, b: dict) -> bool:
    return a["ops"] != b["ops"] or any(a[t]["status"] != b[t]["status"] for t in TARGETS)


def _probe_call(api: catalog.Api, extra: dict) -> dict[str, Any]:
    traced = _trace_layer(api, extra) if api.kind == "layer" else _trace_function(api, extra)
    if isinstance(traced, str):
        return {"reason": traced}
    concrete, plan_text, samples, retrace = traced
    result = {"call": plan_text, "ops": convert.graph_ops(concrete)}
    if not result["ops"]:
        result.update({t: {"status": "converts"} for t in TARGETS})
        return result
    key = convert.signature(concrete) if api.kind == "function" else None  # layers hold weights
    if key is None or key not in _VERDICTS:
        verdicts = _convert_all(concrete, samples, retrace)
        _LIVE_LAYERS.clear()
        if key is None:
            return {**result, **verdicts}
        _VERDICTS[key] = verdicts
    return {**result, **_VERDICTS[key]}


# Graphs with the same ops, attributes and inputs convert alike (keras.ops often wraps one TF op).
_VERDICTS: dict[str, dict] = {}
# A concrete function holds its layer's variables weakly: the probed layer must outlive its
# conversions, or they fail with "referencing variables which have been deleted".
_LIVE_LAYERS: list = []


def _convert_all(concrete, samples, retrace) -> dict[str, dict]:
    """Builtins first; Select TF ops only when builtins fail, int8 and dynamic shapes only when they convert."""
    builtins = convert.convert(concrete, "builtins")
    if builtins.status == "converts":
        verdicts = {"builtins": vars(builtins), "select": {"status": "converts"},
                    "int8": vars(convert.convert(concrete, "int8", samples))}
        dynamic = _dynamic(concrete, retrace)
        if dynamic is not None:
            verdicts["dynamic"] = dynamic
        return verdicts
    return {"builtins": vars(builtins), "select": vars(convert.convert(concrete, "select")),
            "int8": {"status": "fails", "evidence": "fails with float builtins already", "failing": builtins.failing}}


def _dynamic(concrete, retrace) -> dict | None:
    """Builtins verdict with the data input's first dimension unknown (a Keras model's batch is None):
    some ops (tf.roll, ...) convert only when all shapes are static (audit of tf-models-official).
    Only the first tensor argument is the data; later ones (filters, ...) are weights in models."""
    specs = [s for s in concrete.structured_input_signature[0] if isinstance(s, tf.TensorSpec)]
    if retrace is None or not specs or not specs[0].shape.rank:
        return None
    data = specs[0]
    try:
        dynamic = retrace([tf.TensorSpec([None, *data.shape[1:]], data.dtype), *specs[1:]])
    except Exception:  # noqa: BLE001 - the API needs static shapes to trace at all: nothing to say
        return None
    outcome = convert.convert(dynamic, "builtins")
    return None if outcome.status == "unknown" else vars(outcome)


def _trace_function(api: catalog.Api, extra: dict):
    fn = catalog.resolve(api.name)
    first_error, no_ops = "", None
    override = arguments.OVERRIDES.get(api.name)
    for plan in [override] if override else arguments.plans(fn, extra):
        caller = _caller(fn, plan)
        try:
            concrete = tf.function(caller, autograph=False).get_concrete_function(*plan.specs)
        except Exception as e:  # noqa: BLE001 - any failure means "try the next plan"
            first_error = first_error or f"{type(e).__name__}: {str(e).strip().splitlines()[0][:200] if str(e).strip() else ''}"
            continue
        traced = (concrete, plan.describe, plan.samples(),
                  lambda specs, caller=caller: tf.function(caller, autograph=False).get_concrete_function(*specs))
        if convert.graph_ops(concrete):
            return traced
        no_ops = no_ops or traced
    return no_ops or f"no argument plan traced (first error: {first_error})"


def _caller(fn, plan: arguments.Plan):
    def call(*tensors):
        args, kwargs = plan.kwargs_for(list(tensors))
        return _flat_tensors(fn(*args, **kwargs))
    return call


def _flat_tensors(value):
    """The tensors of whatever an API returns (tuples, ragged/sparse tensors, namedtuples)."""
    flat = tf.nest.flatten(value, expand_composites=True)
    tensors = [t for t in flat if isinstance(t, tf.Tensor)]
    return tensors or [tf.constant(0)]  # side-effect-only APIs (asserts, prints): keep the graph


def _trace_layer(api: catalog.Api, extra: dict):
    cls = catalog.resolve(api.name)
    kwargs = layers.constructor_kwargs(cls, extra)
    if kwargs is None:
        return "constructor needs an argument the prober has no value for"
    first_error, no_ops = "", None
    for dtype, shape in layers.INPUT_SHAPES:
        for form in layers.CALL_FORMS:
            try:
                layer = cls(**kwargs)
                _LIVE_LAYERS.append(layer)
                spec = tf.TensorSpec(shape, dtype)
                concrete = tf.function(lambda x: _flat_tensors(layers.call(layer, form, x)),
                                       autograph=True).get_concrete_function(spec)
            except Exception as e:  # noqa: BLE001
                first_error = first_error or f"{type(e).__name__}: {str(e).strip().splitlines()[0][:200] if str(e).strip() else ''}"
                continue
            fixed = tf.TensorSpec((1, *shape[1:]), dtype)
            traced = (concrete, f"{api.name}({kwargs}) on {dtype.name}{list(shape)} as {form}",
                      [[arguments.sample(fixed)] for _ in range(3)], None)  # layers are probed with a None batch
            if convert.graph_ops(concrete):
                return traced
            no_ops = no_ops or traced
    return no_ops or f"no input traced (first error: {first_error})"


@contextlib.contextmanager
def _quiet():
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield
