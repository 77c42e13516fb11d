import tensorflow as tf


@tf.function
def flatten(x):
    return tf.reshape(x, (-1,)) * 2


def main():
    return [flatten(tf.constant([[1, 2], [3, 4]])), flatten(tf.constant([[5, 6], [7, 8]]))]
