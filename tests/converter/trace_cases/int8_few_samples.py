"""A representative dataset of 6 samples of a wide input: too few, and the held-out ones reach past
the calibration range."""
import keras
import numpy as np

keras.utils.set_random_seed(3)
inputs = keras.Input((4,))
outputs = keras.layers.Dense(2)(inputs)
model = keras.Model(inputs, outputs)

SAMPLES = [np.full((1, 4), v, np.float32) for v in (0.1, -0.2, 0.3, -0.1, 0.2, 5.0)]


def representative_dataset():
    for sample in SAMPLES:
        yield [sample]
