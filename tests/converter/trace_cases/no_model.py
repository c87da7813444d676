"""Helpers only: nothing here can be converted."""
import tensorflow as tf


def normalize(x):
    return (x - tf.reduce_mean(x)) / tf.math.reduce_std(x)
