"""Score tflint against the converter's labels (tests/evalset/labels.json), line by line.

Per target: a labelled failing line is found (TP) when an error finding's span
(line..end_line) covers it, missed (FN) otherwise; an error finding whose span covers
no labelled failing line is a false alarm (FP). Findings are counted once per distinct
span. Warnings never count; how many sit on failing lines is reported.

    python tools/evalset_score.py [--tflint PATH] [--target T ...] [--files GLOB] [--json]
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import shlex
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVALSET = ROOT / "tests" / "evalset"
TARGETS = ("builtins", "select")


@dataclass
class Score:
    target: str
    files: int = 0
    failing_files: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    warnings: int = 0
    warnings_on_failing_lines: int = 0
    misplaced: int = 0  # FPs in a file that does fail: often the same failure, put on another line
    misses: list[str] = field(default_factory=list)  # "file:line Op CODE"
    false_alarms: list[str] = field(default_factory=list)  # "file:line TFLxxx Op"
    unlocated: list[str] = field(default_factory=list)  # failures no line could be given to
    unlabelled: list[str] = field(default_factory=list)  # files the labeller could not convert

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


def failing_lines(verdict: dict) -> dict[int, list[dict]]:
    """Labelled failures of one file and target, by line."""
    lines: dict[int, list[dict]] = {}
    for failure in verdict["failures"]:
        if failure["line"] is not None:
            lines.setdefault(failure["line"], []).append(failure)
    return lines


def covers(finding: dict, line: int) -> bool:
    return finding["line"] <= line <= (finding.get("end_line") or finding["line"])


def score(labels: dict, findings: list[dict], target: str) -> Score:
    """Compare one target's findings (tflint JSON diagnostics) with the labels."""
    result = Score(target)
    by_file: dict[str, list[dict]] = {}
    for finding in findings:
        by_file.setdefault(Path(finding["path"]).name, []).append(finding)
    for name, label in sorted(labels.items()):
        if "error" in label:
            result.unlabelled.append(f"{name}: {label['error']}")
            continue
        verdict = label[target]
        result.files += 1
        result.failing_files += not verdict["converts"]
        result.unlocated += [f"{name} {f['op']} {f['code']}" for f in verdict["failures"] if f["line"] is None]
        lines = failing_lines(verdict)
        errors = [f for f in by_file.get(name, []) if f["severity"] == "error"]
        warnings = [f for f in by_file.get(name, []) if f["severity"] == "warning"]
        result.warnings += len(warnings)
        result.warnings_on_failing_lines += sum(any(covers(w, line) for line in lines) for w in warnings)
        for line, failures in sorted(lines.items()):
            if any(covers(f, line) for f in errors):
                result.tp += 1
            else:
                result.fn += 1
                result.misses.append(f"{name}:{line} " + ", ".join(f"{f['op']} {f['code']}" for f in failures))
        spans = {}
        for f in errors:
            spans.setdefault((f["line"], f.get("end_line") or f["line"]), f)
        for (start, _), f in sorted(spans.items()):
            if not any(covers(f, line) for line in lines):
                result.fp += 1
                result.misplaced += not verdict["converts"]
                where = " (the file fails elsewhere)" if not verdict["converts"] else ""
                result.false_alarms.append(f"{name}:{start} {f['code']} {f.get('op') or ''}".rstrip() + where)
    return result


def run_tflint(tflint: str, target: str, files: list[Path]) -> list[dict]:
    command = [*shlex.split(tflint), "--format", "json", "--no-cache", "--exit-zero", "--target", target,
               *(str(f) for f in files)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[:6])} ... exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)["diagnostics"]


def report(result: Score) -> str:
    lines = [
        f"target {result.target}: {result.files} files, {result.failing_files} fail to convert, "
        f"{result.tp + result.fn} failing lines",
        f"  precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}  "
        f"(TP {result.tp}, FP {result.fp}, FN {result.fn}; {result.misplaced} FP in failing files)",
        f"  warnings {result.warnings} ({result.warnings_on_failing_lines} on failing lines)",
    ]
    for title, items in (("missed (FN)", result.misses), ("false alarms (FP)", result.false_alarms),
                         ("failures without a line (not scored)", result.unlocated),
                         ("files without a label (not scored)", result.unlabelled)):
        if items:
            lines.append(f"  {title}:")
            lines += [f"    {item}" for item in items]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    repo_tflint = ROOT / ".venv" / "bin" / "tflint"
    parser.add_argument("--tflint", default=str(repo_tflint) if repo_tflint.exists() else "tflint",
                        help="the tflint command (default: the repository's .venv, else tflint on PATH)")
    parser.add_argument("--target", action="append", choices=TARGETS, help="repeatable; default: all")
    parser.add_argument("--files", default="*.py", help="glob over the evalset's file names")
    parser.add_argument("--labels", type=Path, default=EVALSET / "labels.json")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    labels = {name: label for name, label in json.loads(args.labels.read_text()).items()
              if fnmatch.fnmatch(name, args.files)}
    if not labels:
        sys.exit(f"no labelled file matches {args.files}")
    files = [args.labels.parent / name for name in sorted(labels)]
    results = [score(labels, run_tflint(args.tflint, target, files), target) for target in args.target or TARGETS]
    if args.json:
        print(json.dumps({r.target: r.to_json() for r in results}, indent=1))
    else:
        print("\n\n".join(report(r) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
