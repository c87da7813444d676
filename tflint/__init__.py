"""tflint: find where TensorFlow/Keras model code breaks or degrades when converted to TFLite."""

__version__ = "0.1.0"
