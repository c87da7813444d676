"""Turning the probe records into rules/data/ops-tf<version>.toml (format: tflint/knowledge.py)."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date

TARGETS = ("builtins", "select", "int8")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def read(path: str) -> tuple[dict, list[dict]]:
    """The meta record and the last record of each API (a restarted worker may repeat one)."""
    meta, records, started = {}, {}, []
    with open(path) as f:
        for line in f:
            item = json.loads(line)
            if "meta" in item:
                meta = item["meta"]
            elif "start" in item:
                started.append(item["start"])
            elif "api" in item:  # not the int8 calibration marks
                records[item["api"]] = item
    return meta, [records[name] for name in sorted(records)]


def attach_raw_ops(records: list[dict], raw_ops: set[str]) -> None:
    """tf.raw_ops.X becomes an alias of the API that emits exactly op X and best matches its name."""
    candidates = defaultdict(list)
    for record in records:
        ops = record.get("ops") or []
        if record.get("status") == "probed" and len(ops) == 1 and ops[0] in raw_ops and record["api"].startswith("tf."):
            candidates[ops[0]].append(record)
    for op, found in candidates.items():
        plain = op.lower()
        best = min(found, key=lambda r: (r["api"].rsplit(".", 1)[-1].replace("_", "") != plain, len(r["api"]), r["api"]))
        best["aliases"] = sorted({*best["aliases"], f"tf.raw_ops.{op}", f"tf.compat.v1.raw_ops.{op}"})


def _verdict_lines(result: dict, base: dict | None = None) -> list[str]:
    lines = []
    if base is None or result["ops"] != base["ops"]:
        lines.append(f"ops = {toml_value(result['ops'])}")
    for target in (*TARGETS, "dynamic"):
        outcome = result.get(target)
        if outcome is None:  # dynamic: probed only for functions that convert with static shapes
            continue
        if base is None or outcome["status"] != base.get(target, {}).get("status"):
            lines.append(f"{target} = {toml_value(outcome['status'])}")
        prefix = "" if target == "builtins" else f"{target}_"
        for field, key in (("evidence", "evidence"), ("failing", "failing")):
            if outcome.get(field) and (base is None or outcome.get(field) != base.get(target, {}).get(field)):
                lines.append(f"{prefix}{key} = {toml_value(outcome[field])}")
    return lines


def _variant_lines(record: dict) -> list[str]:
    """The `when` and `given` tables, then one inline table per input dtype (what differs from the API)."""
    api = toml_value(record["api"])
    lines = []
    for param, values in record.get("when", {}).items():
        for value, result in values.items():
            lines.append(f"[apis.{api}.when.{_key(param)}.{_key(value)}]")
            lines.extend(_verdict_lines(result, record) or ["ops = " + toml_value(result["ops"])])
    for names, result in record.get("given", {}).items():
        lines.append(f"[apis.{api}.given.{_key(names)}]")
        lines.extend(_verdict_lines(result, record))
    if record.get("dtype"):
        lines.append(f"[apis.{api}.dtype]")
        lines.extend(f"{dtype} = {{{', '.join(_verdict_lines(result, record))}}}" for dtype, result in record["dtype"].items())
    return lines


def _syntax_lines(record: dict) -> list[str]:
    name = toml_value(record["api"].removeprefix("syntax."))
    lines = [f"[syntax.{name}]", f"form = {toml_value(record['form'])}", f"probe = {toml_value(record['call'])}",
             *_verdict_lines(record), f"dtypes = {toml_value(record['dtypes'])}"]
    for shape, by_dtype in record.get("shapes", {}).items():
        lines.append(f"[syntax.{name}.{shape}]")
        lines.extend(f"{dtype} = {{{', '.join(_verdict_lines(result, record))}}}" for dtype, result in by_dtype.items())
    return [*lines, ""]


def summary(records: list[dict]) -> list[str]:
    """Coverage figures, one per line (for the file's header and the run's report)."""
    apis = [r for r in records if r["kind"] != "syntax"]
    forms = [r for r in records if r["kind"] == "syntax"]
    probed = [r for r in apis if r["status"] != "unprobed"]
    folds = Counter(r["folds"] for r in probed if "folds" in r)
    return [
        f"APIs: {len(probed)} probed ({sum(r['status'] == 'no-ops' for r in probed)} emit no op), "
        f"{len(apis) - len(probed)} not probed ({100 * (len(apis) - len(probed)) / max(len(apis), 1):.1f}% of "
        f"{len(apis)}; listed in [unprobed] with the reason)",
        f"(API, parameter, value) triples probed: {sum(r.get('values_probed', 0) for r in probed)}, "
        f"{sum(len(v) for r in probed for v in r.get('when', {}).values())} change the verdict or ops (`when`)",
        f"call forms with optional tensor arguments changing the verdict (`given`): "
        f"{sum(len(r.get('given', {})) for r in probed)} in {sum(bool(r.get('given')) for r in probed)} APIs",
        f"input dtypes: {sum(len(r.get('dtypes', ())) for r in probed)} (API, dtype) pairs accepted in "
        f"{sum(bool(r.get('dtypes')) for r in probed)} APIs, {sum(len(r.get('dtype', {})) for r in probed)} "
        f"change the builtins/select verdict (`dtype`)",
        f"folding (APIs failing under builtins, applied to weights): {folds[True]} fold, {folds[False]} stay, "
        f"{folds[None]} could not be judged",
        f"syntax forms: {sum(r['status'] != 'unprobed' for r in forms)} of {len(forms)}, "
        f"{sum(r.get('variants_probed', 0) for r in forms)} (form, dtype, shape kind) variants probed",
        "",
        *coverage_table(records),
        "",
        "not probed, and why:",
        *(f"  {r['api']}: {r.get('why', r['reason'][:100])}" for r in apis if r["status"] == "unprobed"),
    ]


def coverage_table(records: list[dict]) -> list[str]:
    """Probed, no-op and unprobed APIs per namespace."""
    coverage: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        coverage[record["namespace"]][record["status"]] += 1
    lines = [f"{'namespace':<14} {'probed':>7} {'no-ops':>7} {'unprobed':>9} {'coverage':>9}"]
    for namespace in sorted(coverage):
        c = coverage[namespace]
        emitting = c["probed"] + c["unprobed"]
        pct = 100 * c["probed"] / emitting if emitting else 100
        lines.append(f"{namespace:<14} {c['probed']:>7} {c['no-ops']:>7} {c['unprobed']:>9} {pct:>8.1f}%")
    return lines


def write(meta: dict, records: list[dict], out_path: str) -> None:
    """Write the TOML file."""
    attach_raw_ops(records, set(meta.get("raw_ops", ())))
    lines = [
        f"# Op knowledge for TensorFlow {meta['tensorflow']} (Keras {meta['keras']}), generated by",
        "# `python tools/probe_ops.py` from real conversions: do not edit by hand, regenerate.",
        "# Per API: its export names, the TF ops its traced graph holds, and per target",
        "# (builtins / select / int8) converts | fails | float (int8: an op kept in float32);",
        "# then what changes the verdict: argument values (`when`), optional tensor arguments",
        "# passed (`given`), input dtypes (`dtype`; select there is read from the builtins error",
        "# codes), and Python syntax on tensors ([syntax]). Coverage:",
        *(f"#   {line}".rstrip() for line in summary(records)),
        "[meta]",
        f"tensorflow = {toml_value(meta['tensorflow'])}",
        f"keras = {toml_value(meta['keras'])}",
        f"generated = {toml_value(date.today().isoformat())}",
        f"generator = {toml_value('tools/probe_ops.py')}",
        "",
        "[constants]",
        *(f"{toml_value(k)} = {toml_value(v)}" for k, v in sorted(meta.get("constants", {}).items())),
        "",
    ]
    unprobed, syntax = [], []
    for record in records:
        if record["status"] == "unprobed":
            unprobed.append(f"{toml_value(record['api'])} = {toml_value(record['reason'])}")
            continue
        if record["kind"] == "syntax":
            syntax.extend(_syntax_lines(record))
            continue
        lines.append(f"[apis.{toml_value(record['api'])}]")
        if record["aliases"]:
            lines.append(f"aliases = {toml_value(record['aliases'])}")
        if record["params"]:
            lines.append(f"params = {toml_value(record['params'])}")
        lines.append(f"probe = {toml_value(record['call'])}")
        lines.extend(_verdict_lines(record))
        lines.extend(f"{key} = {toml_value(record[key])}" for key in ("dtypes", "out_dtypes", "folds")
                     if record.get(key) is not None)
        lines.extend(_variant_lines(record))
        lines.append("")
    lines += ["# Python syntax on tensors: the base is float32 (bool for & | ~) inputs of shape [2, 3, 4]; a table",
              "# per shape kind (static, batch = [None, 3, 4], batch_seq = [None, None, 4]; for indexing also",
              "# static_2d = [2, 4], batch_2d = [None, 4], batch_seq_2d = [None, None]) lists the dtypes whose",
              "# builtins/select verdict differs (int8 and dynamic: not probed there).",
              *syntax,
              "# APIs no probe could be built for, and why (the visible gap).", "[unprobed]", *unprobed, ""]
    with open(out_path, "w") as f:
        f.write("\n".join(lines))
