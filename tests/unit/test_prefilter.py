"""The prefilter drops only rules that could not have reported, and it does drop them.

Sound: every name tflint's resolver gives a node, the prefilter's looser resolution of CPython's
tree gives too; every class tflint takes for a Keras layer, the prefilter's Keras-class search
keeps; and on every fixture and rule example, under every target, the findings are the same with
the prefilter as with every rule run on every file (tests/fuzz/test_generated_programs.py does
the same on generated programs; `python bench/prefilter_check.py` on tf-models-official, in CI).
"""

from pathlib import Path
from unittest import mock

import libcst as cst
import pytest

from tflint import engine, knowledge

from tflint.source import parsing

from tflint.source import prefilter
from tflint.config import Settings
from tflint.context import Context
from tflint.analysis.modelcode import LAYER, MODEL, keras_classes, maybe_keras_layers
from tflint.source.prefilter import RULE_ROOTS, FileFacts, parts
from tflint.walk import walk

from tests.support.expectations import lint
from tests.unit.test_names import ALIAS_CASES, CASES

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").glob("*.py"))
EXAMPLES = [ex.source for rule in engine.all_rules() for ex in (*rule.VALID, *rule.INVALID)]
KERAS_CLASSES = [
    "import keras\nclass A(keras.layers.Layer):\n    pass\nclass B(A):\n    pass\nclass C(B):\n    pass\n",
    "from tensorflow.keras import layers as L\ndef f():\n    class A(L.Dense):\n        pass\n",
    "import tf_keras\nclass A(tf_keras.Model):\n    pass\n",
    "import tensorflow as tf\nclass A(tf.keras.metrics.Metric, tf.keras.layers.Layer):\n    pass\n",
    "from keras import Model\nclass B(A):\n    pass\nclass A(Model):\n    pass\n",
]


def _is_python(source: str) -> bool:
    try:
        compile(source, "x.py", "exec")
    except SyntaxError:
        return False
    return True


SOURCES = [s for s in [c[0] for c in CASES + ALIAS_CASES] + [p.read_text() for p in FIXTURES] + EXAMPLES + KERAS_CLASSES
           if _is_python(s)]


@pytest.mark.parametrize("source", SOURCES)
def test_every_name_the_resolver_gives_the_prefilter_resolves(source):
    module = cst.parse_module(source)
    walked = walk(module, (cst.Name, cst.Attribute))
    facts = FileFacts(source)
    ctx = Context("x.py", module, "builtins", knowledge.load(), walked)
    for node in walked.wanted:
        name = ctx.qualname(node)  # the rules' own resolution
        if name is not None and name.split(".")[0] in RULE_ROOTS:
            assert facts.resolves(frozenset(name.split("."))), name
            assert parts(name) <= facts.words, name  # what a trigger needs spelled


@pytest.mark.parametrize("source", SOURCES)
def test_every_keras_layer_class_is_kept_by_the_prefilter(source):
    module = cst.parse_module(source)
    ctx = Context("x.py", module, "builtins", knowledge.load(), walk(module, ()))
    layers = {cls.name.value for cls, kind in keras_classes(ctx).items() if kind in (LAYER, MODEL)}
    assert layers <= {cls.name for cls in maybe_keras_layers(FileFacts(source))}


CHECKED = [(str(p), p.read_text(), target) for p in FIXTURES for target in knowledge.TARGETS]
CHECKED += [(f"example{i}.py", code, target) for i, code in enumerate(EXAMPLES) for target in knowledge.TARGETS]


@pytest.mark.parametrize("path,source,target", CHECKED, ids=[f"{c[0].rsplit('/', 1)[-1]}-{c[2]}" for c in CHECKED])
def test_findings_are_the_same_with_every_rule_on_every_file(path, source, target):
    found = lint(source, target).diagnostics
    with mock.patch.object(prefilter, "can_report", lambda rules, known, target, facts: rules):
        assert lint(source, target).diagnostics == found


def _kept(source: str, target: str = "builtins") -> set[str]:
    rules = [r for r in engine.all_rules() if r.node_types()]
    return {r.code for r in prefilter.can_report(rules, knowledge.load(), target, FileFacts(source))}


def test_names_spelled_only_in_comments_strings_or_other_modules_do_not_trigger():
    assert _kept("import tensorflow as tf\n# tf.linalg.inv is slow\nnote = 'linalg inv'\n") == set()
    assert _kept("import numpy as np\nimport tensorflow as tf\ny = np.linalg.inv(x)\n") == set()
    assert _kept("import tensorflow as tf\ny = tf.linalg.inv(x)\n") == {"TFL102"}
    assert "TFL102" in _kept("def f(x):\n    from tensorflow.linalg import inv as invert\n    return invert(x)\n")


def test_a_trigger_with_no_identifier_keeps_its_rule_on_every_file():
    """An op table entry named with one part (`tf`, from a damaged knowledge cache) gave a trigger with
    nothing to look for, and `max()` of nothing: an internal error on every file (found by the fuzz test)."""
    rule = mock.Mock(triggers=lambda known, target: prefilter.named("tf"), may_report=lambda facts: True)
    facts = FileFacts("import tensorflow as tf\n", parsing.cpython_tree("import tensorflow as tf\n"))
    assert prefilter.can_report([rule], knowledge.load(), "builtins", facts) == [rule]


def test_a_rule_for_one_target_is_dropped_under_the_others():
    source = "import tensorflow as tf\ny = tf.math.sin(x)\n"
    assert "TFL104" in _kept(source, "int8") and "TFL104" not in _kept(source, "builtins")


def test_only_classes_that_may_be_keras_layers_wake_the_custom_layer_rule():
    plain = "import tensorflow as tf\nclass Config(object):\n    def __init__(self, a, b):\n        self.a = a\n"
    configured = ("import keras\nclass L(keras.layers.Layer):\n    def __init__(self, a):\n        super().__init__()\n"
                  "    def get_config(self):\n        return {}\n")
    inherited = ("import keras\nclass B(keras.layers.Layer):\n    def __init__(self, a):\n        super().__init__()\n"
                 "    def get_config(self):\n        return {}\nclass L(B):\n    pass\n")
    kwargs = ("import keras\nclass L(keras.layers.Layer):\n    def __init__(self, a, **kw):\n"
              "        super().__init__(**kw)\n")
    assert "TFL302" not in _kept(plain) and "TFL302" not in _kept(configured)
    assert "TFL302" not in _kept(kwargs + "l = L(3)\n")  # Keras's automatic config works
    assert "TFL302" in _kept(kwargs + "l = L(keras.layers.Dense(2))\n")
    assert "TFL302" in _kept(inherited)  # L inherits B's __init__: it may lack a config of its own


def test_a_file_no_rule_can_report_on_is_not_parsed_by_libcst():
    with mock.patch.object(engine, "parse_checked", side_effect=AssertionError("parsed")):
        result = engine.lint_text("x.py", parsing.Source("import tensorflow as tf\ny = tf.nn.relu(x)\n", "utf-8"),
                                  Settings())
    assert result.diagnostics == []


def test_every_api_the_knowledge_names_is_under_the_roots_the_prefilter_resolves():
    roots = {name.split(".")[0] for entry in knowledge.load().apis() for name in (entry.api, *entry.aliases)}
    assert roots <= set(RULE_ROOTS)


def test_an_api_that_makes_the_failing_dtype_wakes_a_dtype_verdict_only_where_it_is_called():
    """int64 Abs fails with builtins; `tf.where(mask)` makes int64. The word `where` in a comment
    (in most docstrings) is not a call of it."""
    abs_only = "import tensorflow as tf\n# where the sign flips\ny = tf.math.abs(x)\n"
    called = "import tensorflow as tf\ni = tf.where(m)\ny = tf.math.abs(i)\n"
    assert "TFL102" not in _kept(abs_only) and "TFL102" in _kept(called)
    assert [d.code for d in lint(called).diagnostics] == ["TFL102"]


def test_a_list_holding_none_wakes_the_new_axis_rule_only_where_a_subscript_reads_it():
    shape = "import tensorflow as tf\nshape = [None, 224, 3]\nx = tf.keras.Input(shape[1:])\n"
    indexed = "import tensorflow as tf\ndef f(x):\n    indices = [None] * 3\n    return x[indices]\n"
    assert "TFL203" not in _kept(shape) and "TFL203" in _kept(indexed)


def test_a_keras_2_layer_does_not_wake_the_config_rule_unless_a_local_class_may_shadow_its_base():
    """TFL302 leaves tf_keras classes alone (Keras 2 has no automatic config), yet it woke on 35 of
    tf-models-official's files, 27 of them for tf_keras classes alone."""
    keras_2 = ("import tf_keras\nclass L(tf_keras.layers.Layer):\n    def __init__(self, a):\n"
               "        super().__init__()\n")
    shadowed = ("import keras\nfrom tf_keras.layers import Layer\nclass Layer(keras.layers.Layer):\n    pass\n"
                "class L(Layer):\n    def __init__(self, a):\n        super().__init__()\n")
    assert "TFL302" not in _kept(keras_2) and lint(keras_2).diagnostics == []
    assert "TFL302" in _kept(shadowed)


def test_only_new_axes_that_may_fail_wake_the_new_axis_rule():
    """`x[:, None]` and `x[None]` convert with any shape: the rule reports neither."""
    def kept(index: str) -> bool:
        return "TFL203" in _kept(f"import tensorflow as tf\nfrom tensorflow import newaxis as na\ny = x[{index}]\n")

    assert not kept(":, None") and not kept("None") and not kept("na, 0:2")
    assert kept(":, None, :") and kept("..., None") and kept(":, na, :") and kept("0, tf.newaxis, 1")


def test_an_argument_value_wakes_its_rule_only_where_a_call_of_the_api_passes_that_argument():
    """`antialias=True` resizing fails everywhere (TFL101); `True` is spelled in most files. The value
    counts where a call of the API passes the argument, by keyword or at its position."""
    head = "import tensorflow as tf\nflag = True\n"
    unpassed = head + "y = tf.image.resize(x, [8, 8])\nz = other(x, antialias=True)\n"
    keyword = head + "y = tf.image.resize(x, [8, 8], antialias=True)\n"
    positional = head + "y = tf.image.resize(x, [8, 8], 'bilinear', False, True)\n"
    starred = head + "y = tf.image.resize(*args, 'bilinear', False, True)\n"
    assert "TFL101" not in _kept(unpassed) and "TFL101" not in _kept(starred)
    for passed in (keyword, positional):
        assert "TFL101" in _kept(passed) and [d.code for d in lint(passed).diagnostics] == ["TFL101"]
    assert lint(starred).diagnostics == [] == lint(unpassed).diagnostics
