"""Loses ~10% of its output range under int8: softplus written as log(exp(8x) + 1) / 8 makes a
tensor (the exp) whose range is set by a few huge values."""
import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(1)
inputs = keras.Input((8,))
x = keras.layers.Dense(16, activation="tanh")(inputs)
x = keras.layers.Dense(16, activation="tanh")(x)
x = keras.layers.Lambda(lambda t: tf.math.log(tf.exp(8.0 * t) + 1.0) / 8.0, name="softplus8")(x)
outputs = keras.layers.Dense(4)(x)
model = keras.Model(inputs, outputs)

DATA = np.random.default_rng(0).normal(size=(100, 1, 8)).astype(np.float32)


def representative_dataset():
    for sample in DATA:
        yield [sample]
