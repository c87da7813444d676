"""Cache files that fail closed: sealed with this user's key, read within a size bound, anything odd a miss.

A sealed file is three parts: one line of JSON saying what the content is for (format, and e.g. the
tflint build and project folder, or the source file it was parsed from), one line with the
HMAC-SHA256 of that label and the content under a key only this user can read (`key` in the user
cache folder, made on first use), then the content. A reader rebuilds the label from what it
expects and takes the content only if both lines match. So a cache file copied from another
machine, user, project folder or tflint build, committed to a repository, truncated or
bit-flipped, is a miss, and its content is never even parsed: a checksum anyone can recompute
would not stop a crafted cache whose findings are gone; a key the attacker lacks does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import stat
from pathlib import Path

# Larger files are not read (a miss): a real result cache holds a few hundred bytes per file.
MAX_BYTES = 64 << 20
_KEY_BYTES = 32


def user_cache_dir() -> Path:
    """$TFLINT_CACHE_DIR, else $XDG_CACHE_HOME/tflint, else ~/.cache/tflint."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(os.environ.get("TFLINT_CACHE_DIR") or Path(base) / "tflint")


def user_key() -> bytes | None:
    """This user's secret for sealing caches, made on first use; None where it cannot be read or made
    (then nothing is cached), or where others could have written it."""
    path = user_cache_dir() / "key"
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        _make_key(path)
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        status = os.fstat(fd)
        key = os.read(fd, _KEY_BYTES + 1)
    finally:
        os.close(fd)
    mine = stat.S_ISREG(status.st_mode) and status.st_uid == os.geteuid() and not status.st_mode & 0o022
    return key if mine and len(key) == _KEY_BYTES else None


def _make_key(path: Path) -> None:
    """Written whole under a temporary name, then linked into place: a reader never sees half a key,
    and of two runs making one at once, both end up with the first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".key.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, os.urandom(_KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def seal(label: dict, body: bytes, key: bytes) -> bytes:
    head = _head(label)
    return head + b"\n" + _mac(key, head, body) + b"\n" + body


def unseal(data: bytes, label: dict, key: bytes) -> bytes | None:
    """The content of a file sealed with this label and key; None for anything else."""
    parts = data.split(b"\n", 2)
    if len(parts) != 3:
        return None
    head, mac, body = parts
    if head != _head(label) or not hmac.compare_digest(mac, _mac(key, head, body)):
        return None
    return body


def dumps(value) -> bytes:
    """JSON as UTF-8 (file names that are not UTF-8 kept as their bytes), without \\u escapes."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogateescape")


def loads(body: bytes):
    """What `dumps` wrote; None for anything else: not JSON, nested too deeply, or escaping a lone
    surrogate (dumps never does; such a string would fail when printed)."""
    if _SURROGATE_ESCAPE.search(body):
        return None
    try:
        return json.loads(body.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError):
        return None


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _head(label: dict) -> bytes:
    return json.dumps(label, sort_keys=True, separators=(",", ":")).encode()


def _mac(key: bytes, head: bytes, body: bytes) -> bytes:
    return hmac.new(key, head + b"\n" + body, hashlib.sha256).hexdigest().encode()


def read_bounded(path: Path, limit: int = MAX_BYTES) -> bytes | None:
    """The file's bytes, or None if it cannot be read, is not a regular file, or holds more than `limit`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO put there must not block the run
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            data = f.read(limit + 1)
    except OSError:
        return None
    return data if len(data) <= limit else None


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write beside `path` and rename over it: a reader sees the old file or the new one, never half.
    The file is private to this user (mkstemp's 0o600) unless `mode` says otherwise."""
    import tempfile  # only when writing: a warm run does not

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
