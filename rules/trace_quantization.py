"""TFL907-TFL909: what `tflint --trace` measures of a converted model: the accuracy int8
quantization costs, the data it was calibrated with, and the memory it needs.

Like the other TFL9xx rules these have no visitor: `tflint.trace` reports them from its
measurements (tflint/trace/quantize.py, memory.py; the figures are in the JSON's `trace` key).
"""

from tflint.api import Rule, Severity


class QuantizationError(Rule):
    """Full-integer quantization costs this model more accuracy than the tolerance allows.

    ## What it does
    Under `--trace --target int8`, converts the model with full-integer quantization,
    calibrated on the first 80% of the file's own representative dataset (a module-level
    function whose name contains `representative`), and runs the float model (TensorFlow)
    and the int8 model (ai-edge-litert) on the other 20%. Reports the largest error of any
    output relative to that output's range over the held-out samples when it exceeds
    `quantization-tolerance` (default 0.05; `[tool.tflint]` or `--quantization-tolerance`).
    It then names the layers that cost it: each candidate layer is kept in float (selective
    quantization) and the error is measured again; the message gives the best ones with
    the error that remains, at the lines that build them. Without a dataset in the file,
    seeded random inputs calibrate and measure, and the message says so.

    ## Why it breaks in TFLite
    It converts and runs; the int8 model just computes a coarser function. A tensor whose
    range is set by a few large values (an `exp`, an outlier channel) leaves the rest of
    its values a handful of int8 steps, and later layers amplify that.

    ## Example
    ```python
    x = keras.layers.Lambda(lambda t: tf.math.log(tf.exp(8 * t) + 1) / 8)(x)   # softplus by hand
    ```

    ## Use instead
    Bound the wide tensor (`keras.activations.softplus`, a clip), or keep the named layers in
    float: `tf.lite.experimental.QuantizationDebugger(converter=conv, debug_dataset=data,
    debug_options=QuantizationDebugOptions(denylisted_nodes=[...])).get_nondebug_quantized_model()`.

    ## Evidence
    Measured by `--trace`: the float and the int8 model on the same held-out inputs; each
    layer's figure is a conversion with that layer kept in float, measured the same way.
    """

    code = "TFL907"
    name = "quantization-error"
    severity = Severity.WARNING


class WeakCalibrationData(Rule):
    """The representative dataset cannot calibrate the model well.

    ## What it does
    Under `--trace --target int8`, reads the file's representative dataset and reports:
    samples whose structure, dtype or shape does not match the model's inputs; fewer than
    10 samples; held-out samples (the last 20%) whose values reach beyond the range the
    calibration samples (the first 80%) cover by more than 10% of it.

    ## Why it breaks in TFLite
    Calibration sets every tensor's int8 range from these samples. Values outside it are
    clipped at run time; samples of the wrong shape or dtype make the converter fail or
    calibrate something else.

    ## Example
    ```python
    def representative_dataset():
        for _ in range(3):                         # 3 samples of a wide input
            yield [np.random.normal(size=(1, 8)).astype(np.float32)]
    ```

    ## Use instead
    A few hundred real samples covering the inputs' range, one list of arrays per sample,
    each of the model input's shape and dtype.

    ## Evidence
    Measured by `--trace` on the dataset the file defines.
    """

    code = "TFL908"
    name = "weak-calibration-data"
    severity = Severity.WARNING


class OverBudget(Rule):
    """The converted model is larger, or needs more activation memory, than the budget.

    ## What it does
    With `--max-model-size` or `--max-arena` (bytes; K, M, G suffixes), reports a converted
    model whose `.tflite` size, or whose activation memory (the sum of its non-constant
    tensors, an upper bound of the interpreter's arena), exceeds the budget.

    ## Why it breaks in TFLite
    A model that does not fit the device's flash or RAM does not load there.

    ## Example
    ```text
    tflint --trace --target int8 --max-model-size 256K model.py
    ```

    ## Use instead
    Quantize (`--target int8`), shrink the model, or raise the budget.

    ## Evidence
    The converted flatbuffer: its length, and its tensors' shapes and types.
    """

    code = "TFL909"
    name = "over-budget"
    severity = Severity.WARNING
