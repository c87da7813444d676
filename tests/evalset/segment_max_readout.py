"""Max readout per graph with tf.math.unsorted_segment_max."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 8], tf.float32), tf.TensorSpec([None], tf.int32)])
def max_readout(nodes, graph_ids):
    return tf.math.unsorted_segment_max(nodes, graph_ids, num_segments=4)


def build_model():
    return max_readout


def mean_abs_error(expected, predicted):
    import numpy as np
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.mean(np.abs(expected - np.asarray(predicted, dtype=np.float64))))
