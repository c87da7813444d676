"""Prove a change kept tflint's output: snapshot every finding, then compare two snapshots.

    python bench/same_findings.py snapshot before.json     # on the old code
    python bench/same_findings.py snapshot after.json      # on the new code
    python bench/same_findings.py compare before.json after.json

A snapshot holds, under each of the four targets, the JSON findings of `tflint` (no cache) on
fixtures/, on tf-models-official (bench/corpus.py) and on every rule example, each example keyed
by its rule and a digest of its text, so a refactoring that keeps the examples keeps the keys.
`compare` prints every difference and exits 1 if there is any.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("builtins", "select", "int8", "gpu")


def _tflint_json(path: Path, target: str) -> dict[str, list[dict]]:
    run = subprocess.run([sys.executable, "-m", "tflint", "--format", "json", "--no-cache", "--exit-zero",
                          "--target", target, str(path)], cwd=path.parent, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"tflint failed on {path} ({target}): {run.stderr.strip()}")
    by_file: dict[str, list[dict]] = {}
    for d in json.loads(run.stdout)["diagnostics"]:
        by_file.setdefault(d["path"], []).append(d)
    return by_file


def _examples() -> dict[str, tuple[str, str]]:
    """key -> (example text, the example's own target), for every VALID and INVALID example."""
    from tflint.engine import all_rules

    out = {}
    for rule in all_rules():
        for example in (*rule.VALID, *rule.INVALID):
            digest = hashlib.sha1(example.source.encode()).hexdigest()[:12]
            out[f"{rule.code}:{digest}"] = (example.source, example.target)
    return out


def _example_findings(text: str, target: str) -> list[dict]:
    from tflint.config import Settings
    from tflint.engine import lint_bytes
    from tflint.report.formats import diagnostic_json

    result = lint_bytes("example.py", text.encode(), Settings(target=target))
    return [diagnostic_json(d) for d in result.diagnostics]


def snapshot(out: Path) -> None:
    src = corpus.fetch()
    data: dict = {}
    examples = _examples()
    for target in TARGETS:
        data[target] = {"fixtures": _tflint_json(ROOT / "fixtures", target),
                        "corpus": _tflint_json(src, target),
                        "examples": {k: _example_findings(text, target) for k, (text, _) in examples.items()}}
        counts = {part: sum(map(len, found.values())) for part, found in data[target].items()}
        print(f"{target}: {counts}")
    out.write_text(json.dumps(data, indent=1, sort_keys=True))


def compare(a: Path, b: Path) -> int:
    old, new = json.loads(a.read_text()), json.loads(b.read_text())
    differ = 0
    for target in TARGETS:
        for part in ("fixtures", "corpus", "examples"):
            before, after = old[target][part], new[target][part]
            for key in sorted(set(before) | set(after)):
                if before.get(key) != after.get(key):
                    differ += 1
                    print(f"DIFFERS {target} {part} {key}")
        print(f"{target}: compared {sum(len(old[target][p]) for p in old[target])} files and examples")
    print(f"{differ} differences")
    return 1 if differ else 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "snapshot":
        snapshot(Path(sys.argv[2]))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        return compare(Path(sys.argv[2]), Path(sys.argv[3]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
