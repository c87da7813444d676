"""TFL2xx from syntax: ops that indexing emits, whose verdict turns on dynamic dimensions."""

from __future__ import annotations

import ast

import libcst as cst

from tflint.api import (Example, IndexList, Rule, Severity, argument, built_from, constructor_flag, from_caller,
                        index_list, literal, resolves_to, shape_of)

_NEW_AXES = {"tf.newaxis", "numpy.newaxis", "tf.compat.v1.newaxis"}


class NewAxisOnDynamicShape(Rule):
    """Indexing that inserts a new axis (`x[:, None, :]`) where it fails on dynamic shapes.

    ## What it does
    Reports subscripts with `None` / `tf.newaxis` that the converter cannot lower to builtins
    when the tensor has two or more dynamic dimensions: a new axis followed by another index
    (`x[:, None, :]`, `x[None, :, :]`), or a new axis after the last dimension
    (`x[..., None]`). Where the code fixes the shape (`keras.Input`, a `tf.function`'s
    `input_signature`) the verdict is exact: an error with two or more dynamic dimensions,
    nothing with fewer. Where it does not, it is a warning that names the condition; in a run over
    a project, a tensor the def's caller passes (a parameter, or made from one by ops that keep
    its dimensions) is judged by the `keras.Input`s of the models that reach the def, in any
    file: an error when each takes an input with two or more dynamic dimensions, nothing when
    none can.
    `x[:, None]` and `x[None]` (nothing after the new axis, dimensions left after it) convert
    with any shape and are not reported. `--fix` rewrites the pure forms to `tf.expand_dims`.
    A list index bound in the def (`indices = [slice(None), None, slice(None)]; x[indices]`) is
    judged as the tuple of its entries. One filled in at run time (`indices = [None] * ndim`, then
    `indices[i] = slice(None)`) is a warning, unless the loop's axes are a literal list (in the
    def, or passed alike by every call of it in the file): then the slices sit at those axes and
    it is judged as `x[:, :, None, :]` for axes `[0, 1, -1]`.
    Also reports `keras.layers.MultiHeadAttention` called with `use_causal_mask`: Keras builds
    the causal mask with such indexing over [length, length], which fails when the query's
    length is dynamic (an error for `use_causal_mask=True` on a known shape, a warning naming
    the condition otherwise). Where the flag is a layer's constructor parameter
    (`self.causal = causal` in `__init__`), a run over a project judges it where the layer is
    built: an error when every model that builds it with the flag true (passed `True`, or left
    to a default of `True`) takes an input with a dynamic length; a warning otherwise.

    ## Why it breaks in TFLite
    The subscript becomes a StridedSlice with `new_axis_mask`. TFLite's STRIDED_SLICE kernel
    has no new axes; the converter rewrites them away only when at most one dimension is
    unknown. Otherwise the op stays a TensorFlow StridedSlice, which needs Select TF ops. This
    is the commonest failure in real sequence models (attention masks `mask[:, None, :]` over
    a None batch and a None length): 8 of 11 keras-hub models that fail with builtins.

    ## Example
    ```python
    tokens = keras.Input((None,))          # batch and length both dynamic
    mask = tokens[:, None, :]
    ```

    ## Use instead
    ```python
    mask = tf.expand_dims(tokens, 1)       # EXPAND_DIMS converts with any shape
    ```
    For `MultiHeadAttention(...)(x, x, use_causal_mask=True)`, pass the mask made (in a layer) with
    `expand_dims` (not with `[:, None]`, which is the same new axis again):
    ```python
    i = ops.arange(ops.shape(x)[1])
    mask = ops.expand_dims(ops.expand_dims(i, 1) >= ops.expand_dims(i, 0), 0)
    y = attention(x, x, attention_mask=mask)  # converts with any length
    ```

    ## Evidence
    TF 2.21, builtins: `x[:, None, :]` on `[None, None]`: `'tf.StridedSlice' op is neither a
    custom op nor a flex op` (new_axis_mask = 2); on `[None, 4]` and `[2, 4]` it converts, and
    so does `tf.expand_dims(x, 1)` on `[None, None]`; with Select TF ops all convert.
    `MultiHeadAttention(num_heads=2, key_dim=4)(x, x, use_causal_mask=True)` on `x` of shape
    `[None, None, 8]` (and `[1, None, 8]`): `tf.StridedSlice(tensor<?x?xi1>) -> tensor<1x1x?x?xi1>`
    (new_axis_mask = 3) fails; on `[None, 6, 8]` it converts, as does the explicit mask above;
    the same for a layer whose constructor stores the flag, built with its default `True`
    (fails) or `causal=False` (converts). `x[indices]` with `indices = [slice(None), None,
    slice(None)]`, or `[None] * 3` with slices set at axes 0 and -1: `[None, None]` fails, `[None, 4]`
    converts; slices set at axes `[0, 1, -1]` of a list of 4 over a `[batch, length, 8]` tensor fail
    with a None batch and length, and convert with either fixed.
    """

    code = "TFL203"
    name = "newaxis-dynamic-shape"
    severity = Severity.ERROR
    severities = {"select": Severity.WARNING}  # a Flex StridedSlice converts, at the Flex delegate's cost
    VALID = (
        Example("""
            import keras
            x = keras.Input((4,))
            y = x[:, None, :]
        """),
        Example("""
            import keras
            x = keras.Input((None,))
            y = x[:, None]
        """),
        Example("""
            import tensorflow as tf
            @tf.function(input_signature=[tf.TensorSpec([None, None, 4], tf.float32)])
            def f(x):
                return x[0, None, :]
        """),
        Example("""
            import tensorflow as tf
            y = tf.expand_dims(x, 1)
        """),
        Example("""
            import keras
            x = keras.Input((6, 8))
            y = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x, use_causal_mask=True)
        """),
        Example("""
            import keras
            x = keras.Input((None, 8))
            y = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x, use_causal_mask=False)
        """),
        Example("""
            import tensorflow as tf
            @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
            def f(x):
                indices = [None] * 3
                for i in (0, -1):
                    indices[i] = slice(None)
                return x[indices]
        """),
    )
    INVALID = (
        Example("""
            import keras
            import tensorflow as tf
            tokens = keras.Input((None,))
            mask = tokens[:, None, :]  # TFL203:error
        """, fixed="""
            import keras
            import tensorflow as tf
            tokens = keras.Input((None,))
            mask = tf.expand_dims(tokens, 1)  # TFL203:error
        """),
        Example("""
            import tensorflow as tf
            @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
            def f(x):
                return x[..., tf.newaxis]  # TFL203:error
        """),
        Example("""
            import tensorflow as tf
            def attention(scores, mask):
                return scores + mask[:, None, :]  # TFL203:warning
        """),
        Example("""
            import keras
            x = keras.Input((None,))
            y = x[:, None, :]  # TFL203:warning
        """, target="select"),
        Example("""
            import keras
            x = keras.Input((None, 8))
            y = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x, use_causal_mask=True)  # TFL203:error
        """),
        Example("""
            import keras
            class Block(keras.layers.Layer):
                def __init__(self, causal):
                    super().__init__()
                    self.causal = causal
                    self.attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
                def call(self, x):
                    return self.attention(x, x, use_causal_mask=self.causal)  # TFL203:warning
        """),
        Example("""
            import tensorflow as tf
            @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
            def f(x):
                indices = [slice(None), None, slice(None)]
                return x[indices]  # TFL203:error
        """),
        Example("""
            import keras
            def align(x, axes, ndim):
                indices = [None] * ndim
                for i in axes:
                    indices[i] = slice(None)
                return x[indices]  # TFL203:warning
        """),
    )

    @classmethod
    def may_report(cls, facts) -> bool:
        subscripts = facts.of_type(ast.Subscript)
        if any(_may_fail_with_axis(_ast_kinds(facts, node.slice)) for node in subscripts) or any(
                k.arg == _CAUSAL for node in facts.of_type(ast.Call) for k in node.keywords):
            return True
        # `x[indices]` after `indices = [None] * n` (index_list): shapes like `[None, 224, 3]` are common
        indexed = {node.slice.id for node in subscripts if type(node.slice) is ast.Name}
        return any(len(node.targets) == 1 and type(node.targets[0]) is ast.Name and node.targets[0].id in indexed
                   and _new_axes_list(facts, node.value) for node in facts.of_type(ast.Assign))

    def visit_Call(self, node: cst.Call) -> None:
        """MultiHeadAttention's causal mask: new axes on [length, length] inside Keras."""
        causal = argument(node, _CAUSAL, None)
        value = literal(self.ctx, causal)
        if causal is None or value == "False" or built_from(self.ctx, node.func) != _MHA:
            return
        query = argument(node, "query", 0)
        shape = shape_of(self.ctx, query) if query is not None else None
        if shape is not None and None not in shape.dims[1:] or shape is None and self.ctx.target == "select":
            return
        certain = shape is not None and value == "True"
        what = (f"MultiHeadAttention with {_CAUSAL} builds its causal mask with new axes over [length, length] "
                "(StridedSlice with new_axis_mask)")
        if certain:
            message = f"{what}; the query's length is dynamic ({shape.origin}): conversion fails with --target " \
                      f"{self.ctx.target}"
        else:
            message = (f"{what}: conversion fails with --target builtins if {_CAUSAL} is true and the query's "
                       "length is dynamic")
        passed = shape is None and from_caller(self.ctx, query)
        # A flag the constructor stores: where the class is built decides (a known shape is dynamic here).
        flag = constructor_flag(self.ctx, causal) if value is None and (passed or shape is not None) else None
        self.report(node, message + _MASK_WAY_OUT, op="StridedSlice", severity=None if certain else Severity.WARNING,
                    fails_if_dynamic="length" if flag or passed and value == "True" else None, fails_if_flag=flag)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        listed = index_list(self.ctx, node.slice[0].slice.value) \
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) else None
        if listed is not None:
            self._listed(node, listed)
            return
        kinds = [self._kind(element.slice) for element in node.slice]
        self._check(node, kinds)

    def _listed(self, node: cst.Subscript, listed: IndexList) -> None:
        """`x[indices]` with `indices` a list of the def: as the tuple of its entries where they are
        known; a warning where the list holds new axes set at run time (`[None] * ndim`, then
        `indices[i] = slice(None)`), unless the tensor's shape leaves too few dynamic dimensions to fail."""
        kinds = [self._value_kind(value) for value in listed.elements]
        if "axis" not in kinds:
            return
        said = f"{self.ctx.module.code_for_node(node)} ({listed.name}: "
        if listed.fixed and "?" not in kinds:
            self._check(node, kinds, said + self.ctx.module.code_for_node(listed.list) + ")")
            return
        shape = shape_of(self.ctx, node.value)
        if listed.sliced is not None and shape is None:  # slices at those axes, new axes between
            ahead = sum(axis >= 0 for axis in listed.sliced)
            self._check(node, ["slice"] * ahead + ["axis"] + ["slice"] * (len(listed.sliced) - ahead),
                        said + f"slice(None) at axes {', '.join(map(str, listed.sliced))}, None elsewhere)")
            return
        if shape is not None and shape.dynamic < 2 or shape is None and self.ctx.target == "select":
            return
        self.report(node, f"{self.ctx.module.code_for_node(node)} indexes with {listed.name}, a list that holds new "
                    "axes (None) set at run time (StridedSlice with new_axis_mask): conversion fails with --target "
                    "builtins if the tensor has two or more dynamic dimensions and the list's other entries reach "
                    "every dimension, as in x[:, None, :]; "
                    "keras.ops.expand_dims or a reshape converts with any shape",
                    op="StridedSlice", severity=Severity.WARNING)

    def _check(self, node: cst.Subscript, kinds: list[str], listed: str | None = None) -> None:
        """`listed`: the subscript with what its list holds, for a list index (no fix offered)."""
        if not _may_fail_with_axis(kinds):
            return
        shape = shape_of(self.ctx, node.value)
        if shape is not None and not _fails(kinds, shape.dims):
            return
        if self.ctx.target == "select" and shape is None:
            return  # nothing known to fail, and Select TF ops would convert it anyway
        self.report(node, self._message(listed or self.ctx.module.code_for_node(node), shape), op="StridedSlice",
                    severity=None if shape is not None else Severity.WARNING,
                    fix=None if listed else self._fix(node, kinds),
                    fails_if_dynamic="two" if shape is None and from_caller(self.ctx, node.value) else None)

    def _kind(self, index: cst.BaseSlice) -> str:
        if isinstance(index, cst.Slice):
            return "slice"
        return self._marker(index.value) or "index"  # an integer or a tensor: it drops (or gathers) a dimension

    def _marker(self, value: cst.BaseExpression) -> str | None:
        if (isinstance(value, cst.Name) and value.value == "None") or self.ctx.qualname(value) in _NEW_AXES:
            return "axis"
        return "..." if isinstance(value, cst.Ellipsis) else None

    def _value_kind(self, value: cst.BaseExpression) -> str:
        """The kind of a list's entry (`slice(None)` is `:`); "?" for a name or expression that may be any."""
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "slice":
            return "slice"
        if isinstance(value, cst.Integer) or isinstance(value, cst.UnaryOperation) \
                and isinstance(value.expression, cst.Integer):
            return "index"
        return self._marker(value) or "?"

    def _message(self, expr: str, shape) -> str:
        what = f"{expr} inserts a new axis (StridedSlice with new_axis_mask)"
        way_out = "; tf.expand_dims (keras.ops.expand_dims) converts with any shape"
        if shape is None:
            return (f"{what}: conversion fails with --target builtins if the tensor has two or more dynamic "
                    f"dimensions (say a None batch and a None length); it converts with at most one{way_out}")
        if self.ctx.target == "select":
            return f"{what} on a shape from {shape.origin} runs as a Flex StridedSlice (Select TF ops){way_out}"
        return (f"{what} on {shape.dynamic} dynamic dimensions ({shape.origin}): conversion fails with --target "
                f"{self.ctx.target}{way_out}")

    def _fix(self, node: cst.Subscript, kinds: list[str]):
        """`tf.expand_dims(x, k)` for a subscript of one new axis and full slices (`:`, `...`) only."""
        full = all(kind == "axis" or kind == "..." or _is_full(el.slice) for kind, el in zip(kinds, node.slice))
        if kinds.count("axis") != 1 or kinds.count("...") > 1 or not full or not resolves_to(self.ctx, node, "tf"):
            return None
        at = kinds.index("axis")
        axis = at if "..." not in kinds[:at] else at - len(kinds)
        replacement = cst.parse_expression(f"tf.expand_dims({self.ctx.module.code_for_node(node.value)}, {axis})")
        return ("insert the axis with tf.expand_dims", node, replacement)


# Measured (TF 2.21, builtins; tests/converter/test_rule_evidence_ops.py): a subscript with a new
# axis fails when the tensor keeps two or more dynamic dimensions (integer indices drop theirs) and
# its other indices, or an ellipsis, reach every dimension: x[:, None, :] and x[..., None] on
# [None, None] fail; x[:, None] and x[None, :] on [None, None], x[:, :, None] on [None, None, 5],
# and every form on [None, 5, 6] convert.
_CAUSAL = "use_causal_mask"
_MHA = "keras.layers.MultiHeadAttention"
_MASK_WAY_OUT = ("; pass attention_mask= made with expand_dims instead (e.g. i = ops.arange(length); "
                 "ops.expand_dims(i, 1) >= ops.expand_dims(i, 0)), which converts with any length")


def _may_fail_with_axis(kinds: list[str]) -> bool:
    return "axis" in kinds and _may_fail(kinds)


def _may_fail(kinds: list[str]) -> bool:
    """Whether some tensor with two or more dynamic dimensions makes this subscript fail: its
    indices reach every dimension of a tensor of rank two or more."""
    return "..." in kinds or sum(kind in ("slice", "index") for kind in kinds) >= 2


def _fails(kinds: list[str], dims: tuple[int | None, ...]) -> bool:
    used = [k for k in kinds if k != "axis"]
    if "..." in used:
        cut = used.index("...")
        before, after = used[:cut], used[cut + 1:]
        covered = list(zip(before, dims)) + list(zip(after, dims[len(dims) - len(after):]))
    else:
        covered = list(zip(used, dims))
    dropped = sum(1 for kind, dim in covered if kind == "index" and dim is None)
    reaches_every_dimension = "..." in used or len(used) >= len(dims)
    return reaches_every_dimension and sum(d is None for d in dims) - dropped >= 2


def _is_full(index: cst.BaseSlice) -> bool:
    return isinstance(index, cst.Slice) and index.lower is None and index.upper is None and index.step is None


def _ast_kinds(facts, index: ast.expr) -> list[str]:
    """_kind of each index of CPython's tree, where a name may stand for a new axis through any
    import of it (`x[:, None]` converts with any shape: the rule reports only where _may_fail)."""
    return [_ast_kind(facts, part) for part in (index.elts if type(index) is ast.Tuple else [index])]


def _ast_kind(facts, part: ast.expr) -> str:
    if type(part) is ast.Slice:
        return "slice"
    if type(part) is ast.Constant:
        return "axis" if part.value is None else "..." if part.value is Ellipsis else "index"
    if type(part) is ast.Attribute and part.attr == "newaxis" or facts.qualnames(part) & _NEW_AXES:
        return "axis"
    return "index"


def _new_axes_list(facts, value: ast.expr) -> bool:
    """`[slice(None), None]` or `[None] * n`: a list that may index with new axes (index_list)."""
    if type(value) is ast.BinOp and type(value.op) is ast.Mult:
        value = value.left if type(value.left) is ast.List else value.right
    return type(value) is ast.List and any(_ast_kind(facts, element) == "axis" for element in value.elts)
