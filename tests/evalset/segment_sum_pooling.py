"""Graph pooling: sums node features per graph with tf.math.segment_sum."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 8], tf.float32), tf.TensorSpec([None], tf.int32)])
def graph_readout(nodes, graph_ids):
    return tf.math.segment_sum(nodes, graph_ids)


def build_model():
    return graph_readout


def plot_history(losses, path="loss.png"):
    import matplotlib.pyplot as plt
    plt.plot(losses)
    plt.xlabel("epoch")
    plt.savefig(path)
