"""Iterative refinement with a Python loop (unrolled at trace time)."""
import tensorflow as tf
import keras


class Refiner(keras.layers.Layer):
    def __init__(self, steps=3, **kwargs):
        super().__init__(**kwargs)
        self.steps = steps
        self.update = keras.layers.Dense(8, activation="tanh")

    def call(self, x):
        outputs = []
        for _ in range(self.steps):
            x = x + self.update(x)
            outputs.append(x)
        return tf.stack(outputs, axis=1)


def build_model():
    x = keras.Input((8,))
    return keras.Model(x, Refiner()(x))
