package dev.verigen.deploy.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Listens on one address and pipes each connection to a backend chosen per connection: a Service's cluster IP in
 * front of its ready pods (as kube-proxy), or a host server made reachable from the pod network. A connection with
 * no backend to go to is closed at once, as a Service without ready endpoints refuses.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Supplier<Optional<InetSocketAddress>> backend;
    private final AtomicLong connections = new AtomicLong();

    private TcpProxy(ServerSocket server, Supplier<Optional<InetSocketAddress>> backend) {
        this.server = server;
        this.backend = backend;
    }

    public static TcpProxy start(String address, int port, Supplier<Optional<InetSocketAddress>> backend) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 256);
            TcpProxy proxy = new TcpProxy(server, backend);
            Thread.ofVirtual().name("proxy-" + address + ":" + port).start(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
        }
    }

    public long connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Optional<InetSocketAddress> target = backend.get();
        if (target.isEmpty()) {
            closeQuietly(client);
            return;
        }
        try {
            Socket upstream = new Socket();
            upstream.connect(target.get(), 3000);
            Thread.ofVirtual().start(() -> pipe(client, upstream));
            pipe(upstream, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
