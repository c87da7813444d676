"""Custom training loop with GradientTape around a plain MLP regressor."""
import numpy as np
import tensorflow as tf
import keras


def build_model():
    return keras.Sequential([keras.Input((8,)), keras.layers.Dense(32, activation="relu"),
                             keras.layers.Dense(1)])


@tf.function
def train_step(model, opt, x, y):
    with tf.GradientTape() as tape:
        pred = model(x, training=True)
        loss = tf.reduce_mean(tf.square(tf.cast(y, tf.float64) - tf.cast(pred, tf.float64)))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def fit(epochs=3):
    model, opt = build_model(), keras.optimizers.Adam(1e-3)
    x, y = np.random.rand(256, 8).astype("float32"), np.random.rand(256, 1).astype("float32")
    for _ in range(epochs):
        train_step(model, opt, x, y)
    return model
