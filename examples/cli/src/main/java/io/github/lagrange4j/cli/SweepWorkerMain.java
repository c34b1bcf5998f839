package io.github.lagrange4j.cli;

import ai.djl.engine.Engine;
import io.github.lagrange4j.sweep.PlannedRun;
import io.github.lagrange4j.sweep.SweepPlan;
import io.github.lagrange4j.sweep.SweepRunTraining;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The process that trains one run of a sweep ({@code io.github.lagrange4j.sweep.RunProcess} starts it):
 * arguments {@code SWEEP_DIR RUN_ID}. It reads the run from {@code SWEEP_DIR/sweep.json}, parses its
 * {@code train} arguments as {@code train} does, and trains it into {@code SWEEP_DIR/RUN_ID}
 * ({@link SweepRunTraining}: start, resume from the newest checkpoint, or nothing when complete).
 *
 * <p>Its standard input is a lifeline: when it reaches end-of-file (the sweep's process died) this process halts
 * at once; the run directory's atomic files and checkpoints keep it resumable. Exit code 0 when the run is
 * complete, 1 when it failed (the message on the last line, starting with {@code error:}), 2 for bad arguments.
 */
public final class SweepWorkerMain {

    private SweepWorkerMain() {}

    /**
     * Trains the run.
     *
     * @param args {@code SWEEP_DIR RUN_ID}
     */
    public static void main(String[] args) {
        ConsoleLogging.configure(false);
        PrintWriter log = new PrintWriter(System.out, true);
        if (args.length != 2) {
            log.println("error: usage: SweepWorkerMain SWEEP_DIR RUN_ID");
            System.exit(2);
        }
        watchLifeline(System.in);
        try {
            Path sweep = Path.of(args[0]);
            PlannedRun run = SweepPlan.read(sweep).run(args[1]);
            SweepTrainOptions options = SweepTrainOptions.parse(run.trainArguments());
            Engine engine = options.engine();
            SweepRunTraining.train(run, sweep.resolve(run.id()), engine, options.device(engine),
                    options.files(run.settings().data().dataset().label(), log), log);
            log.flush();
            System.exit(0);
        } catch (IOException | RuntimeException e) {
            log.println("error: " + e.getMessage());
            log.flush();
            System.exit(1);
        }
    }

    private static void watchLifeline(InputStream in) {
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // the sweep never writes; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe is end-of-file too
            }
            System.out.println("the sweep's process ended: stopping (the run resumes from its newest checkpoint)");
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, "sweep-lifeline");
        watcher.setDaemon(true);
        watcher.start();
    }
}
