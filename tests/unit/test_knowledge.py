"""The generated op knowledge, read without TensorFlow: loading, aliases, conditions, versions,
`--list-ops`, and that the linter answers from it (and stays quiet where it knows nothing)."""

from __future__ import annotations

import pytest

from tflint import engine, knowledge

from tflint.frontends import cli
from tflint.config import Settings

FMP_FORMS = (
    "y = tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.73, 1.0])",
    "y = tf.compat.v1.nn.fractional_max_pool(x, [1.0, 1.44, 1.73, 1.0])",
    "y = tf.raw_ops.FractionalMaxPool(value=x, pooling_ratio=[1.0, 1.44, 1.73, 1.0])",
)


def findings(line: str, target: str = "builtins", tf_version: str | None = None):
    source = f"import tensorflow as tf\n{line}\n".encode()
    result = engine.lint_bytes("m.py", source, Settings(target=target, tf_version=tf_version))
    return [(d.code, d.severity.name.lower(), d.op) for d in result.diagnostics]


@pytest.fixture(scope="module")
def known() -> knowledge.Knowledge:
    return knowledge.load()


def test_file_is_generated_and_stamped(known):
    assert known.tf_version.startswith("2.21")
    assert known.generated != "unknown"
    assert len(known.apis()) > 800


@pytest.mark.parametrize("line", FMP_FORMS)
def test_aliases_of_fractional_max_pool_get_one_verdict_through_the_linter(line):
    for target in ("builtins", "select", "int8"):
        assert findings(line, target) == [("TFL101", "error", "FractionalMaxPool")], target


def test_aliases_share_one_entry(known):
    names = ("tf.nn.fractional_max_pool", "tf.compat.v2.nn.fractional_max_pool", "tf.raw_ops.FractionalMaxPool")
    assert len({id(known.entry(n)) for n in names}) == 1
    # the v1 function is another function (seed arguments): probed on its own, same op and verdict
    v1 = known.entry("tf.compat.v1.nn.fractional_max_pool")
    assert v1.api == "tf.compat.v1.nn.fractional_max_pool" and v1.base.ops == ("FractionalMaxPool",)


# The hand-made table's entries were measured; the generated file must keep their verdicts.
HAND_MADE = {
    "tf.nn.fractional_max_pool": ("fails", "fails", "fails"),
    "tf.linalg.svd": ("fails", "fails", "fails"),
    "tf.linalg.inv": ("fails", "converts", "fails"),
    "tf.strings.length": ("fails", "converts", "fails"),
    "tf.image.resize": ("converts", "converts", "converts"),
    "tf.einsum": ("converts", "converts", "converts"),
}


@pytest.mark.parametrize("api", sorted(HAND_MADE))
def test_measured_verdicts_kept(known, api):
    status = known.entry(api).base.status
    assert (status["builtins"], status["select"], status["int8"]) == HAND_MADE[api]


def test_resize_method_condition(known):
    entry = known.entry("tf.image.resize")
    assert entry.verdict({"method": "bicubic"}).ops == ("ResizeBicubic",)
    assert entry.verdict({"method": "bicubic"}).on("builtins") == "fails"
    assert entry.verdict({"method": "nearest"}).ops == ("ResizeNearestNeighbor",)
    assert entry.verdict({}).on("builtins") == "converts"
    assert findings("y = tf.image.resize(x, [8, 8], method=tf.image.ResizeMethod.BICUBIC)") == [
        ("TFL102", "error", "ResizeBicubic")]
    assert findings("y = tf.image.resize(x, [8, 8], 'bicubic')", "select") == [("TFL102", "warning", "ResizeBicubic")]
    assert findings("y = tf.image.resize(x, [8, 8])") == []


def test_pad_mode_condition(known):
    entry = known.entry("tf.pad")
    assert entry.verdict({}).ops == ("Pad",)
    assert entry.verdict({"mode": "REFLECT"}).ops == ("MirrorPad",)


def test_when_verdict_does_not_inherit_evidence_of_another_status(known):
    entry = known.entry("tf.image.resize")
    assert entry.verdict({"method": "bicubic"}).evidence_on("builtins")
    assert entry.base.evidence_on("builtins") == ""


def test_version_selection():
    newest = knowledge.available_versions()[0]
    assert knowledge.load(None).source == knowledge.load("2.21").source == knowledge.load("2.21.0").source
    assert knowledge.load(newest).source.name == f"ops-tf{newest}.toml"
    with pytest.raises(ValueError, match="no op knowledge for TensorFlow 1.15"):
        knowledge.load("1.15")


def test_tf_version_option(capsys):
    assert cli.main(["--tf-version", "2.21.0", "--list-ops", "tf.linalg.inv"]) == 0
    assert cli.main(["--tf-version", "1.15", "--list-ops", "x"]) == 2


def test_unknown_and_op_free_apis_are_not_flagged(known):
    no_op = next(e.api for e in known.apis() if not e.base.ops)
    unprobed = next(iter(known.unprobed))
    for api in (no_op, unprobed, "tf.not_an_api"):
        for target in knowledge.CONVERTER_TARGETS:
            assert [f for f in findings(f"y = {api}(x)", target) if f[0] in ("TFL101", "TFL102", "TFL104")] == []


def test_int8_float_fallback_is_tfl104_only_under_int8(known):
    assert known.entry("tf.math.sin").base.on("int8") == knowledge.FLOAT
    assert findings("y = tf.math.sin(x)", "int8") == [("TFL104", "warning", "Sin")]
    assert findings("y = tf.math.sin(x)", "builtins") == []


def test_list_ops_answers_for_an_api(capsys):
    assert cli.main(["--list-ops", "tf.signal.stft"]) == 0
    out = capsys.readouterr().out
    assert "tf.signal.stft  builtins=converts  select=converts" in out
    assert "ops: " in out and "probed with: " in out


def test_list_ops_finds_an_alias_and_shows_evidence(capsys):
    assert cli.main(["--list-ops", "tf.raw_ops.FractionalMaxPool"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("tf.nn.fractional_max_pool  builtins=fails  select=fails  int8=fails")
    assert "matched alias: tf.raw_ops.FractionalMaxPool" in out
    assert "neither a custom op nor a flex op" in out


def test_list_ops_shows_unprobed_and_misses(known, capsys):
    api = next(iter(known.unprobed))
    assert cli.main(["--list-ops", api]) == 0
    assert "unknown: not probed" in capsys.readouterr().out
    assert cli.main(["--list-ops", "no_such_api_anywhere"]) == 1


def test_only_the_converter_can_say_fails(known):
    """A probe that crashed (calibration on random inputs, the harness) could not judge: unknown."""
    verdicts = [v for e in known.apis() for v in (e.base, *(w for vs in e.when.values() for w in vs.values()))]
    fails = [(v, t) for v in verdicts for t in ("builtins", "select", "int8") if v.status[t] == knowledge.FAILS]
    assert fails and not [v.api for v, t in fails if v.evidence_on(t).startswith("probe could not judge")]
    unknown = {(e.api, t) for e in known.apis() for t in ("builtins", "select", "int8")
               if e.base.status[t] == knowledge.UNKNOWN}
    assert unknown
    for api, target in sorted(unknown):
        assert [f for f in findings(f"y = {api}(x)", target) if f[0] in ("TFL101", "TFL102", "TFL104")] == []


# A table in the generated format, with the call-form and dtype axes (measured values, TF 2.21).
VARIANTS = {"apis": {
    "keras.ops.where": {
        "params": ["condition", "x1", "x2"], "ops": ["Cast", "Unpack", "Where"],
        "builtins": "fails", "failing": ["Unpack"], "select": "converts", "int8": "fails",
        "given": {"x1,x2": {"ops": ["Cast", "SelectV2"], "builtins": "converts", "int8": "float"}},
    },
    "tf.math.abs": {
        "params": ["x", "name"], "ops": ["Abs"], "builtins": "converts", "select": "converts", "int8": "converts",
        "dtypes": ["float32", "int32", "int64"], "dtype": {"int64": {"builtins": "fails", "failing": ["Abs"]}},
    },
    "keras.ops.argmax": {
        "params": ["x", "axis", "keepdims"], "ops": ["ArgMax", "BitwiseAnd"], "builtins": "fails",
        "select": "converts", "int8": "fails", "dtypes": ["float32", "int32"],
        "out_dtypes": {"float32": "int32", "int32": "int32"}, "folds": True,
        "dtype": {"int32": {"ops": ["ArgMax"], "builtins": "converts"}},
    },
}}


@pytest.fixture()
def variants(tmp_path) -> knowledge.Knowledge:
    return knowledge.Knowledge(VARIANTS, tmp_path / "ops-tf2.21.toml")


def test_call_form_picks_the_given_verdict(variants):
    entry = variants.entry("keras.ops.where")
    assert entry.verdict({}).on("builtins") == "fails"
    assert entry.verdict({}, given={"condition"}).on("builtins") == "fails"
    three = entry.verdict({}, given={"condition", "x1", "x2"})
    assert (three.on("builtins"), three.on("int8"), three.ops) == ("converts", "float", ("Cast", "SelectV2"))
    assert three.condition == "x1,x2 given"


def test_dtype_picks_its_verdict_and_keeps_no_int8_of_the_base(variants):
    entry = variants.entry("tf.math.abs")
    assert entry.verdict({}).on("builtins") == entry.verdict({}, dtype="int32").on("builtins") == "converts"
    int64 = entry.verdict({}, dtype="int64")
    assert (int64.on("builtins"), int64.on("select"), int64.on("int8")) == ("fails", "converts", "unknown")
    assert int64.ops == ("Abs",) and int64.culprits("builtins") == ("Abs",)
    assert entry.failing_dtypes("builtins") == ("int64",) and entry.failing_dtypes("select") == ()


def test_out_dtype_and_folds(variants):
    argmax, abs_ = variants.entry("keras.ops.argmax"), variants.entry("tf.math.abs")
    assert argmax.out_dtype("float32") == "int32" and abs_.out_dtype("int32") == "int32"
    assert abs_.out_dtype("float16") is None  # not accepted when probed
    assert abs_.out_dtype("int64") == "int64"  # float32 and int32 keep their dtype: int64 keeps its own
    assert argmax.folds is True and abs_.folds is None
    assert argmax.verdict({}, dtype="int32").on("builtins") == "converts"


def test_a_failing_call_form_wakes_the_rule_where_a_call_passes_its_arguments(variants):
    raw = {"apis": {"tf.x": {"params": ["x", "bias"], "builtins": "converts", "given": {"bias": {"builtins": "fails"}}}}}
    names = dict(knowledge.Knowledge(raw, knowledge.data_dir()).names_with_status({"builtins": ("fails",)}))
    assert names == {"tf.x": knowledge.Spellings(passing=(knowledge.Passing((("bias", 1),)),))}


def test_names_by_status_on_two_targets_read_each_variant_as_the_rules_see_it():
    """An argument value's verdict inherits the targets it leaves out (bicubic converts with Select TF
    ops as the API does); one that fails there too (antialias) is not a Select TF ops verdict."""
    raw = {"apis": {"tf.image.resize": {
        "params": ["images", "size", "method", "antialias"], "builtins": "converts", "select": "converts",
        "when": {"method": {"bicubic": {"builtins": "fails"}},
                 "antialias": {"True": {"builtins": "fails", "select": "fails"}}}}}}
    known = knowledge.Knowledge(raw, knowledge.data_dir())
    method, antialias = (knowledge.Passing((("method", 2),), frozenset({"bicubic"})),
                         knowledge.Passing((("antialias", 3),), frozenset({"True"})))
    select_only = dict(known.names_with_status({"builtins": ("fails",), "select": ("converts",)}))
    assert select_only["tf.image.resize"].passing == (method,)
    assert dict(known.names_with_status({"builtins": ("fails",)}))["tf.image.resize"].passing == (method, antialias)
    assert dict(known.names_with_status({"select": ("fails",)}))["tf.image.resize"].passing == (antialias,)


def test_syntax_verdict_per_shape_kind_and_dtype(tmp_path):
    raw = {"syntax": {"getitem.newaxis_middle": {
        "form": "x[:, tf.newaxis, :]", "ops": ["StridedSlice"], "builtins": "converts", "select": "converts",
        "int8": "converts", "dtypes": ["float32", "int64"],
        "batch_seq_2d": {"float32": {"builtins": "fails", "failing": ["StridedSlice"]}},
        "static": {"int64": {"builtins": "fails"}}}}}
    entry = knowledge.Knowledge(raw, tmp_path / "k.toml").syntax("getitem.newaxis_middle")
    assert entry.verdict().on("builtins") == entry.verdict("float32", "batch_2d").on("builtins") == "converts"
    dynamic = entry.verdict(shape="batch_seq_2d")
    assert (dynamic.on("builtins"), dynamic.on("int8"), dynamic.culprits("builtins")) == ("fails", "unknown", ("StridedSlice",))
    assert entry.verdict("int64").on("builtins") == "fails"
    assert knowledge.Knowledge(raw, tmp_path / "k.toml").syntax("getitem.nothing") is None


def test_generated_file_has_the_measured_axes(known):
    """Measured on keras-hub (FACTS.md) and confirmed by the generator's conversions."""
    where = known.entry("keras.ops.where")
    assert where.verdict({}).on("builtins") == "fails"
    assert where.verdict({}, given={"condition", "x1", "x2"}).on("builtins") == "converts"
    assert known.entry("keras.ops.argmax").verdict({}, dtype="int32").on("builtins") == "converts"
    assert "int64" in known.entry("tf.math.abs").failing_dtypes("builtins")
    assert known.entry("keras.ops.argmax").out_dtype("float32") == "int32"
    newaxis = known.syntax("getitem.newaxis_middle")
    assert newaxis.verdict(shape="static_2d").on("builtins") == "converts"
    assert newaxis.verdict(shape="batch_seq_2d").on("builtins") == "fails"


def test_three_argument_where_is_not_reported():
    line = "import keras\ny = keras.ops.where(c, a, b)\nz = keras.ops.where(c)"
    assert [f[2] for f in findings(line)] == ["Unpack"]


def test_folding_routes_file_says_what_stays_whatever_the_size(known):
    from tflint.knowledge import routes

    assert routes.stays(known.source, "tf.random.gamma", routes.KERAS)  # random: never folded
    assert not routes.stays(known.source, "tf.linalg.inv", routes.KERAS)  # folds
    assert routes.stays(known.source, "tf.linalg.inv", routes.CONCRETE)  # Keras weights stay variables there
    assert not routes.stays(known.source, "tf.linalg.tensor_diag", routes.KERAS)  # stays for its size only
    assert not routes.stays(known.source, "tf.math.sin", routes.KERAS)  # not measured: converts anyway


FLIP = "tf.image.stateless_random_flip_left_right(self.kernel, seed=(1, 2))"


@pytest.mark.parametrize("owner,call,reported", [
    ("tf.keras.layers.Layer", FLIP, True),             # the Keras route: random ops stay
    ("tf.Module", FLIP, True),                         # the module route alike
    ("tf.Module", "tf.linalg.inv(self.kernel)", False),  # folds
])
def test_an_op_that_never_folds_is_reported_on_weights(owner, call, reported):
    source = f"import tensorflow as tf\nclass Owner({owner}):\n    def __call__(self, x):\n        return {call}\n"
    result = engine.lint_bytes("m.py", source.encode(), Settings())
    assert any(d.code == "TFL102" for d in result.diagnostics) is reported
