"""Sequential GRU tagger with an open batch size."""
import keras
from keras import layers


def build_model():
    return keras.Sequential([
        keras.Input((30, 8)),
        layers.Dense(16, activation="relu"),
        layers.GRU(16, return_sequences=True),
        layers.TimeDistributed(layers.Dense(5, activation="softmax")),
    ])


def log_mean(name, t):
    import tensorflow as tf
    return tf.py_function(lambda v: print(name, float(v.numpy().mean())) or 0, [t], tf.int32)
