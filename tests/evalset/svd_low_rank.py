"""Low-rank projection of an input matrix via SVD."""
import tensorflow as tf


class LowRank(tf.Module):
    def __init__(self, rank=2):
        super().__init__()
        self.rank = rank

    @tf.function(input_signature=[tf.TensorSpec([8, 8], tf.float32)])
    def __call__(self, m):
        s, u, v = tf.linalg.svd(m)
        s = s[: self.rank]
        return tf.matmul(u[:, : self.rank] * s, v[:, : self.rank], transpose_b=True)


def build_model():
    return LowRank()
