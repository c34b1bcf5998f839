package io.github.lagrange4j.training;

/**
 * Derives every random stream of a run from (seed, epoch, step), so that a resumed run draws exactly the
 * numbers an uninterrupted one would.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * Mixes a seed with an epoch and a step into a well-spread 64-bit value (SplitMix64 finaliser).
     *
     * @param seed the run's seed
     * @param epoch the epoch
     * @param step the step within the epoch (-1 for the epoch's shuffle)
     * @return the derived seed
     */
    public static long mix(long seed, int epoch, int step) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + step * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The engine seed of one step: non-negative and below 2^31, as engines expect an int seed.
     *
     * @param seed the run's seed
     * @param epoch the epoch
     * @param step the step within the epoch
     * @return the seed to pass to {@code Engine.setRandomSeed}
     */
    public static int engineSeed(long seed, int epoch, int step) {
        return (int) (mix(seed, epoch, step) >>> 33);
    }
}
