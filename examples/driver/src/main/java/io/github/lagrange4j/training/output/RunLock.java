package io.github.lagrange4j.training.output;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Ownership of a run directory for the whole run: an exclusive {@link FileLock} on the lock file
 * {@value #FILE}, which records the owner (PID, process start time, host).
 *
 * <p>Protocol of {@link #acquire}: (1) open or create the lock file; (2) {@code tryLock} it: if another
 * process holds the lock, fail naming the directory and that process; (3) if the file names a previous
 * owner, that owner is gone (the operating system releases a dead process's lock), unless that PID still
 * runs on this host with the recorded start time, which is refused too (file systems without working
 * locks); a stale record is reported through the warning sink and taken over; (4) write this process's
 * record and sync it. {@link #close()} empties the file and releases the lock. The file itself stays (an
 * empty lock file means "not owned"): deleting it would let a waiting process lock a file that is no
 * longer the directory's.
 */
public final class RunLock implements AutoCloseable {

    /** The lock file inside a run directory. */
    public static final String FILE = ".lagrange4j.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a run directory, which must exist.
     *
     * @param runDirectory the run directory
     * @param warnings receives a sentence when a stale lock of a dead process is taken over
     * @return the held lock; close it when the run ends
     * @throws RunDirectoryInUseException if a live process owns the directory
     * @throws IOException if the lock file cannot be created or written
     */
    public static RunLock acquire(Path runDirectory, Consumer<String> warnings) throws IOException {
        Objects.requireNonNull(warnings, "warnings");
        Path file = runDirectory.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String owner = describe(read(channel));
            channel.close();
            throw new RunDirectoryInUseException("run directory " + runDirectory + " is in use by " + owner
                    + "; wait for it to finish or stop it, then retry (resuming the run continues it); nothing was"
                    + " changed", runDirectory, owner);
        }
        String previous = read(channel);
        if (!previous.isBlank()) {
            Optional<Owner> owner = Owner.parse(previous);
            if (owner.isPresent() && owner.get().isAliveHere()) {
                channel.close();
                throw new RunDirectoryInUseException("run directory " + runDirectory + " is in use by "
                        + describe(previous) + " (its lock file is not locked: does this file system support"
                        + " locks?); nothing was changed", runDirectory, describe(previous));
            }
            warnings.accept("taking over the stale lock of " + describe(previous) + ", which no longer runs");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Owner.current().format().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new RunLock(file, channel, lock);
    }

    /**
     * Returns the lock file.
     *
     * @return the path of {@value #FILE} in the run directory
     */
    public Path file() {
        return file;
    }

    /**
     * Empties the lock file and releases the lock.
     *
     * @throws IOException if the file cannot be written
     */
    @Override
    public void close() throws IOException {
        try (channel) {
            if (channel.isOpen()) {
                channel.truncate(0);
                channel.force(true);
                lock.release();
            }
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static String describe(String record) {
        return Owner.parse(record).map(Owner::describe).orElse("another process (its lock record is not written yet)");
    }

    /**
     * The record in the lock file.
     *
     * @param pid the owner's process id
     * @param started when the owner process started (null if unknown)
     * @param host the owner's host name
     */
    record Owner(long pid, Instant started, String host) {

        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(self.pid(), self.info().startInstant().orElse(null), hostName());
        }

        String format() {
            return "pid=" + pid + "\nstarted=" + (started == null ? "" : started) + "\nhost=" + host + "\n";
        }

        static Optional<Owner> parse(String text) {
            long pid = -1;
            Instant started = null;
            String host = "";
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                try {
                    switch (key) {
                        case "pid" -> pid = Long.parseLong(value);
                        case "started" -> started = value.isEmpty() ? null : Instant.parse(value);
                        case "host" -> host = value;
                        default -> { }
                    }
                } catch (RuntimeException e) {
                    return Optional.empty();
                }
            }
            return pid < 0 ? Optional.empty() : Optional.of(new Owner(pid, started, host));
        }

        String describe() {
            return "process " + pid + " on " + (host.isEmpty() ? "an unknown host" : host)
                    + (started == null ? "" : " (started " + started + ")");
        }

        boolean isAliveHere() {
            if (!host.equals(hostName()) || pid == ProcessHandle.current().pid()) {
                return false;
            }
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> started != null && started.equals(p.info().startInstant().orElse(null)))
                    .orElse(false);
        }

        private static String hostName() {
            try {
                Path kernel = Path.of("/proc/sys/kernel/hostname");
                if (Files.isReadable(kernel)) {
                    return Files.readString(kernel).strip();
                }
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                String env = System.getenv("HOSTNAME");
                return env == null ? "localhost" : env;
            }
        }
    }
}
