"""Trace one model: convert by its user's route (and the next route when that one cannot run),
locate failures in any project file, find a way out, check numeric parity (in the worker)."""

from __future__ import annotations

import time

import keras
import tensorflow as tf

from tflint.trace.build_sites import Sites, recording_calls
from tflint.trace.causes import innermost_cause
from tflint.trace.convert import Conversion, concrete_function, convert, keras_inputs, model_ops, routes
from tflint.trace.find_models import Model
from tflint.trace.locate import failures, graph_ops
from tflint.trace.memory import footprint
from tflint.trace.parity import compare
from tflint.trace.samples import sample_inputs
from tflint.trace.way_out import way_out


def input_specs(model: Model, input_shapes: list[dict]) -> list[tf.TensorSpec]:
    """A Keras model's inputs, flat: `--input-shape` when given, else the model's own Input shapes.
    Sets `model.structure` to the structure the model is called with (a dict, nested, a list)."""
    if model.kind != "keras":
        return model.specs
    try:
        model.structure = model.obj.input
    except (AttributeError, ValueError):
        model.structure = None
    if input_shapes:
        return [tf.TensorSpec(s["dims"], tf.as_dtype(s["dtype"])) for s in input_shapes]
    inputs = keras.tree.flatten(model.structure) if model.structure is not None else _keras_export_signature(model.obj)
    if not inputs:
        raise ValueError(f"cannot tell the input shape of {model.name} (a subclassed model not yet "
                         f"called): pass --input-shape, e.g. --input-shape 1,224,224,3")
    return [tf.TensorSpec(t.shape, t.dtype, name=getattr(t, "name", None)) for t in inputs]


def _keras_export_signature(keras_model) -> list | None:
    """What Keras's own export would trace a subclassed model with: the shapes of its first call."""
    try:
        from keras.src.export.export_utils import get_input_signature

        return tf.nest.flatten(get_input_signature(keras_model))
    except (ImportError, ValueError):
        return None


def trace_model(model: Model, target: str, sites: Sites) -> dict:
    start = time.perf_counter()
    if model.kind == "keras" and not model.obj.built:
        # Weights created inside a trace would be captured uninitialized: build eagerly first.
        model.obj(keras_inputs(model, sample_inputs(model.specs, 0)), training=False)
    out = {"name": model.name, "line": model.line, "kind": model.kind}
    verdict, unusable = _verdict(model, target, sites)
    out.update(route=verdict.route, convert_seconds=verdict.seconds, converted=verdict.converted,
               problem=verdict.problem)
    if unusable:
        out["routes_tried"] = unusable
    if verdict.converted:
        out["ops"] = model_ops(verdict.flatbuffer)
        out["memory"] = footprint(verdict.flatbuffer)
        out["parity"] = _parity(model, verdict, target)
    elif not verdict.problem:
        concrete = verdict.concrete or _traced(model, sites)
        found = failures(verdict.errors, graph_ops(concrete) if concrete else {}, sites, verdict.message)
        out["failures"] = [f.to_json() for f in found]
        out["way_out"] = way_out(model, verdict.route, target)
    # The project lines the model was built from: static findings there are judged by this verdict.
    out["lines"] = sorted(sites.lines() | {tuple(frame) for f in out.get("failures", ()) for frame in f["chain"]})
    out["seconds"] = time.perf_counter() - start
    return out


def _verdict(model: Model, target: str, sites: Sites) -> tuple[Conversion, list[dict]]:
    """The first route that gives the converter's verdict, and those that could not run (why)."""
    unusable = []
    for route in routes(model):
        sites.made.clear()  # op ids of earlier graphs must not be read as this route's
        with recording_calls(sites):
            verdict = convert(model, route, target)
        if not verdict.problem:
            break
        unusable.append({"route": route, "problem": verdict.problem})
    return verdict, unusable[:-1] if verdict.problem else unusable


def _traced(model: Model, sites: Sites):
    """A concrete function of the model, traced to find the nodes the converter names in it."""
    sites.made.clear()
    try:
        with recording_calls(sites):
            return concrete_function(model)
    except Exception:  # locating is best effort: the verdict stands without it
        return None


def _parity(model: Model, verdict: Conversion, target: str) -> dict:
    try:
        return compare(model, verdict, target).to_json()
    except Exception as e:  # e.g. string inputs, an interpreter that cannot load Flex ops
        return {"skipped": innermost_cause(e)[:300]}
