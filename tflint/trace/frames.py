"""Which Python frames belong to the user's project: everything outside TensorFlow, Keras, the
standard library and tflint itself, in whatever file (an installed model package included).

A frame is `(path, line)` with `path` real (symlinks resolved), so that it compares with the
files of the run.
"""

from __future__ import annotations

import functools
import importlib.util
import os

import tflint

# Packages whose frames are the machinery a model runs on, never the place a model is written.
_FRAMEWORK_PACKAGES = ("tensorflow", "keras", "tf_keras", "tensorboard", "numpy", "absl", "optree",
                       "ml_dtypes", "google", "h5py", "ai_edge_litert")


@functools.lru_cache(maxsize=1)
def _framework_roots() -> tuple[str, ...]:
    roots = {os.path.realpath(os.path.dirname(os.__file__)) + os.sep}  # the standard library (a venv's lib/ holds more)
    roots.add(os.path.realpath(os.path.dirname(tflint.__file__)) + os.sep)
    for name in _FRAMEWORK_PACKAGES:
        spec = importlib.util.find_spec(name)  # where it is installed, without importing it
        for path in (spec.submodule_search_locations or ()) if spec else ():
            roots.add(os.path.realpath(path) + os.sep)
    return tuple(roots)


@functools.lru_cache(maxsize=None)
def project_path(filename: str) -> str | None:
    """The real path of a project file, None for framework code and for `<string>`-like names."""
    if not filename or filename.startswith("<"):
        return None
    path = os.path.realpath(filename)
    return None if path.startswith(_framework_roots()) else path


def project_frames(frames) -> list[tuple[str, int]]:
    """The project's `(path, line)` among `frames` (objects with `filename` and `lineno`, or
    converter call sites with `source.filename` and `source.line`), in their order."""
    out = []
    for frame in frames:
        source = getattr(frame, "source", frame)
        filename = getattr(source, "filename", None)
        line = getattr(source, "lineno", None) or getattr(source, "line", None)
        path = project_path(filename) if filename else None
        if path and line:
            out.append((path, int(line)))
    return out


def stack_frames(frame) -> list[tuple[str, int]]:
    """The project frames of a live stack, outermost first."""
    out = []
    while frame is not None:
        path = project_path(frame.f_code.co_filename)
        if path:
            out.append((path, frame.f_lineno))
        frame = frame.f_back
    return out[::-1]


def chain(*parts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Parts joined, a frame repeated where two parts meet kept once."""
    out: list[tuple[str, int]] = []
    for part in parts:
        for frame in part:
            if not out or out[-1] != frame:
                out.append(frame)
    return out
