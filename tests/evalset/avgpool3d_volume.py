"""Medical-volume encoder with AveragePooling3D."""
import keras
from keras import layers


def build_model():
    vol = keras.Input((16, 16, 16, 1))
    x = layers.Conv3D(4, 3, activation="relu")(vol)
    x = layers.AveragePooling3D(pool_size=(2, 2, 2))(x)
    x = layers.Flatten()(x)
    return keras.Model(vol, layers.Dense(2)(x))


def restore(checkpoint_dir):
    import tensorflow as tf
    model = build_model()
    tf.train.Checkpoint(model=model).restore(tf.train.latest_checkpoint(checkpoint_dir)).expect_partial()
    return model
