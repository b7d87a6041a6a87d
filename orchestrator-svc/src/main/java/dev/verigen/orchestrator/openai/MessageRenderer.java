package dev.verigen.orchestrator.openai;

import dev.verigen.orchestrator.web.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns OpenAI {@code messages} into the one prompt a run works on. A lone user message is the prompt verbatim, so
 * a plain question reaches generators, verifiers and simulators exactly as {@code POST /v1/runs} would send it.
 * Any other conversation becomes a transcript, one block per message in order, separated by blank lines:
 * {@code System: …} (system and developer messages), {@code User: …}, {@code Assistant: …}. The last message must be
 * the user's: the run answers it. Text parts of a message are joined with newlines.
 */
public final class MessageRenderer {

    static final int MAX_MESSAGES = 1000;
    private static final Set<String> FIELDS = Set.of("role", "content", "name", "refusal", "tool_calls",
            "function_call", "audio", "tool_call_id");
    private static final Set<String> PART_FIELDS = Set.of("type", "text");

    private MessageRenderer() {
    }

    /** @return the prompt, or null when the messages are invalid (each problem is in {@code f}) */
    public static String render(JsonNode messages, JsonFields f) {
        if (messages == null || messages.isNull()) {
            f.reject("messages", "is required");
            return null;
        }
        if (!messages.isArray() || messages.isEmpty() || messages.size() > MAX_MESSAGES) {
            f.reject("messages", "must be an array of 1 to " + MAX_MESSAGES + " messages");
            return null;
        }
        int errors = f.errors().size();
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Turn turn = turn(messages.get(i), "messages[" + i + "]", f);
            if (turn != null) {
                turns.add(turn);
            }
        }
        if (f.errors().size() > errors) {
            return null;
        }
        if (!turns.getLast().role().equals("user")) {
            f.reject("messages[" + (messages.size() - 1) + "].role", "the last message must be the user's: the run answers it");
            return null;
        }
        if (turns.size() == 1) {
            return turns.getFirst().text();
        }
        StringBuilder out = new StringBuilder();
        for (Turn turn : turns) {
            if (!out.isEmpty()) {
                out.append("\n\n");
            }
            out.append(label(turn.role())).append(": ").append(turn.text());
        }
        return out.toString();
    }

    private static Turn turn(JsonNode message, String path, JsonFields f) {
        if (message == null || !message.isObject()) {
            f.reject(path, "must be an object with a role and content");
            return null;
        }
        f.onlyKnown(message, path, FIELDS);
        String role = f.text(message, "role", path + ".role", true, 32);
        if (role == null) {
            return null;
        }
        switch (role) {
            case "system", "developer", "user", "assistant" -> {
            }
            case "tool", "function" -> {
                f.reject(path + ".role", "tool and function messages are not supported (this API does not call tools)");
                return null;
            }
            default -> {
                f.reject(path + ".role", "must be one of system, developer, user, assistant");
                return null;
            }
        }
        for (String unsupported : List.of("tool_calls", "function_call", "audio", "tool_call_id")) {
            JsonNode value = message.get(unsupported);
            if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())) {
                f.reject(path + "." + unsupported, "is not supported: this API does not call tools or take audio");
            }
        }
        JsonNode name = message.get("name");
        if (name != null && !name.isNull() && !name.isString()) {
            f.reject(path + ".name", "must be a string");
        }
        String text = content(message.get("content"), path + ".content", f);
        return text == null ? null : new Turn(role, text);
    }

    private static String content(JsonNode content, String path, JsonFields f) {
        if (content == null || content.isNull()) {
            f.reject(path, "is required");
            return null;
        }
        if (content.isString()) {
            return content.stringValue();
        }
        if (!content.isArray() || content.isEmpty()) {
            f.reject(path, "must be a string or a non-empty array of text parts");
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partPath = path + "[" + j + "]";
            if (!part.isObject()) {
                f.reject(partPath, "must be an object {\"type\": \"text\", \"text\": ...}");
                continue;
            }
            String type = f.text(part, "type", partPath + ".type", true, 64);
            if (type != null && !type.equals("text")) {
                f.reject(partPath + ".type", "'" + type + "' parts are not supported; only text");
                continue;
            }
            f.onlyKnown(part, partPath, PART_FIELDS);
            JsonNode text = part.get("text");
            if (text == null || !text.isString()) {
                f.reject(partPath + ".text", "must be a string");
            } else {
                texts.add(text.stringValue());
            }
        }
        return String.join("\n", texts);
    }

    private static String label(String role) {
        return switch (role) {
            case "user" -> "User";
            case "assistant" -> "Assistant";
            default -> "System";
        };
    }

    private record Turn(String role, String text) {
    }
}
