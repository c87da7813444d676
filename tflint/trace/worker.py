"""The child process that runs user code: `python -m tflint.trace.worker`.

It imports TensorFlow once, then reads one JSON request per line (a file to trace) and
answers with JSON lines on a private pipe: `ready`, `progress` events, then one `result`
per file. The user's prints go to stderr and its reads of stdin see /dev/null, so neither
can corrupt the protocol. The parent enforces the timeout; the memory limit is set here,
before TensorFlow is imported.
"""

from __future__ import annotations

import faulthandler
import importlib.util
import json
import os
import resource
import signal
import sys
import time
import traceback


def main() -> None:
    requests, replies = _private_pipes()
    faulthandler.enable()
    faulthandler.register(signal.SIGUSR1)  # the parent asks where a hung file is stuck
    _limit_memory(float(os.environ.get("TFLINT_TRACE_MEMORY_GIB", "0")))
    start = time.perf_counter()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow  # noqa: F401  the one import every file shares

    _send(replies, {"event": "ready", "import_seconds": time.perf_counter() - start})
    for line in requests:
        request = json.loads(line)
        _send(replies, {"event": "result", **trace_file(request, lambda e: _send(replies, e))})
    # Every result is sent: skip the interpreter's teardown with TensorFlow loaded (seconds).
    os._exit(0)


def _private_pipes():
    """Requests come on the original stdin, replies go on the original stdout; fds 0 and 1
    are then pointed at /dev/null and stderr for the user's code."""
    requests = os.fdopen(os.dup(0), "r")
    replies = os.fdopen(os.dup(1), "w")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    sys.stdin, sys.stdout = open(os.devnull), sys.stderr
    return requests, replies


def _limit_memory(gib: float) -> None:
    if gib > 0:
        limit = int(gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _send(stream, event: dict) -> None:
    stream.write(json.dumps(event) + "\n")
    stream.flush()


def trace_file(request: dict, emit) -> dict:
    """Import the file, find its models, trace each; what was loaded for it is unloaded after."""
    path = os.path.realpath(request["path"])
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    sys.path.insert(0, os.path.dirname(path))
    try:
        return {"path": request["path"], "target": request["target"], **_trace_imported(path, request, emit)}
    finally:
        sys.path[:] = saved_path
        _unload_user_modules(saved_modules)
        _clear_keras()


def _trace_imported(path: str, request: dict, emit) -> dict:
    from tflint.trace.build_sites import Sites, recording_builds
    from tflint.trace.find_models import NoModel, find_models
    from tflint.trace.model_trace import input_specs, trace_model

    sites = Sites()  # where the file's code builds each Keras operation: failures are placed there
    try:
        source = open(path, encoding="utf-8").read()
        with recording_builds(sites):
            module = _import(path)
    except BaseException as e:  # user code: anything, SystemExit included
        return {"problem": _problem("import", e, path)}
    try:
        with recording_builds(sites):
            models = find_models(module, source, tuple(request.get("entries", ())))
    except BaseException as e:
        return {"problem": _problem("discovery" if isinstance(e, NoModel) else "model", e, path)}
    if not models:
        return {"models": [], "no_model": "no module-level keras.Model, tf.Module, tf.function with an "
                                          "input_signature, or build_model()-like factory"}
    results = []
    for model in models:
        emit({"event": "progress", "path": request["path"], "model": model.name})
        try:
            model.specs = input_specs(model, request.get("input_shapes", []))
            results.append(trace_model(model, request["target"], sites))
        except BaseException as e:
            results.append({"name": model.name, "line": model.line, "kind": model.kind,
                            "error": _problem("model", e, path)})
        emit({"event": "done", "path": request["path"], "model": model.name,
              "seconds": results[-1].get("seconds"), "converted": results[-1].get("converted")})
    return {"models": results}


def _import(path: str):
    name = f"_tflint_trace_{abs(hash(path))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _problem(stage: str, e: BaseException, path: str) -> dict:
    """What went wrong and the deepest line of the user's file on the way."""
    kind = "memory" if isinstance(e, MemoryError) else stage
    frames = [f for f in traceback.extract_tb(e.__traceback__) if os.path.realpath(f.filename) == path]
    line = frames[-1].lineno if frames else getattr(e, "lineno", None) if isinstance(e, SyntaxError) else None
    from tflint.trace.causes import innermost_cause

    return {"kind": kind, "message": innermost_cause(e), "line": line}


def _unload_user_modules(before: set[str]) -> None:
    """Forget modules the file brought in from outside the installed packages (its helpers),
    so the next file's same-named helpers are imported afresh."""
    installed = tuple(p for p in sys.path if "site-packages" in p or p.startswith(sys.base_prefix))
    for name in set(sys.modules) - before:
        origin = getattr(sys.modules[name], "__file__", None) or ""
        if not origin.startswith(installed):
            del sys.modules[name]


def _clear_keras() -> None:
    try:
        import keras

        keras.backend.clear_session()
    except Exception:  # a file may have left Keras unusable; the next file will say so
        pass


if __name__ == "__main__":
    main()
