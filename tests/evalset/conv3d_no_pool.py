"""Video encoder with strided Conv3D only (no 3-D pooling)."""
import keras
from keras import layers


def build_model():
    clip = keras.Input((8, 32, 32, 3))
    x = layers.Conv3D(8, 3, strides=2, padding="same", activation="relu")(clip)
    x = layers.Conv3D(16, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling3D()(x)
    return keras.Model(clip, layers.Dense(4)(x))


def read_csv_features(pattern, batch_size=32):
    import tensorflow as tf
    lines = tf.data.TextLineDataset(tf.io.gfile.glob(pattern)).skip(1)
    parsed = lines.map(lambda l: tf.strings.to_number(tf.strings.split(l, ","), tf.float32))
    return parsed.batch(batch_size)
