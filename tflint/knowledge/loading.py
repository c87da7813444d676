"""The op knowledge file's table: parsed from its TOML, or read from a sealed JSON copy in the user's cache.

tomllib takes 150 ms (CPU) on the 737 KB file, more than linting a file; the copy (JSON, sealed
with the user's key by tflint/cachefile.py, labelled with the TOML's SHA-256) is read, checked
and loaded in 20 ms (JSON 7 ms, the shape 8 ms; marshal loaded no faster: 7 ms). The copy is one file per TensorFlow version (`ops-tf<version>.cache`): a
new TOML overwrites it, so nothing piles up; format 1's marshal files are deleted. A copy of
the wrong label, key or shape is a miss: the TOML is parsed again and the copy rewritten.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from tflint.cachefile import dumps, loads, read_bounded, seal, unseal, user_cache_dir, user_key, write_atomically

FORMAT = 2  # 1 was marshal
_STATUSES = ("converts", "fails", "unknown", "float")
_STATUS_KEYS = ("builtins", "select", "int8", "dynamic")
_PREFIXES = ("", "select_", "int8_", "dynamic_")
_TABLES = {"meta", "constants", "apis", "syntax", "unprobed"}
_SHAPE_KINDS = ("static", "batch", "batch_seq", "static_2d", "batch_2d", "batch_seq_2d")  # SyntaxEntry's


def parsed(path: Path) -> dict:
    """The TOML file's table, through the cached copy when it is this file's."""
    source = path.read_bytes()
    copy, label = cached_copy(path, source)
    key = user_key()
    sealed = read_bounded(copy) if key else None
    cached = decode(sealed, label, key) if sealed else None
    if cached is not None:
        return cached
    import tomllib  # here: a warm run, answered by the result cache, never parses the table

    data = tomllib.load(io.BytesIO(source))
    if key and well_formed(data):
        _store(copy, label, key, data)
    return data


def cached_copy(path: Path, source: bytes) -> tuple[Path, dict]:
    """Where the copy of the TOML file `path` (whose bytes are `source`) is kept, and its label."""
    label = {"format": FORMAT, "of": path.name, "sha256": hashlib.sha256(source).hexdigest()}
    return user_cache_dir() / f"{path.stem}.cache", label


def decode(sealed: bytes, label: dict, key: bytes) -> dict | None:
    """The table in a copy sealed with this label and key, if it has the right shape; else None."""
    body = unseal(sealed, label, key)
    data = loads(body) if body else None
    return data if well_formed(data) else None


def _store(copy: Path, label: dict, key: bytes, data: dict) -> None:
    try:
        write_atomically(copy, seal(label, dumps(data), key))
        for old in copy.parent.glob("ops-tf*.marshal"):
            old.unlink(missing_ok=True)
    except OSError:
        pass  # read-only home: parse every time


def well_formed(data) -> bool:
    """The shape knowledge/__init__.py reads: [meta], [constants], [apis."…"] (non-empty), [syntax."…"],
    [unprobed], with the keys and value types the module's docstring lists, and nothing else."""
    if type(data) is not dict or not {"meta", "apis"} <= data.keys() <= _TABLES:
        return False
    apis, syntax = data["apis"], data.get("syntax", {})
    return (_str_map(data["meta"]) and _str_map(data.get("constants", {})) and _str_map(data.get("unprobed", {}))
            and type(apis) is dict and bool(apis) and all(_api_ok(raw) for raw in apis.values())
            and type(syntax) is dict and all(_syntax_ok(raw) for raw in syntax.values()))


def _api_ok(raw) -> bool:
    if type(raw) is not dict:
        return False
    special = {k: raw[k] for k in _API_ONLY.keys() & raw.keys()}
    return (all(check(special[k]) for k, check in _API_ONLY.items() if k in special)
            and _verdict_ok({k: v for k, v in raw.items() if k not in special}))


def _syntax_ok(raw) -> bool:
    """A verdict with a `form` and `dtypes`, and per shape kind a table of per-dtype verdicts."""
    if type(raw) is not dict or type(raw.get("form")) is not str or not _strs(raw.get("dtypes", [])):
        return False
    kinds = {k: v for k, v in raw.items() if k in _SHAPE_KINDS}
    plain = {k: v for k, v in raw.items() if k not in kinds and k not in ("form", "dtypes")}
    return _verdict_ok(plain) and all(_map_of(_verdict_ok)(by_dtype) for by_dtype in kinds.values())


def _verdict_ok(raw) -> bool:
    """Statuses, evidence, failing ops per target; ops; the probe."""
    return type(raw) is dict and all(_VERDICT.get(k, _never)(v) for k, v in raw.items())


def _never(value) -> bool:
    return False


def _status(value) -> bool:
    return type(value) is str and value in _STATUSES


def _str(value) -> bool:
    return type(value) is str


def _strs(value) -> bool:
    return type(value) is list and all(type(v) is str for v in value)


def _str_map(value) -> bool:
    return type(value) is dict and all(type(v) is str for v in value.values())


def _map_of(check):
    return lambda value: type(value) is dict and all(check(v) for v in value.values())


_VERDICT = {"ops": _strs, "probe": _str,
            **{k: _status for k in _STATUS_KEYS},
            **{p + "evidence": _str for p in _PREFIXES}, **{p + "failing": _strs for p in _PREFIXES}}
_API_ONLY = {"aliases": _strs, "params": _strs, "dtypes": _strs, "out_dtypes": _str_map,
             "folds": lambda value: type(value) is bool, "when": _map_of(_map_of(_verdict_ok)),
             "given": _map_of(_verdict_ok), "dtype": _map_of(_verdict_ok)}
