"""A catalog of hostile inputs, linted in one run beside a file with a known finding.

Each hostile file must yield a clear diagnostic (or, where it is not a file at all, be passed
over), the run must finish without a traceback, and the known finding must still come out.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tflint.frontends import cli

from tflint.source import files as discovery

FINDING = "import tensorflow as tf\n\ndef f(x):\n    return tf.linalg.svd(x)\n"  # TFL101 at 4:12


def _hostile_folder(root: Path) -> dict[str, tuple[str, str] | None]:
    """Write the catalog; return file name -> (expected code, words in its message), or None: no finding."""
    expected: dict[str, tuple[str, str] | None] = {}

    def write(name: str, data: bytes | str, code: str | None, words: str = "") -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        expected[name] = (code, words) if code else None

    write("known_finding.py", FINDING, "TFL101", "svd")
    write("invalid_syntax.py", "import tensorflow as tf\ndef model(x)\n    return x\n", "TFL001", "syntax error")
    write("return_outside.py", FINDING + "return 1\n", "TFL001", "'return' outside function")  # the compiler's
    write("null_bytes.py", b"import tensorflow as tf\nx = 1\x00\n", "TFL002", "NUL bytes")
    latin1 = "# caf\xe9\n" + FINDING
    write("latin1_cookie.py", ("# -*- coding: latin-1 -*-\n" + latin1).encode("latin-1"), "TFL101", "svd")
    write("latin1_no_cookie.py", latin1.encode("latin-1"), "TFL002", "encoding declaration")
    write("utf16.py", codecs.BOM_UTF16_LE + FINDING.encode("utf-16-le"), "TFL002", "UTF-16")
    write("bom.py", codecs.BOM_UTF8 + FINDING.encode(), "TFL101", "svd")
    write("crlf.py", FINDING.replace("\n", "\r\n"), "TFL101", "svd")
    write("deep_parens.py", "import tensorflow as tf\nx = " + "(" * 1000 + "1" + ")" * 1000 + "\n", "TFL001",
          "too many nested parentheses")
    write("deep_unary.py", "import tensorflow as tf\nx = tf.linalg.inv(" + "-" * 1000 + "y)\n", "TFL003",
          "nested too deeply")
    # CPython takes it; libcst's parser recurses per item (a segfault on a default 8 MB stack)
    write("long_and_chain.py", "import tensorflow as tf\nx = tf.linalg.inv(a" + " and a" * 30000 + ")\n", "TFL003",
          "nested too deeply")
    write("dir_named.py/inside.py", FINDING, "TFL101", "svd")  # a folder named like a file is searched
    write("with spaces and ünïcødé ☃.py", FINDING, "TFL101", "svd")
    write("empty.py", b"", None)
    # 5,000 classes each deriving from the one before: linear, not one walk up the chain per class
    chain = "".join(f"class C{i}(C{i - 1}):\n    pass\n" for i in range(1, 5000))
    write("deep_inheritance.py", "import keras\nclass C0(keras.layers.Layer):\n    def __init__(self, a, **kw):\n"
          "        super().__init__(**kw)\n" + chain + "c = C4999(keras.layers.Dense(2))\n", "TFL302",
          "cannot serialize")
    huge = "import tensorflow as tf\n" + "x = tf.nn.relu(tf.constant([1.0, 2.0, 3.0]))\n" * 460_000
    assert len(huge) > 20_000_000
    write("huge_20mb.py", huge, "TFL003", "so no rule checked it")
    os.mkfifo(root / "fifo.py")  # reading it would block forever
    expected["fifo.py"] = ("TFL002", "not a regular file")
    (root / "loop.py").symlink_to("loop.py")  # a symlink to itself
    expected["loop.py"] = ("TFL002", "symbolic links")
    (root / "dangling.py").symlink_to("no_such_target.py")
    expected["dangling.py"] = ("TFL002", "No such file")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to("..")  # a folder loop: never followed
    return expected


def _by_file(diagnostics: list[dict], root: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for d in diagnostics:
        out.setdefault(Path(d["path"]).relative_to(root).as_posix(), []).append(d)
    return out


def test_every_hostile_input_gets_a_clear_diagnostic_and_the_rest_still_reports(tmp_path):
    root = tmp_path / "hostile"
    root.mkdir()
    expected = _hostile_folder(root)
    proc = subprocess.run([sys.executable, "-m", "tflint", str(root), "--format", "json", "--no-cache", "--jobs", "2"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    found = _by_file(json.loads(proc.stdout)["diagnostics"], root)
    for name, want in expected.items():
        got = found.get(name, [])
        if want is None:
            assert got == [], name
            continue
        code, words = want
        assert [d["code"] for d in got] == [code], (name, got)
        assert words in got[0]["message"], (name, got[0]["message"])
    assert set(found) <= set(expected)
    # not known to be broken, only not checked: a warning (an error would claim what was not checked)
    assert found["huge_20mb.py"][0]["severity"] == "warning"


@pytest.mark.parametrize("name", ["bom.py", "crlf.py", "latin1_cookie.py"])
def test_encodings_and_line_endings_keep_positions(tmp_path, name):
    expected = _write_one(tmp_path, name)
    found = _lint_json(tmp_path / name)
    line = 6 if name == "latin1_cookie.py" else 4  # after the coding line and a comment
    assert [(d["code"], d["line"], d["col"]) for d in found] == [(expected, line, 12)]


def _write_one(root: Path, name: str) -> str:
    catalog = {"bom.py": codecs.BOM_UTF8 + FINDING.encode(), "crlf.py": FINDING.replace("\n", "\r\n").encode(),
               "latin1_cookie.py": ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + FINDING).encode("latin-1")}
    (root / name).write_bytes(catalog[name])
    return "TFL101"


def _lint_json(*paths: Path, extra: tuple[str, ...] = ()) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "tflint", *map(str, paths), "--format", "json", "--no-cache",
                           *extra], capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["diagnostics"]


def test_unreadable_file(tmp_path, monkeypatch, capsys):
    """chmod 000 for an ordinary user; as root (who reads anything) the read is made to fail the same way."""
    locked = tmp_path / "locked.py"
    locked.write_text(FINDING)
    (tmp_path / "known_finding.py").write_text(FINDING)
    if os.geteuid() == 0:
        real_open = os.open

        def refusing_open(path, flags, *args, **kwargs):
            if str(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(discovery.os, "open", refusing_open)
    else:
        locked.chmod(0)
    code = cli.main([str(tmp_path), "--format", "json", "--no-cache", "--jobs", "1"])
    found = _by_file(json.loads(capsys.readouterr().out)["diagnostics"], tmp_path)
    assert code == 1
    assert [(d["code"], d["message"]) for d in found["locked.py"]] == [("TFL002", "cannot read: Permission denied")]
    assert [d["code"] for d in found["known_finding.py"]] == ["TFL101"]


FIXABLE = "import tensorflow as tf\n\ndef f(x):\n    return tf.reshape(x, [tf.shape(x)[0], 2, 5])\n"


@pytest.mark.parametrize("newline,bom", [("\n", b""), ("\r\n", b""), ("\n", codecs.BOM_UTF8)])
def test_fix_writes_a_file_that_parses_and_keeps_encoding_and_newlines(tmp_path, newline, bom):
    path = tmp_path / "model.py"
    path.write_bytes(bom + FIXABLE.replace("\n", newline).encode())
    path.chmod(0o640)
    subprocess.run([sys.executable, "-m", "tflint", str(path), "--fix", "--no-cache", "--exit-zero"],
                   capture_output=True, timeout=60, check=True)
    data = path.read_bytes()
    assert data.startswith(bom)
    text = data[len(bom):].decode()
    assert "tf.reshape(x, [-1, 2, 5])" in text
    assert text.count(newline) == FIXABLE.count("\n")
    compile(text, str(path), "exec")
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["model.py"]  # no temporary file left beside it


def test_jobs_one_and_default_agree_and_statistics_count(tmp_path):
    root = tmp_path / "many"
    root.mkdir()
    for i in range(40):  # above the pool's threshold
        (root / f"m{i}.py").write_text(FINDING if i % 2 else FIXABLE)
    serial = _lint_json(root, extra=("--jobs", "1"))
    parallel = _lint_json(root)
    assert serial == parallel
    assert sorted({d["code"] for d in serial}) == ["TFL101", "TFL201"]
    proc = subprocess.run([sys.executable, "-m", "tflint", str(root), "--no-cache", "--statistics"],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.splitlines()[-3:] == ["20     TFL101 no-tflite-kernel", "20     TFL201 runtime-shape-reshape",
                                             "40     total"]
