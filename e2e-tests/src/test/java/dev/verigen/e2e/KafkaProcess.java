package dev.verigen.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker in its own JVM (the broker of the tests' classpath, configured as
 * {@code infra/kafka/server.properties} is), so that the fault suite can kill it with SIGKILL and start it again on the
 * same ports and the same data, as an operator's restart would.
 */
final class KafkaProcess implements AutoCloseable {

    private final Path dir;
    private final Path properties;
    private final Path log;
    private final int port;
    private Process process;

    KafkaProcess(Path logs) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("verigen-faults-kafka");
        port = freePort();
        int controller = freePort();
        properties = dir.resolve("server.properties");
        log = logs.resolve("kafka.log");
        Files.deleteIfExists(log);
        Files.writeString(properties, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=6
                auto.create.topics.enable=true
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                default.replication.factor=1
                min.insync.replicas=1
                group.initial.rebalance.delay.ms=0
                num.network.threads=2
                num.io.threads=2
                """.formatted(port, controller, dir.resolve("data")));
        Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                properties.toString(), "--standalone").start();
        if (format.waitFor() != 0) {
            throw new IllegalStateException("Kafka storage format failed: " + Files.readString(log));
        }
        start();
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    void start() throws IOException {
        process = java("kafka.Kafka", properties.toString()).start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** SIGKILL: no controlled shutdown, the log recovered on the next start. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private ProcessBuilder java(String main, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
