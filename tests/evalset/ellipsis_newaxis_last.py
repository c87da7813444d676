"""Adds a trailing channel axis with x[..., None] before a Conv1D."""
import tensorflow as tf
import keras
from keras import layers


class AddChannel(layers.Layer):
    def call(self, x):
        return x[..., None]


def build_model():
    signal = keras.Input((128,))
    x = AddChannel()(signal)
    x = layers.Conv1D(8, 5, activation="relu")(x)
    x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(signal, layers.Dense(3)(x))


def make_dataset(signals, labels, batch=32):
    ds = tf.data.Dataset.from_tensor_slices((signals, labels))
    return ds.shuffle(1000).batch(batch).prefetch(tf.data.AUTOTUNE)
