"""Reading call arguments statically: which argument is which, and literal values and dtypes."""

from __future__ import annotations

import libcst as cst

from tflint.context import Context

_DTYPE_ALIASES = {"double": "float64", "float": "float32", "half": "float16"}


def argument(call: cst.Call, name: str, position: int | None) -> cst.BaseExpression | None:
    """The expression passed for parameter `name` (keyword, or positional at `position`)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if position is not None and position < len(positional):
        return positional[position].value
    return None


def literal(ctx: Context, node: cst.BaseExpression | None) -> str | None:
    """A string value for a literal or a known constant name, else None."""
    if node is None:
        return None
    if isinstance(node, cst.SimpleString):
        if node.prefix.lower() in ("", "r", "u") and "\\" not in node.raw_value and "\r" not in node.raw_value:
            return node.raw_value  # what evaluated_value gives, without its ast.literal_eval (a parse)
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, (cst.Integer, cst.Float)):
        return node.value
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return node.value
    qualname = ctx.qualname(node)
    if qualname is None:
        return None
    return ctx.knowledge.constants.get(qualname, qualname)


def literal_args(ctx: Context, call: cst.Call, params: tuple[str, ...]) -> dict[str, str]:
    """Parameter name -> literal value, for the arguments whose value is known statically."""
    out = {}
    for i, param in enumerate(params):
        value = literal(ctx, argument(call, param, i))
        if value is not None:
            out[param] = value
    return out


def given_params(call: cst.Call, params: tuple[str, ...]) -> set[str]:
    """The parameters the call passes a value for, literal or not."""
    return {param for i, param in enumerate(params) if argument(call, param, i) is not None}


def dtype_name(ctx: Context, node: cst.BaseExpression | None) -> str | None:
    """`float64` for tf.float64, tf.double, "float64", np.float64 and the like."""
    value = literal(ctx, node)
    if value is None:
        return None
    for prefix in ("tf.dtypes.", "tf.", "numpy.", "keras.ops."):
        value = value.removeprefix(prefix)
    return _DTYPE_ALIASES.get(value, value)
