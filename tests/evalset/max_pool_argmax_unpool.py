"""SegNet-style pooling that keeps argmax indices for unpooling."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([1, 16, 16, 4], tf.float32)])
def pool_with_indices(x):
    pooled, argmax = tf.nn.max_pool_with_argmax(x, ksize=2, strides=2, padding="SAME")
    return pooled, tf.cast(argmax, tf.float32)


def build_model():
    return pool_with_indices


def save(path="exported"):
    import tensorflow as tf
    module = tf.Module()
    module.serve = build_model()
    tf.saved_model.save(module, path)
