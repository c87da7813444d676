"""Edge magnitude with tf.image.sobel_edges in a tf.Module."""
import tensorflow as tf


class EdgeDetector(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None, 64, 64, 1], tf.float32)])
    def __call__(self, image):
        edges = tf.image.sobel_edges(image)
        gy, gx = edges[..., 0], edges[..., 1]
        return tf.sqrt(gx * gx + gy * gy + 1e-6)


def build_model():
    return EdgeDetector()


def weighted_sq_error(y_true, y_pred, weights):
    import tensorflow as tf
    err = tf.cast(y_true, tf.float64) - tf.cast(y_pred, tf.float64)
    return tf.reduce_sum(tf.cast(weights, tf.float64) * err * err)
