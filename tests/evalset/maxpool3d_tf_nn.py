"""3-D max pooling through tf.nn.max_pool3d in a tf.function."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([1, 8, 16, 16, 2], tf.float32)])
def pool_volume(vol):
    return tf.nn.max_pool3d(vol, ksize=2, strides=2, padding="VALID")


def build_model():
    return pool_volume


if __name__ == "__main__":
    built = build_model()
    print(type(built).__name__, "ready")
