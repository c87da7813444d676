"""Regenerate tflint's op knowledge from the installed TensorFlow: `python tools/probe_ops.py`.

Probes every public op-emitting API (see tools/README.md) in one worker process, restarting
it when TensorFlow crashes or hangs on an API, then writes rules/data/ops-tf<major.minor>.toml.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from probes import emit  # noqa: E402  (tools/ is not a package)


def run_workers(results: Path, prefixes: list[str], stall: float) -> None:
    """Run the worker until it finishes; an API it dies or stalls on is recorded as unprobed."""
    env = {**os.environ, "PYTHONPATH": str(HERE), "TF_CPP_MIN_LOG_LEVEL": "3"}
    while True:
        proc = subprocess.Popen([sys.executable, "-m", "probes.worker", str(results), *prefixes], env=env, cwd=HERE)
        size, last_change = -1, time.monotonic()
        while proc.poll() is None:
            time.sleep(1)
            current = results.stat().st_size if results.exists() else 0
            if current != size:
                size, last_change = current, time.monotonic()
            elif time.monotonic() - last_change > stall:
                proc.kill()
                proc.wait()
        if proc.returncode == 0:
            return
        culprit, calibrating = _in_flight(results)
        if culprit is None:
            raise SystemExit(f"probe worker failed (exit {proc.returncode}) before probing any API")
        if calibrating and proc.returncode != -9:  # the next worker probes it again, int8 recorded as crashing
            with results.open("a") as f:
                f.write(json.dumps({"int8_crashed": culprit, "exit": proc.returncode}) + "\n")
            continue
        reason = "converter or tracer hung" if proc.returncode == -9 else f"crashed the process (exit {proc.returncode})"
        with results.open("a") as f:
            f.write(json.dumps({"api": culprit, "namespace": _namespace(culprit), "kind": "function", "aliases": [],
                                "params": [], "status": "unprobed", "reason": reason}) + "\n")


def _in_flight(results: Path) -> tuple[str | None, bool]:
    """The API the worker died on, and whether it died in an int8 conversion (not one it crashed before)."""
    started, finished, calibrating, crashed = None, set(), False, set()
    for line in results.read_text().splitlines():
        item = json.loads(line)
        if "start" in item:
            started, calibrating = item["start"], False
        elif "api" in item:
            finished.add(item["api"])
        elif "int8_crashed" in item:
            crashed.add(item["int8_crashed"])
        else:
            calibrating = "calibrating" in item
    if started in finished:
        return None, False
    return started, calibrating and started not in crashed


def _drop_unprobed(results: Path) -> None:
    kept = [line for line in results.read_text().splitlines()
            if json.loads(line).get("status") != "unprobed" and {"start", "calibrating", "calibrated"}.isdisjoint(json.loads(line))]
    results.write_text("".join(line + "\n" for line in kept))


def _namespace(api: str) -> str:
    parts = api.split(".")
    return ".".join(parts[:2]) if parts[0] == "keras" or len(parts) > 2 else parts[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", type=Path, help="output file (default: rules/data/ops-tf<major.minor>.toml)")
    p.add_argument("--results", type=Path, default=Path("build/probe-results.jsonl"),
                   help="per-API results, kept to resume an interrupted run (default: %(default)s)")
    p.add_argument("--fresh", action="store_true", help="discard earlier results and probe everything again")
    p.add_argument("--retry-unprobed", action="store_true", help="probe again the APIs earlier runs could not probe")
    p.add_argument("--only", nargs="*", default=[], metavar="PREFIX", help="probe only APIs starting with these")
    p.add_argument("--stall", type=float, default=120, help="seconds without progress before a worker is killed")
    args = p.parse_args(argv)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    if args.fresh and args.results.exists():
        args.results.unlink()
    if args.retry_unprobed and args.results.exists():
        _drop_unprobed(args.results)
    start = time.monotonic()
    run_workers(args.results.resolve(), args.only, args.stall)
    meta, records = emit.read(args.results)
    version = ".".join(meta["tensorflow"].split(".")[:2])
    out = args.out or HERE.parent / "rules" / "data" / f"ops-tf{version}.toml"
    emit.write(meta, records, str(out))
    print(f"wrote {out} ({len(records)} APIs) in {time.monotonic() - start:.0f} s")
    print("\n".join(emit.summary(records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
