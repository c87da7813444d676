"""tflint's benchmark: tflint against flake8 and the libcst parse floor, on code nobody here wrote.

    python bench/run.py [--corpus DIR] [--jobs N] [--repeat N] [--synthetic-mb MB]

Corpus: the sources of tf-models-official 2.20.0 (fetched once with `pip download` into
~/.cache/tflint-bench unless --corpus names an unpacked copy) plus one large generated model
file. Every tool runs in a child process over the same files with the same number of workers;
each figure is the fastest of --repeat runs. Prints a markdown table (see bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import corpus as real_corpus
from synthetic import source as synthetic_source

HERE = Path(__file__).resolve().parent
# Tools run as installed tools do: with Python's bytecode cache (some sandboxes switch it off, which
# makes every start-up compile each imported module again, for flake8 and tflint alike).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and all its workers
    max_rss_mb: float  # the largest resident set of the process or any of its workers
    worker_rss_mb: float = 0.0  # the largest of its workers alone (sampled; 0 with no worker)


class _WorkerPeaks(threading.Thread):
    """The peak resident set (VmHWM) of the workers of `pid`, read from /proc while they run: wait4
    gives only the largest of all, and the main process, which holds every file's findings and
    project summary, grows with the files while a worker must not."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            for child in _read(f"/proc/{self.pid}/task/{self.pid}/children").split():
                for line in _read(f"/proc/{child}/status").splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))


def _read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError:  # gone meanwhile, or no /proc
        return ""


def measure(cmd: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    workers = _WorkerPeaks(proc.pid)
    workers.start()
    # wait4 reports the child's usage including every worker it waited for (ru_maxrss: the largest).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    workers.done.set()
    workers.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, workers.peak_kb / 1024)


def best(cmd: list[str], cwd: Path, repeat: int, before=None) -> Run:
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(cmd, cwd))
    return min(runs, key=lambda r: r.wall)


def count_files(folders: list[Path]) -> int:
    return sum(1 for folder in folders for _ in folder.rglob("*.py"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, help="an unpacked tf-models-official (default: fetch and cache it)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="workers for every tool (default: all cores)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure; the fastest counts (default: 1)")
    parser.add_argument("--synthetic-mb", type=float, default=1.0, help="size of the generated file (default: 1)")
    args = parser.parse_args()
    corpus = args.corpus or real_corpus.fetch()

    with tempfile.TemporaryDirectory(prefix="tflint-bench-") as tmp:
        work = Path(tmp)
        # a: the corpus; b: a second copy (memory and warm cost at twice the files); big: the generated file.
        for copy in ("a", "b"):
            shutil.copytree(corpus, work / copy, ignore=shutil.ignore_patterns("*.dist-info"))
        (work / "big").mkdir()
        (work / "big" / "synthetic_model.py").write_text(synthetic_source(int(args.synthetic_mb * 2**20)))
        report(work, args.jobs, args.repeat)
    return 0


def report(work: Path, jobs: int, repeat: int) -> None:
    py = sys.executable
    full, once, twice = ["a", "big"], ["a"], ["a", "b"]
    files = {name: count_files([work / f for f in paths]) for name, paths in
             (("full", full), ("once", once), ("twice", twice))}
    tflint = [py, "-m", "tflint", "--exit-zero", "--jobs", str(jobs)]
    without_plugin = [py, str(HERE / "flake8_without_tflint.py"), "-j", str(jobs), "--exit-zero"]
    with_plugin = [py, "-m", "flake8", "-j", str(jobs), "--exit-zero"]

    def clear_cache():
        shutil.rmtree(work / ".tflint_cache", ignore_errors=True)

    def step(label, cmd, **kw):
        print(f"  {label} ...", file=sys.stderr, flush=True)
        run = best(cmd, work, repeat, **kw)
        print(f"    {run.wall:.2f} s wall, {run.cpu:.1f} s cpu, {run.max_rss_mb:.0f} MB "
              f"(workers {run.worker_rss_mb:.0f} MB)", file=sys.stderr)
        return run

    measure([py, "-m", "tflint", "--no-cache", "--jobs", "1", str(HERE / "synthetic.py")], work)  # writes bytecode
    startup = step("python start-up (python -c pass)", [py, "-c", "pass"])
    cold = step("tflint cold", tflint + full, before=clear_cache)
    warm = step("tflint warm", tflint + full)
    floor = step("libcst parse-only", [py, str(HERE / "parse_floor.py"), "--jobs", str(jobs), *full])
    flake8 = step("flake8 (default plugins)", without_plugin + full)
    select_with = step("flake8 --select TFL, with the TFL plugin", with_plugin + ["--select", "TFL"] + full)
    select_without = step("flake8 --select TFL, without it", without_plugin + ["--select", "TFL"] + full)
    mem_once = step("tflint cold, corpus once", tflint + once, before=clear_cache)
    mem_twice = step("tflint cold, corpus twice", tflint + twice, before=clear_cache)
    # A run over another set of files than the cached ones builds its project index once; the warm
    # figures are of the runs after that (the cache keeps the last few sets' answers).
    warm_once = step("tflint warm, corpus once", tflint + once, before=lambda: measure(tflint + once, work))
    warm_twice = step("tflint warm, corpus twice", tflint + twice, before=lambda: measure(tflint + twice, work))

    per_k = warm.wall / files["full"] * 1000
    slope = (warm_twice.wall - warm_once.wall) / (files["twice"] - files["once"]) * 1000
    overhead = select_with.wall / select_without.wall - 1
    rows = [
        ("tflint cold", f"{cold.wall:.2f} s", f"{cold.wall / flake8.wall:.2f}x flake8", "<= 0.5x flake8",
         cold.wall <= 0.5 * flake8.wall),
        ("tflint cold vs the libcst parse floor", f"{floor.wall:.2f} s floor", f"{cold.wall / floor.wall:.2f}x floor",
         "<= 1.5x floor", cold.wall <= 1.5 * floor.wall),
        ("tflint warm (cache), whole run", f"{warm.wall:.3f} s", f"{per_k:.3f} s per 1,000 files",
         "<= 0.1 s per 1,000 files", per_k <= 0.1),
        ("python start-up alone (`python -c pass`), for reference", f"{startup.wall:.3f} s", "", "", None),
        ("tflint warm, cost of each further file", f"{warm_twice.wall - warm_once.wall:.3f} s for "
         f"{files['twice'] - files['once']} more files", f"{slope:.3f} s per 1,000 files",
         "<= 0.1 s per 1,000 files", slope <= 0.1),
        ("flake8 (default plugins)", f"{flake8.wall:.2f} s", "1.00x", "", None),
        ("flake8 --select TFL: with / without the plugin", f"{select_with.wall:.2f} s / {select_without.wall:.2f} s",
         f"+{overhead:.0%}", "<= +25%", overhead <= 0.25),
        ("peak memory (max RSS of any tflint process), cold", f"{cold.max_rss_mb:.0f} MB", "", "", None),
        (f"peak memory per worker: {files['once']} vs {files['twice']} files", f"{mem_once.worker_rss_mb:.0f} MB / "
         f"{mem_twice.worker_rss_mb:.0f} MB", f"{mem_twice.worker_rss_mb / mem_once.worker_rss_mb:.2f}x",
         "flat (<= 1.1x)", mem_twice.worker_rss_mb <= 1.1 * mem_once.worker_rss_mb),
        (f"peak memory, largest process: {files['once']} vs {files['twice']} files", f"{mem_once.max_rss_mb:.0f} MB / "
         f"{mem_twice.max_rss_mb:.0f} MB", f"{mem_twice.max_rss_mb / mem_once.max_rss_mb:.2f}x", "", None),
    ]
    print(f"\n{files['full']} files (tf-models-official 2.20.0 + one generated "
          f"{(work / 'big' / 'synthetic_model.py').stat().st_size / 2**20:.1f} MB file), {jobs} workers each, "
          f"fastest of {repeat}; CPU time (all processes): tflint cold {cold.cpu:.1f} s, flake8 {flake8.cpu:.1f} s, "
          f"parse floor {floor.cpu:.1f} s, flake8+TFL {select_with.cpu:.1f} s vs {select_without.cpu:.1f} s\n")
    print("| measure | figure | ratio | target | met |")
    print("|---|---|---|---|---|")
    for measure_, figure, ratio, target, met in rows:
        print(f"| {measure_} | {figure} | {ratio} | {target} | {'' if met is None else 'yes' if met else 'NO'} |")


if __name__ == "__main__":
    sys.exit(main())
