"""Trace one model: convert by its user's route, locate failures, check numeric parity (in the worker)."""

from __future__ import annotations

import time

import tensorflow as tf

from tflint.trace.convert import CONCRETE_ROUTE, KERAS_ROUTE, Conversion, convert, model_ops, verdict_route
from tflint.trace.find_models import Model
from tflint.trace.memory import footprint
from tflint.trace.parity import compare, input_names
from tflint.trace.samples import sample_inputs


def input_specs(model: Model, input_shapes: list[dict]) -> list[tf.TensorSpec]:
    """A Keras model's inputs: `--input-shape` when given, else the model's own Input shapes."""
    if model.kind != "keras":
        return model.specs
    if input_shapes:
        return [tf.TensorSpec(s["dims"], tf.as_dtype(s["dtype"])) for s in input_shapes]
    try:
        inputs = model.obj.inputs
    except (AttributeError, ValueError):
        inputs = _keras_export_signature(model.obj)
    if not inputs:
        raise ValueError(f"cannot tell the input shape of {model.name} (a subclassed model not yet "
                         f"called): pass --input-shape, e.g. --input-shape 1,224,224,3")
    return [tf.TensorSpec(t.shape, t.dtype) for t in inputs]


def _keras_export_signature(keras_model) -> list | None:
    """What Keras's own export would trace a subclassed model with: the shapes of its first call."""
    try:
        from keras.src.export.export_utils import get_input_signature

        return tf.nest.flatten(get_input_signature(keras_model))
    except (ImportError, ValueError):
        return None


def trace_model(model: Model, target: str, user_file: str) -> dict:
    start = time.perf_counter()
    if model.kind == "keras" and not model.obj.built:
        # Weights created inside a trace would be captured uninitialized: build eagerly first.
        samples = sample_inputs(model.specs, 0)
        model.obj(samples[0] if len(samples) == 1 else samples, training=False)
    out = {"name": model.name, "line": model.line, "kind": model.kind}
    route = verdict_route(model)
    verdict = convert(model, route, target, user_file)
    if verdict.problem and route == KERAS_ROUTE:
        out["route_note"] = f"{KERAS_ROUTE} could not run ({verdict.problem}); judged by {CONCRETE_ROUTE}"
        verdict = convert(model, CONCRETE_ROUTE, target, user_file)
    out.update(route=verdict.route, convert_seconds=verdict.seconds, converted=verdict.converted,
               problem=verdict.problem)
    if verdict.converted:
        out["ops"] = model_ops(verdict.flatbuffer)
        out["memory"] = footprint(verdict.flatbuffer)
        out["parity"] = _parity(model, verdict, target)
    elif not verdict.problem:
        out["failures"] = [f.to_json() for f in verdict.failures]
        if verdict.route == KERAS_ROUTE:
            out.update(_locate_by_concrete_route(model, verdict, target, user_file))
    out["seconds"] = time.perf_counter() - start
    return out


def _parity(model: Model, verdict: Conversion, target: str) -> dict:
    try:
        return compare(model, verdict.flatbuffer, input_names(model, verdict.route), target).to_json()
    except Exception as e:  # e.g. string inputs, an interpreter that cannot load Flex ops
        return {"skipped": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]}


def _locate_by_concrete_route(model: Model, verdict: Conversion, target: str, user_file: str) -> dict:
    """Keras's route carries no source lines: convert a traced concrete function for them.
    Each verdict failure takes the line of the same op's failure there; the routes may disagree."""
    other = convert(model, CONCRETE_ROUTE, target, user_file)
    lines = {f.op: f.line for f in other.failures if f.line is not None}
    located = [{**f.to_json(), "line": lines.get(f.op)} for f in verdict.failures]
    note = None
    if other.converted:
        note = f"the {CONCRETE_ROUTE} route converts this model: the two routes disagree"
    elif other.problem:
        note = f"the {CONCRETE_ROUTE} route could not run: {other.problem}"
    elif {f.op for f in other.failures} != {f.op for f in verdict.failures}:
        ops = ", ".join(sorted({f.op or "?" for f in other.failures}))
        note = f"the {CONCRETE_ROUTE} route fails on other ops ({ops}): the two routes disagree"
    return {"failures": located, "route_note": note} if note else {"failures": located}
