/**
 * The {@code lagrange4j} command line (picocli): {@code train}, {@code compare}, {@code export},
 * {@code dense}, {@code bench}, {@code fetch-data}; options are validated with messages that name them, and
 * every command takes {@code --engine} and {@code --device}.
 */
package io.github.lagrange4j.cli;
