"""The same non-max suppression, with sample inputs of its own: valid boxes (ymin <= ymax, xmin <= xmax)."""
import numpy as np
import tensorflow as tf

_corners = np.random.default_rng(0).uniform(0.0, 1.0, (100, 2, 2)).astype(np.float32)
SAMPLE_INPUTS = [np.concatenate([_corners.min(axis=1), _corners.max(axis=1)], axis=1),
                 np.random.default_rng(1).uniform(0.0, 1.0, 100).astype(np.float32)]


@tf.function(input_signature=[tf.TensorSpec([100, 4], tf.float32), tf.TensorSpec([100], tf.float32)])
def select_boxes(boxes, scores):
    keep, count = tf.image.non_max_suppression_padded(boxes, scores, max_output_size=10, iou_threshold=0.5,
                                                      pad_to_max_output_size=True)
    return tf.gather(boxes, keep), count
