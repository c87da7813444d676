"""Least-squares refinement with tf.linalg.solve on input matrices."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 4, 4], tf.float32), tf.TensorSpec([None, 4, 2], tf.float32)])
def refine(gram, rhs):
    regularized = gram + 1e-3 * tf.eye(4)
    return tf.linalg.solve(regularized, rhs)


def build_model():
    return refine


def read_csv_features(pattern, batch_size=32):
    import tensorflow as tf
    lines = tf.data.TextLineDataset(tf.io.gfile.glob(pattern)).skip(1)
    parsed = lines.map(lambda l: tf.strings.to_number(tf.strings.split(l, ","), tf.float32))
    return parsed.batch(batch_size)
