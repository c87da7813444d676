"""Every rule's examples are its tests (Fixit's VALID/INVALID); every rule is documented."""

import re

import libcst as cst
import pytest

from tflint.engine import all_rules
from tflint.api import DOC_HEADINGS

from tests.support.expectations import actual, expected, lint

RULES = all_rules()
VALID = [(r, ex) for r in RULES for ex in r.VALID]
INVALID = [(r, ex) for r in RULES for ex in r.INVALID]
VALID_IDS = [f"{r.code}-valid-{i}" for r in RULES for i in range(len(r.VALID))]
INVALID_IDS = [f"{r.code}-invalid-{i}" for r in RULES for i in range(len(r.INVALID))]


@pytest.mark.parametrize("case", VALID, ids=VALID_IDS)
def test_valid_examples_do_not_report(case):
    rule, example = case
    codes = [d.code for d in lint(example.source, example.target).diagnostics]
    assert rule.code not in codes


@pytest.mark.parametrize("case", INVALID, ids=INVALID_IDS)
def test_invalid_examples_report_on_marked_lines(case):
    rule, example = case
    expect = {e for e in expected(example.source) if e[1] == rule.code}
    assert expect, "an INVALID example must mark the line that reports"
    result = lint(example.source, example.target, fix=example.fixed is not None)
    found = {a for a in actual(result.diagnostics, expect) if a[1] == rule.code}
    assert found == expect
    if example.fixed is not None:
        assert result.fixed_source is not None and result.fixed_source.decode() == example.fixed


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    assert re.fullmatch(r"TFL\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    sections = rule.doc_sections()
    missing = [h for h in DOC_HEADINGS if not sections.get(h)]
    assert not missing, f"{rule.code} doc lacks {missing}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.node_types()], ids=lambda r: r.code)
def test_rules_that_inspect_code_have_both_kinds_of_example(rule):
    assert rule.VALID and rule.INVALID


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_examples_parse(rule):
    for example in (*rule.VALID, *rule.INVALID):
        if "\0" not in example.source and rule.code != "TFL001":
            cst.parse_module(example.source)


def test_readme_lists_every_rule():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [r.code for r in RULES if f"| {r.code} | {r.name} |" not in readme]
    assert not missing, f"README.md's rule table lacks {missing}"
