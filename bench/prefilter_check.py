"""Prove the prefilter on real code: the same findings with it as with every rule run on every file.

    python bench/prefilter_check.py [--corpus DIR] [--target T ...]

For each target, lints every file of tf-models-official twice in this process, once as tflint
does and once with the prefilter (tflint/source/prefilter.py) replaced by "every rule may report",
and prints how many files libcst parsed, per rule, and every file whose findings differ.
Exits 1 on any difference. tests/unit/test_prefilter.py does the same on the fixtures and rule
examples in CI; this runs on the 1,250 files nobody here wrote.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from tflint import engine, knowledge  # noqa: E402

from tflint.source import prefilter  # noqa: E402
from tflint.config import Settings  # noqa: E402


def lint_all(files: list[Path], target: str) -> tuple[list, collections.Counter, float]:
    kept: collections.Counter = collections.Counter()
    real = prefilter.can_report

    def counting(rules, known, target, facts):
        out = real(rules, known, target, facts)
        kept["files parsed"] += bool(out)
        kept.update(rule.code for rule in out)
        return out

    start = time.perf_counter()
    with mock.patch.object(prefilter, "can_report", counting):
        found = [engine.lint_file(str(f), Settings(target=target)).diagnostics for f in files]
    return found, kept, time.perf_counter() - start


def every_rule(files: list[Path], target: str) -> tuple[list, float]:
    start = time.perf_counter()
    with mock.patch.object(prefilter, "can_report", lambda rules, known, target, facts: rules):
        found = [engine.lint_file(str(f), Settings(target=target)).diagnostics for f in files]
    return found, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, help="an unpacked tf-models-official (default: fetch and cache it)")
    parser.add_argument("--target", action="append", choices=knowledge.TARGETS, help="default: every target")
    args = parser.parse_args()
    files = sorted((args.corpus or corpus.fetch()).rglob("*.py"))
    differ = 0
    for target in args.target or knowledge.TARGETS:
        gated, kept, gated_s = lint_all(files, target)
        full, full_s = every_rule(files, target)
        bad = [f for f, a, b in zip(files, gated, full) if a != b]
        differ += len(bad)
        print(f"{target}: {len(files)} files, {sum(map(len, gated))} findings; prefilter {gated_s:.1f} s, "
              f"every rule on every file {full_s:.1f} s; files whose findings differ: {len(bad)}")
        print("  kept by the prefilter: " + ", ".join(f"{k} {n}" for k, n in kept.most_common()))
        for f in bad:
            print(f"  DIFFERS: {f}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
