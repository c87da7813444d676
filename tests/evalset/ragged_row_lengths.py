"""Mean over variable-length rows given as values plus row lengths (RaggedTensor)."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([4], tf.int64)])
def ragged_mean(values, row_lengths):
    rt = tf.RaggedTensor.from_row_lengths(values, row_lengths)
    return tf.reduce_mean(rt, axis=1)


def build_model():
    return ragged_mean


if __name__ == "__main__":
    built = build_model()
    print(type(built).__name__, "ready")
