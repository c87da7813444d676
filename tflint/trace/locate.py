"""Turn ConverterError.errors into failures placed on the project's own lines, in any file.

Each error names the failing node and carries `location`, a CallSiteLoc/FusedLoc flattened
into `location.call[]`: the op's own call chain first, from the outermost Python frame to the
innermost; a frame with a `name` (`strided_slice@__inference_...`) starts the chain of an
enclosing function call. The Keras routes keep only the names.

A failure's place is the deepest project frame (frames.py) of the op's chain: the lines that
built the Keras operation that created the node (build_sites.py), then the node's own creation
stack in the traced graph; failing that, the converter's own frames (depth-limited).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from tensorflow.compiler.mlir.lite.metrics.converter_error_data_pb2 import ConverterErrorData

from tflint.trace.build_sites import Sites
from tflint.trace.frames import chain, project_frames


@dataclass
class Failure:
    op: str | None  # the TF op name without the dialect prefix: "MatrixInverse"
    code: str  # ERROR_NEEDS_FLEX_OPS, ERROR_NEEDS_CUSTOM_OPS, UNKNOWN, ...
    message: str  # the converter's own words
    path: str | None = None  # the file of the deepest project frame; None when no frame is the project's
    line: int | None = None
    chain: list[tuple[str, int]] = field(default_factory=list)  # project frames, outermost first

    def to_json(self) -> dict:
        return {**asdict(self), "chain": [list(frame) for frame in self.chain]}


def failures(errors, graph_ops: dict, sites: Sites, fallback: str) -> list[Failure]:
    """One Failure per distinct (op, place), messages merged. Errors without any location
    (e.g. the generic "Lowering tensor list ops is failed" advice attached to tf.Const)
    only explain the located ones, so they are kept only when nothing is located."""
    located = [e for e in errors if e.location.call]
    merged: dict[tuple, Failure] = {}
    for error in located or errors:
        frames = _frames(error.location, graph_ops, sites)
        failure = Failure(_op(error), ConverterErrorData.ErrorCode.Name(error.error_code),
                          error.error_message.strip().split("\n", 1)[0], *(frames[-1] if frames else (None, None)),
                          frames)
        key = (failure.op, failure.path, failure.line)
        if key in merged:
            if failure.message not in merged[key].message:
                merged[key].message += f"; {failure.message}"
        else:
            merged[key] = failure
    return list(merged.values()) or [Failure(None, "UNKNOWN", fallback)]


def _op(error) -> str | None:
    name = error.operator.name
    return name.split(".", 1)[1] if "." in name else name or None


def _frames(location, graph_ops: dict, sites: Sites) -> list[tuple[str, int]]:
    node = _graph_op(location, graph_ops)
    if node is not None:
        frames = chain(sites.build_frames(node), project_frames(node.traceback))
        if frames:
            return frames
    for calls in _chains(location.call):
        frames = project_frames(calls)
        if frames:
            return frames
    return []


def _graph_op(location, graph_ops: dict):
    """The traced graph's op that a failing node names. The Keras routes convert a graph of their
    own, whose names may carry an extra outer scope (`functional_1_1/functional_1/strided_slice`)."""
    names = [c.name.split("@", 1)[0] for c in location.call if c.name]
    if not names:
        return None
    parts = names[0].split("/")
    for start in range(len(parts)):
        op = graph_ops.get("/".join(parts[start:]))
        if op is not None:
            return op
    return None


def graph_ops(concrete) -> dict:
    """Every op of a traced concrete function and of the functions nested in it, by name."""
    out, seen, graphs = {}, set(), [concrete.graph]
    while graphs:
        graph = graphs.pop()
        if id(graph) in seen:
            continue
        seen.add(id(graph))
        for op in graph.get_operations():
            out.setdefault(op.name, op)
        graphs.extend(f.graph for f in graph._functions.values() if getattr(f, "graph", None) is not None)
    return out


def user_line(location, user_file: str) -> int | None:
    """The deepest frame in `user_file` of the first call chain that reaches it (tools/evalset_label.py)."""
    for calls in _chains(location.call):
        lines = [c.source.line for c in calls if _same_file(c.source.filename, user_file)]
        if lines:
            return lines[-1]
    return None


def _chains(calls) -> list[list]:
    chains: list[list] = []
    for call in calls:
        if call.name or not chains:
            chains.append([])
        chains[-1].append(call)
    return chains


def _same_file(filename: str, user_file: str) -> bool:
    return bool(filename) and os.path.realpath(filename) == user_file
