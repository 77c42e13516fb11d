"""NumPy work inside traced code: a frozen constant, frozen noise and a buffer written once.

`tfnp-migrate diff examples/numpy_in_traced_code.py` hoists the blur kernel into
`_build_kernel(width)` (safe: same values, same float64 dtype, built at the same point) and
reports, without rewriting, the `np.random` noise in the input pipeline (drawn once, at trace
time) and the NumPy history buffer written from the `tf.function` (written once, at trace time).
"""

import numpy as np
import tensorflow as tf

WIDTH = 5


@tf.function
def blur(rows, width):
    # a box kernel with a heavier centre, built with NumPy at every trace
    kernel = np.full(width, 1.0 / width)
    kernel[width // 2] += 0.5
    return tf.nn.conv1d(rows[:, :, None], tf.constant(kernel)[:, None, None], 1, "SAME")[:, :, 0]


class Monitor:
    def __init__(self):
        self.history = np.zeros(4)

    @tf.function
    def observe(self, loss):
        self.history[0] = 1.0  # runs once, while tracing
        return loss * 2.0


def noisy_pipeline(features):
    ds = tf.data.Dataset.from_tensor_slices(features)
    # the same noise for every element and every epoch
    return ds.map(lambda x: x + np.random.normal(size=features.shape[1:]))


def main():
    rows = tf.constant(np.arange(20.0).reshape(2, 10))
    smoothed = [blur(rows, WIDTH), blur(rows * 2.0, WIDTH)]
    monitor = Monitor()
    losses = [
        monitor.observe(tf.constant(1.0, tf.float32)),
        monitor.observe(tf.constant(2.0, tf.float32)),
    ]
    noisy = list(noisy_pipeline(np.zeros((3, 2))).as_numpy_iterator())
    return smoothed, losses, monitor.history, noisy


if __name__ == "__main__":
    print(main())
