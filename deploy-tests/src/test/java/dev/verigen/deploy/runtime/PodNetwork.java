package dev.verigen.deploy.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A pod network on one machine: a Linux bridge with the host at .0.1, one network namespace per pod joined to it by a
 * veth pair (pod addresses 10.N.1.x), and service addresses (10.N.2.x) on the host's side of the bridge, where
 * {@link TcpProxy}s play kube-proxy. Pods reach each other, the services and the host, and nothing else. The /16 and
 * the interface names are drawn at random, so two test runs on one machine do not meet.
 */
public final class PodNetwork implements AutoCloseable {

    private final String id;
    private final int subnet;
    private final String bridge;
    private final List<String> namespaces = new ArrayList<>();
    private int nextPod = 2;
    private int nextService = 2;

    private PodNetwork(String id, int subnet) {
        this.id = id;
        this.subnet = subnet;
        this.bridge = "vgbr" + id;
    }

    /** Whether this machine lets the tests make network namespaces and bridges (root with iproute2). */
    public static boolean available() {
        try {
            return run(List.of("ip", "netns", "list")) == 0 && ProcessHandle.current().info().user().orElse("").equals("root");
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static PodNetwork create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = Integer.toString(random.nextInt(36 * 36 * 36), 36);
        PodNetwork net = new PodNetwork(id, 100 + random.nextInt(150));
        net.ip("link", "add", net.bridge, "type", "bridge");
        net.ip("addr", "add", net.hostAddress() + "/16", "dev", net.bridge);
        net.ip("link", "set", net.bridge, "up");
        return net;
    }

    /** The host's address on the bridge: where servers "outside the cluster" (Kafka, PostgreSQL) listen. */
    public String hostAddress() {
        return "10." + subnet + ".0.1";
    }

    /** A network namespace for a new pod; returns (namespace, pod address). */
    public synchronized Pod addPod(String name) {
        int n = nextPod++;
        String ns = "vg" + id + "-" + n;
        String hostSide = "vg" + id + "h" + n;
        String address = "10." + subnet + ".1." + n;
        ip("netns", "add", ns);
        namespaces.add(ns);
        ip("link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("link", "set", hostSide, "master", bridge, "up");
        ip("-n", ns, "addr", "add", address + "/16", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "route", "add", "default", "via", hostAddress());
        return new Pod(name, ns, address);
    }

    /** A service (cluster IP) address on the host's side of the bridge. */
    public synchronized String addServiceAddress() {
        String address = "10." + subnet + ".2." + nextService++;
        ip("addr", "add", address + "/32", "dev", bridge);
        return address;
    }

    public record Pod(String name, String netns, String address) {
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            run(List.of("ip", "netns", "del", ns));
        }
        run(List.of("ip", "link", "del", bridge));
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        int status = run(command);
        if (status != 0) {
            throw new IllegalStateException("failed (" + status + "): " + String.join(" ", command));
        }
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (p.exitValue() != 0 && !out.isBlank()) {
                System.err.println(String.join(" ", command) + ": " + out.strip());
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
