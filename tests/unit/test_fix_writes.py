"""`--fix` writes only over what it read, only what the user could write, in place, and every byte it
does not fix stays as it was (issue 14's reproductions, one test each)."""

from __future__ import annotations

import errno
import os

import pytest

from tflint.frontends import cli

FIXABLE = "import tensorflow as tf\n\ndef build_model(x):\n    return tf.reshape(x, [tf.shape(x)[0], 2, 5])\n"  # TFL201
FIXED = FIXABLE.replace("[tf.shape(x)[0], 2, 5]", "[-1, 2, 5]")
FINDING = "import tensorflow as tf\n\ndef build_model(x):\n    return tf.linalg.svd(x)\n"  # TFL101, nothing to fix; a factory: model code in a project run too


def fix(capsys, *paths) -> tuple[int, str, str]:
    code = cli.main(["--fix", "--no-cache", "--jobs", "1", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


def model(folder, text: str = FIXABLE, name: str = "model.py"):
    path = folder / name
    path.write_text(text)
    return path


def _append(path):
    with path.open("a") as f:
        f.write("# edit\n")


def _same_size_and_time(path):
    """A change that keeps size and modification time: only the content tells."""
    before = path.stat()
    path.write_text(path.read_text().replace("def build_model(x)", "def build_modem(x)"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("edit", [_append, _same_size_and_time])
def test_an_edit_made_while_tflint_runs_is_kept(tmp_path, capsys, monkeypatch, edit):
    """`tflint --fix a.py slow.py` with `echo "# edit" >> a.py` meanwhile lost the edit."""
    path = model(tmp_path)
    real_run = cli._run

    def run_then_edit(*args):
        results = real_run(*args)
        edit(path)
        return results

    monkeypatch.setattr(cli, "_run", run_then_edit)
    code, out, err = fix(capsys, path)
    edited = path.read_text()
    assert edited != FIXABLE and "[tf.shape(x)[0], 2, 5]" in edited
    assert err == f"tflint: {path}: not fixed: it changed since it was read\n"
    assert code == 1 and "TFL201" in out


def test_a_file_the_user_cannot_write_is_not_fixed(tmp_path, capsys, monkeypatch):
    """It was renamed over anyway (another user in a writable folder took a root-owned 644 file).
    chmod 444 for an ordinary user; as root (who may write anything) the permission check says no."""
    path = model(tmp_path)
    if os.geteuid() == 0:
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: not (str(p) == str(path) and mode & os.W_OK)
                            and real_access(p, mode, **kw))
    else:
        path.chmod(0o444)
    code, out, err = fix(capsys, path)
    assert path.read_text() == FIXABLE
    assert err == f"tflint: {path}: not fixed: no permission to write it\n"
    assert code == 1 and "TFL201" in out


def test_fix_keeps_the_file_its_mode_and_owner(tmp_path, capsys):
    """A rename gave a new inode, owned by whoever ran tflint."""
    path = model(tmp_path)
    path.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)  # nobody's file, fixed by root: still nobody's
    before = path.stat()
    fix(capsys, path)
    after = path.stat()
    assert path.read_text() == FIXED
    assert (after.st_ino, after.st_mode, after.st_uid, after.st_gid) == (
        before.st_ino, before.st_mode, before.st_uid, before.st_gid)


def test_fix_writes_through_a_symlink(tmp_path, capsys):
    """The symlink became a regular file and its target stayed unfixed."""
    target = model(tmp_path, name="target.py")
    link = tmp_path / "link.py"
    link.symlink_to(target.name)
    fix(capsys, link)
    assert link.is_symlink() and os.readlink(link) == "target.py"
    assert target.read_text() == FIXED


def test_fix_keeps_hard_links_one_file(tmp_path, capsys):
    first = model(tmp_path, name="first.py")
    second = tmp_path / "second.py"
    os.link(first, second)
    fix(capsys, first)
    assert second.read_text() == FIXED and os.path.samefile(first, second)


def test_a_folder_that_cannot_take_a_copy_is_a_message_and_the_rest_still_reports(tmp_path, capsys, monkeypatch):
    """In a read-only folder --fix printed a PermissionError traceback and no findings. A real read-only
    folder for an ordinary user; as root (who may write anything) creating a file there is refused."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    path = model(folder)
    other = model(tmp_path, FINDING, "other.py")
    if os.geteuid() == 0:
        real_open = os.open

        def refusing_open(file, flags, *args, **kwargs):
            if flags & os.O_CREAT and os.path.dirname(os.path.abspath(file)) == str(folder):
                raise PermissionError(errno.EACCES, "Permission denied", file)
            return real_open(file, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    else:
        folder.chmod(0o555)
    try:
        code, out, err = fix(capsys, path, other)
    finally:
        folder.chmod(0o755)
    assert path.read_text() == FIXABLE
    assert err == f"tflint: {path}: not fixed: cannot write a backup copy in {folder}: Permission denied\n"
    assert code == 1 and f"{path}:4:" in out and f"{other}:4:12: TFL101" in out
    assert os.listdir(folder) == ["model.py"]


def test_a_failed_write_puts_the_original_back(tmp_path, capsys, monkeypatch):
    """The disk fills up halfway through writing the file: it is restored from the copy."""
    from tflint.source import rewrite

    path = model(tmp_path)
    real_overwrite = rewrite._overwrite
    calls = []

    def full_disk_once(f, data):
        calls.append(data)
        if len(calls) == 2:  # the first writes the backup copy, the second the fix
            f.seek(0)
            f.write(data[:10])
            f.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        real_overwrite(f, data)

    monkeypatch.setattr(rewrite, "_overwrite", full_disk_once)
    code, out, err = fix(capsys, path)
    assert path.read_text() == FIXABLE and os.listdir(tmp_path) == ["model.py"]
    assert err == f"tflint: {path}: not fixed: writing failed (No space left on device); left as it was\n"


_ENDINGS = {"lf": ["\n"], "crlf": ["\r\n"], "cr": ["\r"], "mixed": ["\n", "\r\n", "\r", "\r\n"]}


@pytest.mark.parametrize("final", [True, False], ids=["final newline", "no final newline"])
@pytest.mark.parametrize("style", _ENDINGS)
def test_every_line_ending_style_round_trips(tmp_path, capsys, style, final):
    """A file with CR-only line endings lost its final \\r."""
    lines = FIXABLE.splitlines() + ["y = 1"]
    endings = _ENDINGS[style]
    text = "".join(line + endings[i % len(endings)] for i, line in enumerate(lines))
    if not final:
        text = text.rstrip("\r\n")
    path = tmp_path / "model.py"
    path.write_bytes(text.encode())
    fix(capsys, path)
    assert path.read_bytes() == text.replace("[tf.shape(x)[0], 2, 5]", "[-1, 2, 5]").encode()


def test_a_line_libcst_cannot_give_back_is_never_lost(tmp_path, capsys):
    """libcst's tree of this file has no `# keep me` line: writing its code would delete it. Not fixed."""
    text = FIXABLE + "x = 1\n    # keep me\n  \n"
    path = model(tmp_path, text)
    code, out, _ = fix(capsys, path)
    assert path.read_text() == text and "TFL201" in out
