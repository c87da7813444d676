"""Cumulative survival computed in log space with tf.cumsum."""
import tensorflow as tf
import keras


class Survival(keras.layers.Layer):
    def call(self, hazards):
        return tf.exp(tf.cumsum(tf.math.log(1.0 - hazards + 1e-7), axis=-1))


def build_model():
    x = keras.Input((10,))
    h = keras.layers.Dense(12, activation="sigmoid")(x)
    return keras.Model(x, Survival()(h))


def compile_and_fit(x, y, epochs=5):
    model = build_model()
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return model, history.history["loss"][-1]
