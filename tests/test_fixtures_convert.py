"""The converter agrees with every fixture: each error expectation fails, each clean model converts."""

from pathlib import Path

import pytest

from tflint.engine import file_target

from .expectations import lint

pytestmark = pytest.mark.tensorflow
FIXTURES = sorted((Path(__file__).resolve().parent.parent / "fixtures").glob("*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_converter_agrees_with_fixture(path):
    from .converter import convert, load_module, models_of

    source = path.read_text()
    target = file_target(source, "builtins")
    errors = [d for d in lint(source, path=str(path)).diagnostics if str(d.severity) == "error"]
    models = models_of(load_module(path))
    assert models, f"{path.name} defines no model to convert"
    outcomes = {name: convert(cf, target, trackable) for name, cf, trackable in models}
    failing_ops = set().union(*(o.failing_ops for o in outcomes.values()))
    if errors:
        assert not all(o.converts for o in outcomes.values()), f"{path.name} converted despite {errors}"
        # op rules (TFL1xx) name the kernel that is missing: the converter must name it too
        assert {d.op for d in errors if d.op and d.code.startswith("TFL1")} <= failing_ops
    else:
        assert all(o.converts for o in outcomes.values()), {n: o.message for n, o in outcomes.items()}
