"""Poisson regression: lgamma appears only in the training loss, never in the model."""
import tensorflow as tf
import keras


def poisson_nll(counts, rate):
    return tf.reduce_mean(rate - counts * tf.math.log(rate + 1e-6) + tf.math.lgamma(counts + 1.0))


def build_model():
    x = keras.Input((4,))
    h = keras.layers.Dense(8, activation="relu")(x)
    return keras.Model(x, keras.layers.Dense(1, activation="softplus")(h))


def train_step(model, optimizer, x, counts):
    with tf.GradientTape() as tape:
        loss = poisson_nll(counts, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
