# tfnp-migrate: --unsafe --numpy-from 1
import numpy as np
import tensorflow as tf


def main():
    # int64 250 on NumPy 1, uint8 250 on NumPy 2
    pixel = tf.constant(np.uint8(200) + 50)
    return pixel, pixel.dtype
