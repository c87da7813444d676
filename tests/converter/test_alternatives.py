"""Every alternative rules/data/alternatives-tf*.toml calls "exact" is converted again with TFLite
builtins only (all of them in one model, one conversion) and compared with its original in TF."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tflint import knowledge
from tflint.knowledge import alternatives

pytestmark = pytest.mark.tensorflow

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def test_every_exact_alternative_converts_and_computes_the_same():
    sys.path.insert(0, str(TOOLS))
    from alternatives import verify
    from alternatives.candidates import CANDIDATES

    exact = {name for name, a in alternatives.load(knowledge.load().source).items() if a.verdict == alternatives.EXACT}
    stored = {name: a.use for name, a in alternatives.load(knowledge.load().source).items()}
    chosen = [c for c in CANDIDATES if c.api in exact and c.shown == stored[c.api]]
    assert sorted(c.api for c in chosen) == sorted(exact)  # each exact entry is one candidate of the list
    checks = verify.check(chosen)
    assert isinstance(checks, list), f"the exact alternatives do not convert with builtins: {checks.evidence}"
    wrong = {c.api: (check.max_error, check.scale) for c, check in zip(chosen, checks)
             if check.evidence or check.relative_error > verify.EXACT_TOLERANCE}
    assert wrong == {}
