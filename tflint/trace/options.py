"""What the user asked of --trace: timeout, memory limit, explicit entries and input shapes."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

DEFAULT_TIMEOUT = 120.0  # seconds per file: import, discovery and every conversion
DEFAULT_MEMORY_GIB = 8.0
_DYNAMIC = {"?", "none", "-1"}
_DTYPES = ("float32", "float16", "int32", "int64", "int8", "uint8", "bool")


@dataclass(frozen=True)
class InputShape:
    """One model input from `--input-shape`: dimensions (None = dynamic) and dtype."""

    dims: tuple[int | None, ...]
    dtype: str = "float32"

    def to_json(self) -> dict:
        return {"dims": list(self.dims), "dtype": self.dtype}


@dataclass(frozen=True)
class TraceOptions:
    timeout: float = DEFAULT_TIMEOUT
    memory_gib: float = DEFAULT_MEMORY_GIB
    entries: tuple[str, ...] = ()
    input_shapes: tuple[InputShape, ...] = ()
    quiet: bool = False  # --quiet: no progress lines on a terminal


def parse_input_shape(text: str) -> InputShape:
    """`1,224,224,3`, `?,128:int32`: comma-separated dimensions (`?`, `None` or `-1` for a
    dynamic one), optionally `:DTYPE` (default float32). Raises ValueError with a usable message."""
    dims_text, _, dtype = text.strip().partition(":")
    dtype = dtype.strip() or "float32"
    if dtype not in _DTYPES:
        raise ValueError(f"--input-shape {text!r}: dtype {dtype!r} is not one of {', '.join(_DTYPES)}")
    dims: list[int | None] = []
    for part in dims_text.split(","):
        part = part.strip().lower()
        if part in _DYNAMIC:
            dims.append(None)
        elif part.isdigit() and int(part) > 0:
            dims.append(int(part))
        else:
            raise ValueError(f"--input-shape {text!r}: {part!r} is not a positive size or ? (write e.g. 1,224,224,3)")
    return InputShape(tuple(dims), dtype)


def input_shape_arg(text: str) -> InputShape:
    """argparse `type=` for `--input-shape`: a usage error (exit 2) with the reason."""
    try:
        return parse_input_shape(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
