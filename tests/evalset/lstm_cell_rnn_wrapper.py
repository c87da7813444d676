"""Generic keras.layers.RNN over an LSTMCell, unrolled."""
import keras
from keras import layers


def build_model():
    x = keras.Input((10, 4))
    cell = layers.LSTMCell(12)
    h = layers.RNN(cell, unroll=True)(x)
    return keras.Model(x, layers.Dense(2)(h))


def restore(checkpoint_dir):
    import tensorflow as tf
    model = build_model()
    tf.train.Checkpoint(model=model).restore(tf.train.latest_checkpoint(checkpoint_dir)).expect_partial()
    return model
