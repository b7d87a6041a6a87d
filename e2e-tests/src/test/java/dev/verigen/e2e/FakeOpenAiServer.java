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
 * and answers every even-numbered choice right and every odd one wrong, so the verifier has something to choose
 * between — "What is a + b?" with the sum (or an off-by-one), a SQL question with a query, a Python task with a
 * function. A request with {@code "stream": true} (the openai backend's default) is answered as vLLM streams:
 * server-sent events, a chunk per word, a finish chunk per choice, a usage chunk, {@code [DONE]}. It also serves a
 * TEI-style {@code /rerank} endpoint that prefers right answers.
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
        server.createContext("/rerank", this::rerank);
        server.createContext("/pooling", this::pooling);
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
            boolean right = i % 2 == 0;
            String content;
            if (user.contains("SQL")) {
                content = "```sql\nSELECT count(*) FROM " + (right ? "customers" : "orders") + "\n```";
            } else if (user.contains("JSON")) {
                content = "```json\n{\"answer\": " + (right ? "42" : "\"43\"") + "}\n```";
            } else if (user.contains("Python")) {
                content = "```python\ndef add(a, b):\n    return a " + (right ? "+" : "-") + " b\n```";
            } else {
                content = "Step 1: add the numbers.\nAnswer: " + (answer + (right ? 0 : 1));
            }
            ObjectNode choice = choices.addObject().put("index", i).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", content);
        }
        response.putObject("usage").put("prompt_tokens", 21).put("completion_tokens", 9 * n).put("total_tokens", 21 + 9 * n);
        if (request.path("stream").asBoolean(false)) {
            stream(exchange, response);
            return;
        }
        byte[] body = JSON.writeValueAsBytes(response);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** The response as server-sent events: each choice's content word by word, then finish reasons, usage, [DONE]. */
    private static void stream(HttpExchange exchange, ObjectNode response) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (var out = exchange.getResponseBody()) {
            for (JsonNode choice : response.path("choices")) {
                int index = choice.path("index").asInt();
                for (String word : choice.path("message").path("content").asString("").split("(?<= )|(?<=\n)")) {
                    ObjectNode chunk = JSON.createObjectNode().put("object", "chat.completion.chunk");
                    chunk.putArray("choices").addObject().put("index", index).putObject("delta").put("content", word);
                    event(out, chunk);
                }
                ObjectNode finish = JSON.createObjectNode().put("object", "chat.completion.chunk");
                finish.putArray("choices").addObject().put("index", index).put("finish_reason", "stop")
                        .putObject("delta");
                event(out, finish);
            }
            ObjectNode usage = JSON.createObjectNode().put("object", "chat.completion.chunk");
            usage.putArray("choices");
            usage.set("usage", response.path("usage"));
            event(out, usage);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void event(java.io.OutputStream out, JsonNode chunk) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Scores the texts that look right (the customers query, the adding function) high, the others low. */
    private void rerank(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        ArrayNode ranked = JSON.createArrayNode();
        JsonNode texts = request.path("texts");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i).asString("");
            boolean right = text.contains("customers") || text.contains("a + b");
            ranked.addObject().put("index", i).put("score", right ? 0.9 : 0.1);
        }
        byte[] body = JSON.writeValueAsBytes(ranked);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /**
     * vLLM's /pooling for reward models: text with step tags gets one [p_neg, p_pos] row per tag (a process RM's
     * STEP pooling), other text one reward row (an outcome RM). Texts that state 42 are the good ones.
     */
    private void pooling(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        ObjectNode response = JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        JsonNode inputs = request.path("input");
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i).asString("");
            boolean good = text.contains("42");
            ArrayNode rows = data.addObject().put("index", i).put("object", "pooling").putArray("data");
            int tags = text.split("<extra_0>", -1).length - 1;
            if (tags == 0) {
                rows.addArray().add(good ? 0.9 : 0.1);
            }
            for (int t = 0; t < tags; t++) {
                rows.addArray().add(good ? 0.1 : 0.6).add(good ? 0.9 : 0.4);
            }
        }
        response.putObject("usage").put("prompt_tokens", 10 * inputs.size());
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
