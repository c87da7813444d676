"""New-axis indexing with every dimension fixed (batch 1): converts."""
import tensorflow as tf
import keras


class PairwiseDistance(keras.layers.Layer):
    def call(self, points):
        diff = points[:, :, None, :] - points[:, None, :, :]
        return tf.reduce_sum(diff * diff, axis=-1)


def build_model():
    points = keras.Input((16, 3), batch_size=1)
    d = PairwiseDistance()(points)
    d = keras.layers.Flatten()(d)
    return keras.Model(points, keras.layers.Dense(4)(d))
