"""Turn ConverterError.errors into failures placed on the user's own lines.

Each error carries `location`, a CallSiteLoc/FusedLoc flattened into `location.call[]`.
The op's own call chain comes first, ordered from the outermost Python frame to the
innermost; a frame with a `name` (e.g. `PartitionedCall@__inference_...`) starts the
chain of an enclosing function call. The deepest user-file frame of the first chain
that reaches the user's file is where the failing op was written.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from tensorflow.compiler.mlir.lite.metrics.converter_error_data_pb2 import ConverterErrorData


@dataclass
class Failure:
    op: str | None  # the TF op name without the dialect prefix: "MatrixInverse"
    code: str  # ERROR_NEEDS_FLEX_OPS, ERROR_NEEDS_CUSTOM_OPS, UNKNOWN, ...
    message: str  # the converter's own words
    line: int | None  # in the user's file; None when no frame reaches it

    def to_json(self) -> dict:
        return asdict(self)


def failures(errors, user_file: str) -> list[Failure]:
    """One Failure per distinct (op, line), messages merged. Errors without any location
    (e.g. the generic "Lowering tensor list ops is failed" advice attached to tf.Const)
    only explain the located ones, so they are kept only when nothing is located."""
    user_file = os.path.realpath(user_file)
    located = [e for e in errors if e.location.call]
    merged: dict[tuple, Failure] = {}
    for error in located or errors:
        failure = Failure(_op(error), ConverterErrorData.ErrorCode.Name(error.error_code),
                          error.error_message.strip().split("\n", 1)[0], user_line(error.location, user_file))
        key = (failure.op, failure.line)
        if key in merged:
            if failure.message not in merged[key].message:
                merged[key].message += f"; {failure.message}"
        else:
            merged[key] = failure
    return list(merged.values())


def _op(error) -> str | None:
    name = error.operator.name
    return name.split(".", 1)[1] if "." in name else name or None


def user_line(location, user_file: str) -> int | None:
    for chain in _chains(location.call):
        lines = [c.source.line for c in chain if _same_file(c.source.filename, user_file)]
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
