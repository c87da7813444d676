"""The project index: findings judged by whether some model in any linted file reaches their code."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tflint.frontends.cli import main

OPS = """
    import tensorflow as tf


    def whiten(x):
        return tf.linalg.inv(x)


    def unused(x):
        return tf.linalg.inv(x)
"""
LAYER = """
    import keras
    from {whiten_from} import whiten


    class Whiten(keras.layers.Layer):
        def call(self, x):
            return whiten(x)
"""
MODEL = """
    import keras
    from pkg.layers import Whiten


    def build_model():
        inputs = keras.Input(shape=(4, 4))
        return keras.Model(inputs, Whiten()(inputs))
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, code in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(code))


def run(root: Path, capsys, *args: str, paths=(".",)) -> list[dict]:
    main([*(str(root / p) for p in paths), "--format", "json", "--no-cache", "--exit-zero", *args])
    return json.loads(capsys.readouterr().out)["diagnostics"]


def in_ops(diagnostics: list[dict], line: int) -> list[dict]:
    """The findings on line 6 (`whiten`) or 10 (`unused`) of OPS."""
    return [d for d in diagnostics if d["path"].endswith("ops.py") and d["line"] == line]


@pytest.fixture
def project(tmp_path):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/ops.py": OPS, "pkg/model.py": MODEL,
                     "pkg/layers.py": LAYER.format(whiten_from="pkg.ops")})
    return tmp_path


def test_a_helper_a_model_reaches_through_a_layer_in_another_file_has_the_chain(project, capsys):
    [finding] = in_ops(run(project, capsys), 6)
    assert finding["severity"] == "error"
    assert [(Path(r["path"]).name, r["message"]) for r in finding["related"]] == [
        ("model.py", "build_model(): entry point (a model factory)"),
        ("model.py", "build_model() uses Whiten (layers.py)"),
        ("layers.py", "Whiten.call() calls whiten() (ops.py)"),
    ]


def test_code_no_model_reaches_is_info_or_nothing(project, capsys):
    unused = in_ops(run(project, capsys), 10)
    assert [(d["severity"], d["code"]) for d in unused] == [("info", "TFL102")]
    assert "no model in the linted files reaches this code" in unused[0]["message"]
    (project / "tflint.toml").write_text('unreached = "ignore"\n')
    config = ("--config", str(project / "tflint.toml"))
    assert not in_ops(run(project, capsys, *config), 10) and in_ops(run(project, capsys, *config), 6)


def test_a_file_linted_alone_keeps_its_own_verdict(project, capsys):
    alone = run(project, capsys, paths=("pkg/ops.py",))
    assert [(d["line"], d["severity"]) for d in alone] == [(6, "error"), (10, "error")]


def test_the_chain_across_files_in_text_and_sarif(project, capsys):
    main([str(project), "--no-cache", "--exit-zero"])
    text = capsys.readouterr().out
    assert f"{project / 'pkg' / 'layers.py'}:8:16: note: Whiten.call() calls whiten() (ops.py)" in text
    main([str(project), "--no-cache", "--exit-zero", "--format", "sarif"])
    [result] = [r for r in json.loads(capsys.readouterr().out)["runs"][0]["results"]
                if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 6]
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in result["relatedLocations"]]
    assert [uri.rsplit("/", 1)[-1] for uri in uris] == ["model.py", "model.py", "layers.py"]


@pytest.mark.parametrize("whiten_from, init", [
    ("pkg", "from .ops import whiten\n"),  # re-exported by the package
    ("..ops", ""),  # relative, two levels up from pkg/sub/
])
def test_relative_imports_and_package_reexports(tmp_path, capsys, whiten_from, init):
    write(tmp_path, {"pkg/__init__.py": init, "pkg/ops.py": OPS, "pkg/sub/__init__.py": "",
                     "pkg/sub/layers.py": LAYER.format(whiten_from=whiten_from),
                     "pkg/model.py": MODEL.replace("pkg.layers", "pkg.sub.layers")})
    [finding] = in_ops(run(tmp_path, capsys), 6)
    assert finding["severity"] == "error"
    assert [Path(r["path"]).name for r in finding["related"]] == ["model.py", "model.py", "layers.py"]


def test_a_library_of_layers_with_no_model_reports_what_the_layers_call(tmp_path, capsys):
    write(tmp_path, {"lib/__init__.py": "", "lib/ops.py": OPS, "lib/layers.py": LAYER.format(whiten_from="lib.ops")})
    found = {(d["line"], d["severity"]) for d in run(tmp_path, capsys) if d["path"].endswith("ops.py")}
    assert found == {(6, "error"), (10, "info")}


def test_losses_and_metrics_beside_a_model_are_not_errors(project, capsys):
    write(project, {
        "pkg/base.py": """
            import keras


            class BaseLoss(keras.losses.Loss):
                pass
        """,
        "pkg/losses.py": """
            import tensorflow as tf
            from pkg.base import BaseLoss


            class DecorrelationLoss(BaseLoss):  # a loss through a base class in another file
                def call(self, y_true, y_pred):
                    return tf.linalg.inv(y_pred)


            class Covariance(tf.keras.metrics.Metric):
                def update_state(self, y_true, y_pred):
                    self.total.assign_add(tf.linalg.inv(y_pred))
        """,
    })
    found = [d for d in run(project, capsys) if d["path"].endswith("losses.py")]
    assert [(d["line"], d["severity"]) for d in found] == [(8, "info")]


@pytest.mark.parametrize("batch, reported", [("batch_size=1, ", False), ("", True)])
def test_a_batch_fixed_in_the_model_file_applies_to_layers_in_others(tmp_path, capsys, batch, reported):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/blocks.py": """
            import keras


            class Encoder(keras.layers.Layer):
                def __init__(self):
                    super().__init__()
                    self.rnn = keras.layers.LSTM(4)

                def call(self, x):
                    return self.rnn(x)
        """,
        "pkg/model.py": f"""
            import keras
            from pkg.blocks import Encoder


            def build_model():
                inputs = keras.Input(shape=(5, 3), {batch})
                return keras.Model(inputs, Encoder()(inputs))
        """,
    })
    codes = [d["code"] for d in run(tmp_path, capsys)]
    assert ("TFL301" in codes) == reported


def test_a_warm_run_in_a_project_gives_the_same_findings(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    outputs = []
    for _ in range(2):
        main([".", "--format", "json", "--exit-zero"])
        outputs.append(json.loads(capsys.readouterr().out)["diagnostics"])
    assert outputs[0] == outputs[1] and any(d.get("related") for d in outputs[0])


MASKED_ATTENTION = """
    import keras
    from keras import ops


    class Attention(keras.layers.Layer):
        def call(self, scores, attention_mask):
            mask = ops.cast(attention_mask, "float32")
            positions = ops.arange(ops.shape(scores)[1])
            grid = ops.outer(positions, positions)
            bias = grid[:, None, :]
            shifted = ops.roll(scores, 1, axis=1)
            return scores + mask[:, None, :, :] + bias + shifted
"""
TEXT_MODEL = """
    import keras
    from attention import Attention


    class TextBackbone(keras.Model):
        def __init__(self):
            scores = keras.Input(shape={shape}{batch})
            mask = keras.Input(shape={shape}{batch})
            super().__init__([scores, mask], Attention()(scores, mask))
"""


@pytest.mark.parametrize("shape, batch, mask, roll", [
    ("(None, None)", "", "error", "error"),  # a None batch and a None length: both fail
    ("(6, 6)", "", None, "error"),  # one dynamic dimension (the batch): the new axis converts, Roll does not
    ("(6, 6)", ", batch_size=1", None, None),  # every dimension static: both convert
    ("shape", "", "warning", "error"),  # a shape not written out: the None batch is all that is known
    ("(None, None)", ", batch_size=1", "error", "error"),  # [1, None, None]: two dynamic dimensions
    ("(None,)", ", batch_size=1", "warning", "error"),  # a length alone: masks made from it, [1, ?, ?], fail
])
def test_a_tensor_the_caller_passes_is_judged_by_the_inputs_of_the_models_that_reach_it(
        tmp_path, capsys, shape, batch, mask, roll):
    write(tmp_path, {"attention.py": MASKED_ATTENTION,
                     "backbone.py": TEXT_MODEL.format(shape=shape, batch=batch)})
    found = {d["line"]: d for d in run(tmp_path, capsys) if d["path"].endswith("attention.py")}
    assert (found[13]["severity"] if 13 in found else None) == mask  # mask[:, None, :, :]: from the caller
    assert (found[12]["severity"] if 12 in found else None) == roll  # roll(scores): from the caller
    assert found[11]["severity"] == "warning"  # grid[:, None, :]: made here, not followed
    if mask == "error":
        assert "TextBackbone.__init__ (backbone.py:7)" in found[13]["message"]
    alone = {d["line"]: d["severity"] for d in run(tmp_path, capsys, paths=("attention.py",))}
    assert alone[13] == alone[12] == "warning"  # linted alone: the models are not there to judge by


CAUSAL_BLOCK = """
    import keras


    class Block(keras.layers.Layer):
        def __init__(self, width, causal=True, **kwargs):
            super().__init__(**kwargs)
            self.causal = causal
            self.attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=width)

        def call(self, x):
            return self.attention(x, x, use_causal_mask=self.causal)
"""
BLOCK_MODEL = """
    import keras
    from block import Block


    class Encoder(keras.Model):
        def __init__(self, flag=True, **kwargs):
            tokens = keras.Input(shape={shape})
            super().__init__(tokens, Block({arguments})(tokens))
"""


@pytest.mark.parametrize("shape, arguments, severity", [
    ("(None, 8)", "4", "error"),  # the default, True, on a dynamic length: fails
    ("(None, 8)", "4, causal=True", "error"),
    ("(None, 8)", "4, True", "error"),  # positionally
    ("(None, 8)", "4, causal=False", "warning"),  # converts; the index does not know every builder
    ("(None, 8)", "4, causal=flag", "warning"),  # not known here
    ("(None, 8)", "4, **kwargs", "warning"),  # kwargs may hold it
    ("(None, 8)", "*[4, True]", "warning"),
    ("(6, 8)", "4", None),  # a static length: the mask converts whatever the flag
])
def test_a_causal_flag_the_constructor_stores_is_judged_where_the_layer_is_built(
        tmp_path, capsys, monkeypatch, shape, arguments, severity):
    write(tmp_path, {"block.py": CAUSAL_BLOCK, "model.py": BLOCK_MODEL.format(shape=shape, arguments=arguments)})
    found = [d for d in run(tmp_path, capsys) if d["path"].endswith("block.py") and d["code"] == "TFL203"]
    assert [d["severity"] for d in found] == ([severity] if severity else [])
    if severity == "error":
        assert found[0]["line"] == 12 and "Encoder.__init__() builds Block with causal true" in found[0]["message"]
        assert "Encoder.__init__ (model.py:7)" in found[0]["message"]
    monkeypatch.chdir(tmp_path)
    cached = []
    for _ in range(2):  # block.py's finding and summary from the result cache the second time
        main([".", "--format", "json", "--exit-zero"])
        cached.append([d["severity"] for d in json.loads(capsys.readouterr().out)["diagnostics"]
                       if d["path"].endswith("block.py") and d["code"] == "TFL203"])
        with open("model.py", "a") as model:
            model.write("# edited\n")
    assert cached == [[severity] if severity else []] * 2


def test_a_model_building_the_layer_with_the_flag_false_does_not_make_it_an_error(tmp_path, capsys):
    write(tmp_path, {"block.py": CAUSAL_BLOCK,
                     "text.py": BLOCK_MODEL.format(shape="(None, 8)", arguments="4").replace("Encoder", "Text"),
                     "vision.py": BLOCK_MODEL.format(shape="shape", arguments="4, causal=False").replace(
                         "Encoder", "Vision")})
    [found] = [d for d in run(tmp_path, capsys) if d["path"].endswith("block.py") and d["code"] == "TFL203"]
    assert found["severity"] == "error" and "Text.__init__ (text.py:7)" in found["message"]  # Vision builds it False
    alone = [d["severity"] for d in run(tmp_path, capsys, paths=("block.py", "vision.py"))
             if d["path"].endswith("block.py") and d["code"] == "TFL203"]
    assert alone == ["warning"]


def test_a_causal_flag_is_judged_where_the_model_in_the_same_file_builds_the_layer(tmp_path, capsys):
    """The query's shape is known here (the file's model passes its input): only the flag is open."""
    model = BLOCK_MODEL.format(shape="(None, 8)", arguments="4").replace("from block import Block", "")
    write(tmp_path, {"model.py": CAUSAL_BLOCK + model, "other.py": ""})
    [found] = [d for d in run(tmp_path, capsys) if d["code"] == "TFL203"]
    assert found["severity"] == "error" and "Encoder.__init__() builds Block with causal true" in found["message"]


ALIGNED = """
    import keras
    from keras import ops


    class Rotary(keras.layers.Layer):
        def call(self, x):
            return x * self.align(ops.mean(x, axis=2), [0, 1, -1], 4)

        def align(self, tensor, axes, ndim):
            indices = [None] * ndim
            for i in axes:
                indices[i] = slice(None)
            return tensor[indices]
"""
ALIGNED_MODEL = """
    import keras
    from rotary import Rotary


    def build_model():
        x = keras.Input(shape={shape})
        return keras.Model(x, Rotary()(x))
"""


@pytest.mark.parametrize("shape, severity", [
    ("(None, 2, 8)", "error"),  # a None batch and a None length
    ("(6, 2, 8)", None),  # one dynamic dimension: nothing made from it fails
])
def test_a_list_index_with_slices_at_the_axes_its_callers_pass_is_judged_by_the_models(
        tmp_path, capsys, shape, severity):
    write(tmp_path, {"rotary.py": ALIGNED, "model.py": ALIGNED_MODEL.format(shape=shape)})
    found = [d for d in run(tmp_path, capsys) if d["path"].endswith("rotary.py") and d["code"] == "TFL203"]
    assert [(d["line"], d["severity"]) for d in found] == ([(14, severity)] if severity else [])
    if severity:
        assert "slice(None) at axes 0, 1, -1, None elsewhere" in found[0]["message"]
