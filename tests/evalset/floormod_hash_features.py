"""Feature hashing with floormod and multiplication only."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 4], tf.int32)])
def hash_ids(ids):
    return tf.math.floormod(ids * 2654435 + 12345, 1024)


def build_model():
    return hash_ids


def mean_abs_error(expected, predicted):
    import numpy as np
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.mean(np.abs(expected - np.asarray(predicted, dtype=np.float64))))
