"""Speech recognizer postprocess: CTC greedy decoding."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([50, 1, 29], tf.float32)])
def decode(logits):
    decoded, _ = tf.nn.ctc_greedy_decoder(logits, sequence_length=[50])
    return tf.sparse.to_dense(decoded[0])


def build_model():
    return decode


def log_mean(name, t):
    import tensorflow as tf
    return tf.py_function(lambda v: print(name, float(v.numpy().mean())) or 0, [t], tf.int32)
