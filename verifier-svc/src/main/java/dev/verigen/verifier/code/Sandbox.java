package dev.verigen.verifier.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Runs the test harness over a candidate's code in a throwaway sandbox:
 * <pre>
 * sh -c 'echo $$ > CGROUP/cgroup.procs; exec "$@"'                (a cgroup of its own: {@link SandboxCgroups})
 * setpriv --reuid=U --regid=U --clear-groups                     (an unprivileged uid of its own, so RLIMIT_NPROC
 *                                                                 holds and concurrent sandboxes do not share it)
 *   prlimit --nproc --as --cpu --fsize --core=0 --               (per-process limits)
 *   bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session
 *         --ro-bind /usr /usr (+ /lib /lib64 /bin symlinks)  --tmpfs /tmp (sized)  --proc /proc (where allowed,
 *         see {@link ProcMount})  --dev /dev
 *         --tmpfs /work (sized)  --ro-bind SCRATCH/in /verigen  --chdir /work
 *         python3 -I -S /verigen/harness.py
 * </pre>
 * Nothing of the host but {@code /usr} is visible (no {@code /etc}, no home, no other scratch dir); the network
 * namespace is empty. Everything a candidate can write ({@code /work}, {@code /tmp}) is a size-limited tmpfs whose
 * pages count against the sandbox's memory cgroup: the host's disk is never written, and the memory, process and CPU
 * limits hold for the sandbox as a whole, not per process. The JVM enforces the wall time and the output size (killing the whole process tree) and
 * deletes the scratch directory. The harness's results count only on lines carrying a per-run random nonce,
 * which reaches the harness through its stdin and nowhere else.
 */
public class Sandbox {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int OTHER_OUTPUT = 2000;
    private static final String RESOURCES = "/dev/verigen/verifier/code/";
    private static final List<String> HARNESS_FILES = List.of("harness.py", "run_python.py", "run_node.js");

    private final SandboxProperties props;
    /** One uid per concurrent sandbox: RLIMIT_NPROC counts per uid, so one candidate cannot starve the others. */
    private final BlockingQueue<Integer> uids;
    private final ProcMount procMount;
    private final SandboxCgroups cgroups;

    public Sandbox(SandboxProperties props) {
        this.props = props;
        this.uids = new ArrayBlockingQueue<>(props.maxConcurrent(), true);
        for (int i = 0; i < props.maxConcurrent(); i++) {
            uids.add(props.uid() + i);
        }
        this.procMount = new ProcMount(props.proc(), ProcMount::exitsCleanly);
        this.cgroups = SandboxCgroups.detect(props.cgroups());
    }

    /** Which cgroup hierarchy bounds each sandbox as a whole; NONE: per-process limits only. */
    public String cgroupMode() {
        return cgroups.mode().name().toLowerCase(java.util.Locale.ROOT);
    }

    public SandboxProperties properties() {
        return props;
    }

    /** Why this machine cannot run the sandbox, or null when it can. */
    public String unavailable(Language language) {
        if (!Files.isExecutable(Path.of(props.bwrap()))) {
            return "bubblewrap is not installed (no executable " + props.bwrap()
                    + "); install the 'bubblewrap' package (apt-get install -y bubblewrap; ./verigen test and up do it)";
        }
        for (String tool : List.of(props.setpriv(), props.prlimit())) {
            if (!Files.isExecutable(Path.of(tool))) {
                return "no executable " + tool + "; install the 'util-linux' package";
            }
        }
        if (!Files.isExecutable(Path.of(props.python()))) {
            return "no Python at " + props.python() + " (the harness needs it); install the 'python3' package";
        }
        if (language == Language.JAVASCRIPT && !Files.isExecutable(Path.of(props.node()))) {
            return "no node at " + props.node() + "; install the 'nodejs' package";
        }
        for (String tool : List.of(props.python(), props.node())) {
            if (!Path.of(tool).normalize().startsWith("/usr/")) {
                return tool + " is outside /usr, the only host directory the sandbox sees";
            }
        }
        return null;
    }

    /** Runs the suite over {@code code}. Never throws for anything the candidate does. */
    public SandboxRun run(Language language, String code, TestSuite suite) {
        String why = unavailable(language);
        if (why != null) {
            return SandboxRun.failed(why);
        }
        int uid;
        try {
            uid = uids.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SandboxRun.failed("interrupted while waiting for a sandbox slot");
        }
        Path scratch = null;
        SandboxCgroups.Group group = null;
        try {
            scratch = prepare(language, code, suite);
            if (cgroups.enabled()) {
                group = cgroups.create(scratch.getFileName().toString(), props.sandboxMemory().toBytes(),
                        props.processes(), props.cpus());
            }
            SandboxRun run = execute(language, scratch, uid, group);
            return group == null ? run : run.withMemoryPeak(group.peakBytes());
        } catch (IOException | UncheckedIOException e) {
            log.warn("sandbox failed", e);
            return SandboxRun.failed("sandbox setup failed: " + e);
        } finally {
            if (group != null) {
                cgroups.destroy(group);
            }
            uids.add(uid);
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    private Path prepare(Language language, String code, TestSuite suite) throws IOException {
        Path root = props.scratchDir().isBlank() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(props.scratchDir());
        Path scratch = Files.createTempDirectory(root, "verigen-code-");
        // traversable (not listable) by the sandbox uid, which bwrap runs as when it binds the two folders below
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx--x--x"));
        Path in = Files.createDirectory(scratch.resolve("in"));
        Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : HARNESS_FILES) {
            try (InputStream resource = Sandbox.class.getResourceAsStream(RESOURCES + name)) {
                if (resource == null) {
                    throw new IOException("missing resource " + RESOURCES + name);
                }
                writeReadOnly(in.resolve(name), resource.readAllBytes());
            }
        }
        writeReadOnly(in.resolve(language.solutionFile()), code.getBytes(StandardCharsets.UTF_8));
        writeReadOnly(in.resolve("tests.json"), suite.specJson(childCommand(language),
                props.testTimeout().toMillis(), props.outputExcerpt().toBytes()).getBytes(StandardCharsets.UTF_8));
        return scratch;
    }

    private static void writeReadOnly(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private List<String> childCommand(Language language) {
        return switch (language) {
            case PYTHON -> List.of(props.python(), "-I", "/verigen/run_python.py");
            case JAVASCRIPT -> List.of(props.node(), "--max-old-space-size=" + props.nodeHeap().toMegabytes(),
                    "/verigen/run_node.js");
        };
    }

    List<String> command(Language language, Path scratch) {
        return command(language, scratch, props.uid(), null);
    }

    List<String> command(Language language, Path scratch, int uid, SandboxCgroups.Group group) {
        List<String> command = new ArrayList<>();
        if (group != null) {
            // the shell joins the run's cgroup while still privileged, then becomes the sandbox: every process of
            // the candidate is born inside the group, none can escape it before the limits apply
            command.addAll(List.of("/bin/sh", "-c", SandboxCgroups.joinScript(group), "verigen-sandbox"));
        }
        List<String> isolation = isolation(language, uid);
        command.addAll(isolation);
        if (procMount.enabled(isolation, props.python())) {
            command.addAll(List.of("--proc", "/proc"));
        }
        command.addAll(List.of("--dev", "/dev",
                // the candidate's working directory: RAM (charged to its cgroup), never the host's disk
                "--size", Long.toString(props.workSize().toBytes()), "--tmpfs", "/work",
                "--ro-bind", scratch.resolve("in").toString(), "/verigen",
                "--chdir", "/work",
                props.python(), "-I", "-S", "/verigen/harness.py"));
        return command;
    }

    /** The sandbox's uid, limits and namespaces, up to the mounts that depend on the run. */
    private List<String> isolation(Language language, int sandboxUid) {
        long as = (language == Language.JAVASCRIPT ? props.nodeMemory() : props.memory()).toBytes();
        String uid = Integer.toString(sandboxUid);
        return List.of(
                props.setpriv(), "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                props.prlimit(), "--nproc=" + props.processes(), "--as=" + as, "--cpu=" + props.cpuSeconds(),
                "--fsize=" + props.fileSize().toBytes(), "--core=0", "--",
                props.bwrap(), "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                "--symlink", "usr/bin", "/bin",
                "--size", Long.toString(props.tmpSize().toBytes()), "--tmpfs", "/tmp");
    }

    private SandboxRun execute(Language language, Path scratch, int uid, SandboxCgroups.Group group)
            throws IOException {
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        String nonce = HexFormat.of().formatHex(nonceBytes);
        ProcessBuilder pb = new ProcessBuilder(command(language, scratch, uid, group)).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear(); // nothing of the service's environment (credentials, proxies) reaches the sandbox
        env.put("PATH", "/usr/bin");
        env.put("LANG", "C.UTF-8");
        long started = System.nanoTime();
        Process process = pb.start();
        AtomicBoolean overflow = new AtomicBoolean();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        long limit = props.outputBytes().toBytes();
        Thread reader = Thread.ofVirtual().name("sandbox-reader-" + process.pid()).start(() -> {
            byte[] buf = new byte[8192];
            try (InputStream out = process.getInputStream()) {
                int n;
                while ((n = out.read(buf)) >= 0) {
                    synchronized (captured) {
                        int keep = (int) Math.min(n, limit - captured.size());
                        captured.write(buf, 0, Math.max(keep, 0));
                        if (keep < n) {
                            overflow.set(true);
                            break;
                        }
                    }
                }
            } catch (IOException e) {
                // the stream closes when the tree is killed
            }
            if (overflow.get()) {
                killTree(process);
            }
        });
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((nonce + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the sandbox died before reading its nonce; its output says why
        }
        boolean exited;
        try {
            exited = process.waitFor(props.wallTime().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            killTree(process);
        }
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reader.isAlive()) {
            // something outside the tree still holds the pipe; stop reading rather than hang
            process.getInputStream().close();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        byte[] bytes;
        synchronized (captured) {
            bytes = captured.toByteArray();
        }
        Integer exit = exited && !overflow.get() ? process.exitValue() : null;
        return parse(nonce, bytes, exit, !exited, overflow.get(), elapsed);
    }

    /** Kills the sandbox's whole process tree: bwrap and everything below it (its PID namespace dies with it). */
    static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle h : tree) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("sandbox process tree of {} did not exit after SIGKILL: {}", process.pid(), e.toString());
        }
    }

    private static SandboxRun parse(String nonce, byte[] bytes, Integer exit, boolean timedOut, boolean overflow,
                                    Duration elapsed) {
        List<JsonNode> events = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        byte[] prefix = (nonce + " ").getBytes(StandardCharsets.US_ASCII);
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i < bytes.length && bytes[i] != '\n') {
                continue;
            }
            int len = i - start;
            if (len >= prefix.length && java.util.Arrays.equals(bytes, start, start + prefix.length, prefix, 0, prefix.length)) {
                String json = new String(bytes, start + prefix.length, len - prefix.length, StandardCharsets.UTF_8);
                try {
                    JsonNode node = TestSuite.JSON.readTree(json);
                    if (node.isObject()) {
                        events.add(node);
                    }
                } catch (JacksonException e) {
                    // a cut-off last line
                }
            } else if (len > 0 && other.length() < OTHER_OUTPUT) {
                other.append(new String(bytes, start, Math.min(len, OTHER_OUTPUT), StandardCharsets.UTF_8)).append('\n');
            }
            start = i + 1;
        }
        String otherText = other.length() > OTHER_OUTPUT ? other.substring(0, OTHER_OUTPUT) : other.toString();
        return new SandboxRun(events, otherText.strip(), exit, timedOut, overflow, elapsed, null);
    }

    static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("could not delete sandbox scratch dir {}: {}", root, e.toString());
        }
    }
}
