"""The result cache and the op knowledge cache fail closed: whatever is in their files, the findings are
those of `--no-cache`, with no crash and no traceback (issue 14's reproductions, one test each)."""

from __future__ import annotations

import json
import marshal
import os
import pickle
import resource
import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from tflint import cachefile, knowledge
from tflint.frontends import cache, cli
from tflint.knowledge import loading
from tflint.report.diagnostics import FileResult

SVD = "import tensorflow as tf\ny = tf.linalg.svd(x)\n"  # TFL101
INV = "import tensorflow as tf\ny = tf.linalg.inv(x)\n"  # TFL102
FIXABLE = "import tensorflow as tf\ny = tf.reshape(x, [tf.shape(x)[0], 10])\n"  # TFL201 with a fix

# The 13 bytes that segfault marshal.loads, then other payloads no loader may trust.
PAYLOADS = {
    "marshal segfault": b"{\xa8\x01\x00\x00\x00r\x00\x00\x00\x00N0",
    "marshal huge list": b"[\xff\xff\xff\x7f" + b"N" * 64,
    "marshal huge string": b"s\xff\xff\xff\x7f" + b"x" * 64,
    "pickle": pickle.dumps({"entries": [1, 2, 3]}) + b"cos\nsystem\n(S'echo pwned'\ntR.",
    "deep nesting": b"[" * 200_000,
    "empty": b"",
}


def _write_project(root: Path) -> Path:
    root.mkdir()
    for name, text in (("svd.py", SVD), ("inv.py", INV), ("fixable.py", FIXABLE)):
        (root / name).write_text(text)
    return root


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Three files with findings, a user cache of the test's own; the working folder is the project."""
    root = _write_project(tmp_path / "project")
    monkeypatch.chdir(root)
    monkeypatch.setenv("TFLINT_CACHE_DIR", str(tmp_path / "user-cache"))
    return root


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One project and user cache for the payload tests (each rewrites what it broke), and its findings."""
    folder = tmp_path_factory.mktemp("shared")
    root = _write_project(folder / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("TFLINT_CACHE_DIR", str(folder / "user-cache"))
        code, want, err = lint("--no-cache", ".")
        assert code == 1 and {d["code"] for d in want} == {"TFL101", "TFL102", "TFL201"}, err
        lint(".")  # writes the result cache: each test breaks it, the run after rewrites it
        yield root, want


def lint(*args: str) -> tuple[int, list[dict], str]:
    """tflint in a child (a crash must not take the tests down), at most 2 GB of memory and 60 s."""
    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.run([sys.executable, "-m", "tflint", "--format", "json", "--jobs", "1", *args],
                          capture_output=True, text=True, timeout=60, preexec_fn=limited)
    diagnostics = json.loads(proc.stdout)["diagnostics"] if proc.returncode in (0, 1) else None
    return proc.returncode, diagnostics, proc.stderr


def overwrite_all(folder: Path, data: bytes, keep: tuple[str, ...] = (".gitignore", "key")) -> int:
    written = 0
    for path in folder.iterdir():
        if path.is_file() and path.name not in keep:
            path.write_bytes(data)
            written += 1
    return written


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS)
def test_a_crafted_result_cache_is_a_miss(shared, payload):
    """The 13 bytes segfaulted every run until the folder was deleted."""
    root, want = shared
    assert overwrite_all(root / cache.DIR_NAME, payload)
    code, got, err = lint(".")
    assert (code, got) == (1, want) and "Traceback" not in err, err


@pytest.mark.parametrize("payload", [PAYLOADS["marshal segfault"], PAYLOADS["marshal huge list"]],
                         ids=["marshal segfault", "marshal huge list"])
def test_a_crafted_knowledge_cache_is_a_miss(shared, payload):
    """The same 13 bytes in the knowledge cache; the fuzz (tests/fuzz/test_cache_fuzz.py) tries the rest."""
    root, want = shared
    assert overwrite_all(Path(os.environ["TFLINT_CACHE_DIR"]), payload)
    code, got, err = lint("--no-cache", ".")
    assert (code, got) == (1, want) and "Traceback" not in err, err


def test_a_knowledge_cache_of_the_wrong_shape_drops_nothing(project):
    """A valid marshal dict of the wrong shape in the knowledge cache silently dropped TFL102: here a run
    whose TOML parser gives a table of the wrong shape writes the cache, and the next run uses it."""
    poisoned = ("import tomllib, runpy, sys; tomllib.load = lambda f: {'apis': {'tf.nothing': {}}}; "
                "sys.argv = ['tflint', '--no-cache', '.']; runpy.run_module('tflint', run_name='__main__')")
    subprocess.run([sys.executable, "-c", poisoned], capture_output=True, timeout=60)
    code, got, err = lint("--no-cache", "inv.py")
    assert code == 1 and [d["code"] for d in got] == ["TFL102"], err


def _settings():
    return cli._settings(cli.build_parser().parse_args(["."]))


def _store() -> cache.Cache:
    settings = _settings()
    return cli.result_cache(settings, project=True)


def _rewrite_entries(change) -> None:
    """Rewrite the result cache the way tflint itself writes it, with `change` applied to every entry."""
    store = _store()
    assert store.entries
    for path, entry in list(store.entries.items()):
        store.entries[path] = change(entry)
    store.runs = []  # the settled runs: the entries alone answer
    store.changed = True
    store.save()


def _first_diagnostic(position: int, value):
    """The entry with its first diagnostic's field at `position` (cache._fields' order) set to `value`."""
    def change(entry):
        raw = list(entry[2][0])
        raw[position] = value(raw) if callable(value) else value
        return [entry[0], entry[1], [raw, *entry[2][1:]], *entry[3:]]
    return change


WRONG_ENTRIES = {
    "not a list": lambda e: "entry",
    "too short": lambda e: e[:2],
    "status a string": lambda e: [e[0], "status", *e[2:]],
    "digest a list": lambda e: [[e[0]], *e[1:]],
    "diagnostics not a list": lambda e: [e[0], e[1], 5, *e[3:]],
    "diagnostic not a list": lambda e: [e[0], e[1], [1], *e[3:]],
    "diagnostic too short": lambda e: [e[0], e[1], [e[2][0][:12]], *e[3:]],
    "diagnostic a dict": lambda e: [e[0], e[1], [{"line": 2, "fix": None}], *e[3:]],
    "reach not a reach": _first_diagnostic(14, "anywhere"),
    "layer_site not a bool": _first_diagnostic(15, 0),
    "fails_if_dynamic unknown": _first_diagnostic(16, "2"),
    "fails_if_dynamic a number": _first_diagnostic(16, 2),
    "fails_if_flag too short": _first_diagnostic(17, [0, 0]),
    "fails_if_flag position a string": _first_diagnostic(17, [0, 0, "1", None]),
    "fails_if_flag default not a bool": _first_diagnostic(17, [0, 0, 1, "yes"]),
    "too long": lambda e: [*e, {"imports": [], "defs": {}}],
    "line a string": _first_diagnostic(0, "2"),
    "line negative": _first_diagnostic(0, -1),
    "message index out of range": _first_diagnostic(7, 10**6),
    "message index a string": _first_diagnostic(7, "svd"),
    "severity not a severity": _first_diagnostic(6, lambda raw: raw[4]),  # the code's string
    "confirmed a number": _first_diagnostic(9, 1),
    "fix of the wrong shape": _first_diagnostic(10, [0]),
    "related of the wrong shape": _first_diagnostic(11, [[3]]),
    "ops a string": _first_diagnostic(12, "Svd"),
}


@pytest.mark.parametrize("change", WRONG_ENTRIES.values(), ids=WRONG_ENTRIES)
def test_result_cache_entries_of_the_wrong_shape_are_misses(project, capsys, change):
    """Entries of the wrong shape gave tracebacks (TypeError, KeyError: 'fix')."""
    cli.main(["--no-cache", "--format", "json", "--jobs", "1", "."])
    want = capsys.readouterr().out
    cli.main(["--format", "json", "--jobs", "1", "."])
    capsys.readouterr()
    _rewrite_entries(change)
    assert cli.main(["--format", "json", "--jobs", "1", "."]) == 1
    assert capsys.readouterr().out == want


def test_a_committed_cache_is_ignored(project, tmp_path, monkeypatch, capsys):
    """A cache committed to a repository, with the right digests and no findings, made a fresh clone
    at the same path lint clean. Here it was made by another user (another user cache folder)."""
    def run() -> str:
        cli.main(["--format", "json", "--jobs", "1", "."])
        return capsys.readouterr().out

    cli.main(["--no-cache", "--format", "json", "--jobs", "1", "."])
    want = capsys.readouterr().out
    monkeypatch.setenv("TFLINT_CACHE_DIR", str(tmp_path / "attacker"))
    run()
    _rewrite_entries(lambda entry: [entry[0], None, [], *entry[3:]])
    assert json.loads(run())["diagnostics"] == []  # the attacker's own cache does what the attacker wants
    clone = tmp_path / "clone"
    os.rename(project, clone)
    os.mkdir(project)
    for path in clone.iterdir():  # `git clone` of a repository holding .tflint_cache/, at the same path
        os.rename(path, project / path.name)
    monkeypatch.chdir(project)
    monkeypatch.setenv("TFLINT_CACHE_DIR", str(tmp_path / "victim"))
    assert run() == want


def test_a_cache_of_another_folder_or_build_is_not_read(project, monkeypatch):
    settings = _settings()
    store = cli.result_cache(settings, project=True)
    store.put(str(project / "svd.py"), ("digest", None), FileResult(str(project / "svd.py")))
    store.save()
    assert cli.result_cache(settings, project=True).entries
    assert not cli.result_cache(replace(settings, root=project / "elsewhere"), project=True).entries
    monkeypatch.setattr(cache, "_build_fingerprint", lambda: "another build")
    assert not cli.result_cache(settings, project=True).entries


def test_old_knowledge_caches_are_removed(project):
    """One 417 KB marshal file was left per install, forever."""
    user_cache = Path(os.environ["TFLINT_CACHE_DIR"])
    user_cache.mkdir()
    for old in ("ops-tf2.21-417000-1764000000000000000.marshal", "ops-tf2.20-416000-1763000000000000000.marshal"):
        (user_cache / old).write_bytes(marshal.dumps({}))
    lint(".")
    assert sorted(p.name for p in user_cache.iterdir()) == ["key", "ops-tf2.21.cache"]


def test_the_shipped_knowledge_has_the_shape_the_cache_checks():
    """Else its cache would never be written, and every run would parse the TOML."""
    for path in knowledge.data_dir().glob("ops-tf*.toml"):
        assert loading.well_formed(tomllib.loads(path.read_text())), path


KNOWLEDGE_OF_THE_WRONG_SHAPE = {
    "not a table": [],
    "no apis": {"meta": {}},
    "empty apis": {"meta": {}, "apis": {}},
    "unknown table": {"meta": {}, "apis": {"tf.a": {}}, "more": {}},
    "unknown status": {"meta": {}, "apis": {"tf.a": {"builtins": "maybe"}}},
    "ops a string": {"meta": {}, "apis": {"tf.a": {"ops": "Abs"}}},
    "unknown key": {"meta": {}, "apis": {"tf.a": {"bultins": "fails"}}},
    "when of the wrong depth": {"meta": {}, "apis": {"tf.a": {"when": {"method": {"builtins": "fails"}}}}},
    "unknown shape kind": {"meta": {}, "apis": {"tf.a": {}}, "syntax": {"s": {"form": "x", "wide": {}}}},
}


@pytest.mark.parametrize("data", KNOWLEDGE_OF_THE_WRONG_SHAPE.values(), ids=KNOWLEDGE_OF_THE_WRONG_SHAPE)
def test_a_sealed_knowledge_table_of_the_wrong_shape_is_a_miss(project, data):
    key = cachefile.user_key()
    label = {"format": loading.FORMAT, "of": "ops-tf2.21.toml", "sha256": "0" * 64}
    assert loading.decode(cachefile.seal(label, cachefile.dumps({"meta": {}, "apis": {"tf.a": {}}}), key), label, key)
    assert loading.decode(cachefile.seal(label, cachefile.dumps(data), key), label, key) is None


def test_the_key_is_the_users_alone(project):
    key = cachefile.user_key()
    path = cachefile.user_cache_dir() / "key"
    assert len(key) == 32 and path.stat().st_mode & 0o777 == 0o600 and cachefile.user_key() == key
    path.chmod(0o622)  # others could have written it: not trusted, nothing is cached
    assert cachefile.user_key() is None


def test_without_a_user_cache_folder_nothing_is_cached_and_nothing_breaks(project, monkeypatch, capsys):
    monkeypatch.setenv("TFLINT_CACHE_DIR", str(project / "svd.py" / "cache"))  # under a file: cannot be made
    assert cachefile.user_key() is None
    for _ in range(2):
        assert cli.main(["--jobs", "1", "."]) == 1
        assert "TFL101" in capsys.readouterr().out
    assert not (project / cache.DIR_NAME).exists()
