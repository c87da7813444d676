"""Bag of tag ids encoded with CategoryEncoding(output_mode='count')."""
import keras
from keras import layers


def build_model():
    tags = keras.Input((5,), dtype="int32")
    counts = layers.CategoryEncoding(num_tokens=20, output_mode="count")(tags)
    h = layers.Dense(8, activation="relu")(counts)
    return keras.Model(tags, layers.Dense(1)(h))


def restore(checkpoint_dir):
    import tensorflow as tf
    model = build_model()
    tf.train.Checkpoint(model=model).restore(tf.train.latest_checkpoint(checkpoint_dir)).expect_partial()
    return model
