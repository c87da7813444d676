"""`[tool.tflint]` discovery and validation; the settings one run lints with."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from pathlib import Path

from tflint import __version__
from tflint.report.diagnostics import Severity, code_matches
from tflint.report.sizes import parse_size
from tflint.knowledge import TARGETS, check_version
from tflint.version_spec import satisfies


class ConfigError(Exception):
    """A configuration problem: reported as one line, exit code 2."""


@dataclass(frozen=True)
class Settings:
    target: str = "builtins"
    select: tuple[str, ...] = ("TFL",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tf_version: str | None = None
    fail_on: Severity = Severity.WARNING
    unreached: str = "info"  # findings in code no model of the run reaches: "info" or "ignore"
    root: Path = field(default_factory=Path.cwd)  # where relative patterns are anchored
    noqa: bool = True  # honour `# noqa` and `# flake8: noqa`; off under flake8, which honours them itself
    respect_gitignore: bool = True  # skip the files git ignores when searching folders
    cache_dir: Path | None = None  # where `.tflint_cache/` is made (default: root)
    # --trace measurements (TFL907, TFL909): int8 error allowed per output range; budgets in bytes
    quantization_tolerance: float = 0.05
    max_model_size: int | None = None
    max_arena: int | None = None

    def enabled(self, code: str, path: str | None = None) -> bool:
        if not code_matches(code, self.select) or code_matches(code, self.ignore):
            return False
        if path is None:
            return True
        return not any(code_matches(code, codes) for pattern, codes in self.per_file_ignores
                       if _path_matches(path, pattern, self.root))

    def excluded(self, path: Path) -> bool:
        return any(_path_matches(str(path), pattern, self.root) for pattern in self.exclude)

    def cache_key(self) -> str:
        """What about the settings can change one file's findings."""
        return repr((self.target, self.select, self.ignore, self.per_file_ignores, self.tf_version))


def _path_matches(path: str, pattern: str, root: Path) -> bool:
    try:
        rel = Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = Path(path).as_posix()
    pattern = pattern.rstrip("/")
    return (fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern + "/*")
            or any(fnmatch.fnmatch(part, pattern) for part in Path(rel).parts))


def _codes(key: str, value) -> tuple[str, ...]:
    if isinstance(value, str):
        if not all(v.strip() for v in value.split(",")):
            raise ConfigError(f"{key}: empty code in {value!r} (write e.g. TFL1,TFL201)")
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key}: expected a list of codes such as [\"TFL1\", \"TFL201\"]")
    codes = tuple(v.strip().upper() for v in value)
    for code in codes:
        if not code.startswith("TFL") or not code[3:].isdigit() and code[3:] != "":
            raise ConfigError(f"{key}: {code!r} is not a tflint code or prefix (TFL, TFL1, TFL101)")
    return codes


def _patterns(key: str, value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} must be a list of path patterns")
    return tuple(value)


def _validate(raw: dict, source: str) -> dict:
    known = {"target", "select", "ignore", "exclude", "per-file-ignores", "tf-version", "fail-on", "unreached",
             *_MEASURES, *_EXTENDS, "respect-gitignore", "cache-dir", "required-version"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    out: dict = {}
    if "target" in raw:
        if raw["target"] not in TARGETS:
            raise ConfigError(f"{source}: target = {raw['target']!r}; use one of {', '.join(TARGETS)}")
        out["target"] = raw["target"]
    for key in ("select", "ignore"):
        if key in raw:
            out[key] = _codes(f"{source}: {key}", raw[key])
    if "exclude" in raw:
        out["exclude"] = _patterns(f"{source}: exclude", raw["exclude"])
    if "per-file-ignores" in raw:
        table = raw["per-file-ignores"]
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: per-file-ignores must be a table of pattern = [codes]")
        out["per_file_ignores"] = tuple((pat, _codes(f"{source}: per-file-ignores.{pat}", codes))
                                        for pat, codes in table.items())
    if "tf-version" in raw:
        if not isinstance(raw["tf-version"], str):
            raise ConfigError(f"{source}: tf-version must be a string such as \"2.21\"")
        out["tf_version"] = _tf_version(f"{source}: tf-version", raw["tf-version"])
    if "unreached" in raw:
        if raw["unreached"] not in ("info", "ignore"):
            raise ConfigError(f"{source}: unreached = {raw['unreached']!r}; use \"info\" or \"ignore\"")
        out["unreached"] = raw["unreached"]
    if "fail-on" in raw:
        try:
            out["fail_on"] = Severity.parse(str(raw["fail-on"]))
        except ValueError as e:
            raise ConfigError(f"{source}: fail-on: {e}") from None
    for key, parse in _MEASURES.items():
        if key in raw:
            out[key.replace("-", "_")] = _measure(f"{source}: {key}", parse, raw[key])
    return out | _validate_conventions(raw, source)


def tolerance(text) -> float:
    """A share of the output range: a number in (0, 1]."""
    value = float(text)
    if not 0 < value <= 1:
        raise ValueError(f"{text!r} is not a share of the output range in (0, 1], e.g. 0.05")
    return value


# --trace measurement keys: config key -> parser (also the command-line options' names)
_MEASURES = {"quantization-tolerance": tolerance, "max-model-size": parse_size, "max-arena": parse_size}


def _measure(key: str, parse, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ConfigError(f"{key}: expected a number or a string such as \"256K\"")
    try:
        return parse(value)
    except ValueError as e:
        raise ConfigError(f"{key}: {e}") from None


# `extend-select = [...]` adds to the same file's (or the default) `select`; likewise ignore, exclude.
_EXTENDS = {"extend-select": "select", "extend-ignore": "ignore", "extend-exclude": "exclude"}


def _validate_conventions(raw: dict, source: str) -> dict:
    """The keys ruff users reach for: extend-*, respect-gitignore, cache-dir, required-version."""
    out: dict = {}
    for key, extended in _EXTENDS.items():
        if key in raw:
            check = _patterns if extended == "exclude" else _codes
            out[f"extend_{extended}"] = check(f"{source}: {key}", raw[key])
    if "respect-gitignore" in raw:
        if not isinstance(raw["respect-gitignore"], bool):
            raise ConfigError(f"{source}: respect-gitignore must be true or false")
        out["respect_gitignore"] = raw["respect-gitignore"]
    if "cache-dir" in raw:
        if not isinstance(raw["cache-dir"], str) or not raw["cache-dir"]:
            raise ConfigError(f"{source}: cache-dir must be a folder's path")
        out["cache_dir"] = Path(raw["cache-dir"]).expanduser()
    if "required-version" in raw:
        _check_required(f"{source}: required-version", raw["required-version"])
    return out


def _check_required(key: str, spec) -> None:
    if not isinstance(spec, str):
        raise ConfigError(f"{key} must be a string such as \">=0.1\"")
    try:
        ok = satisfies(__version__, spec)
    except ValueError as e:
        raise ConfigError(f"{key}: {e}") from None
    if not ok:
        raise ConfigError(f"{key} {spec!r} is not met: this is tflint {__version__}")


def _read_table(path: Path) -> dict | None:
    """The tflint table of a config file, or None when a pyproject.toml has none."""
    import tomllib  # here: a run with no configuration file (a warm one, say) never needs it

    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read configuration: {e}") from None
    table = data.get("tool", {}).get("tflint")
    if path.name == "pyproject.toml":
        return table
    return table if table is not None else data


def discover(start: Path) -> Path | None:
    """The nearest tflint.toml, or pyproject.toml with a [tool.tflint] table, at or above start."""
    for folder in [start, *start.parents]:
        found = config_in(folder)
        if found is not None:
            return found
    return None


def config_in(folder: Path, names: list[str] | None = None) -> Path | None:
    """The folder's tflint.toml, else its pyproject.toml if that has a [tool.tflint] table; `names`: the
    folder's file names where the caller listed them (then nothing else is looked up on disk)."""
    for name in ("tflint.toml", "pyproject.toml"):
        if names is not None and name not in names:
            continue
        candidate = folder / name
        if (names is not None or candidate.is_file()) and (name == "tflint.toml" or _read_table(candidate) is not None):
            return candidate
    return None


def load(config_file: Path | None = None, start: Path | None = None) -> Settings:
    path = config_file or discover((start or Path.cwd()).resolve())
    if path is None:
        return Settings()
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    table = _read_table(path) or {}
    values = _validate(table, str(path))
    extensions = {field: values.pop(f"extend_{field}") for field in _EXTENDS.values() if f"extend_{field}" in values}
    root = path.resolve().parent
    if "cache_dir" in values:
        values["cache_dir"] = root / values["cache_dir"]
    return _extended(replace(Settings(root=root), **values), extensions)


def with_overrides(settings: Settings, **overrides) -> Settings:
    """Command-line values win over the file's; None means not given."""
    values = {k: v for k, v in overrides.items() if v is not None}
    if "target" in values and values["target"] not in TARGETS:
        raise ConfigError(f"--target {values['target']!r}: use one of {', '.join(TARGETS)}")
    for key in ("select", "ignore"):
        if key in values:
            values[key] = _codes(f"--{key}", values[key])
    if "tf_version" in values:
        _tf_version("--tf-version", values["tf_version"])
    if "exclude" in values:
        values["exclude"] = _cli_patterns(values["exclude"])
    return replace(settings, **values)


def with_extensions(settings: Settings, *, select: str | None, ignore: str | None, exclude: str | None) -> Settings:
    """--extend-select, --extend-ignore, --extend-exclude: added to the lists in force."""
    given = {"select": select and _codes("--extend-select", select),
             "ignore": ignore and _codes("--extend-ignore", ignore), "exclude": exclude and _cli_patterns(exclude)}
    return _extended(settings, {k: v for k, v in given.items() if v})


def _cli_patterns(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _extended(settings: Settings, extensions: dict[str, tuple[str, ...]]) -> Settings:
    return replace(settings, **{k: getattr(settings, k) + v for k, v in extensions.items()})


def _tf_version(key: str, version: str) -> str:
    try:
        check_version(version)
    except ValueError as e:
        raise ConfigError(f"{key}: {e}") from None
    return version
