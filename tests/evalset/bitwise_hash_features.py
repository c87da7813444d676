"""Feature hashing with bitwise ops on int32 ids."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 4], tf.int32)])
def hash_ids(ids):
    mixed = tf.bitwise.bitwise_xor(ids, tf.bitwise.left_shift(ids, 3))
    return tf.bitwise.bitwise_and(mixed, 1023)


def build_model():
    return hash_ids


def log_mean(name, t):
    import tensorflow as tf
    return tf.py_function(lambda v: print(name, float(v.numpy().mean())) or 0, [t], tf.int32)
