"""The result cache answers unchanged files with the same findings and never hides a change."""

import os
import time
from unittest import mock

import pytest

from tflint.frontends import cache

from tflint.frontends import cli

SVD = "import tensorflow as tf\ny = tf.linalg.svd(x)\n"  # TFL101
INV = "import tensorflow as tf\ny = tf.linalg.inv(x)\n"  # TFL102, same size
FIXABLE = "import tensorflow as tf\ny = tf.reshape(x, [tf.shape(x)[0], 10])\n"  # TFL201 with a fix


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.py").write_text(SVD)
    return tmp_path


def run(capsys, *args) -> str:
    cli.main(["--jobs", "1", *args])
    return capsys.readouterr().out


def linted(capsys, *args) -> tuple[str, list[str]]:
    """The output, and the files the engine linted (the rest came from the cache)."""
    real = cli._lint_all
    seen: list[str] = []

    def spy(files, *rest):
        seen.extend(files)
        return real(files, *rest)

    with mock.patch.object(cli, "_lint_all", spy):
        return run(capsys, *args), seen


def settled():
    """Pretend every file was last changed long ago, so the cache records its status."""
    now = time.time_ns()
    return mock.patch.object(cache.time, "time_ns", lambda: now + 10**10)


def test_a_warm_run_answers_from_the_cache_with_the_same_output(project, capsys):
    cold, linted_cold = linted(capsys, ".")
    warm, linted_warm = linted(capsys, ".")
    assert "TFL101" in cold and warm == cold
    assert linted_cold == ["model.py"] and linted_warm == []


def test_a_changed_file_is_linted_again(project, capsys):
    run(capsys, ".")
    (project / "model.py").write_text(INV)
    out, again = linted(capsys, ".")
    assert again == ["model.py"] and "TFL102" in out and "TFL101" not in out


def test_a_change_that_keeps_size_and_modification_time_is_still_seen(project, capsys):
    path = project / "model.py"
    with settled():
        run(capsys, ".")
    before = path.stat()
    path.write_text(INV)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or an unpacked archive leave it
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    out, again = linted(capsys, ".")
    assert again == ["model.py"] and "TFL102" in out


def test_a_settled_unchanged_file_is_answered_from_its_status_without_reading_it(project, capsys):
    with settled():
        first = run(capsys, ".")
    with mock.patch.object(cache, "read_source_and_stat", side_effect=AssertionError("read")):
        out, again = linted(capsys, ".")
    assert out == first and again == []


def test_a_file_changed_within_the_last_second_is_always_read_again(project, capsys):
    run(capsys, ".")  # model.py was written just now: its status is not trusted
    with mock.patch.object(cache, "read_source_and_stat", wraps=cache.read_source_and_stat) as read:
        linted(capsys, ".")
    assert read.called


def test_settings_have_caches_of_their_own(project, capsys):
    run(capsys, ".")
    out, again = linted(capsys, ".", "--target", "select")
    assert again == ["model.py"] and "TFL101" in out


def test_a_corrupt_cache_is_ignored(project, capsys):
    first = run(capsys, ".")
    for entry in (project / cache.DIR_NAME).glob("*.cache"):
        entry.write_bytes(b"\x00garbage")
    out, again = linted(capsys, ".")
    assert out == first and again == ["model.py"]


def test_caches_unused_for_a_month_are_removed(project, capsys):
    run(capsys, ".")
    old = project / cache.DIR_NAME / "0123.cache"
    old.write_bytes(b"")
    os.utime(old, (time.time() - 40 * 86400,) * 2)
    format_1 = project / cache.DIR_NAME / "4567.marshal"  # the format before: never read again
    format_1.write_bytes(b"")
    run(capsys, "--target", "select", ".")  # writes a cache of its own
    assert not old.exists() and not format_1.exists()
    assert len(list((project / cache.DIR_NAME).glob("*.cache"))) == 2


def test_no_cache_writes_nothing(project, capsys):
    run(capsys, "--no-cache", ".")
    assert not (project / cache.DIR_NAME).exists()


def test_fix_does_not_take_a_cached_result_that_has_a_fix(project, capsys):
    (project / "model.py").write_text(FIXABLE)
    run(capsys, ".")
    linted(capsys, "--fix", ".")
    assert "-1" in (project / "model.py").read_text()


LAYER = "import keras\nimport tensorflow as tf\n\ndef helper(x):\n    return tf.linalg.svd(x)\n"
MODEL = "import keras\nfrom layer import helper\n\ninputs = keras.Input((4, 4))\nmodel = keras.Model(inputs, helper(inputs))\n"


@pytest.fixture
def two_modules(project):
    """helper() fails in layer.py; model.py's model reaches it (an error), a run without model.py does
    not (info). With model.py (svd at module level) that makes three files."""
    (project / "layer.py").write_text(LAYER)
    (project / "model2.py").write_text(MODEL)
    return project


def no_index():
    from tflint.project.index import Index

    return mock.patch.object(Index, "build", side_effect=AssertionError("the project index was built"))


def test_each_of_a_few_sets_of_files_keeps_its_project_answer(two_modules, capsys):
    whole, part = run(capsys, "."), run(capsys, "layer.py", "model.py")
    assert "layer.py:5:12: TFL101" in whole and "[info: no model" in part
    with no_index():  # alternating between them: both answers come from the cache
        assert run(capsys, ".") == whole and run(capsys, "layer.py", "model.py") == part


def test_a_warm_project_run_reads_no_summary(two_modules, capsys):
    cold = run(capsys, ".")
    with mock.patch.object(cache.Cache, "summary", side_effect=AssertionError("a summary was read")):
        assert run(capsys, ".") == cold


@pytest.mark.parametrize("damage", ["deleted", "wrong shape"])
def test_lost_summaries_are_made_again_from_the_files(two_modules, capsys, damage):
    cold = run(capsys, ".")
    summaries = next((two_modules / cache.DIR_NAME).glob("*.summaries"))
    store = cli.result_cache(cli._settings(cli.build_parser().parse_args(["."])), project=True)
    if damage == "deleted":
        summaries.unlink()
    else:
        for content in store._kept_summaries():
            store._kept_summaries()[content] = {"imports": [], "defs": 3}
        store._summaries_changed = True
    store.runs = []  # the settled answers forgotten: the index must be built again
    store.changed = True
    store.save()
    real, again = cli._lint_one, []
    with mock.patch.object(cli, "_lint_one", lambda job: again.append(job[0]) or real(job)):
        assert run(capsys, ".") == cold
    assert sorted(again) == ["layer.py", "model.py", "model2.py"]  # for their summaries, then kept
    with no_index():
        assert linted(capsys, ".") == (cold, [])
