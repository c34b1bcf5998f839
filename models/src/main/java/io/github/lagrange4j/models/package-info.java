/**
 * The architectures of the paper: the MLP 784-300-100-10 and LeNet-5-Caffe 20-50-800-500, dense and gated
 * (L0 gates on dense inputs and convolution output channels).
 */
package io.github.lagrange4j.models;
