"""The flake8 plugin: same findings as tflint, survives files libcst cannot parse, honours its option."""

import os
import subprocess
import sys

from tflint.frontends.flake8_plugin import TFLintPlugin


def _findings(source: str):
    plugin = TFLintPlugin(None, source.splitlines(keepends=True), "m.py")
    return [(line, col, message.split(" ", 1)[0]) for line, col, message, _ in plugin.run()]


def test_plugin_reports_with_flake8_columns():
    assert _findings("import tensorflow as tf\ny = tf.linalg.svd(x)\n") == [(2, 4, "TFL101")]


def test_unparsable_source_is_a_finding_not_a_crash():
    # flake8 hands plugins only code CPython parsed; code libcst cannot parse still gets a finding
    [(_, _, code)] = _findings("import tensorflow as tf\ndef f(:\n    return tf.linalg.svd(x)\n")
    assert code == "TFL001"


def test_flake8_run_on_broken_and_good_files(tmp_path):
    (tmp_path / "broken.py").write_text("import tensorflow as tf\ndef f(:\n")
    (tmp_path / "good.py").write_text("import tensorflow as tf\ny = tf.linalg.svd(x)\n")
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFL,E999", "."], cwd=tmp_path,
                          capture_output=True, text=True)
    assert "Traceback" not in proc.stderr
    assert "./good.py:2:5: TFL101" in proc.stdout and "E999" in proc.stdout and "./broken.py:2:" in proc.stdout


def test_flake8_target_option(tmp_path):
    (tmp_path / "m.py").write_text("import tensorflow as tf\ny = tf.linalg.inv(x)\n")
    (tmp_path / "setup.cfg").write_text("[flake8]\ntflint-target = select\n")
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFL", "m.py"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert "Flex delegate" in proc.stdout and "conversion fails" not in proc.stdout


NOQA_LINE = "import tensorflow as tf\ny = tf.linalg.svd(x)  # noqa: TFL101\nz = tf.linalg.svd(x)  # noqa\n"


def _flake8(root, *args):
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFL", *args, "m.py"], cwd=root,
                          capture_output=True, text=True)
    assert "Traceback" not in proc.stderr
    return proc.stdout.splitlines()


def test_flake8_honours_noqa_and_disable_noqa_shows_those_lines(tmp_path):
    (tmp_path / "m.py").write_text(NOQA_LINE)
    assert _flake8(tmp_path) == []
    assert [line.split(" ")[0] for line in _flake8(tmp_path, "--disable-noqa")] == ["m.py:2:5:", "m.py:3:5:"]


def test_file_wide_flake8_noqa(tmp_path):
    (tmp_path / "m.py").write_text("# flake8: noqa\nimport tensorflow as tf\ny = tf.linalg.svd(x)\n")
    assert _flake8(tmp_path) == []
    assert len(_flake8(tmp_path, "--disable-noqa")) == 1


def test_flake8_judges_a_file_by_the_last_tflint_runs_project_index(tmp_path):
    """A helper no model reaches is reported when flake8 sees its file alone, and left out once a
    `tflint .` run has left the project's index in the result cache."""
    from tests.unit.test_project import LAYER, MODEL, OPS, write

    write(tmp_path, {"pkg/__init__.py": "", "pkg/ops.py": OPS, "pkg/model.py": MODEL,
                     "pkg/layers.py": LAYER.format(whiten_from="pkg.ops")})
    env = {**os.environ, "TFLINT_CACHE_DIR": str(tmp_path / "user-cache")}

    def flake8() -> list[str]:
        proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFL", "pkg/ops.py"], cwd=tmp_path,
                              capture_output=True, text=True, env=env)
        return [line.split(" ")[0] for line in proc.stdout.splitlines()]

    assert flake8() == ["pkg/ops.py:6:12:", "pkg/ops.py:10:12:"]
    subprocess.run([sys.executable, "-m", "tflint", ".", "--exit-zero"], cwd=tmp_path, capture_output=True, env=env)
    assert flake8() == ["pkg/ops.py:6:12:"]


def test_forked_workers_find_what_one_process_finds(tmp_path):
    """With more than one job, the plugin loads the op knowledge and the project index before flake8
    forks its workers; what they report is what one process reports, file by file."""
    from tests.unit.test_project import LAYER, MODEL, OPS, write

    write(tmp_path, {"pkg/__init__.py": "", "pkg/ops.py": OPS, "pkg/model.py": MODEL, "other.py": NOQA_LINE,
                     "pkg/layers.py": LAYER.format(whiten_from="pkg.ops")})
    env = {**os.environ, "TFLINT_CACHE_DIR": str(tmp_path / "user-cache")}

    def flake8(jobs: str) -> list[str]:
        proc = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFL", "--disable-noqa", "-j", jobs, "."],
                              cwd=tmp_path, capture_output=True, text=True, env=env)
        assert "Traceback" not in proc.stderr
        return sorted(proc.stdout.splitlines())

    alone = flake8("1")
    assert "./pkg/ops.py:10:12: TFL" in "\n".join(alone) and flake8("2") == alone
    subprocess.run([sys.executable, "-m", "tflint", ".", "--exit-zero"], cwd=tmp_path, capture_output=True, env=env)
    settled = flake8("1")
    assert settled != alone and flake8("2") == settled


def test_what_every_file_reads_is_out_of_the_collector_before_a_first_file_without_tensorflow():
    """flake8's checks run the cyclic collector thousands of times: the op knowledge must be frozen
    out of it before the process's first file, whatever that file holds (frozen after a first file
    that names no TensorFlow, nothing was loaded yet: twice the collection time over
    tf-models-official)."""
    import gc

    from tflint import knowledge
    from tflint.frontends import flake8_plugin

    flake8_plugin._prepared.cache_clear()
    gc.unfreeze()
    try:
        assert _findings("x = 1\n") == []
        raw = knowledge.load(flake8_plugin._settings(None).tf_version)._raw
        assert gc.get_freeze_count() > 0 and not any(o is raw for o in gc.get_objects())
    finally:
        gc.unfreeze()
