"""A preprocessing constant built from NumPy meets float32 model weights.

`np.linspace` and `np.full` give float64 arrays, so `tf.constant` of them is a float64 tensor,
and dividing the float32 logits by it fails: "TypeError: `x` and `y` must have the same
dtype, got tf.float32 != tf.float64." The Python-literal constant beside it is float32 and fine.

`tfnp-migrate diff --select TFNP201 examples/` makes every dtype explicit (`tf.float64` here,
which keeps the failure visible in review); `--unsafe --dtype-policy float32` turns the NumPy
constants into `tf.float32` and the program runs (values rounded to float32).
"""

import numpy as np
import tensorflow as tf

CLASS_BIAS = [0.0, 0.1, -0.1]  # Python floats: float32


class Scorer(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(tf.random.stateless_normal([4, 3], seed=(1, 2)))

    def __call__(self, features):
        return tf.matmul(features, self.w)


def calibration():
    temperature = tf.constant(np.linspace(1.0, 2.0, 3))  # NumPy float64 data
    prior = tf.constant(np.full(3, 1.0 / 3.0))  # NumPy float64 data
    return temperature, prior


def main():
    scorer = Scorer()
    features = tf.ones([2, 4])
    temperature, prior = calibration()
    logits = scorer(features) + tf.constant(CLASS_BIAS)
    return tf.nn.softmax(logits / temperature) * prior


if __name__ == "__main__":
    print(main())
