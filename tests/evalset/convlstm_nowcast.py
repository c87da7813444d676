"""Precipitation nowcasting with ConvLSTM2D over radar frames."""
import keras
from keras import layers


def build_model():
    frames = keras.Input((6, 16, 16, 1))
    x = layers.ConvLSTM2D(8, 3, padding="same", return_sequences=False)(frames)
    x = layers.BatchNormalization()(x)
    return keras.Model(frames, layers.Conv2D(1, 1, activation="sigmoid")(x))


def restore(checkpoint_dir):
    import tensorflow as tf
    model = build_model()
    tf.train.Checkpoint(model=model).restore(tf.train.latest_checkpoint(checkpoint_dir)).expect_partial()
    return model
