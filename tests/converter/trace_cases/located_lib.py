"""Helpers a model file imports: the indexing the converter refuses is written here."""
import keras


def attention_mask(tokens):
    return keras.ops.cast(tokens[:, None, :], "float32")  # new axis on [None, None]: fails with builtins
