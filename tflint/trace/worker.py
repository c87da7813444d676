"""The child process that runs user code: `python -m tflint.trace.worker`.

It imports TensorFlow once, then reads one JSON request per line (a file to trace) and
answers with JSON lines on a private pipe: `ready`, `progress` events, then one `result`
per file. The user's prints go to stderr and its reads of stdin see /dev/null, so neither
can corrupt the protocol. Every reply carries this process's id and the request's nonce, and a
forked copy of this process (a file that calls os.fork) never replies: it cannot answer for
another file. The parent enforces the timeout and ends the processes a file leaves (processes.py);
the memory limit is set here, before TensorFlow is imported, and the keeper forked (_keep).
"""

from __future__ import annotations

import contextlib
import faulthandler
import importlib.util
import json
import os
import resource
import signal
import sys
import time
import traceback

from tflint.trace.processes import MARKER, become_subreaper, end_strays, reap_children


def main() -> None:
    if become_subreaper():
        worker = os.fork()
        if worker:
            _keep(worker)
    requests, replies = _private_pipes()
    faulthandler.enable()
    faulthandler.register(signal.SIGUSR1)  # the parent asks where a hung file is stuck
    _limit_memory(float(os.environ.get("TFLINT_TRACE_MEMORY_GIB", "0")))
    start = time.perf_counter()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow  # noqa: F401  the one import every file shares

    owner = os.getpid()
    _send(replies, {"event": "ready", "import_seconds": time.perf_counter() - start, "pid": owner})
    for line in requests:
        request = json.loads(line)

        def reply(event: dict, nonce=request["nonce"]) -> None:
            if os.getpid() == owner:
                _send(replies, {**event, "pid": owner, "nonce": nonce})

        result = trace_file(request, reply)
        if os.getpid() != owner:  # a copy the file forked, back from the file's code
            os._exit(0)
        reply({"event": "result", **result})
    # Every result is sent: skip the interpreter's teardown with TensorFlow loaded (seconds).
    os._exit(0)


def _keep(worker: int) -> None:
    """The keeper: the worker's parent, which adopts what the worker's files orphan. When the worker
    ends (a crash included), it ends all of that, then exits as the worker did."""
    os.close(0)
    os.close(1)  # the replies pipe reaches end of file when the worker is gone
    signal.signal(signal.SIGUSR1, lambda *_: os.kill(worker, signal.SIGUSR1))  # where is it stuck?
    while True:
        pid, status = os.waitpid(-1, 0)  # adopted orphans are reaped on the way
        if pid == worker:
            break
    end_strays(os.environ.get(MARKER, ""), os.getpid())
    reap_children()
    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # killed by a signal: so is the keeper, for the parent to name it
        faulthandler.disable()
        with contextlib.suppress(OSError):  # SIGKILL has no handler to reset
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code)


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

    sites = Sites()  # where the file's code builds each Keras operation: failures are placed there
    try:
        source = open(path, encoding="utf-8").read()
        with recording_builds(sites):
            module = _import(path)
    except BaseException as e:  # user code: anything, SystemExit included
        return {"problem": _problem("import", e, path)}
    # After the file: its import problems are told without tflint's tracing tools (and their Keras).
    from tflint.trace.find_models import NoModel, find_models
    from tflint.trace.model_trace import input_specs, trace_model

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
            _measure_quantization(results[-1], model, module, request["target"], path)
        except BaseException as e:
            results.append({"name": model.name, "line": model.line, "kind": model.kind,
                            "error": _problem("model", e, path)})
        emit({"event": "done", "path": request["path"], "model": model.name,
              "seconds": results[-1].get("seconds"), "converted": results[-1].get("converted")})
    return {"models": results}


def _measure_quantization(result: dict, model, module, target: str, path: str) -> None:
    """Under int8, what quantization costs the converted model (quantize.py); a failure is told, not raised."""
    if target != "int8" or not result.get("converted"):
        return
    from tflint.trace.quantize import measure

    try:
        result["quantization"] = measure(model, result["route"], vars(module), path)
    except Exception as e:  # the user's dataset or the quantizer itself
        result["quantization"] = {"skipped": _problem("model", e, path)["message"]}


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
