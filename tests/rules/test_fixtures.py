"""Every fixture reports exactly its inline expectations; flake8 agrees with tflint line for line."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.expectations import check_file, expected

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("*.py"))


def test_fixtures_exist_with_and_without_findings():
    with_findings = [p for p in FIXTURE_FILES if expected(p.read_text())]
    assert len(with_findings) >= 5 and len(FIXTURE_FILES) - len(with_findings) >= 2


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_expectations(path):
    check_file(path)


def _run(*args: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=FIXTURES.parent)
    assert proc.returncode in (0, 1), proc.stderr
    # findings only: tflint's indented "note:" lines (related locations) have no flake8 equivalent
    return sorted(line for line in proc.stdout.splitlines() if line.strip() and not line.startswith(" "))


def test_flake8_agrees_with_tflint_line_for_line():
    tflint_lines = _run("tflint", "fixtures/")
    flake8_lines = _run("flake8", "--select", "TFL", "fixtures/")
    assert tflint_lines, "the fixtures must produce findings for this comparison to mean anything"
    assert flake8_lines == tflint_lines
