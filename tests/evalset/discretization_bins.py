"""Age bucketized with the Discretization layer."""
import keras
from keras import layers


def build_model():
    age = keras.Input((1,))
    bucket = layers.Discretization(bin_boundaries=[18.0, 30.0, 45.0, 65.0])(age)
    x = layers.Embedding(5, 3)(bucket)
    return keras.Model(age, layers.Dense(1)(layers.Flatten()(x)))


def save(path="exported"):
    import tensorflow as tf
    module = tf.Module()
    module.serve = build_model()
    tf.saved_model.save(module, path)
