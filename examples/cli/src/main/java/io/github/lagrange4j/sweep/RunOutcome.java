package io.github.lagrange4j.sweep;

import java.io.Serializable;

/**
 * What executing one run of a sweep came to, on whichever machine it ran.
 *
 * @param id the run's name
 * @param succeeded whether the run is complete
 * @param attempts the processes started for it (0 if it was already complete)
 * @param host where it ran
 * @param message the last error line of a failed run, or a short note
 */
public record RunOutcome(String id, boolean succeeded, int attempts, String host, String message)
        implements Serializable {

    private static final long serialVersionUID = 1L;
}
