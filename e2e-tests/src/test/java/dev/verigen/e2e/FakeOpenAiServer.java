package dev.verigen.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI-compatible chat completions endpoint on loopback, standing in for a vLLM server: it honours {@code n}
 * and answers "What is a + b?" with the right sum in even-numbered choices and an off-by-one in odd ones, so the
 * verifier has something to choose between.
 */
final class FakeOpenAiServer implements AutoCloseable {

    private static final Pattern QUESTION = Pattern.compile("(\\d+)\\s*([+-])\\s*(\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Set<String> authorizations = ConcurrentHashMap.newKeySet();
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void complete(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            authorizations.add(auth);
        }
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String user = request.path("messages").path(request.path("messages").size() - 1).path("content").asString("");
        int n = request.path("n").asInt(1);
        Matcher m = QUESTION.matcher(user);
        long answer = !m.find() ? 0 : m.group(2).equals("+")
                ? Long.parseLong(m.group(1)) + Long.parseLong(m.group(3))
                : Long.parseLong(m.group(1)) - Long.parseLong(m.group(3));
        ObjectNode response = JSON.createObjectNode().put("id", "chatcmpl-e2e").put("object", "chat.completion")
                .put("model", request.path("model").asString("fake"));
        ArrayNode choices = response.putArray("choices");
        for (int i = 0; i < n; i++) {
            ObjectNode choice = choices.addObject().put("index", i).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant")
                    .put("content", "Step 1: add the numbers.\nAnswer: " + (answer + i % 2));
        }
        response.putObject("usage").put("prompt_tokens", 21).put("completion_tokens", 9 * n).put("total_tokens", 21 + 9 * n);
        byte[] body = JSON.writeValueAsBytes(response);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
