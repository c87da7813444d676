"""Byte sizes as people write them (`256K`, `1.5M`) and as tflint prints them."""

from __future__ import annotations

_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2, "MIB": 1024**2,
          "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}


def parse_size(text) -> int:
    """`300000`, `256K`, `1.5M`, `2G` (powers of 1024) to bytes; ValueError with a usable message."""
    raw = str(text).strip().upper()
    number = raw.rstrip("KMGIB")
    unit = raw[len(number):]
    try:
        value = float(number) * _UNITS[unit]
    except (KeyError, ValueError):
        raise ValueError(f"{text!r} is not a size in bytes (write e.g. 300000, 256K, 1.5M)") from None
    if not value > 0:
        raise ValueError(f"{text!r}: a size must be positive")
    return int(value)


def format_size(n: int) -> str:
    for unit, factor in (("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} B"
