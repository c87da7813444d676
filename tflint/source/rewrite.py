"""Writing a --fix result back, only over the very bytes it was computed from, and in place.

In place, into the file's own inode, not by renaming a new file over it: a rename would turn a
symlink into a regular file (leaving its target unfixed), split hard links, drop the owner, ACLs
and extended attributes, and let anyone who can write the folder replace a file they cannot
write. The price of in place is that a crash mid-write could leave half a file, so the original
bytes are first copied beside the file (`.NAME.XXXXXXXX.tflint-backup`, mode 0600), synced
and read back; the copy is removed once the new content is synced, and is what a crash leaves.
A folder that cannot take that copy means the file is not fixed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat


class NotWritten(Exception):
    """Why a fix was not written: one line, for `tflint: PATH: not fixed: …`."""


def snapshot(data: bytes, status: os.stat_result) -> tuple:
    """What the fix was computed from: the bytes' hash and the identity of the file they were read from."""
    return hashlib.sha256(data).hexdigest(), (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def write_fix(path: str, read: tuple, new: bytes) -> None:
    """Replace the content of `path` with `new` if it is still what `read` (a snapshot) describes."""
    if not os.access(path, os.W_OK):
        raise NotWritten("no permission to write it")
    try:
        fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
        with os.fdopen(fd, "r+b") as f:
            status = os.fstat(fd)
            old = f.read() if stat.S_ISREG(status.st_mode) else None
            if old is None or snapshot(old, status) != read:
                raise NotWritten("it changed since it was read")
            backup = _backup(os.path.realpath(path), old)
            try:
                _overwrite(f, new)
            except OSError as e:
                raise NotWritten(_restored(f, old, backup, e)) from None
    except OSError as e:  # opening or reading it again
        raise NotWritten(f"cannot open and read it again: {e.strerror}") from None
    with contextlib.suppress(OSError):  # written: a copy left behind is no reason to say otherwise
        os.unlink(backup)


def _backup(real: str, data: bytes) -> str:
    import tempfile  # only when fixing: a warm run does not

    folder, name = os.path.split(real)
    try:
        fd, backup = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tflint-backup")
    except OSError as e:
        raise NotWritten(f"cannot write a backup copy in {folder or '.'}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "w+b") as f:
            _overwrite(f, data)
            f.seek(0)
            if f.read() != data:
                raise OSError(0, "the copy read back differs")
        _sync_folder(folder)
    except OSError as e:
        os.unlink(backup)
        raise NotWritten(f"cannot write a backup copy in {folder or '.'}: {e.strerror}") from None
    return backup


def _overwrite(f, data: bytes) -> None:
    f.seek(0)
    f.write(data)
    f.truncate()
    f.flush()
    os.fsync(f.fileno())


def _restored(f, old: bytes, backup: str, error: OSError) -> str:
    """Put the original back after a failed write; the message says where it is if that fails too."""
    try:
        _overwrite(f, old)
    except OSError:
        return f"writing failed ({error.strerror}); its original content is in {backup}"
    os.unlink(backup)
    return f"writing failed ({error.strerror}); left as it was"


def _sync_folder(folder: str) -> None:
    """The copy's name is on disk before the file is touched (where the file system can say so)."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass
