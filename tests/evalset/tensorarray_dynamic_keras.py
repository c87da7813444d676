"""A Keras layer that collects a variable number of steps in a dynamic TensorArray."""
import tensorflow as tf
import keras


class CumulativeSteps(keras.layers.Layer):
    def call(self, x):
        def step(t, h, acc):
            h = h + x[:, t]
            return t + 1, h, acc.write(t, h)

        acc = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        _, _, acc = tf.while_loop(lambda t, h, acc: t < tf.shape(x)[1], step,
                                  [tf.constant(0), tf.zeros_like(x[:, 0]), acc])
        return tf.transpose(acc.stack(), [1, 0, 2])


def build_model():
    x = keras.Input((6, 4), batch_size=1)
    return keras.Model(x, CumulativeSteps()(x))
