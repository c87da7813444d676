"""TFL3xx: Keras layers and models: RNNs with a dynamic batch, custom layers that cannot be
reloaded, preprocessing layers that pull string or hash-table ops.

A custom `Layer.call` reaching an op with no kernel is reported by the op rules (TFL1xx) at
the op's line; the reach analysis adds the layer and the calls that lead there as related
locations. Wrapping the computation in `tf.function(experimental_implements="name")` does
not give it a conversion path: with a name the converter does not know, TF 2.21 inlines the
function and reports the same op (`'tf.MatrixInverse' op is neither a custom op nor a flex
op`); with `allow_custom_ops=True` the op (not the composite) becomes a custom op that the
runtime cannot resolve. So those findings stand.
"""

from __future__ import annotations

import ast

import libcst as cst

from tflint.api import (Example, LAYER, MODEL, RNN_LAYERS, Rule, STRING_LAYERS, Severity, TENSOR_LIST_OPS,
                        argument, binding_scope, chain_of, find_method, fixed_batch_input, having, keras_classes, keras_name,
                        layer_calls, literal, local_def, maybe_keras_layers, reach)


def _layer_class(ctx, call: cst.Call, names: set[str] | dict) -> str | None:
    """`LSTM` for a call of keras.layers.LSTM (any alias) when the class is in `names`."""
    name = keras_name(ctx.call_name(call))
    if name is None or not name.startswith("keras."):
        return None
    short = name.rsplit(".", 1)[-1]
    return short if short in names else None


def _report_at_calls(rule: Rule, construction: cst.Call, layer: str, message: str, ops: tuple[str, ...]) -> None:
    """Where the file calls the layer (the line the converter names), else where it builds it."""
    calls = layer_calls(rule.ctx, construction)
    related = ((construction, f"the {layer} is built here"),)
    for call in calls:
        rule.report(call, message, op=ops, related=related if call.func is not construction else ())
    if not calls:
        rule.report(construction, message, op=ops)


class RnnDynamicBatch(Rule):
    """A Keras RNN layer in a model whose batch size is not fixed.

    ## What it does
    Reports `LSTM`, `GRU`, `SimpleRNN`, `RNN` and `ConvLSTM1D/2D/3D` layers (also inside
    `Bidirectional`) when the file fixes no batch size (no `keras.Input(..., batch_size=N)`
    or `batch_shape=(N, ...)`) and the layer is neither `unroll=True` nor `stateful=True`
    (a stateful RNN needs a fixed batch anyway). It is reported where the file calls the
    layer (`self.gru(x)`), the line the converter names, else where it is built.

    ## Why it breaks in TFLite
    Keras 3 runs the recurrence as a `while` loop that collects its outputs in a TensorList.
    With a `None` batch the list's element shape is unknown, and TFLite's builtin lowering
    of TensorLists needs it static: conversion fails with builtins only. With Select TF ops
    it converts, with the TensorList ops running through the Flex delegate.

    ## Example
    ```python
    inputs = keras.Input((20, 8))
    x = keras.layers.LSTM(32)(inputs)
    ```

    ## Use instead
    ```python
    inputs = keras.Input((20, 8), batch_size=1)
    x = keras.layers.LSTM(32)(inputs)           # or LSTM(32, unroll=True)
    ```

    ## Evidence
    TF 2.21, Keras 3.15, LSTM/GRU/SimpleRNN/Bidirectional(LSTM)/ConvLSTM2D with input
    `(None, ...)`, builtins only: `'tf.TensorListReserve' op requires element_shape to be
    static during TF Lite transformation pass` and `Lowering tensor list ops is failed.
    Please consider using Select TF ops`. With Select TF ops: converts (FlexTensorListReserve,
    FlexTensorListStack). With `batch_size=1` or `unroll=True`: converts with builtins.
    """

    code = "TFL301"
    name = "rnn-dynamic-batch"
    severity = Severity.ERROR
    severities = {"select": Severity.WARNING}  # it converts there, at the Flex delegate's cost
    VALID = (
        Example("""
            import keras
            inp = keras.Input((5, 3), batch_size=1)
            y = keras.layers.LSTM(4)(inp)
        """),
        Example("""
            import keras
            inp = keras.Input((5, 3))
            y = keras.layers.GRU(4, unroll=True)(inp)
        """),
        Example("""
            import keras
            inp = keras.Input(batch_shape=(1, 5, 3))
            y = keras.layers.SimpleRNN(4)(inp)
        """),
        Example("""
            import keras
            inp = keras.Input((5, 3))
            y = keras.layers.Dense(4)(inp)
        """),
    )
    INVALID = (
        Example("""
            import keras
            inp = keras.Input((5, 3))
            y = keras.layers.LSTM(4)(inp)  # TFL301
        """),
        Example("""
            from tensorflow.keras import layers
            m = [layers.Bidirectional(layers.GRU(4))]  # TFL301
        """),
        Example("""
            import tensorflow as tf
            l = tf.keras.layers.ConvLSTM2D(4, 3)  # TFL301:warning
        """, target="select"),
        Example("""
            import keras
            class Encoder(keras.layers.Layer):
                def __init__(self):
                    super().__init__()
                    self.gru = keras.layers.GRU(8)
                def call(self, x):
                    return self.gru(x)  # TFL301
        """),  # at the call: the line the converter names
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return having(*RNN_LAYERS)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.rnns: list[tuple[cst.Call, str]] = []
        self.fixed_batch = False

    def visit_Call(self, node: cst.Call) -> None:
        if fixed_batch_input(self.ctx, node):
            self.fixed_batch = True
            return
        layer = _layer_class(self.ctx, node, RNN_LAYERS)
        if layer is None:
            return
        flags = {k: literal(self.ctx, argument(node, k, None)) for k in ("unroll", "stateful")}
        if "True" not in flags.values():
            self.rnns.append((node, layer))

    def finish(self) -> None:
        if self.fixed_batch:
            return
        target = self.ctx.target
        for node, layer in self.rnns:
            if target == "select":
                message = (f"{layer} with a dynamic batch size runs its loop on Flex TensorList ops (Select TF "
                           f"ops); with batch_size=1 on keras.Input or unroll=True it converts with builtins")
            else:
                message = (f"{layer} in a model with a None batch size: conversion fails with --target {target} "
                           f"('tf.TensorListReserve' op requires element_shape to be static); set batch_size=1 "
                           f"on keras.Input, or unroll=True for short fixed-length sequences, or convert with "
                           f"--target select")
            _report_at_calls(self, node, layer, message, TENSOR_LIST_OPS)


_NONSERIALIZABLE_PREFIXES = ("keras.", "tf.", "numpy.")


class CustomLayerNoGetConfig(Rule):
    """A custom Keras layer or model with constructor arguments that it cannot be rebuilt from.

    ## What it does
    Reports a subclass of a Keras 3 `Layer`/`Model` whose `__init__` takes arguments and that
    defines no `get_config`, when Keras 3's automatic config cannot work either:
    - `__init__` takes no `**kwargs`: loading calls `cls(**config)` with `name`, `trainable`
      and `dtype` and fails (reported at the class);
    - it is constructed in the file with a value Keras cannot serialize (a layer, a tensor,
      an array, a lambda): saving fails (reported at that construction).

    ## Why it breaks in TFLite
    Conversion often happens later, from a `.keras` file. A model that cannot be saved or
    reloaded cannot be converted that way, and the failure shows up only then.

    ## Example
    ```python
    class Residual(keras.layers.Layer):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner
    block = Residual(keras.layers.Dense(8))
    ```

    ## Use instead
    ```python
    class Residual(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.inner = keras.layers.Dense(units)

        def get_config(self):
            return {**super().get_config(), "units": self.units}
    ```

    ## Evidence
    Keras 3.15: a layer built with a `Dense` (or an array, a tensor) argument and no
    `get_config`: `model.save` raises `NotImplementedError: Object Wrap was created by
    passing non-serializable argument values in __init__(), and therefore the object must
    override get_config() in order to be serializable`. A layer whose `__init__(self,
    factor)` has no `**kwargs`: saving works, `keras.models.load_model` raises `TypeError:
    <class 'keras.src.models.functional.Functional'> could not be deserialized properly`.
    Plain numbers and strings with `**kwargs`: save and reload work (no finding).
    """

    code = "TFL302"
    name = "custom-layer-no-get-config"
    severity = Severity.WARNING
    VALID = (
        Example("""
            import keras
            class S(keras.layers.Layer):
                def __init__(self, f, **kw):
                    super().__init__(**kw)
                    self.f = f
            layer = S(2.0)
        """),
        Example("""
            import keras
            class S(keras.layers.Layer):
                def __init__(self, f):
                    super().__init__()
                def get_config(self):
                    return {'f': 1}
        """),
        Example("""
            import keras
            class S(keras.layers.Layer):
                def call(self, x):
                    return x
        """),
        Example("""
            class S:
                def __init__(self, f):
                    self.f = f
        """),
        Example("""
            import tensorflow as tf
            class M(tf.Module):
                def __init__(self, n):
                    super().__init__()
        """),
    )
    INVALID = (
        Example("""
            import keras
            class S(keras.layers.Layer):  # TFL302:warning
                def __init__(self, f):
                    super().__init__()
        """),
        Example("""
            import keras
            class W(keras.layers.Layer):
                def __init__(self, inner, **kw):
                    super().__init__(**kw)
            w = W(keras.layers.Dense(3))  # TFL302
        """),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        # a Keras class has a base (or a base of a local base) resolving to a keras.* or tf_keras.* name
        return having("keras", "tf_keras")

    @classmethod
    def may_report(cls, facts):
        """CPython's tree holds a class that may be a Keras layer or model with no get_config of its own,
        whose __init__ takes arguments and either no **kwargs or a value in the file that Keras cannot
        serialize; an __init__ it may inherit from a class in the file counts as either."""
        some_init_takes_args = any(_ast_takes_args(i) for c in facts.classes for i in _ast_methods(c, "__init__"))
        built_badly: set[str] | None = None
        local = {c.name for c in facts.classes}
        for c in maybe_keras_layers(facts):
            if _ast_methods(c, "get_config") or _keras_2_only(facts, c, local):
                continue
            own = _ast_methods(c, "__init__")
            if not own:  # it may inherit an __init__, with or without **kwargs, from a class in the file
                if some_init_takes_args:
                    return True
                continue
            taking = [i for i in own if _ast_takes_args(i)]
            if any(i.args.kwarg is None for i in taking):  # reported at the class
                return True
            if taking:  # reported where it is built with a value Keras cannot serialize
                built_badly = _built_with_unserializable(facts) if built_badly is None else built_badly
                if c.name in built_badly:
                    return True
        return False

    def visit_Call(self, node: cst.Call) -> None:
        cls = local_def(self.ctx, node.func)
        if not isinstance(cls, cst.ClassDef) or not self._needs_config(cls):
            return
        bad = next((a.value for a in node.args if self._unserializable(a.value)), None)
        if bad is not None and _takes_kwargs(find_method(self.ctx, cls, "__init__")):
            self.report(node, f"{cls.name.value} is built from {self.ctx.module.code_for_node(bad)}, "
                        f"which Keras cannot serialize, and defines no get_config(): saving the "
                        f"model fails (NotImplementedError), so it cannot be converted from a "
                        f".keras file", related=((cls.name, f"{cls.name.value} is defined here"),))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self._needs_config(node):
            return
        init = find_method(self.ctx, node, "__init__")
        if not _takes_kwargs(init):
            self.report(node.name, f"{node.name.value}.__init__ takes arguments but no **kwargs and the "
                        f"class defines no get_config(): a saved model cannot be reloaded "
                        f"(TypeError), so it cannot be converted from a .keras file")

    def _needs_config(self, cls: cst.ClassDef) -> bool:
        if keras_classes(self.ctx).get(cls) not in (LAYER, MODEL) or find_method(self.ctx, cls, "get_config"):
            return False
        if any((self.ctx.qualname(b.value) or "").startswith("tf_keras.") for b in cls.bases):
            return False  # Keras 2 has no automatic config; measured for Keras 3 only
        init = find_method(self.ctx, cls, "__init__")
        return init is not None and len(_named_params(init)) > 1

    def _unserializable(self, value: cst.CSTNode) -> bool:
        if isinstance(value, cst.Lambda):
            return True
        name = keras_name(self.ctx.call_name(value))
        return name is not None and name.startswith(_NONSERIALIZABLE_PREFIXES)


def _named_params(func: cst.FunctionDef) -> list[cst.Param]:
    p = func.params
    return [*p.posonly_params, *p.params, *p.kwonly_params]


def _keras_2_only(facts, cls: ast.ClassDef, local: set[str]) -> bool:
    """Every base of `cls` is a tf_keras name however the file may bind it, and none names a class of
    the file (which could shadow the import): _needs_config leaves such a class alone, or, where the
    resolver finds no name for a base, does not take it for a Keras class at all."""
    return all((chain_of(base) or ("",))[0] not in local and _all_tf_keras(facts.qualnames(base))
               for base in cls.bases)


def _all_tf_keras(names: set[str]) -> bool:
    return bool(names) and all(name.startswith("tf_keras.") for name in names)


def _ast_methods(cls: ast.ClassDef, name: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name]


def _built_with_unserializable(facts) -> set[str]:
    """Names called, in CPython's tree, with a lambda or a keras./tf./numpy. call among the arguments."""
    found = set()
    for node in facts.of_type(ast.Call):
        if isinstance(node.func, ast.Name):
            values = [a.value if isinstance(a, ast.Starred) else a for a in node.args]
            values += [k.value for k in node.keywords]
            if any(isinstance(v, ast.Lambda) or isinstance(v, ast.Call) and any(
                    (keras_name(n) or "").startswith(_NONSERIALIZABLE_PREFIXES) for n in facts.qualnames(v.func))
                   for v in values):
                found.add(node.func.id)
    return found


def _ast_takes_args(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Like `len(_named_params(...)) > 1`, on CPython's tree."""
    args = func.args
    return len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs) > 1


def _takes_kwargs(func: cst.FunctionDef | None) -> bool:
    return func is None or isinstance(func.params.star_kwarg, cst.Param)


# layer -> (TF ops it adds that have no builtin kernel, what they do)


class PreprocessingStringOps(Rule):
    """A Keras preprocessing layer that brings string or hash-table ops into the model.

    ## What it does
    Reports `TextVectorization`, `Hashing` and `IntegerLookup` layers used by the model, where
    the file calls them (`vectorize(text)`, the line the converter names), else where built.
    A layer bound to a module-level name that only `tf.data` pipeline functions use is not
    reported: it never becomes part of the converted graph. `StringLookup` is not reported:
    its string-to-int64 table converts to TFLite's builtin HASHTABLE ops.

    ## Why it breaks in TFLite
    Their ops (string splitting and lowering, regex replace, string hashing, int64 hash
    tables) have no TFLite builtin kernels: conversion fails with builtins only and works
    with Select TF ops (Flex delegate). Keeping preprocessing in the `tf.data` pipeline and
    feeding the model integer ids keeps the model builtin-only.

    ## Example
    ```python
    vectorize = keras.layers.TextVectorization(max_tokens=20000, output_sequence_length=64)
    model = keras.Sequential([vectorize, keras.layers.Embedding(20000, 64), ...])
    ```

    ## Use instead
    ```python
    dataset = dataset.map(lambda text, label: (vectorize(text), label))   # outside the model
    model = keras.Sequential([keras.Input((64,), dtype="int64"), keras.layers.Embedding(20000, 64), ...])
    ```

    ## Evidence
    TF 2.21, Keras 3.15, `from_keras_model`, builtins only: TextVectorization: `'tf.StringLower'
    op is neither a custom op nor a flex op` (also StaticRegexReplace, StringSplitV2,
    RaggedTensorToTensor); Hashing: `'tf.StringToHashBucketFast' ...`; IntegerLookup:
    `'tf.HashTableV2' ...`. All three convert with Select TF ops. StringLookup converts with
    builtins (CALL_ONCE, HASHTABLE, HASHTABLE_FIND) through `from_keras_model` and through
    `from_concrete_functions`.
    """

    code = "TFL303"
    name = "preprocessing-string-ops"
    severity = Severity.ERROR
    severities = {"select": Severity.WARNING}  # it converts there, at the Flex delegate's cost
    VALID = (
        Example("""
            import keras
            lookup = keras.layers.StringLookup(vocabulary=['a', 'b'])
        """),
        Example("""
            import keras
            import tensorflow as tf
            vec = keras.layers.TextVectorization(max_tokens=10)
            def prep(t):
                return vec(t)
            ds = tf.data.Dataset.from_tensor_slices(['a']).map(prep)
        """),
    )
    INVALID = (
        Example("""
            import keras
            vec = keras.layers.TextVectorization(max_tokens=10)  # TFL303
        """),
        Example("""
            from tensorflow.keras import layers
            h = layers.Hashing(num_bins=8)  # TFL303:warning
        """,
                target="select"),
        Example("""
            import keras
            def build_model():
                inp = keras.Input((1,), dtype='int64')
                return keras.Model(inp, keras.layers.IntegerLookup(vocabulary=[1, 2])(inp))  # TFL303
        """),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return having(*STRING_LAYERS)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.found: list[tuple[cst.Call, str]] = []

    def visit_Call(self, node: cst.Call) -> None:
        layer = _layer_class(self.ctx, node, STRING_LAYERS)
        if layer is not None:
            self.found.append((node, layer))

    def finish(self) -> None:
        for node, layer in self.found:
            if self._only_in_pipeline(node):
                continue
            ops, kind = STRING_LAYERS[layer]
            listed = ", ".join(ops)
            if self.ctx.target == "select":
                message = (f"{layer} puts {kind} ops ({listed}) in the model: they run only as Select TF ops "
                           f"(Flex delegate); preprocess in tf.data instead")
            else:
                message = (f"{layer} puts {kind} ops ({listed}) in the model, which have no TFLite builtin "
                           f"kernel: conversion fails with --target {self.ctx.target}; preprocess in tf.data "
                           f"and feed the model ids, or use --target select")
            _report_at_calls(self, node, layer, message, ops)

    def _only_in_pipeline(self, node: cst.Call) -> bool:
        """Bound to a module-level name that only tf.data pipeline functions read."""
        assign = self.ctx.parent(node)
        if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1
                and isinstance(assign.targets[0].target, cst.Name) and self.ctx.scope(assign).kind == "module"):
            return False
        name = assign.targets[0].target
        module = self.ctx.walked.module_scope
        uses = [n for n in self.ctx.walked.of_type(cst.Name) if n.value == name.value
                and n is not name and binding_scope(self.ctx.scope(n), n.value) is module]
        analysis = reach.analyze(self.ctx)
        funcs = [reach.enclosing_function(self.ctx, n) for n in uses]
        return bool(funcs) and all(f is not None and f in analysis.pipeline and f not in analysis.reached
                                   for f in funcs)
