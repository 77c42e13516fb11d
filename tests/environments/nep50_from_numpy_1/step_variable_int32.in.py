# tfnp-migrate: --unsafe --numpy-from 1
import numpy as np
import tensorflow as tf


def main():
    step = tf.Variable(np.int32(7) + 1, trainable=False)
    step.assign_add(tf.constant(1, dtype=step.dtype))
    return step.numpy(), step.dtype
