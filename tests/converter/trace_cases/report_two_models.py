"""Two models for the trace report: a Keras model with two outputs that converts with builtins,
and a tf.Module inverting its input (MatrixInverse), for which Select TF ops are the way out."""
import keras
import tensorflow as tf

inputs = keras.Input((8,))
hidden = keras.layers.Dense(16, activation="gelu")(inputs)
detector = keras.Model(inputs, [keras.layers.Dense(1, activation="sigmoid", name="score")(hidden),
                                keras.layers.Dense(3, activation="softmax", name="classes")(hidden)])


class Solver(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None, 3, 3], tf.float32)])
    def __call__(self, x):
        return tf.linalg.inv(x)  # TFL102


solver = Solver()
