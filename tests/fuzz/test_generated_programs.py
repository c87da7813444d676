"""Generated programs never make the engine raise or report an internal error, the prefilter
loses no finding, and --fix is safe.

hypothesmith writes arbitrary valid Python; the strategies below mix it with every rule's INVALID
examples (what each rule reports, and so what the prefilter must keep) at module level and inside
a model function.
"""

from __future__ import annotations

import textwrap
from unittest import mock

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tflint import engine, knowledge

from tflint.source import prefilter
from tflint.config import Settings

# hypothesmith's own compile() of what it generates warns about odd but valid code.
pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore::SyntaxWarning")]

PRELUDE = "import tensorflow as tf\nfrom tensorflow import keras\nimport numpy as np\n"
# Every rule's INVALID examples but the file-level ones (TFL0xx: unparsable or binary files).
TF_LINES = tuple(example.source for rule in engine.all_rules() if not rule.code.startswith("TFL0")
                 for example in rule.INVALID)
FIXABLE = "y = tf.reshape(x, [tf.shape(x)[0], 2, 5])"
PROGRAMS = hypothesmith.from_grammar()  # built once: building it costs about a second
FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


@st.composite
def tf_programs(draw, always: str | None = None) -> str:
    """A generated module with TensorFlow lines before, after, and in a model function around it."""
    generated = draw(PROGRAMS)
    lines = draw(st.lists(st.sampled_from(TF_LINES), max_size=3))
    if always:
        lines.append(always)
    tf_code = "\n".join(lines)
    if draw(st.booleans()):
        body = textwrap.indent(f"{generated}\n{tf_code}\nreturn y\n", "    ")
        return f"{PRELUDE}def model(x):\n{body}"
    return f"{PRELUDE}{tf_code}\n{generated}\n{tf_code}\n"


def _lint(source: str, target: str = "builtins", fix: bool = False) -> engine.FileResult:
    result = engine.lint_bytes("fuzz.py", source.encode("utf-8", "surrogatepass"), Settings(target=target), fix)
    internal = [d for d in result.diagnostics if d.code == "TFL003" and "internal error" in d.message]
    assert not internal, internal[0].message
    return result


@FUZZ
@given(tf_programs(), st.sampled_from(knowledge.TARGETS))
def test_generated_programs_never_break_the_engine_and_the_prefilter_loses_nothing(source, target):
    found = _lint(source, target).diagnostics
    every_rule = lambda rules, known, target, facts: rules  # noqa: E731 (every rule on every file)
    with mock.patch.object(prefilter, "can_report", every_rule):
        assert _lint(source, target).diagnostics == found


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_break_the_engine(data):
    result = engine.lint_bytes("fuzz.py", b"import tensorflow\n" + data, Settings())
    assert all("internal error" not in d.message for d in result.diagnostics)


@FUZZ
@given(tf_programs(always=FIXABLE))
def test_fixes_always_parse_and_are_idempotent(source):
    result = _lint(source, fix=True)
    if result.fixed_source is None:
        return
    fixed = result.fixed_source.decode()
    compile(fixed, "fixed.py", "exec")
    assert _lint(fixed, fix=True).fixed_source is None  # fixing twice changes nothing
