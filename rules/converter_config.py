"""TFL5xx: converter configuration in the user's conversion script."""

from __future__ import annotations

import libcst as cst

from tflint.api import (Example, FAILS, Rule, Severity, argument, call_verdict, children, dtype_name, folded,
                        literal, local_def, named, reach, spelled)


_INT8_OPSETS = {"TFLITE_BUILTINS_INT8", "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"}
_INT_TYPES = {"int8", "uint8", "int16"}


def _converter_attribute(node: cst.Assign) -> tuple[str, str] | None:
    """`conv.target_spec.supported_ops = ...` -> ("conv", "supported_ops")."""
    if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Attribute):
        return None
    target = node.targets[0].target
    base = target.value
    while isinstance(base, cst.Attribute):
        base = base.value
    return (base.value, target.attr.value) if isinstance(base, cst.Name) else None


def _mentions(node: cst.CSTNode, attrs: set[str]) -> cst.Attribute | None:
    """The first `x.NAME` under `node` whose NAME is in `attrs`."""
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, cst.Attribute) and current.attr.value in attrs:
            return current
        todo.extend(children(current))
    return None


class Int8WithoutRepresentativeDataset(Rule):
    """Full-integer quantization requested without a representative dataset.

    ## What it does
    Reports a converter whose `optimizations` are set and that asks for int8 (`supported_ops`
    with `TFLITE_BUILTINS_INT8`, or an integer `inference_input_type` /
    `inference_output_type`) while the same function never sets `representative_dataset`.

    ## Why it breaks in TFLite
    Full-integer quantization needs the range of every activation, which the converter
    measures by running the model on sample inputs. Without them it refuses to convert.

    ## Example
    ```python
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    ```

    ## Use instead
    ```python
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative_data
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    ```

    ## Evidence
    TF 2.21: `ValueError: For full integer quantization, a representative_dataset must be
    specified.`; with `inference_input_type = tf.int8` and no dataset: `ValueError: The
    inference_input_type and inference_output_type must be tf.float32.`
    """

    code = "TFL501"
    name = "int8-without-representative-dataset"
    severity = Severity.ERROR
    VALID = (
        Example("""
            import tensorflow as tf
            c = tf.lite.TFLiteConverter.from_keras_model(m)
            c.optimizations = [tf.lite.Optimize.DEFAULT]
            c.representative_dataset = gen
            c.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        """),
        Example("""
            import tensorflow as tf
            c.optimizations = [tf.lite.Optimize.DEFAULT]
        """),
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            c = tf.lite.TFLiteConverter.from_keras_model(m)
            c.optimizations = [tf.lite.Optimize.DEFAULT]
            c.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]  # TFL501
        """),
        Example("""
            import tensorflow as tf
            def convert(c):
                c.optimizations = [tf.lite.Optimize.DEFAULT]
                c.inference_input_type = tf.uint8  # TFL501
        """),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return spelled({"optimizations"})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.seen: dict[tuple[object, str], dict[str, cst.Assign]] = {}  # (scope, converter) -> attr -> assign

    def visit_Assign(self, node: cst.Assign) -> None:
        found = _converter_attribute(node)
        if found is None:
            return
        name, attr = found
        if attr in ("supported_ops", "inference_input_type", "inference_output_type") and not self._int8(attr, node):
            return
        self.seen.setdefault((self.ctx.scope(node), name), {}).setdefault(attr, node)

    def _int8(self, attr: str, node: cst.Assign) -> bool:
        if attr == "supported_ops":
            return _mentions(node.value, _INT8_OPSETS) is not None
        return dtype_name(self.ctx, node.value) in _INT_TYPES

    def finish(self) -> None:
        for (_, name), attrs in self.seen.items():
            if "optimizations" not in attrs or "representative_dataset" in attrs:
                continue
            ask = next((attrs[a] for a in ("supported_ops", "inference_input_type", "inference_output_type")
                        if a in attrs), None)
            if ask is not None:
                self.report(ask, f"{name} asks for full-integer quantization but never gets a "
                            f"representative_dataset: conversion fails (ValueError: For full "
                            f"integer quantization, a `representative_dataset` must be specified)")


_LIST_RETURNING = {"numpy.split", "numpy.array_split", "tf.split", "tf.unstack", "tf.nest.flatten"}
_ARRAY_METHODS = {"astype", "numpy", "reshape"}


class RepresentativeDatasetBareArray(Rule):
    """A representative dataset that yields an array or a tuple instead of a list.

    ## What it does
    Reports `yield` statements in the generator assigned to `converter.representative_dataset`
    (a function of the file, or a lambda over a generator expression) whose value is a NumPy
    or TensorFlow array, or a tuple, rather than a list with one array per model input (or a
    dict of input name to array).

    ## Why it breaks in TFLite
    The calibrator accepts a list (inputs in order), a dict (inputs by name) or a tuple
    `(signature_key, dict)`. A bare array is rejected; a tuple of arrays is read as a
    signature key and fails.

    ## Example
    ```python
    def representative_data():
        for _ in range(100):
            yield np.random.rand(1, 224, 224, 3).astype(np.float32)
    ```

    ## Use instead
    ```python
    def representative_data():
        for _ in range(100):
            yield [np.random.rand(1, 224, 224, 3).astype(np.float32)]
    ```

    ## Evidence
    TF 2.21, bare array: `ValueError: You need to provide either a dictionary with input names
    and values, a tuple with signature key and a dictionary with input names and values, or an
    array with input values in the order of input tensors of the graph in the
    representative_dataset function. Unsupported value from dataset: [[0.85 ...]]`; a 1-tuple:
    `IndexError: tuple index out of range`; the same arrays in a list: converts.
    """

    code = "TFL502"
    name = "representative-dataset-bare-array"
    severity = Severity.ERROR
    VALID = (
        Example("""
            import numpy as np
            import tensorflow as tf
            def gen():
                for _ in range(9):
                    yield [np.random.rand(1, 4).astype(np.float32)]
            c.representative_dataset = gen
        """),
        Example("""
            import numpy as np
            import tensorflow as tf
            def gen():
                for x in ds.take(9):
                    yield x
            c.representative_dataset = gen
        """),
    )
    INVALID = (
        Example("""
            import numpy as np
            import tensorflow as tf
            def gen():
                for _ in range(9):
                    yield np.random.rand(1, 4).astype(np.float32)  # TFL502
            c.representative_dataset = gen
        """),
        Example("""
            import numpy as np
            import tensorflow as tf
            def gen():
                for x in data:
                    sample = np.expand_dims(x, 0)
                    yield (sample,)  # TFL502
            c.representative_dataset = gen
        """),
        Example("""
            import numpy as np
            import tensorflow as tf
            c.representative_dataset = lambda: (np.zeros((1, 4), np.float32) for _ in range(9))  # TFL502
        """),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return spelled({"representative_dataset"})

    def visit_Assign(self, node: cst.Assign) -> None:
        found = _converter_attribute(node)
        if found is None or found[1] != "representative_dataset":
            return
        value = node.value
        if isinstance(value, cst.Lambda) and isinstance(value.body, cst.GeneratorExp):
            self._check(value.body.elt, value.body.elt, {})
            return
        gen = local_def(self.ctx, value)
        if isinstance(gen, cst.FunctionDef):
            for yielded in _yields(gen):
                self._check(yielded, yielded.value, _local_values(gen))

    def _check(self, where: cst.CSTNode, value: cst.CSTNode | None, values: dict[str, list]) -> None:
        what = self._kind(value, values)
        if what is not None:
            self.report(where, f"the representative dataset yields {what}; the calibrator takes a list "
                        f"with one array per model input (or a dict by input name): conversion "
                        f"fails (ValueError: Unsupported value from dataset)")

    def _kind(self, value: cst.CSTNode | None, values: dict[str, list]) -> str | None:
        if isinstance(value, cst.Tuple):
            signature = (len(value.elements) == 2 and isinstance(value.elements[0].value, cst.SimpleString)
                         and isinstance(value.elements[1].value, cst.Dict))
            return None if signature else "a tuple"
        if isinstance(value, cst.Name) and value.value in values:
            kinds = {self._kind(v, {}) for v in values[value.value]}
            return kinds.pop() if len(kinds) == 1 else None
        if not isinstance(value, cst.Call):
            return None
        name = self.ctx.call_name(value)
        if name is not None:
            return "a bare array" if name.startswith(("numpy.", "tf.")) and name not in _LIST_RETURNING else None
        func = value.func
        return "a bare array" if isinstance(func, cst.Attribute) and func.attr.value in _ARRAY_METHODS else None


def _yields(func: cst.FunctionDef) -> list[cst.Yield]:
    out, todo = [], [func.body]
    while todo:
        node = todo.pop()
        if isinstance(node, cst.Yield):
            out.append(node)
        elif not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            todo.extend(children(node))
    return out


def _local_values(func: cst.FunctionDef) -> dict[str, list]:
    """Name -> the values a function assigns to it (None where it binds it otherwise)."""
    out: dict[str, list] = {}
    todo = [func.body]
    while todo:
        node = todo.pop()
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            out.setdefault(node.targets[0].target.value, []).append(node.value)
        elif isinstance(node, cst.For) and isinstance(node.target, cst.Name):
            out.setdefault(node.target.value, []).append(None)
        if not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            todo.extend(children(node))
    return out


class AllowCustomOpsHidesMissingKernel(Rule):
    """`allow_custom_ops = True` while the file's model uses ops with no kernel.

    ## What it does
    Reports `converter.allow_custom_ops = True` in a file whose model code calls ops that
    tflint's op knowledge says fail to convert under the target (the ops TFL101/TFL102
    report); the related locations point at them. With no such op in the file it stays
    quiet: custom ops with registered kernels are a legitimate use.

    ## Why it breaks in TFLite
    The flag turns every op the converter cannot map into a custom op of the same name. The
    model converts, but no runtime has a kernel for it: it fails when the interpreter
    allocates tensors, on the device, long after conversion succeeded.

    ## Example
    ```python
    converter.allow_custom_ops = True     # the model uses tf.linalg.inv
    ```

    ## Use instead
    ```python
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
    ```
    or replace the op, or register a kernel for the custom op with the interpreter.

    ## Evidence
    TF 2.21, `tf.linalg.inv` with builtins and `allow_custom_ops=True`: converts (one custom
    op `MatrixInverse`); `ai_edge_litert` Interpreter.allocate_tensors(): `RuntimeError:
    Encountered unresolved custom op: MatrixInverse.`
    """

    code = "TFL503"
    name = "allow-custom-ops-hides-missing-kernel"
    severity = Severity.ERROR
    VALID = (
        Example("""
            import tensorflow as tf
            c.allow_custom_ops = True
            y = tf.nn.relu(x)
        """),
        Example("""
            import tensorflow as tf
            c.allow_custom_ops = False
            y = tf.linalg.inv(x)
        """),
        Example("""
            import tensorflow as tf
            c.allow_custom_ops = True
            y = tf.linalg.inv(x)
        """, target="select"),
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            y = tf.linalg.inv(x)
            c.allow_custom_ops = True  # TFL503
        """),
        Example("""
            import tensorflow as tf
            y = tf.linalg.svd(x)
            c.allow_custom_ops = True  # TFL503
        """,
                target="select"),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return spelled({"allow_custom_ops"})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.flags: list[cst.Assign] = []
        self.calls: list[cst.Call] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        found = _converter_attribute(node)
        if found is not None and found[1] == "allow_custom_ops" and literal(self.ctx, node.value) == "True":
            self.flags.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def finish(self) -> None:
        if not self.flags:
            return
        failing = [(call, verdict) for call, verdict in ((c, call_verdict(self, c)) for c in self.calls)
                   if verdict is not None and verdict.on(self.ctx.target) == FAILS and not verdict.unsure
                   and not folded(self.ctx, call)
                   and reach.keeps(self.ctx, call)]
        if not failing:
            return
        ops = ", ".join(dict.fromkeys(op for _, verdict in failing for op in verdict.ops))
        related = tuple((call, f"{', '.join(verdict.ops)} has no TFLite kernel under --target {self.ctx.target}")
                        for call, verdict in failing[:5])
        for flag in self.flags:
            self.report(flag, f"allow_custom_ops=True turns {ops} into custom ops with no kernel: the "
                        f"model converts, then the interpreter fails ('Encountered unresolved "
                        f"custom op') unless you register one", related=related)


_SELECT = {"tf.lite.OpsSet.SELECT_TF_OPS", "tf.compat.v1.lite.OpsSet.SELECT_TF_OPS"}


class SelectOpsEnabled(Rule):
    """`SELECT_TF_OPS` in the converter's `supported_ops` when the target is builtins only.

    ## What it does
    Under `--target builtins`, `int8` or `gpu`, reports every use of
    `tf.lite.OpsSet.SELECT_TF_OPS`. Under `--target select` it is what you asked for.

    ## Why it breaks in TFLite
    With Select TF ops enabled the converter accepts ops that have no builtin kernel and
    emits Flex ops instead of failing. A runtime without the Flex delegate (the plain
    `ai_edge_litert` interpreter, microcontrollers, most app builds) then rejects the model.
    The conversion stops being the check that the model runs on builtins.

    ## Example
    ```python
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
    ```

    ## Use instead
    ```python
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    ```

    ## Evidence
    TF 2.21, `tf.linalg.inv` with SELECT_TF_OPS: converts to `FlexMatrixInverse`;
    `ai_edge_litert` Interpreter.allocate_tensors(): `RuntimeError: Select TensorFlow op(s),
    included in the given model, is(are) not supported by this interpreter. Make sure you
    apply/link the Flex delegate before inference.`
    """

    code = "TFL504"
    name = "select-ops-enabled"
    severity = Severity.WARNING
    VALID = (
        Example("""
            import tensorflow as tf
            ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
        """),
        Example("""
            import tensorflow as tf
            ops = [tf.lite.OpsSet.SELECT_TF_OPS]
        """, target="select"),
    )
    INVALID = (
        Example("""
            import tensorflow as tf
            c.target_spec.supported_ops = [
                tf.lite.OpsSet.TFLITE_BUILTINS,
                tf.lite.OpsSet.SELECT_TF_OPS,  # TFL504:warning
            ]
        """),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return [] if target == "select" else named(*_SELECT)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value != "SELECT_TF_OPS" or self.ctx.target == "select" or self.ctx.qualname(node) not in _SELECT:
            return
        self.report(node, f"SELECT_TF_OPS lets the converter emit Flex ops instead of failing, but "
                    f"--target {self.ctx.target} asks for builtins only: a runtime without the "
                    f"Flex delegate rejects such a model")


class KerasExportSelectOps(Rule):
    """Keras `model.export(path, format="litert")`, which enables Select TF ops silently.

    ## What it does
    Under `--target builtins`, `int8` or `gpu`, reports `export(..., format="litert")` calls
    that do not pass `target_spec=` to choose the op sets.

    ## Why it breaks in TFLite
    Keras's LiteRT exporter sets `supported_ops = [TFLITE_BUILTINS, SELECT_TF_OPS]` itself.
    An op with no builtin kernel then becomes a Flex op without any error, and the exported
    file needs the Flex delegate to run.

    ## Example
    ```python
    model.export("model.tflite", format="litert")
    ```

    ## Use instead
    ```python
    model.export("model.tflite", format="litert",
                 target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS]})
    ```

    ## Evidence
    Keras 3.15 (`keras/src/export/litert.py`) sets both op sets. A model using
    `tf.linalg.inv` exported with `format="litert"`: no error, the file holds
    `FlexMatrixInverse`. With `target_spec={"supported_ops": [TFLITE_BUILTINS]}`: ConverterError
    `'tf.MatrixInverse' op is neither a custom op nor a flex op`.
    """

    code = "TFL505"
    name = "keras-export-select-ops"
    severity = Severity.WARNING
    VALID = (
        Example("""
            import keras
            model.export('m.tflite', format='litert', target_spec={'supported_ops': ops})
        """),
        Example("""
            import keras
            model.export('m', format='tf_saved_model')
        """),
        Example("""
            import keras
            model.export('m.tflite', format='litert')
        """, target="select"),
    )
    INVALID = (
        Example("""
            import keras
            model.export('m.tflite', format='litert')  # TFL505:warning
        """),
    )

    @classmethod
    def triggers(cls, knowledge, target):
        return spelled({"export", "litert"})

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "export") or self.ctx.target == "select":
            return
        if literal(self.ctx, argument(node, "format", 1)) != "litert" or argument(node, "target_spec", None):
            return
        self.report(node, f"export(format='litert') enables Select TF ops by itself: ops with no builtin "
                    f"kernel become Flex ops without an error (--target {self.ctx.target}); pass "
                    f"target_spec={{'supported_ops': [tf.lite.OpsSet.TFLITE_BUILTINS]}}")


_FROM_KERAS = {"tf.lite.TFLiteConverter.from_keras_model", "tf.compat.v2.lite.TFLiteConverter.from_keras_model"}


class FromKerasModelNoLocations(Rule):
    """`TFLiteConverter.from_keras_model` on a Keras 3 model: errors carry no source lines.

    ## What it does
    Reports `tf.lite.TFLiteConverter.from_keras_model(...)` as a hint.

    ## Why it breaks in TFLite
    With Keras 3 (TF 2.16+) this route goes through a SavedModel without debug information:
    a conversion error names a graph node (`functional_1/inv_1/MatrixInverse`) but no file
    or line. Converting a concrete function keeps the source locations. The two routes can
    differ (variables are frozen and folded on this route, kept as resource variables on the
    other), so keep this route for the model you ship and use the other, or
    `tflint --trace`, to locate a failure.

    ## Example
    ```python
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    ```

    ## Use instead
    ```python
    fn = tf.function(lambda x: model(x)).get_concrete_function(tf.TensorSpec([1, 224, 224, 3]))
    converter = tf.lite.TFLiteConverter.from_concrete_functions([fn], model)
    ```

    ## Evidence
    TF 2.21 / Keras 3.15, a layer calling `tf.linalg.inv`: through `from_keras_model` the
    error's locations hold no file (`loc(callsite(fused["MatrixInverse:",
    "functional_3_1/inv_1_1/MatrixInverse@__inference_function_2574"] ...`); through
    `from_concrete_functions` they hold the file and line of the `tf.linalg.inv` call.
    """

    code = "TFL506"
    name = "from-keras-model-no-locations"
    severity = Severity.INFO
    VALID = (Example("""
                 import tensorflow as tf
                 c = tf.lite.TFLiteConverter.from_concrete_functions([f], m)
             """),)
    INVALID = (Example("""
                   import tensorflow as tf
                   c = tf.lite.TFLiteConverter.from_keras_model(m)  # TFL506:info
               """),)

    @classmethod
    def triggers(cls, knowledge, target):
        return named(*_FROM_KERAS)

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.call_name(node) in _FROM_KERAS:
            self.report(node, "from_keras_model on a Keras 3 model: conversion errors will name graph "
                        "nodes but no source lines; to locate one, convert a concrete function "
                        "(from_concrete_functions) or run tflint --trace")


_INTERPRETERS = {"tf.lite.Interpreter", "tf.compat.v1.lite.Interpreter", "tf.lite.python.interpreter.Interpreter"}


class DeprecatedInterpreter(Rule):
    """`tf.lite.Interpreter`, deprecated in favour of the LiteRT interpreter.

    ## What it does
    Reports constructions of `tf.lite.Interpreter` as a hint.

    ## Why it breaks in TFLite
    It still works in TF 2.21 but is scheduled for deletion; the maintained interpreter is
    `ai_edge_litert.interpreter.Interpreter` (package `ai-edge-litert`), with the same API.

    ## Example
    ```python
    interpreter = tf.lite.Interpreter(model_path="model.tflite")
    ```

    ## Use instead
    ```python
    from ai_edge_litert.interpreter import Interpreter
    interpreter = Interpreter(model_path="model.tflite")
    ```

    ## Evidence
    TF 2.21 warns on construction: `tf.lite.Interpreter is deprecated and is scheduled for
    deletion in TF 2.20. Please use the LiteRT interpreter from the ai_edge_litert package.`
    """

    code = "TFL507"
    name = "deprecated-tflite-interpreter"
    severity = Severity.INFO
    VALID = (Example("""
                 from ai_edge_litert.interpreter import Interpreter
                 i = Interpreter(model_path='m')
             """),)
    INVALID = (Example("""
                   import tensorflow as tf
                   i = tf.lite.Interpreter(model_path='m')  # TFL507:info
               """),)

    @classmethod
    def triggers(cls, knowledge, target):
        return named(*_INTERPRETERS)

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.call_name(node) in _INTERPRETERS:
            self.report(node, "tf.lite.Interpreter is deprecated (scheduled for deletion); use "
                        "ai_edge_litert.interpreter.Interpreter from the ai-edge-litert package")
