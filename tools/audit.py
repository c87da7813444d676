"""Real-world audit: does every `error` tflint reports on tf-models-official really fail to convert?

    python tools/audit.py [--corpus DIR] [--target builtins|select|int8] [--verbose]

1. Runs tflint over the corpus (bench/corpus.py fetches it) with `--format json`.
2. For every error, finds the reported expression with tflint's own resolver and builds a
   minimal reproduction of it: a tf.Module whose tf.function makes the same call with the same
   literal arguments, where arguments read from `self` (layer weights) become tf.Variables and
   every other argument becomes the function's input. A float64 finding becomes the same
   operator on a float64 input.
3. Converts every reproduction with the real converter (one child process with TensorFlow) under
   the target: a ConverterError confirms the finding; a model that converts is a false alarm.
4. Prints one line per error and the counts: reported, confirmed, false alarms, unverified.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import libcst as cst

from tflint import knowledge

from tflint.analysis import names

from tflint.source import parsing

from tflint.report import positions
from tflint.walk import walk

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402  (bench/corpus.py: fetches tf-models-official)

CALLBACKS = ("py_func", "py_function", "numpy_function")
SIZES = ("size", "shape", "new_shape", "output_shape", "ksize", "strides")  # a size the input does not provide
OPERATORS = {cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/", cst.FloorDivide: "//",
             cst.Modulo: "%", cst.Power: "**", cst.MatrixMultiply: "@", cst.AddAssign: "+", cst.SubtractAssign: "-",
             cst.MultiplyAssign: "*", cst.DivideAssign: "/", cst.FloorDivideAssign: "//", cst.ModuloAssign: "%",
             cst.PowerAssign: "**", cst.MatrixMultiplyAssign: "@"}


def lint(folder: Path, target: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "tflint", str(folder), "--format", "json", "--no-cache",
                           "--target", target, "--exit-zero"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)["diagnostics"]


class Located:
    """A reported file, parsed and walked once, to find the node at a span and resolve names there."""

    def __init__(self, path: str) -> None:
        source = parsing.decode(Path(path).read_bytes())
        self.module = parsing.parse(source.text)
        self.walked = walk(self.module, (cst.Call, cst.BinaryOperation, cst.AugAssign))
        spans = positions.spans(self.module, self.walked.wanted, self.walked.parent, ast.parse(source.text))
        self.at = {(s.line, s.col, s.end_line, s.end_col): node for node, s in spans.items()}

    def resolve(self, node: cst.CSTNode) -> str | None:
        scoped = node
        while scoped not in self.walked.scope_of:
            scoped = self.walked.parent[scoped]
        return names.resolve(node, self.walked.scope_of[scoped])


def _is_self_attribute(node: cst.CSTNode) -> bool:
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return isinstance(node, cst.Name) and node.value == "self"


def _argument(located: Located, node: cst.BaseExpression, api: str, position: int, keyword: str | None) -> str:
    """The reproduction's text for one argument: literals as written, weights, or the input `x`."""
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)):
        return located.module.code_for_node(node)
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return node.value
    if isinstance(node, cst.UnaryOperation) and isinstance(node.expression, (cst.Integer, cst.Float)):
        return located.module.code_for_node(node)
    if isinstance(node, (cst.Name, cst.Attribute)):
        qualname = located.resolve(node)
        if qualname and qualname.startswith(("tf.", "keras.", "numpy.")):
            return qualname.replace("numpy.", "np.", 1)
    if api.endswith(CALLBACKS):
        if position == 0 or keyword in ("func", "py_func"):
            return "(lambda *a: a[0])"
        if position == 1 or keyword in ("inp",):
            return "[x]"
        if position == 2 or keyword in ("Tout", "stateful"):
            return "tf.float32"
    if isinstance(node, (cst.List, cst.Tuple)):
        items = [_argument(located, el.value, api, -1, None) for el in node.elements]
        inner = ", ".join(items) + ("," if isinstance(node, cst.Tuple) and len(items) == 1 else "")
        return f"[{inner}]" if isinstance(node, cst.List) else f"({inner})"
    if keyword in ("dtype", "out_type", "Tout"):
        return "tf.float32"
    if keyword in SIZES:
        return "[4, 4]"
    if _is_self_attribute(node):
        return "self.w"
    return "x"


def reproduction(located: Located, node: cst.CSTNode, code: str) -> str | None:
    """The body of `__call__(self, x)` that makes the reported call, or None if tflint cannot rebuild it."""
    if isinstance(node, (cst.BinaryOperation, cst.AugAssign)):
        op = OPERATORS.get(type(node.operator))
        return f"y = tf.cast(x, tf.float64)\nreturn tf.cast(y {op} y, tf.float32)" if op else None
    if not isinstance(node, cst.Call):
        return None
    api = located.resolve(node.func)
    if api is None or any(arg.star for arg in node.args):
        return None
    entry = knowledge.load().entry(api)
    params = entry.params if entry else ()
    args = []
    for i, arg in enumerate(node.args):
        keyword = arg.keyword.value if arg.keyword else None
        named = keyword or (params[i] if i < len(params) else None)
        text = _argument(located, arg.value, api, i if keyword is None else -1, named)
        args.append(f"{keyword}={text}" if keyword else text)
    call = f"{api}({', '.join(args)})"
    if code == "TFL103":
        return f"x = tf.cast(x, tf.float64)\nreturn tf.nest.map_structure(lambda t: tf.cast(t, tf.float32), {call})"
    return f"return {call}"


def build_cases(diagnostics: list[dict]) -> list[dict]:
    cases = []
    files: dict[str, Located] = {}
    for d in diagnostics:
        if d["severity"] != "error" or d["code"] in ("TFL001", "TFL002", "TFL003"):
            continue
        located = files.get(d["path"]) or files.setdefault(d["path"], Located(d["path"]))
        node = located.at.get((d["line"], d["col"], d["end_line"], d["end_col"]))
        body = reproduction(located, node, d["code"]) if node is not None else None
        family = located.resolve(node.func) if isinstance(node, cst.Call) else "float64"
        cases.append({**d, "body": body, "api": family})
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, help="an unpacked tf-models-official (default: fetch and cache it)")
    parser.add_argument("--target", default="builtins", choices=("builtins", "select", "int8"))
    parser.add_argument("--verbose", action="store_true", help="print each reproduction's code")
    args = parser.parse_args()
    folder = args.corpus or corpus.fetch()
    diagnostics = lint(folder, args.target)
    cases = build_cases(diagnostics)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("audit_convert.py")), args.target],
                          input=json.dumps(cases), capture_output=True, text=True, env=env, check=True)
    outcomes = json.loads(proc.stdout)
    counts = Counter(o["verdict"] for o in outcomes)
    for case, outcome in zip(cases, outcomes):
        where = f"{os.path.relpath(case['path'], folder)}:{case['line']}:{case['col']}"
        print(f"{outcome['verdict']:<12} {case['code']} {where}  {case['api']}  {outcome['detail']}")
        if args.verbose and case["body"]:
            print("    " + case["body"].replace("\n", "\n    "))
    print(f"\ntflint {args.target}: {len(diagnostics)} findings on {folder}; errors reported: {len(cases)}, "
          f"confirmed: {counts['confirmed']}, false alarms: {counts['false-alarm']}, "
          f"unverified: {counts['unverified']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
