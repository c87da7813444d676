"""Probing one API: find a call that traces, convert it under each target, and probe the
argument values that change the verdict."""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any, Callable, NamedTuple

import tensorflow as tf

from . import arguments, catalog, conditions, convert, layers, syntax

TARGETS = ("builtins", "select", "int8")
# Dtypes of the tensor inputs probed per API; output dtypes are recorded for the first two.
INPUT_DTYPES = ("float32", "float16", "int32", "int64", "bool", "int8", "uint8")
OUT_DTYPE_INPUTS = ("float32", "int32")


class Traced(NamedTuple):
    concrete: Any
    describe: str
    samples: list
    retrace: Callable | None  # the same call on other input specs (None: layers)
    plan: arguments.Plan | None  # None for layers


def probe(api: catalog.Api) -> dict[str, Any]:
    """Everything known about one API (see tools/README.md for the fields)."""
    record: dict[str, Any] = {"api": api.name, "namespace": api.namespace, "kind": api.kind,
                              "aliases": api.aliases, "params": api.params}
    if api.kind == "syntax":
        return _probe_syntax(api, record)
    with _quiet():
        traced = _trace(api, {})
        if isinstance(traced, str):
            why = catalog.NOT_PROBED.get(api.name)
            record.update(status="unprobed", reason=f"{why} ({traced})" if why else traced, why=why or traced[:100])
            return record
        base = _result(api, traced)
        record.update(base)
        record["status"] = "probed" if base["ops"] else "no-ops"
        when, record["values_probed"] = _conditions(api, traced, base)
        if when:
            record["when"] = when
        if traced.plan is not None and traced.plan.profile is not None:  # a call built from the signature
            record.update(_variants(api, traced.plan, base))
    return record


def _conditions(api: catalog.Api, traced: Traced, base: dict) -> tuple[dict[str, dict[str, dict]], int]:
    """Parameter -> value -> result, for the values whose builtins/select verdict differs from the
    base's (for the curated CONDITIONS: whose ops or any verdict differ), tried on the base's
    tensor layout; and how many (parameter, value) pairs traced."""
    curated = conditions.CONDITIONS.get(api.name, {})
    plan = traced.plan
    profiles = (plan.profile,) if plan is not None and plan.profile is not None else arguments.PROFILES
    when: dict[str, dict[str, dict]] = {}
    traced_count = 0
    for param, values in conditions.conditions_for(api).items():
        for value in values:
            extra = {param: tf.as_dtype(value) if param == "dtype" else value}
            found = _trace_layer(api, extra) if api.kind == "layer" else _trace_function(api, extra, profiles=profiles)
            if isinstance(found, str):
                continue
            traced_count += 1
            if param in curated:
                result = _result(api, found)
                keep = _differs(result, base)
            else:  # int8 and dynamic shapes only where builtins/select already differ: half the conversions
                result = _result(api, found, full=False)
                keep = _status_differs(result, base, ("builtins", "select"))
                result = _result(api, found) if keep else result
            if keep:
                when.setdefault(param, {})[str(value)] = result
    return when, traced_count


def _differs(a: dict, b: dict) -> bool:
    return a["ops"] != b["ops"] or _status_differs(a, b)


def _status_differs(a: dict, b: dict, targets: tuple[str, ...] = TARGETS) -> bool:
    return any(a[t]["status"] != b[t]["status"] for t in targets)


def _variants(api: catalog.Api, plan: arguments.Plan, base: dict) -> dict[str, Any]:
    """The call forms and input dtypes whose verdict differs from the base probe's, the dtypes
    accepted, the output dtype where it is not the input's, and whether failing ops fold."""
    out: dict[str, Any] = {"given": _given(api, plan, base), **_dtype_axis(api, plan, base)}
    if base["builtins"]["status"] == "fails":
        out["folds"] = _folds(api, plan)
    return {key: value for key, value in out.items() if value or key == "folds"}  # folds None: not judged


def _given(api: catalog.Api, plan: arguments.Plan, base: dict) -> dict[str, dict]:
    """"x1,x2" -> result, for the call forms whose verdict differs from the base's."""
    given = {}
    for names in _call_forms(api):
        traced = _variant(api, plan, given=names)
        result = traced and _result(api, traced)
        if result is not None and _status_differs(result, base):
            given[",".join(names)] = result
    return given


def _dtype_axis(api: catalog.Api, plan: arguments.Plan, base: dict) -> dict[str, Any]:
    """`dtypes` accepted, `dtype` -> result where the builtins/select verdict differs, `out_dtypes`."""
    dtypes, by_dtype, out_dtypes = [], {}, {}
    results = {plan.profile[0].name: base, **_dtype_results(api, plan)}
    for dtype in INPUT_DTYPES:
        result = results.get(dtype)
        if result is None:
            continue
        dtypes.append(dtype)
        if result is not base and _status_differs(result, base, ("builtins", "select")):
            by_dtype[dtype] = result
        if dtype in OUT_DTYPE_INPUTS and result["out_dtype"] != dtype:
            out_dtypes[dtype] = result["out_dtype"]
    return {"dtypes": dtypes, "dtype": by_dtype, "out_dtypes": out_dtypes}


def _call_forms(api: catalog.Api) -> list[tuple[str, ...]]:
    """Each optional tensor argument supplied alone, then all together (`where(c, x, y)`)."""
    names = arguments.optional_tensor_params(catalog.resolve(api.name))
    return [(n,) for n in names] + ([tuple(names)] if len(names) > 1 else [])


def _variant(api: catalog.Api, plan: arguments.Plan, given: tuple[str, ...] = (), dtype: str | None = None) -> Traced | None:
    """The base call with optional arguments given, or on tensor inputs of another dtype;
    None when that call does not trace."""
    profile = (tf.as_dtype(dtype) if dtype else plan.profile[0], plan.profile[1])
    traced = _trace_function(api, plan.extra_kwargs, given, (profile,), plan.choice)
    return None if isinstance(traced, str) else traced


def _dtype_results(api: catalog.Api, plan: arguments.Plan) -> dict[str, dict]:
    """Results per input dtype other than the base's. The integer and bool variants are first
    converted together: where all convert, one conversion instead of five (float16 mostly fails)."""
    traced = {d: _variant(api, plan, dtype=d) for d in INPUT_DTYPES if d != plan.profile[0].name}
    traced = {d: t for d, t in traced.items() if t is not None}
    grouped = [d for d, t in traced.items() if d != "float16" and convert.graph_ops(t.concrete)]
    if len(grouped) > 1 and _all_convert(api, [traced[d] for d in grouped]):
        converted = {"builtins": {"status": "converts"}, "select": {"status": "converts"}}
        return {d: {**_described(t), **converted} if d in grouped else _result(api, t, full=False)
                for d, t in traced.items()}
    return {d: _result(api, t, full=False) for d, t in traced.items()}


def _all_convert(api: catalog.Api, variants: list[Traced]) -> bool:
    """Do the variants, side by side in one graph, convert with builtins?"""
    fn = catalog.resolve(api.name)
    callers = [(_caller(fn, t.plan), len(t.plan.specs)) for t in variants]

    def call(*tensors):
        outputs, rest = [], list(tensors)
        for caller, count in callers:
            outputs += caller(*rest[:count])
            rest = rest[count:]
        return outputs
    specs = [tf.TensorSpec(s.shape, s.dtype) for t in variants for s in t.plan.specs]  # names would collide
    try:
        concrete = tf.function(call, autograph=False).get_concrete_function(*specs)
    except Exception:  # noqa: BLE001 - then each converts on its own
        return False
    return convert.convert(concrete, "builtins").status == "converts"


def _folds(api: catalog.Api, plan: arguments.Plan) -> bool | None:
    """Does the API, applied to weights (tf.Variables of a tf.Module, as a Keras layer's are),
    convert with builtins (folded at conversion time)? None when that call does not trace."""
    module = tf.Module()
    module.weights_ = [tf.Variable(value) for value in plan.samples(1)[0]]
    call = _caller(catalog.resolve(api.name), plan)
    # read as tensors, as a layer's call reads its weights (keras.ops need tensors, not variables)
    module.call = tf.function(lambda x: [*call(*map(tf.convert_to_tensor, module.weights_)), x], autograph=False)
    try:
        concrete = module.call.get_concrete_function(tf.TensorSpec([1], tf.float32))
    except Exception:  # noqa: BLE001 - variables break the call (shape inference): nothing to say
        return None
    outcome = convert.convert(concrete, "builtins", trackable=module)
    return None if outcome.status == "unknown" else outcome.status == "converts"


def _probe_syntax(api: catalog.Api, record: dict[str, Any]) -> dict[str, Any]:
    """A syntax form on each dtype and shape kind: the first dtype that traces on static shapes is
    the base; the (shape kind, dtype) pairs whose builtins/select verdict differs are kept."""
    name = api.name.removeprefix("syntax.")
    form, _, _, dtypes, shape_kinds = syntax.FORMS[name]
    record.update(form=form, dtypes=[])
    base, first_error, shapes = None, "", {}
    with _quiet():
        for dtype in dtypes:
            for shape in shape_kinds:
                try:
                    concrete = syntax.trace(name, dtype, shape)
                except Exception as e:  # noqa: BLE001 - the form is not valid on this dtype or shape
                    first_error = first_error or _error_line(e)
                    if shape == "static":
                        break
                    continue
                specs = syntax.specs(name, dtype, shape)
                samples = [[arguments.sample(s) for s in specs] for _ in range(3)] if base is None else []  # int8: base only
                traced = Traced(concrete, " ".join(f"{s.dtype.name}{s.shape}" for s in specs), samples, None, None)
                result = _result(api, traced, full=base is None)
                if base is None:
                    base = result
                    record.update(result, status="probed" if result["ops"] else "no-ops")
                elif _status_differs(result, base, ("builtins", "select")):
                    shapes.setdefault(shape, {})[dtype] = result
                if shape == "static":
                    record["dtypes"].append(dtype)
                record["variants_probed"] = record.get("variants_probed", 0) + 1
    if base is None:
        record.update(status="unprobed", reason=f"does not trace on any dtype ({first_error})")
    elif shapes:
        record["shapes"] = shapes
    return record


def _trace(api: catalog.Api, extra: dict) -> Traced | str:
    return _trace_layer(api, extra) if api.kind == "layer" else _trace_function(api, extra)


def _result(api: catalog.Api, traced: Traced, full: bool = True) -> dict[str, Any]:
    """Ops, output dtype and verdicts of a traced call; not `full`: int8 and dynamic shapes unprobed."""
    result = _described(traced)
    concrete = traced.concrete
    if not result["ops"]:
        result.update({t: {"status": "converts"} for t in TARGETS})
        return result
    key = (convert.signature(concrete), full) if api.kind != "layer" else None  # layers hold weights
    if key is None or key not in _VERDICTS:
        verdicts = _convert_all(concrete, traced.samples, traced.retrace, full)
        _LIVE_LAYERS.clear()
        if key is None:
            return {**result, **verdicts}
        _VERDICTS[key] = verdicts
    return {**result, **_VERDICTS[key]}


def _described(traced: Traced) -> dict[str, Any]:
    concrete = traced.concrete
    return {"call": traced.describe, "ops": convert.graph_ops(concrete),
            "out_dtype": concrete.outputs[0].dtype.name if concrete.outputs else None}


# Graphs with the same ops, attributes and inputs convert alike (keras.ops often wraps one TF op).
_VERDICTS: dict[tuple, dict] = {}
# A concrete function holds its layer's variables weakly: the probed layer must outlive its
# conversions, or they fail with "referencing variables which have been deleted".
_LIVE_LAYERS: list = []


def _convert_all(concrete, samples, retrace, full: bool = True) -> dict[str, dict]:
    """Builtins first; Select TF ops only when builtins fail, int8 and dynamic shapes only when
    they convert and `full` (input-dtype variants skip int8 and dynamic shapes, to keep the run short)."""
    builtins = convert.convert(concrete, "builtins")
    if builtins.status == "converts":
        verdicts = {"builtins": vars(builtins), "select": {"status": "converts"}}
        if not full:
            return verdicts
        verdicts["int8"] = vars(convert.convert(concrete, "int8", samples))
        dynamic = _dynamic(concrete, retrace)
        if dynamic is not None:
            verdicts["dynamic"] = dynamic
        return verdicts
    select = None if full else convert.select_from_codes(builtins)  # variants: save a conversion
    verdicts = {"builtins": vars(builtins), "select": vars(select or convert.convert(concrete, "select"))}
    if full:
        verdicts["int8"] = {"status": "fails", "evidence": "fails with float builtins already", "failing": builtins.failing}
    return verdicts


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


def _trace_function(api: catalog.Api, extra: dict, given: tuple[str, ...] = (),
                    profiles: tuple = arguments.PROFILES, choice: tuple | None = None) -> Traced | str:
    """The first plan that traces into a graph with an op (`choice`: only plans making that choice)."""
    fn = catalog.resolve(api.name)
    first_error, no_ops = "", None
    override = arguments.OVERRIDES.get(api.name)
    candidates = [override] if override else arguments.plans(fn, extra, given, profiles, api.name)
    for plan in candidates:
        if choice is not None and plan.choice != choice:
            continue
        caller = _caller(fn, plan)
        try:
            concrete = tf.function(caller, autograph=False).get_concrete_function(*plan.specs)
        except Exception as e:  # noqa: BLE001 - any failure means "try the next plan"
            first_error = first_error or _error_line(e)
            continue
        traced = Traced(concrete, plan.describe, plan.samples(),
                        lambda specs, caller=caller: tf.function(caller, autograph=False).get_concrete_function(*specs),
                        plan)
        if convert.graph_ops(concrete):
            return traced
        no_ops = no_ops or traced
    return no_ops or f"no argument plan traced (first error: {first_error})"


def _error_line(e: Exception) -> str:
    text = str(e).strip()
    return f"{type(e).__name__}: {text.splitlines()[0][:200] if text else ''}"


def _caller(fn, plan: arguments.Plan):
    def call(*tensors):
        args, kwargs = plan.kwargs_for(list(tensors))
        return _flat_tensors(fn(*args, **kwargs))
    return call


def _flat_tensors(value):
    """The tensors of whatever an API returns (tuples, ragged/sparse tensors, namedtuples); a first
    sparse or ragged result leads with its values, so the first output's dtype (`out_dtype`) is
    theirs, not that of its int64 indices or row splits."""
    leaves = tf.nest.flatten(value)
    first = leaves[0] if leaves else None
    lead = [first.values] if isinstance(first, tf.SparseTensor) else [first.flat_values] if isinstance(
        first, tf.RaggedTensor) else []
    flat = lead + tf.nest.flatten(value, expand_composites=True)
    tensors = [t for t in flat if isinstance(t, tf.Tensor)]
    return tensors or [tf.constant(0)]  # side-effect-only APIs (asserts, prints): keep the graph


def _trace_layer(api: catalog.Api, extra: dict):
    cls = catalog.resolve(api.name)
    kwargs = layers.constructor_kwargs(cls, extra, api.name)
    if kwargs is None:
        return "constructor needs an argument the prober has no value for"
    first_error, no_ops = "", None
    case = layers.case(api.name)
    for dtype, shape in case.shapes:
        for form in layers.CALL_FORMS:
            try:
                layer = layers.build(cls, kwargs, case.in_rnn)
                _LIVE_LAYERS.append(layer)
                spec = tf.TensorSpec(shape, dtype)
                concrete = tf.function(lambda x: _flat_tensors(layers.call(layer, form, x)),
                                       autograph=True).get_concrete_function(spec)
            except Exception as e:  # noqa: BLE001
                first_error = first_error or _error_line(e)
                continue
            fixed = tf.TensorSpec((1, *shape[1:]), dtype)
            inside = " inside keras.layers.RNN" if case.in_rnn else ""
            traced = Traced(concrete, f"{api.name}({kwargs}){inside} on {dtype.name}{list(shape)} as {form}",
                            [[arguments.sample(fixed)] for _ in range(3)], None, None)  # probed with a None batch
            if convert.graph_ops(concrete):
                return traced
            no_ops = no_ops or traced
    return no_ops or f"no input traced (first error: {first_error})"


@contextlib.contextmanager
def _quiet():
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield
