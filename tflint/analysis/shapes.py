"""Static shapes of tensors where the code fixes them: enough for the verdicts that turn on
dynamic dimensions.

A name's shape is known when every value assigned to it in its scope is a `keras.Input(...)`
(the batch dimension is `None` unless `batch_size=` or `batch_shape=` fixes it); when it is a
parameter of a function whose `@tf.function(input_signature=[tf.TensorSpec(...), ...])` gives
its spec; or when it is a parameter of a function, or of a custom layer's `call`, defined in the
file, and every call of it in the file passes a tensor of one known shape (`Block(16)(tokens)`,
`layer = Block(16); layer(tokens)`, `helper(tokens)`). Anything else is unknown (None): a rule
then says which shapes fail, at warning.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from tflint.analysis.arguments import argument, literal
from tflint.analysis.folding import assignments
from tflint.analysis.calls import parameters, passed
from tflint.analysis.entry_points import keras_name
from tflint.analysis.modelcode import binding_scope
from tflint.context import Context

TENSOR_INPUTS = {"keras.Input", "keras.layers.Input"}  # calls that make a model input tensor
_FUNCTIONS = {"tf.function", "tf.compat.v1.function"}
_SPECS = {"tf.TensorSpec", "tf.compat.v1.TensorSpec"}


@dataclass(frozen=True)
class Shape:
    dims: tuple[int | None, ...]  # None: a dynamic dimension
    origin: str  # where the code fixes it, for messages: `keras.Input((None,))`

    @property
    def dynamic(self) -> int:
        return sum(d is None for d in self.dims)


def shape_of(ctx: Context, node: cst.CSTNode, depth: int = 0) -> Shape | None:
    """The shape of the tensor `node` evaluates to, where the code fixes it; else None."""
    if isinstance(node, cst.Call):
        return _input_shape(ctx, node)
    if not isinstance(node, cst.Name):
        return None
    scope = binding_scope(ctx.scope(node), node.value)
    if scope is None:
        return None
    if scope.kind == "function" and isinstance(scope.node, cst.FunctionDef):
        given = _signature_spec(ctx, scope.node, node.value) or passed(ctx, scope.node, node.value, depth, shape_of)
        if given is not None:
            return given
    values = assignments(ctx).get((id(scope), node.value))
    shapes = {_input_shape(ctx, v) if isinstance(v, cst.Call) else None for v in values or ()}
    return shapes.pop() if len(shapes) == 1 else None


def _input_shape(ctx: Context, call: cst.Call) -> Shape | None:
    if keras_name(ctx.call_name(call)) not in TENSOR_INPUTS:
        return None
    batch_shape = _dims(argument(call, "batch_shape", None))
    if batch_shape is not None:
        return Shape(batch_shape, _origin(ctx, call))
    shape = _dims(argument(call, "shape", 0))
    if shape is None:
        return None
    batch = literal(ctx, argument(call, "batch_size", 1))
    return Shape((int(batch) if batch is not None and batch.isdigit() else None, *shape), _origin(ctx, call))


def _signature_spec(ctx: Context, func: cst.FunctionDef, name: str) -> Shape | None:
    """The TensorSpec `@tf.function(input_signature=[...])` gives parameter `name` of `func`."""
    params = parameters(ctx, func)
    if name not in params:
        return None
    for decorator in func.decorators:
        call = decorator.decorator
        if isinstance(call, cst.Call) and ctx.call_name(call) in _FUNCTIONS:
            signature = argument(call, "input_signature", 1)
            if isinstance(signature, (cst.List, cst.Tuple)) and len(signature.elements) == len(params):
                spec = signature.elements[params.index(name)].value
                if isinstance(spec, cst.Call) and ctx.call_name(spec) in _SPECS:
                    dims = _dims(argument(spec, "shape", 0))
                    return None if dims is None else Shape(dims, _origin(ctx, spec))
    return None


def _dims(node: cst.BaseExpression | None) -> tuple[int | None, ...] | None:
    """(None, 16) for the literal `(None, 16)` or `[None, 16]`; None for anything else."""
    if not isinstance(node, (cst.Tuple, cst.List)):
        return None
    dims: list[int | None] = []
    for element in node.elements:
        value = element.value
        if isinstance(value, cst.Name) and value.value == "None":
            dims.append(None)
        elif isinstance(value, cst.Integer):
            dims.append(int(value.value, 0))
        else:
            return None
    return tuple(dims)


def _origin(ctx: Context, call: cst.Call) -> str:
    text = ctx.module.code_for_node(call)
    return text if len(text) <= 60 else text[:57] + "..."
