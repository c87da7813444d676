"""tflint's fused-composite recognition (tflint/analysis/fusion.py) agrees with the converter on
every spelling tools/probe_fusions.py measured: a fused spelling draws no finding on its op, an
unfused one does (under int8, where Erf and Erfc fail and POW and SQUARE stay in float32)."""

import sys
from pathlib import Path

import pytest

from tests.support.expectations import lint

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from probe_fusions import API_OPS, SPELLINGS  # noqa: E402  (tools/ is not a package)


@pytest.mark.parametrize("spelling", SPELLINGS, ids=[s.form for s in SPELLINGS])
def test_fused_spellings_draw_no_finding_on_their_op(spelling):
    source = ("import math\nimport numpy as np\nimport keras\nimport tensorflow as tf\n\n\n"
              f"def f(x):\n    return {spelling.form}\n")
    findings = [d for d in lint(source, "int8").diagnostics if API_OPS[spelling.api] in d.ops]
    assert bool(findings) is not spelling.fused
