"""TFL4xx: control flow and state: Python callbacks in the graph, growing TensorArrays."""

from __future__ import annotations

import libcst as cst

from tflint.api import (CALLBACKS, Example, Rule, Severity, TENSOR_LIST_OPS, argument, binding_scope, children, literal,
                        named)


class PythonCallback(Rule):
    """`tf.py_function` / `tf.numpy_function` / `tf.py_func` in model code.

    ## What it does
    Reports calls that embed a Python function in the TensorFlow graph.

    ## Why it breaks in TFLite
    The op (EagerPyFunc or PyFunc) calls back into the Python interpreter that traced the
    model. A TFLite model runs without Python, so no kernel exists for it: conversion fails
    under every target, Select TF ops included.

    ## Example
    ```python
    y = tf.py_function(lambda a: a * 2, [x], tf.float32)
    ```

    ## Use instead
    ```python
    y = x * 2          # express the computation with TensorFlow ops
    ```

    ## Evidence
    TF 2.21, builtins and Select TF ops alike: `error: 'tf.EagerPyFunc' op is neither a
    custom op nor a flex op` (`'tf.PyFunc'` for tf.numpy_function).
    """

    code = "TFL401"
    name = "python-callback"
    severity = Severity.ERROR
    VALID = (Example("""
                 import tensorflow as tf
                 y = tf.math.multiply(x, 2.0)
             """),)
    INVALID = (
        Example("""
            import tensorflow as tf
            y = tf.py_function(lambda a: a * 2, [x], tf.float32)  # TFL401
        """),
        Example("""
            from tensorflow import numpy_function
            y = numpy_function(f, [x], 'float32')  # TFL401
        """,
                target="select"),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return named(*CALLBACKS)

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        if name in CALLBACKS:
            op = CALLBACKS[name]
            self.report(node, f"{name} embeds Python in the graph ({op}): TFLite runs without Python, "
                        f"so conversion fails under every target, Select TF ops included", op=op)


class TensorArrayDynamicSize(Rule):
    """`tf.TensorArray(..., dynamic_size=True)` in model code.

    ## What it does
    Reports TensorArrays created with `dynamic_size=True`, at the loop that fills them (a `for`
    calling `.write`, or the `tf.while_loop` given the array), the line the converter names;
    at the creation where no such loop is found. A TensorArray with a fixed
    `size` (even one computed with `tf.shape`) and a known element shape converts with
    builtins: TFLite lowers it to plain tensors inside the WHILE loop.

    ## Why it breaks in TFLite
    A growing TensorArray is a TensorList whose length is unknown until run time. The
    converter's builtin lowering of TensorLists cannot express it: conversion fails with
    builtins only. With Select TF ops it converts, and the TensorList ops run through the
    Flex delegate (TF 2.21 needs no `_experimental_lower_tensor_list_ops = False` for it).

    ## Example
    ```python
    outputs = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    ```

    ## Use instead
    ```python
    outputs = tf.TensorArray(tf.float32, size=steps, element_shape=[batch, units])
    ```

    ## Evidence
    TF 2.21, a `tf.range(4)` loop writing into `TensorArray(size=0, dynamic_size=True)`,
    builtins only: `failed to legalize operation 'tf.Identity' that was explicitly marked
    illegal` and `Lowering tensor list ops is failed. Please consider using Select TF ops and
    disabling _experimental_lower_tensor_list_ops`. With SELECT_TF_OPS: converts
    (FlexTensorListReserve, FlexTensorListStack, WHILE). With `size=4, element_shape=[3]`:
    converts with builtins (WHILE).
    """

    code = "TFL402"
    name = "tensorarray-dynamic-size"
    severity = Severity.ERROR
    severities = {"select": Severity.WARNING}  # it converts there, at the Flex delegate's cost
    VALID = (
        Example("""
            import tensorflow as tf
            ta = tf.TensorArray(tf.float32, size=4, element_shape=[3])
        """),
        Example("""
            import tensorflow as tf
            ta = tf.TensorArray(tf.float32, size=n, dynamic_size=False)
        """),
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)  # TFL402
        """),
        Example("""
            import tensorflow as tf
            ta = tf.TensorArray(tf.int32, 0, True)  # TFL402:warning
        """,
                target="select"),
        Example("""
            import tensorflow as tf
            def decode(x):
                steps = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
                for i in tf.range(4):  # TFL402
                    steps = steps.write(i, x)
                return steps.stack()
        """),  # at the loop: the line the converter names
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return named(*_TENSOR_ARRAYS)

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.call_name(node) not in _TENSOR_ARRAYS:
            return
        if literal(self.ctx, argument(node, "dynamic_size", 2)) != "True":
            return
        if self.ctx.target == "select":
            message = ("tf.TensorArray(dynamic_size=True) runs as Flex TensorList ops (Select TF ops); a fixed "
                       "size and element_shape convert with builtins")
        else:
            message = (f"tf.TensorArray(dynamic_size=True) cannot be lowered to builtins: conversion fails with "
                       f"--target {self.ctx.target} ('Lowering tensor list ops is failed'); give it a fixed size "
                       f"and element_shape, or use --target select")
        loops = _loops_over(self.ctx, node)
        for loop in loops:  # the line the converter names
            self.report(loop, message, op=TENSOR_LIST_OPS,
                        related=((node, "the TensorArray is created here with dynamic_size=True"),))
        if not loops:
            self.report(node, message, op=TENSOR_LIST_OPS)


def _loops_over(ctx, construction: cst.Call) -> list[cst.CSTNode]:
    """The loops filling the TensorArray `name = tf.TensorArray(...)` builds, in the same function: a
    `for` whose body calls `name.write(...)` (its iterable, the `for` line) and a `tf.while_loop(...)`
    given `name`."""
    assign = ctx.parent(construction)
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)):
        return []
    name, scope = assign.targets[0].target.value, ctx.scope(assign)
    loops: dict[cst.CSTNode, None] = {}
    for call in ctx.walked.of_type(cst.Call):
        if binding_scope(ctx.scope(call), name) is not scope:
            continue
        if ctx.call_name(call) in _WHILE_LOOPS and any(
                isinstance(n, cst.Name) and n.value == name for n in _descendants(call)):
            loops[call] = None
        elif (isinstance(call.func, cst.Attribute) and call.func.attr.value == "write"
              and isinstance(call.func.value, cst.Name) and call.func.value.value == name):
            loop = _enclosing_for(ctx, call)
            if loop is not None and ctx.scope(loop) is scope:
                loops[loop.iter] = None
    return list(loops)


def _enclosing_for(ctx, node: cst.CSTNode) -> cst.For | None:
    parent = ctx.parent(node)
    while parent is not None and not isinstance(parent, (cst.For, cst.FunctionDef, cst.Lambda)):
        parent = ctx.parent(parent)
    return parent if isinstance(parent, cst.For) else None


def _descendants(node: cst.CSTNode):
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        todo.extend(children(current))


_WHILE_LOOPS = {"tf.while_loop", "tf.compat.v1.while_loop"}


# A loop over a TensorList (TensorArray, Keras RNN with a dynamic batch) emits these together;
# TensorListReserve is the one the builtins converter names.
_TENSOR_ARRAYS = {"tf.TensorArray", "tf.compat.v1.TensorArray"}
