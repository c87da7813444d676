"""Soft-NMS via non_max_suppression_with_scores."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([50, 4], tf.float32), tf.TensorSpec([50], tf.float32)])
def soft_nms(boxes, scores):
    idx, new_scores = tf.image.non_max_suppression_with_scores(
        boxes, scores, max_output_size=10, soft_nms_sigma=0.5)
    return tf.gather(boxes, idx), new_scores


def build_model():
    return soft_nms


def log_mean(name, t):
    import tensorflow as tf
    return tf.py_function(lambda v: print(name, float(v.numpy().mean())) or 0, [t], tf.int32)
