"""Converts under int8, but one outlier channel sets the tensor's scale and zeroes the others."""
import numpy as np
import tensorflow as tf

CHANNEL_SCALE = np.ones([1, 64], np.float32)
CHANNEL_SCALE[0, 0] = 1000.0  # an outlier feature, as large activations in transformers


@tf.function(input_signature=[tf.TensorSpec([1, 64], tf.float32)])
def rescaled(x):
    spread = tf.nn.relu(x * CHANNEL_SCALE)
    return spread / CHANNEL_SCALE
