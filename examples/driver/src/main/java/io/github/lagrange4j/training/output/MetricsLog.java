package io.github.lagrange4j.training.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The per-epoch history of one run, mirrored to {@code metrics.csv} and {@code metrics.jsonl} in the run
 * directory after every epoch.
 *
 * <p>Order of calls: {@link #create(Path)} for a new run, or {@link #resume(Path, int)} to reload the
 * history of an interrupted run up to the epoch of the checkpoint it resumes from; then
 * {@link #append(EpochMetrics)} once per epoch, with strictly increasing epoch numbers. Each append
 * rewrites both files whole through {@link AtomicFiles}, so a run killed at any moment leaves either the
 * previous or the new complete files. {@code metrics.jsonl} is the machine-readable source of truth
 * ({@link #read(Path)}); {@code metrics.csv} is for spreadsheets and pandas (columns documented in
 * {@code MetricsCsv}: fixed ones, then {@code target:<name>}, {@code multiplier:<name>},
 * {@code violation:<name>} per constraint).
 *
 * <p>Not thread-safe; one driver thread owns it.
 */
public final class MetricsLog {

    /** File name of the CSV rendering. */
    public static final String CSV_FILE = "metrics.csv";
    /** File name of the JSON-lines rendering, one {@link EpochMetrics} object per line. */
    public static final String JSONL_FILE = "metrics.jsonl";

    private final Path runDirectory;
    private final List<EpochMetrics> epochs;

    private MetricsLog(Path runDirectory, List<EpochMetrics> epochs) {
        this.runDirectory = runDirectory;
        this.epochs = epochs;
    }

    /**
     * Starts an empty history for a new run; nothing is written until the first append.
     *
     * @param runDirectory the run directory that will hold the two files
     * @return an empty log
     */
    public static MetricsLog create(Path runDirectory) {
        Objects.requireNonNull(runDirectory, "runDirectory");
        return new MetricsLog(runDirectory, new ArrayList<>());
    }

    /**
     * Reloads the history of an interrupted run, keeping the epochs up to {@code lastEpoch} (the epoch of
     * the checkpoint being resumed) and rewriting both files if later epochs had to be dropped.
     *
     * @param runDirectory the run directory holding {@code metrics.jsonl}
     * @param lastEpoch the last epoch to keep, {@code ≥ 0}
     * @return the reloaded log, empty if {@code metrics.jsonl} does not exist
     * @throws IOException if the file cannot be read or a line is malformed (the message names the file
     *     and the 1-based line number)
     */
    public static MetricsLog resume(Path runDirectory, int lastEpoch) throws IOException {
        Objects.requireNonNull(runDirectory, "runDirectory");
        if (lastEpoch < 0) {
            throw new IllegalArgumentException("lastEpoch must be >= 0, got " + lastEpoch);
        }
        Path jsonl = runDirectory.resolve(JSONL_FILE);
        List<EpochMetrics> all = Files.exists(jsonl) ? read(jsonl) : List.of();
        List<EpochMetrics> kept = new ArrayList<>();
        for (EpochMetrics m : all) {
            if (m.epoch() <= lastEpoch) {
                kept.add(m);
            }
        }
        MetricsLog log = new MetricsLog(runDirectory, kept);
        if (kept.size() != all.size()) {
            log.writeFiles();
        }
        return log;
    }

    /**
     * Reads a {@code metrics.jsonl} file strictly: every non-empty line must be a complete record and the
     * epochs must increase strictly.
     *
     * @param jsonl the file to read
     * @return the records in file order
     * @throws IOException if the file cannot be read, or with a message of the form
     *     {@code "<file>:<line>: <fault>"} for the first malformed line
     */
    public static List<EpochMetrics> read(Path jsonl) throws IOException {
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        List<EpochMetrics> records = new ArrayList<>(lines.size());
        int previous = Integer.MIN_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            EpochMetrics m;
            try {
                m = MetricsJson.decode(line);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IOException(jsonl + ":" + (i + 1) + ": malformed metrics record: " + e.getMessage(), e);
            }
            if (m.epoch() <= previous) {
                throw new IOException(jsonl + ":" + (i + 1) + ": epoch " + m.epoch()
                        + " does not follow epoch " + previous + " (epochs must increase strictly)");
            }
            previous = m.epoch();
            records.add(m);
        }
        return records;
    }

    /**
     * Adds an epoch and rewrites {@code metrics.csv} and {@code metrics.jsonl} atomically.
     *
     * @param metrics the epoch's record; its epoch must exceed the last one appended
     * @throws IOException if a file cannot be written; the in-memory history then does not contain the
     *     epoch either
     */
    public void append(EpochMetrics metrics) throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        if (!epochs.isEmpty()) {
            int last = epochs.get(epochs.size() - 1).epoch();
            if (metrics.epoch() <= last) {
                throw new IllegalArgumentException(
                        "epoch must be > " + last + " (the last epoch logged), got " + metrics.epoch());
            }
        }
        epochs.add(metrics);
        try {
            writeFiles();
        } catch (IOException | RuntimeException e) {
            epochs.remove(epochs.size() - 1);
            throw e;
        }
    }

    /**
     * Returns the epochs logged so far.
     *
     * @return an unmodifiable view, oldest first
     */
    public List<EpochMetrics> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /**
     * Returns the run directory the files are written to.
     *
     * @return the run directory
     */
    public Path runDirectory() {
        return runDirectory;
    }

    private void writeFiles() throws IOException {
        write(runDirectory, epochs);
    }

    /**
     * Rewrites {@code metrics.jsonl} and {@code metrics.csv} of a run directory whole, atomically, from a
     * history (the jsonl first: it is what a resume reads, so it is never behind the CSV).
     *
     * @param runDirectory the run directory
     * @param epochs the history, epochs strictly increasing
     * @throws IOException if a file cannot be written; the previous files are then kept
     */
    public static void write(Path runDirectory, List<EpochMetrics> epochs) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (EpochMetrics m : epochs) {
            jsonl.append(MetricsJson.encode(m)).append('\n');
        }
        // jsonl first: it is what resume reads, so it is never behind the CSV.
        AtomicFiles.writeText(runDirectory.resolve(JSONL_FILE), jsonl);
        AtomicFiles.writeText(runDirectory.resolve(CSV_FILE), MetricsCsv.render(epochs));
    }
}
