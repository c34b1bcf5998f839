/**
 * The Apache Spark executor of a sweep ({@link io.github.lagrange4j.sweep.spark.SparkSweep}): one Spark task per
 * run, found by {@code java.util.ServiceLoader} when {@code sweep --spark-master} is given. Optional: no other
 * module depends on this one.
 */
package io.github.lagrange4j.sweep.spark;
