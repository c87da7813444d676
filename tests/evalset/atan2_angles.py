"""Orientation head: angle from predicted (sin, cos) pairs with tf.math.atan2."""
import tensorflow as tf
import keras


class Angle(keras.layers.Layer):
    def call(self, sincos):
        return tf.math.atan2(sincos[..., 0], sincos[..., 1])


def build_model():
    x = keras.Input((32,))
    sc = keras.layers.Dense(2, activation="tanh")(x)
    return keras.Model(x, Angle()(sc))


def compile_and_fit(x, y, epochs=5):
    model = build_model()
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return model, history.history["loss"][-1]
