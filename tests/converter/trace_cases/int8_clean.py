"""Quantizes well: a small MLP with bounded activations, calibrated on its own data."""
import keras
import numpy as np

keras.utils.set_random_seed(2)
inputs = keras.Input((8,))
x = keras.layers.Dense(16, activation="relu")(inputs)
outputs = keras.layers.Dense(4)(x)
model = keras.Model(inputs, outputs)

DATA = np.random.default_rng(0).uniform(-1, 1, size=(300, 1, 8)).astype(np.float32)


def representative_dataset():
    for sample in DATA:
        yield [sample]
