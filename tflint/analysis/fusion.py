"""Composites the converter fuses into one builtin op, or rewrites: their parts never reach the model.

The converter's optimize pass (tensorflow/compiler/mlir/lite/transforms/optimize_patterns.td)
matches exact graph shapes, so operand order and constants matter. Measured with TF 2.21,
builtins and int8 (`python tools/probe_fusions.py`; tests/converter/test_fusions.py):

- `erf`: the exact GELU `0.5 * x * (1 + erf(x / sqrt(2)))` (also `x * 0.5`, `erf(...) + 1`,
  `x * 0.7071067811865476`) becomes one GELU; `x * (1 + erf(...)) / 2`, `(1 + erf(...)) * (0.5 * x)`,
  `x * (0.5 * (1 + erf(...)))` and a rounded `0.7071` keep Erf, which fails under builtins.
- `erfc`: `0.5 * x * erfc(-x / sqrt(2))` (what tf.nn.gelu emits) becomes GELU; `erfc(-(x / sqrt(2)))`,
  `x * -0.7071...` and `erfc(...) * 0.5 * x` keep Erfc, which fails.
- `pow` (no int8 kernel: kept in float32): the tanh GELU `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x +
  0.044715 * pow(x, 3))))` (also `x * (0.5 * (1 + tanh(...)))`) becomes GELU; `pow(x, 2)`, `pow(x, 0.5)`,
  `pow(x, -0.5)`, `pow(x, 1)` become MUL, SQRT, RSQRT or nothing, all with int8 kernels.
- `square` (no int8 kernel): `square(a - b)` becomes SQUARED_DIFFERENCE; `x * rsqrt(reduce_sum(square(x),
  axis=-1))` and `x / sqrt(...)`, with `+ eps` or `maximum(..., eps)` for eps < 1e-3, become
  L2_NORMALIZATION. `square(a + b)`, `rsqrt(...) * x` and other axes keep SQUARE.

The patterns ask for float32 constants: `pow(x, 2)` of an int64 tensor keeps Pow, which fails.
"""

from __future__ import annotations

import math

import libcst as cst

from tflint.analysis.arguments import argument
from tflint.analysis.dtypes import dtype_of
from tflint.analysis.folding import assignments, constant
from tflint.analysis.modelcode import binding_scope
from tflint.context import Context

_HALF_SQRT_2 = math.sqrt(0.5)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_POW_REWRITES = (1.0, 2.0, 0.5, -0.5)  # the exponents the converter rewrites into int8-capable ops
_L2_EPSILON_BELOW = 1e-3


def fused(ctx: Context, call: cst.Call) -> bool:
    """Whether the converter fuses or rewrites `call` away (see the module docstring). The patterns
    match float32 tensors only: an input the code makes another dtype (int64 `pow`) stays."""
    matcher = _MATCHERS.get(_short_name(ctx, call))
    if matcher is None or not call.args or dtype_of(ctx, call.args[0].value) not in (None, "float32"):
        return False
    return matcher(ctx, call)


def _erf_in_gelu(ctx: Context, call: cst.Call) -> bool:
    """`H * (1 + erf(x / sqrt(2)))`, H = `0.5 * x` on the left."""
    scaled = argument(call, "x", 0)
    if not _scaled_by_half_sqrt_2(ctx, scaled):
        return False
    one_plus = ctx.parent(call)
    product = ctx.parent(one_plus)
    return (_is_add_of(one_plus, call, 1.0) and _is_product(product) and product.right is one_plus
            and _is_half_of(product.left, scaled.left))


def _erfc_in_gelu(ctx: Context, call: cst.Call) -> bool:
    """`H * erfc(-x / sqrt(2))`, H = `0.5 * x` on the left."""
    scaled = argument(call, "x", 0)
    if not (_scaled_by_half_sqrt_2(ctx, scaled) and isinstance(scaled.left, cst.UnaryOperation)
            and isinstance(scaled.left.operator, cst.Minus)):
        return False
    product = ctx.parent(call)
    return _is_product(product) and product.right is call and _is_half_of(product.left, scaled.left.expression)


def _pow_away(ctx: Context, call: cst.Call) -> bool:
    """A constant exponent the converter rewrites, or the cube in a tanh GELU."""
    exponent = _number(ctx, argument(call, "y", 1) or argument(call, "x2", 1))
    if exponent in _POW_REWRITES:
        return True
    return exponent == 3.0 and _cube_in_tanh_gelu(ctx, call)


def _cube_in_tanh_gelu(ctx: Context, call: cst.Call) -> bool:
    """`H * (1 + tanh(k * (x + 0.044715 * pow(x, 3))))` with H = `0.5 * x` on the left, or
    `x * (0.5 * (1 + tanh(...)))`, k = sqrt(2 / pi) on either side."""
    x = argument(call, "x", 0) or argument(call, "x1", 0)
    term = ctx.parent(call)
    inner = ctx.parent(term)
    if not (_is_product(term) and _number(ctx, _other(term, call)) == 0.044715
            and isinstance(inner, cst.BinaryOperation) and isinstance(inner.operator, cst.Add)
            and inner.right is term and inner.left.deep_equals(x)):
        return False
    scaled = ctx.parent(inner)
    tanh = _called_with(ctx, scaled)
    if not (_is_product(scaled) and _close(_number(ctx, _other(scaled, inner)), _SQRT_2_OVER_PI)
            and _short_name(ctx, tanh) == "tanh"):
        return False
    one_plus = ctx.parent(tanh)
    if not _is_add_of(one_plus, tanh, 1.0):
        return False
    outer = ctx.parent(one_plus)
    if not _is_product(outer):
        return False
    if outer.right is one_plus and _is_half_of(outer.left, x):  # H * (1 + tanh(...))
        return True
    half = ctx.parent(outer)  # x * (0.5 * (1 + tanh(...)))
    return (_number(ctx, _other(outer, one_plus)) == 0.5
            and _is_product(half) and half.right is outer and half.left.deep_equals(x))


def _square_away(ctx: Context, call: cst.Call) -> bool:
    """`square(a - b)` (SQUARED_DIFFERENCE), or the square in an L2 normalization."""
    x = argument(call, "x", 0)
    if isinstance(x, cst.BinaryOperation) and isinstance(x.operator, cst.Subtract):
        return True
    if _short_name(ctx, x) == "subtract":
        return True
    return _square_in_l2_normalization(ctx, call, x)


def _square_in_l2_normalization(ctx: Context, call: cst.Call, x: cst.CSTNode | None) -> bool:
    """`x * rsqrt(D)` or `x / sqrt(D)`, D = `reduce_sum(square(x), axis=-1)`, plus or maximum with eps."""
    total = _called_with(ctx, call)
    axis = _number(ctx, _single(argument(total, "axis", 1))) if total is not None else None
    if _short_name(ctx, total) not in ("reduce_sum", "sum") or axis != -1.0:
        return False
    guarded = ctx.parent(total)
    if isinstance(guarded, cst.BinaryOperation) and isinstance(guarded.operator, cst.Add):
        if not _small(ctx, _other(guarded, total)):
            return False
        root = _called_with(ctx, guarded)
    elif isinstance(guarded, cst.Arg) and _short_name(ctx, ctx.parent(guarded)) == "maximum":
        maximum = ctx.parent(guarded)
        if not (len(maximum.args) == 2 and _small(ctx, next(a.value for a in maximum.args if a is not guarded))):
            return False
        root = _called_with(ctx, maximum)
    else:
        root = _called_with(ctx, total)
    scale = ctx.parent(root) if root is not None else None
    if not (isinstance(scale, cst.BinaryOperation) and scale.right is root and scale.left.deep_equals(x)):
        return False
    wanted = {cst.Multiply: "rsqrt", cst.Divide: "sqrt"}.get(type(scale.operator))
    return wanted is not None and _short_name(ctx, root) == wanted


def _called_with(ctx: Context, node: cst.CSTNode | None) -> cst.Call | None:
    """The call `node` is the first argument of, if it is."""
    arg = ctx.parent(node) if node is not None else None
    owner = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    return owner if isinstance(owner, cst.Call) and owner.args and owner.args[0] is arg else None


def _short_name(ctx: Context, call: cst.CSTNode | None) -> str:
    name = ctx.call_name(call) if isinstance(call, cst.Call) else None
    return name.rsplit(".", 1)[-1] if name and name.startswith(("tf.", "keras.ops.")) else ""


def _scaled_by_half_sqrt_2(ctx: Context, node: cst.CSTNode | None) -> bool:
    """`v / sqrt(2)` or `v * 0.7071...`: a constant whose value, where the code shows it, is exact."""
    if not (isinstance(node, cst.BinaryOperation) and constant(ctx, node.right)):
        return False
    value = _number(ctx, node.right)
    if isinstance(node.operator, cst.Divide):
        return value is None or _close(1 / value if value else None, _HALF_SQRT_2)
    return isinstance(node.operator, cst.Multiply) and (value is None or _close(value, _HALF_SQRT_2))


def _is_add_of(node: cst.CSTNode | None, operand: cst.CSTNode, value: float) -> bool:
    return (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add)
            and _is_number(_other(node, operand), value))


def _is_product(node: cst.CSTNode | None) -> bool:
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply)


def _other(node: cst.BinaryOperation, operand: cst.CSTNode) -> cst.CSTNode:
    return node.left if node.right is operand else node.right


def _is_half_of(node: cst.CSTNode, x: cst.CSTNode) -> bool:
    """`0.5 * x` or `x * 0.5`."""
    if not _is_product(node):
        return False
    sides = (node.left, node.right)
    return any(_is_number(a, 0.5) and b.deep_equals(x) for a, b in (sides, sides[::-1]))


def _is_number(node: cst.CSTNode, value: float) -> bool:
    return isinstance(node, (cst.Integer, cst.Float)) and float(node.evaluated_value) == value


def _small(ctx: Context, node: cst.CSTNode) -> bool:
    value = _number(ctx, node)
    return value is not None and abs(value) < _L2_EPSILON_BELOW


def _single(node: cst.CSTNode | None) -> cst.CSTNode | None:
    """`[-1]` -> `-1`."""
    if isinstance(node, (cst.List, cst.Tuple)) and len(node.elements) == 1:
        return node.elements[0].value
    return node


def _close(value: float | None, expected: float) -> bool:
    """Equal as the converter's float32 constants compare (relative 1e-6)."""
    return value is not None and math.isclose(value, expected, rel_tol=1e-6)


_MATH_CALLS = {"math.sqrt": math.sqrt, "numpy.sqrt": math.sqrt, "tf.sqrt": math.sqrt, "tf.math.sqrt": math.sqrt}
_MATH_CONSTANTS = {"math.pi": math.pi, "numpy.pi": math.pi, "math.e": math.e, "numpy.e": math.e}
_ARITHMETIC = {cst.Add: lambda a, b: a + b, cst.Subtract: lambda a, b: a - b, cst.Multiply: lambda a, b: a * b,
               cst.Divide: lambda a, b: a / b if b else None, cst.Power: lambda a, b: a ** b}


def _number(ctx: Context, node: cst.CSTNode | None, seen: frozenset = frozenset()) -> float | None:
    """The value of a numeric constant expression (`math.sqrt(2 / math.pi)`, a name bound once to
    one), else None."""
    if isinstance(node, (cst.Integer, cst.Float)):
        return float(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        value = _number(ctx, node.expression, seen)
        return -value if value is not None else None
    if isinstance(node, cst.BinaryOperation) and type(node.operator) in _ARITHMETIC:
        left, right = _number(ctx, node.left, seen), _number(ctx, node.right, seen)
        return None if left is None or right is None else _ARITHMETIC[type(node.operator)](left, right)
    if isinstance(node, cst.Call) and ctx.call_name(node) in _MATH_CALLS and len(node.args) == 1:
        value = _number(ctx, node.args[0].value, seen)
        return _MATH_CALLS[ctx.call_name(node)](value) if value is not None and value >= 0 else None
    if isinstance(node, cst.Attribute):
        return _MATH_CONSTANTS.get(ctx.qualname(node) or "")
    if isinstance(node, cst.Name):
        return _bound_number(ctx, node, seen)
    return None


def _bound_number(ctx: Context, node: cst.Name, seen: frozenset) -> float | None:
    scope = binding_scope(ctx.scope(node), node.value)
    values = assignments(ctx).get((id(scope), node.value)) if scope is not None else None
    key = (id(scope), node.value)
    if not values or len(values) != 1 or values[0] is None or key in seen:
        return None
    return _number(ctx, values[0], seen | {key})


_MATCHERS = {"erf": _erf_in_gelu, "erfc": _erfc_in_gelu, "pow": _pow_away, "power": _pow_away,
             "square": _square_away}
