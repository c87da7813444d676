"""A cyclic shift written with slices and concat: converts on any shape."""
import tensorflow as tf
import keras


class CyclicShift(keras.layers.Layer):
    def call(self, x):
        x = tf.concat([x[:, 2:], x[:, :2]], axis=1)
        return tf.concat([x[:, :, 2:], x[:, :, :2]], axis=2)


def build_model():
    x = keras.Input((8, 8, 4))
    return keras.Model(x, keras.layers.Conv2D(4, 3, padding="same")(CyclicShift()(x)))


def log_mean(name, t):
    import tensorflow as tf
    return tf.py_function(lambda v: print(name, float(v.numpy().mean())) or 0, [t], tf.int32)
