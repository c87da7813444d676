"""TFL2xx: shapes computed at run time, and ops that need static ones."""

from __future__ import annotations

import ast

import libcst as cst

from tflint.api import (CONVERTS, Example, FAILS, Rule, Severity, Shape, Trigger, api_triggers, argument, ast_nodes,
                        call_verdict, children, fixed_batch_input, folded, from_caller, parts, shape_of)


_RESHAPES = {"tf.reshape", "tf.compat.v1.reshape", "tf.manip.reshape", "tf.compat.v1.manip.reshape"}
_SHAPES = {"tf.shape", "tf.compat.v1.shape", "tf.shape_n"}
_MINUS_ONE = cst.UnaryOperation(operator=cst.Minus(), expression=cst.Integer("1"))


class RuntimeShapeReshape(Rule):
    """A reshape whose target shape is computed at run time with `tf.shape(...)`.

    ## What it does
    Reports `tf.reshape` calls whose shape argument reads `tf.shape(...)` (directly, or
    through a name assigned from `tf.shape(...)` in the same function). Where exactly one
    dimension is dynamic and all others are positive integer literals, `--fix` replaces the
    dynamic dimension with `-1`, which TFLite's RESHAPE infers itself.

    ## Why it breaks in TFLite
    It converts, but the shape becomes a small graph of its own (SHAPE, STRIDED_SLICE, PACK)
    that runs on every invocation and makes the output a dynamic tensor; delegates such as
    the GPU delegate do not take dynamic tensors and fall back to the CPU.

    ## Example
    ```python
    y = tf.reshape(x, [tf.shape(x)[0], 2, 5])
    ```

    ## Use instead
    ```python
    y = tf.reshape(x, [-1, 2, 5])
    ```

    ## Fix safety
    Safe: when the original reshape succeeds, `-1` is inferred as exactly the value the
    dynamic dimension had (element count divided by the other, constant, dimensions). The
    fix is offered only when the dynamic dimension reads the shape of the tensor being
    reshaped.

    ## Evidence
    TF 2.21, input `[None, 10]`: with `tf.shape(x)[0]` the model converts to 4 ops (SHAPE,
    STRIDED_SLICE, PACK, RESHAPE, 1540 bytes); with `-1`, to 1 op (RESHAPE, 820 bytes).
    """

    code = "TFL201"
    name = "runtime-shape-reshape"
    severity = Severity.WARNING
    VALID = (
        Example("""
            import tensorflow as tf
            y = tf.reshape(x, [-1, 2, 5])
        """),
        Example("""
            import tensorflow as tf
            y = tf.reshape(x, (4, x.shape[1] * 2))
        """),
        Example("""
            import numpy as np
            import tensorflow as tf
            y = np.reshape(x, [np.shape(x)[0], 10])
        """),
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            def f(x):
                b = tf.shape(x)[0]
                return tf.reshape(x, [b, 10])  # TFL201
        """,
                fixed="""
            import tensorflow as tf
            def f(x):
                b = tf.shape(x)[0]
                return tf.reshape(x, [-1, 10])  # TFL201
        """),
        Example("""
            import tensorflow as tf
            y = tf.reshape(x, [tf.shape(x)[0], 2, 5])  # TFL201
        """,
                fixed="""
            import tensorflow as tf
            y = tf.reshape(x, [-1, 2, 5])  # TFL201
        """),
        Example("""
            import tensorflow as tf
            def f(x):
                s = tf.shape(x)
                return tf.reshape(x, (s[0], 10))  # TFL201
        """,
                fixed="""
            import tensorflow as tf
            def f(x):
                s = tf.shape(x)
                return tf.reshape(x, (-1, 10))  # TFL201
        """),
        Example("""
            import tensorflow as tf
            y = tf.reshape(x, [tf.shape(x)[0], -1])  # TFL201
        """),
        Example("""
            import tensorflow as tf
            y = tf.reshape(x, [tf.shape(z)[0], 10])  # TFL201
        """),
        Example("""
            import tensorflow as tf
            y = tf.reshape(x, tf.concat([tf.shape(x)[:1], [10]], 0))  # TFL201
        """),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # scope -> name -> the expression assigned to it, for names whose value reads a run-time shape
        self.shape_names: dict[object, dict[str, cst.BaseExpression]] = {}

    @classmethod
    def triggers(cls, knowledge, target):
        return [Trigger((parts(reshape), parts(shape))) for reshape in _RESHAPES for shape in _SHAPES]

    @classmethod
    def may_report(cls, facts):
        """In CPython's tree, an argument of a reshape call reads a shape call, or a name assigned (in
        any scope, however indirectly) from one."""
        def reads(expr: ast.AST) -> tuple[set[str], bool]:
            """The names it reads, and whether it calls a shape API."""
            nodes = list(ast_nodes(expr))
            return {n.id for n in nodes if type(n) is ast.Name}, any(_calls(facts, n, _SHAPES) for n in nodes)

        assigns = [({t.id for t in a.targets if type(t) is ast.Name}, *reads(a.value))
                   for a in facts.of_type(ast.Assign)]
        names: set[str] = set()
        grew = True
        while grew:
            grew = False
            for targets, read, shaped in assigns:
                if targets - names and (shaped or read & names):
                    names |= targets
                    grew = True
        for call in facts.of_type(ast.Call):
            if _calls(facts, call, _RESHAPES):
                for read, shaped in map(reads, [*call.args, *(k.value for k in call.keywords)]):
                    if shaped or read & names:
                        return True
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        targets = [t.target.value for t in node.targets if type(t.target) is cst.Name]
        if self._reads_shape(node.value):
            names = self.shape_names.setdefault(self.ctx.scope(node), {})
            names.update(dict.fromkeys(targets, node.value))
        elif self.shape_names:  # a name bound again to something else no longer holds a shape
            names = self.shape_names.get(self.ctx.scope(node), {})
            for target in targets:
                names.pop(target, None)

    def _assigned(self, node: cst.CSTNode) -> cst.CSTNode:
        """What a name tracked here was assigned, else the node itself."""
        if isinstance(node, cst.Name):
            return self.shape_names.get(self.ctx.scope(node), {}).get(node.value, node)
        return node

    def _shape_of(self, node: cst.CSTNode) -> cst.BaseExpression | None:
        """The tensor whose run-time shape `node` is (tf.shape(t), or a name bound to it)."""
        node = self._assigned(node)
        if isinstance(node, cst.Call) and self.ctx.call_name(node) in _SHAPES and node.args:
            return node.args[0].value
        return None

    def _reads_shape(self, node: cst.CSTNode) -> bool:
        kind = type(node)  # exact types: isinstance on libcst's classes is slow, and this sees every assignment
        if kind is cst.Name:
            return bool(self.shape_names) and node.value in self.shape_names.get(self.ctx.scope(node), {})
        if kind is cst.Call and self._shape_of(node) is not None:
            return True
        return any(self._reads_shape(child) for child in children(node))

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.call_name(node) not in _RESHAPES:
            return
        shape = argument(node, "shape", 1)
        if shape is None or not self._reads_shape(shape):
            return
        self.report(
            node,
            "tf.reshape with a shape computed at run time (tf.shape): converts, but adds SHAPE/STRIDED_SLICE/"
            "PACK ops and a dynamic output tensor; use -1 for the one unknown dimension",
            op="Reshape", fix=self._fix(node, shape),
        )

    def _fix(self, call: cst.Call, shape: cst.BaseExpression):
        if not isinstance(shape, (cst.List, cst.Tuple)):
            return None
        dynamic = [el for el in shape.elements if not _positive_int(el.value)]
        if len(dynamic) != 1 or isinstance(dynamic[0], cst.StarredElement):
            return None
        written = dynamic[0].value
        dim = self._assigned(written)
        if not (isinstance(dim, cst.Subscript) and len(dim.slice) == 1
                and isinstance(dim.slice[0].slice, cst.Index)):
            return None
        tensor = self._shape_of(dim.value)
        reshaped = argument(call, "tensor", 0)
        if tensor is None or reshaped is None or not tensor.deep_equals(reshaped):
            return None
        minus_one = _MINUS_ONE.with_changes(lpar=written.lpar, rpar=written.rpar)
        return ("replace the run-time dimension with -1", written, minus_one)


def _calls(facts, node: ast.AST, names: set[str]) -> bool:
    return type(node) is ast.Call and not names.isdisjoint(facts.qualnames(node.func))


def _positive_int(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Integer) and node.evaluated_value > 0


class StaticShapesOnly(Rule):
    """An op that converts with builtins only when every dimension is static.

    ## What it does
    Reports calls whose op converts with TFLite builtins when all input shapes are static,
    but not when a dimension is unknown, such as the `None` batch of a Keras model: e.g.
    `tf.roll` (Roll), which the converter lowers to builtin ops only for static shapes. The
    verdict comes from tflint's op knowledge, which converted each API both ways, with static
    shapes and with the first dimension unknown. Where the code fixes the tensor's shape
    (`keras.Input`, an `input_signature`, a local layer or function every call of which passes
    such a tensor) the verdict is exact: an error for a `None` first dimension, nothing for a
    static one. Elsewhere it is a warning, silenced by a file that fixes its batch size.

    ## Why it breaks in TFLite
    Some ops have no builtin kernel of their own and convert only because the converter
    rewrites them into builtin ops for a known shape. With a dynamic dimension that rewrite is
    impossible and the op needs Select TF ops: conversion with builtins fails.

    ## Example
    ```python
    inputs = keras.Input((8,))                      # batch size None
    delta = tf.roll(inputs, shift=-1, axis=-1) - inputs
    ```

    ## Use instead
    ```python
    inputs = keras.Input((8,), batch_size=1)        # every dimension static
    delta = tf.roll(inputs, shift=-1, axis=-1) - inputs
    ```

    ## Evidence
    TF 2.21, builtins: `tf.roll(x, shift=-1, axis=-1)` on float32[4, 8] converts; on
    float32[None, 8]: `'tf.Roll' op is neither a custom op nor a flex op`
    (ERROR_NEEDS_FLEX_OPS). Found by the real-world audit of tf-models-official. In a run over
    a project, the op applied to a tensor the def's caller passes is judged by the models that
    reach the def (an error when each has a `keras.Input` with a dynamic dimension; nothing when
    all of them are static): keras-hub's Swin windows fail on `ops.roll` this way.
    """

    code = "TFL202"
    name = "static-shapes-only"
    severity = Severity.WARNING
    VALID = (
        Example("""
            import tensorflow as tf
            y = tf.nn.relu(x)
        """),
        Example("""
            import tensorflow as tf
            y = tf.roll(x, shift=-1, axis=-1)
        """, target="select"),
        Example("""
            import keras
            import tensorflow as tf
            inputs = keras.Input((8,), batch_size=1)
            delta = tf.roll(inputs, shift=-1, axis=-1) - inputs
        """),
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            y = tf.roll(x, shift=-1, axis=-1)  # TFL202:warning
        """),
        Example("""
            import keras
            import tensorflow as tf
            inputs = keras.Input((8,))
            delta = tf.roll(inputs, shift=-1, axis=-1) - inputs  # TFL202:error
        """),
        Example("""
            import tensorflow as tf
            @tf.function(input_signature=[tf.TensorSpec([None, 50, 16], tf.float32)])
            def shift(frames):
                return frames - tf.roll(frames, shift=1, axis=1)  # TFL202:error
        """),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return [] if target == "select" else api_triggers(knowledge, {"dynamic": (FAILS,)})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.found: list[tuple[cst.Call, object]] = []
        self.fixed_batch = False  # the file's keras.Input fixes the batch size

    def visit_Call(self, node: cst.Call) -> None:
        if fixed_batch_input(self.ctx, node):
            self.fixed_batch = True
        if self.ctx.target == "select":
            return  # not measured with Select TF ops and dynamic shapes: nothing to claim
        verdict = call_verdict(self, node)
        if (verdict is None or verdict.status["builtins"] != CONVERTS or verdict.status.get("dynamic") != FAILS
                or folded(self.ctx, node)):
            return
        shape = shape_of(self.ctx, node.args[0].value) if node.args else None
        if shape is None:
            self.found.append((node, verdict))
        elif shape.dims and shape.dims[0] is None:
            self._report(node, verdict, shape)

    def finish(self) -> None:
        if not self.fixed_batch:
            for node, verdict in self.found:
                self._report(node, verdict)

    def _passed(self, node: cst.Call) -> bool:
        """The op's tensor comes from the def's caller (the project index judges it by the models)."""
        return bool(node.args) and from_caller(self.ctx, node.args[0].value)

    def _report(self, node: cst.Call, verdict, shape: Shape | None = None) -> None:
        ops = verdict.failing.get("dynamic") or verdict.ops
        what = f"{self.ctx.call_name(node)} converts with builtins only when every dimension is static ({', '.join(ops)})"
        if shape is None:
            where = "with a dynamic dimension, such as a Keras model's None batch, conversion fails"
        else:
            where = f"its input has a None batch ({shape.origin}), so conversion fails"
        self.report(
            node,
            f"{what}: {where} with --target {self.ctx.target}; fix the shapes (e.g. batch_size=1 on keras.Input). "
            f"Converter: {verdict.notes.get('dynamic', '')}",
            op=ops, severity=None if shape is None else Severity.ERROR,
            fails_if_dynamic="any" if shape is None and self._passed(node) else None,
        )
