"""TFL9xx: what `tflint --trace` finds by really converting the model that no static rule predicted.

These rules have no visitor: `tflint.trace` reports them from the converter's own answer.
The classes carry their documentation (`--explain`, SARIF) and default severities.
"""

from tflint.api import Rule, Severity


class ConversionError(Rule):
    """The converter rejected the model for a reason no static rule predicted.

    ## What it does
    Reports each op the TFLite converter refused while `--trace` converted the model under
    the target's ops set, at the deepest line of your file on the op's call stack (inside a
    custom layer's `call` or a helper function), with the converter's own message. When no
    frame of the op's call stack is in your file, it is reported at the model's definition.
    A Keras model is judged by `from_keras_model`, the route its user takes; since that
    route records no source lines, tflint converts a traced concrete function as well to
    place the failure, and says so when the two routes disagree.

    ## Why it breaks in TFLite
    The converter found an op with no kernel under the target (or a construct it cannot
    lower, such as a TensorList with a dynamic element shape): no `.tflite` file is produced.

    ## Example
    ```python
    class Spectral(keras.layers.Layer):
        def call(self, x):
            return tf.linalg.inv(x)       # MatrixInverse: Select TF ops only
    ```

    ## Use instead
    Express the computation with builtin ops, or convert with `--target select` if the
    deployment can ship the Flex delegate.

    ## Evidence
    `ConverterError.errors` of TF 2.21, e.g. `'tf.MatrixInverse' op is neither a custom op
    nor a flex op` (ERROR_NEEDS_FLEX_OPS), with `location.call[]` naming file and line.
    """

    code = "TFL901"
    name = "conversion-error"
    severity = Severity.ERROR


class NumericMismatch(Rule):
    """The converted model computes something else than the TensorFlow model.

    ## What it does
    After a successful conversion, runs the TensorFlow model and the converted model
    (ai-edge-litert's Interpreter) on the same inputs and reports the largest absolute
    difference and that difference relative to the output's largest magnitude when it
    exceeds the target's tolerance: 1e-3 for float targets (builtins, select, gpu); 0.1 for
    int8, whose quantization is lossy by design. The inputs are the file's own when it has
    them (a module-level `SAMPLE_INPUTS` or `representative_dataset`, which also calibrates
    int8): a mismatch there is an error. Otherwise seeded inputs (integers bounded by the
    model's smallest embedding): a mismatch is checked on floats in [-1, 1), in [0, 1) and on
    rows sorted along the last axis; an error when it holds on all, else a warning naming the
    inputs that showed it and those that agree (random boxes are degenerate; valid ones are not).

    ## Why it breaks in TFLite
    A model that converts but computes something else is the worst outcome in the field:
    nothing fails, the predictions are just wrong. Typical causes: int8 quantization of
    tensors with outliers or of a subtraction of two large, nearly equal values; ops whose
    TFLite kernel differs from TensorFlow's on edge cases.

    ## Example
    ```python
    big = x * 1000.0
    y = (big + x) - big        # int8: x drowns in the scale of `big`
    ```

    ## Use instead
    Keep the quantized ranges of intermediate tensors close to the output's, or leave the
    sensitive part in float (`--target builtins`).

    ## Evidence
    Measured by `--trace`: the message gives max abs and relative error and the inputs used.
    """

    code = "TFL902"
    name = "numeric-mismatch"
    severity = Severity.ERROR


class TraceFailure(Rule):
    """`--trace` could not get as far as the converter's verdict.

    ## What it does
    Reports a file whose import raised, hung past `--trace-timeout`, ran out of memory,
    crashed the interpreter (a segfault or abort in native code), or whose model could not
    be built or traced; the message names what happened. The file's other findings and the
    other files of the run are unaffected.

    ## Why it breaks in TFLite
    Nothing was converted, so nothing was checked. A model that cannot be imported or
    traced in isolation will not convert either.

    ## Example
    ```python
    weights = np.load("/data/missing.npy")   # import raises FileNotFoundError
    ```

    ## Use instead
    Keep model construction importable without side effects (build it in `build_model()`),
    or point `--entry` at a factory that is.

    ## Evidence
    The child process's own exception, exit signal or timeout.
    """

    code = "TFL903"
    name = "trace-failure"
    severity = Severity.ERROR


class NoModelFound(Rule):
    """`--trace` found nothing in the file it could convert.

    ## What it does
    Reports, as information, a traced file that binds no `keras.Model` instance, no
    `tf.Module` or module-level `tf.function` with a complete `input_signature`, and has no
    zero-argument `build_model` / `create_model` / `make_model` / `get_model` factory; or a
    Keras model whose input shape is unknown (a subclassed model not yet called).

    ## Why it breaks in TFLite
    It may not: tflint just has nothing to convert, so the file's static findings stay
    unconfirmed.

    ## Example
    ```python
    class Net(keras.Model): ...       # a class, never instantiated at module level
    ```

    ## Use instead
    Add a `build_model()` factory, or name the object with `--entry NAME` (and give
    `--input-shape 1,224,224,3` for a model without Input shapes).

    ## Evidence
    None from the converter: nothing was converted.
    """

    code = "TFL904"
    name = "no-model-found"
    severity = Severity.INFO


class SelectOpsUsed(Rule):
    """Under `--target select`, the converted model needs Select TF ops no static rule predicted.

    ## What it does
    Lists the Flex ops (TensorFlow kernels run through the Flex delegate) in the model that
    `--trace` converted under `--target select`, when no static finding named them.

    ## Why it breaks in TFLite
    It converts, at a cost: the app must ship the Flex delegate (several MB), and those ops
    run on the CPU outside any accelerator delegate.

    ## Example
    ```python
    y = tf.linalg.inv(x)            # FlexMatrixInverse in the converted model
    ```

    ## Use instead
    Builtin equivalents where they exist; otherwise accept the cost knowingly.

    ## Evidence
    The converted flatbuffer's operator codes: custom codes starting with `Flex`.
    """

    code = "TFL905"
    name = "select-ops-used"
    severity = Severity.WARNING


class ParitySkipped(Rule):
    """`--trace` converted the model but could not compare its outputs with TensorFlow's.

    ## What it does
    Says why the numeric parity check of a converted model did not run: the interpreter
    could not load the model (e.g. Flex ops without the Flex delegate), inputs of a dtype
    tflint cannot generate (strings), or the model raised on the sample inputs.

    ## Why it breaks in TFLite
    It may not: the model converts, but nothing checked that it computes the same.

    ## Example
    ```python
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def tokenize(text): ...           # no sample strings to run it on
    ```

    ## Use instead
    Give the file sample inputs (a module-level `SAMPLE_INPUTS`, or a `representative_dataset`
    generator): `--trace` runs both models on them.

    ## Evidence
    The exception the parity run raised, in the message.
    """

    code = "TFL906"
    name = "parity-skipped"
    severity = Severity.INFO
