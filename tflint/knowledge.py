"""What tflint knows about each TensorFlow / Keras API: the ops it emits and whether they convert.

The data lives in `tflint/rules/data/ops-tf<version>.toml` (the repository's rules/data/),
one file per TensorFlow version, stamped with that version. Every entry was produced or
verified by a real conversion. This module never imports TensorFlow.

File format:

    [meta]            tensorflow = "2.21.0", generated = "<date>", generator = "<how>"
    [constants]       "tf.image.ResizeMethod.BICUBIC" = "bicubic"   # enum names -> values
    [apis."tf.nn.fractional_max_pool"]
    aliases  = ["tf.compat.v1.nn.fractional_max_pool", "tf.raw_ops.FractionalMaxPool"]
    params   = ["value", "pooling_ratio", ...]     # to match positional arguments
    ops      = ["FractionalMaxPool"]
    builtins = "fails"    # converts | fails | unknown, per target
    select   = "fails"
    int8     = "fails"
    evidence = "'tf.FractionalMaxPool' op is neither a custom op nor a flex op"
    [apis."tf.image.resize".when.method.bicubic]   # overrides where an argument decides
    ops = ["ResizeBicubic"], builtins = "fails", ...
"""

from __future__ import annotations

import functools
import importlib.util
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

TARGETS = ("builtins", "select", "int8", "gpu")
CONVERTS, FAILS, UNKNOWN = "converts", "fails", "unknown"
# The GPU delegate runs what converts with builtins (falling back to the CPU per op), so
# conversion under `gpu` is judged like `builtins`.
_CONVERTER_TARGET = {"builtins": "builtins", "select": "select", "int8": "int8", "gpu": "builtins"}


@dataclass(frozen=True)
class Verdict:
    api: str
    ops: tuple[str, ...]
    status: Mapping[str, str]  # builtins/select/int8 -> converts | fails | unknown
    evidence: str
    condition: str = ""  # e.g. 'method="bicubic"' when an argument decided

    def on(self, target: str) -> str:
        return self.status.get(_CONVERTER_TARGET[target], UNKNOWN)


@dataclass(frozen=True)
class Entry:
    api: str
    params: tuple[str, ...]
    base: Verdict
    when: Mapping[str, Mapping[str, Verdict]]  # argument -> value -> verdict

    def verdict(self, args: Mapping[str, str]) -> Verdict:
        """The verdict for a call whose literal arguments (by parameter name) are `args`."""
        for param, by_value in self.when.items():
            value = args.get(param)
            if value is not None and value in by_value:
                return by_value[value]
        return self.base

    def verdicts(self) -> list[Verdict]:
        """The base verdict and every argument-dependent one."""
        return [self.base, *(v for by_value in self.when.values() for v in by_value.values())]


class Knowledge:
    def __init__(self, data: dict, source: Path) -> None:
        meta = data.get("meta", {})
        self.tf_version: str = meta.get("tensorflow", "unknown")
        self.generated: str = meta.get("generated", "unknown")
        self.source = source
        self.constants: dict[str, str] = data.get("constants", {})
        self._entries: dict[str, Entry] = {}
        for api, raw in data.get("apis", {}).items():
            entry = _entry(api, raw)
            for name in (api, *raw.get("aliases", ())):
                self._entries[name] = entry

    def entry(self, qualname: str) -> Entry | None:
        return self._entries.get(qualname)

    def names(self) -> Iterable[tuple[str, Entry]]:
        """Every API name and alias with its entry."""
        return self._entries.items()

    def apis(self, pattern: str = "") -> list[Entry]:
        """Entries whose API name or alias matches the glob-like pattern (empty: all)."""
        regex = re.compile(_glob_to_regex(pattern)) if pattern else None
        seen: dict[str, Entry] = {}
        for name, entry in self._entries.items():
            if regex is None or regex.search(name) or any(regex.search(op) for op in entry.base.ops):
                seen.setdefault(entry.api, entry)
        return [seen[k] for k in sorted(seen)]


def _glob_to_regex(pattern: str) -> str:
    if not any(ch in pattern for ch in "*?"):
        return re.escape(pattern)
    return "^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + "$"


def _verdict(api: str, raw: Mapping, inherited: Verdict | None = None, condition: str = "") -> Verdict:
    def pick(key, default):
        return raw.get(key, getattr(inherited, key, default) if inherited else default)

    status = {t: raw.get(t, inherited.status.get(t, UNKNOWN) if inherited else UNKNOWN)
              for t in ("builtins", "select", "int8")}
    return Verdict(api, tuple(pick("ops", ())), status, pick("evidence", ""), condition)


def _entry(api: str, raw: Mapping) -> Entry:
    base = _verdict(api, raw)
    when = {
        param: {value: _verdict(api, sub, base, f"{param}={value!r}") for value, sub in values.items()}
        for param, values in raw.get("when", {}).items()
    }
    return Entry(api, tuple(raw.get("params", ())), base, when)


def data_dir() -> Path:
    """rules/data in the repository; tflint/rules/data once installed."""
    return Path(importlib.util.find_spec("tflint.rules").origin).parent / "data"


def available_versions() -> list[str]:
    """TensorFlow versions with a knowledge file, newest first."""
    found = [p.stem.removeprefix("ops-tf") for p in data_dir().glob("ops-tf*.toml")]
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".") if x.isdigit()), reverse=True)


@functools.cache
def load(tf_version: str | None = None) -> Knowledge:
    versions = available_versions()
    if not versions:
        raise FileNotFoundError(f"no op knowledge in {data_dir()}")
    version = tf_version or versions[0]
    if version not in versions:
        raise ValueError(f"no op knowledge for TensorFlow {version} (have: {', '.join(versions)})")
    path = data_dir() / f"ops-tf{version}.toml"
    with path.open("rb") as f:
        return Knowledge(tomllib.load(f), path)
