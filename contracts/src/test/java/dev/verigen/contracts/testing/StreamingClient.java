package dev.verigen.contracts.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client of a server-sent event stream that can hang up mid-stream for certain: a raw socket, closed by
 * {@link #close()}. (An HTTP client library may keep the connection, or finish reading, behind the test's back.)
 * Opening sends one HTTP/1.1 POST and reads the status line, the headers and the first {@code data:} line.
 */
public final class StreamingClient implements AutoCloseable {

    private final Socket socket;
    private final String statusLine;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final String firstData;

    private StreamingClient(String host, int port, String path, Map<String, String> requestHeaders, String json)
            throws IOException {
        socket = new Socket(host, port);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n");
        requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        statusLine = in.readLine();
        String line;
        while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        firstData = line;
    }

    public static StreamingClient post(String host, int port, String path, Map<String, String> headers, String json)
            throws IOException {
        return new StreamingClient(host, port, path, headers, json);
    }

    public String statusLine() {
        return statusLine;
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The first {@code data:} line of the stream; null when the stream ended before one. */
    public String firstData() {
        return firstData;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
