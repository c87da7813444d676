"""Generated programs parsed in pieces at top-level statements give the tree of the whole file."""

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_parsing import assert_same_tree

# hypothesmith's programs are valid but odd: CPython warns about some.
pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore::SyntaxWarning")]


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(st.lists(hypothesmith.from_grammar(), min_size=2, max_size=4),
       st.sampled_from(["\n", "\n\n", "\n# comment\n", "\n    # indented comment\n"]))
def test_generated_programs_in_pieces_are_the_whole_tree(programs, glue):
    source = glue.join(p if p.endswith("\n") or not p else p + "\n" for p in programs)
    try:
        compile(source, "x.py", "exec")
        cst.parse_module(source)
    except (SyntaxError, ValueError, cst.ParserSyntaxError, RecursionError):
        return  # not code both parsers accept: nothing to compare
    assert_same_tree(source)
