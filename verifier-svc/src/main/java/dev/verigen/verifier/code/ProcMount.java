package dev.verigen.verifier.code;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the sandbox mounts a fresh {@code /proc}. On a host it can; inside a container it usually cannot: runtimes
 * mount parts of the container's {@code /proc} read-only or over with {@code /dev/null}, and the kernel refuses a new
 * proc mount in a nested user namespace when the existing one is partly hidden ("mount too revealing"). The sandbox
 * then runs without {@code /proc} (Python and node need none to run tests) rather than not at all. In {@code auto}
 * mode the first sandbox of the process finds out which, by trying.
 */
final class ProcMount {

    private static final Logger log = LoggerFactory.getLogger(ProcMount.class);

    enum Mode { AUTO, MOUNT, NONE }

    private final Mode mode;
    private final Function<List<String>, Boolean> tryRun;
    private volatile Boolean mountable;

    ProcMount(Mode mode, Function<List<String>, Boolean> tryRun) {
        this.mode = mode;
        this.tryRun = tryRun;
    }

    /** @param prefix the sandbox command up to (not including) the proc and bind arguments */
    boolean enabled(List<String> prefix, String python) {
        return switch (mode) {
            case MOUNT -> true;
            case NONE -> false;
            case AUTO -> {
                Boolean known = mountable;
                if (known == null) {
                    List<String> probe = new ArrayList<>(prefix);
                    probe.addAll(List.of("--proc", "/proc", "--dev", "/dev", python, "-I", "-S", "-c", ""));
                    known = tryRun.apply(probe);
                    mountable = known;
                    if (!known) {
                        log.warn("the code sandbox cannot mount a /proc of its own here (as in most containers); "
                                + "candidates run without /proc");
                    }
                }
                yield known;
            }
        };
    }

    /** Runs a command to its end (10 s at most), true when it exited 0. */
    static boolean exitsCleanly(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin");
            Process process = pb.start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                Sandbox.killTree(process);
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
