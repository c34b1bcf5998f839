/**
 * L0 regularisation with hard-concrete gates for DJL (Louizos, Welling and Kingma, "Learning Sparse
 * Neural Networks through L0 Regularization", ICLR 2018) and its constrained formulation
 * (Gallego-Posada, Ramirez et al., "Controlled Sparsity via Constrained Optimization", NeurIPS 2022).
 *
 * <p>Sub-packages: {@code gate} (hard-concrete maths on NDArrays), {@code nn} (gated DJL blocks),
 * {@code account} (density, pruned architecture, kept parameters and MACs), {@code problem}
 * (density-constrained and penalized problem objects for {@code constrained-opt}) and {@code
 * compact} (turning a trained gated model into an ordinary smaller one). This module never chooses
 * an optimizer.
 */
package io.github.lagrange4j.l0;
