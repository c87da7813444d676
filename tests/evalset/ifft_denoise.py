"""Spectral gating denoiser: FFT, mask, inverse FFT on complex64."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([None, 128], tf.float32)])
def denoise(signal):
    spec = tf.signal.fft(tf.complex(signal, tf.zeros_like(signal)))
    mask = tf.cast(tf.abs(spec) > 1.0, tf.complex64)
    return tf.math.real(tf.signal.ifft(spec * mask))


def build_model():
    return denoise


def save(path="exported"):
    import tensorflow as tf
    module = tf.Module()
    module.serve = build_model()
    tf.saved_model.save(module, path)
