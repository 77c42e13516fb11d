import tensorflow as tf


def main():
    return tf.ones([2])
