/**
 * The command line's figures (XChart, rendered headless): the training dynamics of a run, rewritten after every
 * epoch by a DJL training listener of the run ({@link io.github.lagrange4j.training.RunListener}), and the comparison of runs.
 * The driver itself depends on no plotting library.
 */
package io.github.lagrange4j.cli.plot;
