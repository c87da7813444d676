"""Histogram of predicted classes with tf.math.bincount."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
def class_histogram(pred):
    return tf.math.bincount(pred, minlength=10, maxlength=10)


def build_model():
    return class_histogram


def read_csv_features(pattern, batch_size=32):
    import tensorflow as tf
    lines = tf.data.TextLineDataset(tf.io.gfile.glob(pattern)).skip(1)
    parsed = lines.map(lambda l: tf.strings.to_number(tf.strings.split(l, ","), tf.float32))
    return parsed.batch(batch_size)
