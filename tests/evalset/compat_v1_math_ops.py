"""TF1-style math kept through tf.compat.v1: to_float, log, reduce_sum with keep_dims."""
import tensorflow as tf
from tensorflow.compat import v1 as tf1


@tf.function(input_signature=[tf.TensorSpec([None, 5], tf.int32)])
def normalize_counts(counts):
    c = tf1.to_float(counts)
    total = tf1.reduce_sum(c, axis=1, keep_dims=True)
    return tf1.log(c + 1.0) - tf1.log(total + 1.0)


def build_model():
    return normalize_counts


def plot_history(losses, path="loss.png"):
    import matplotlib.pyplot as plt
    plt.plot(losses)
    plt.xlabel("epoch")
    plt.savefig(path)
