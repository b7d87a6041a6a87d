package dev.verigen.orchestrator.web;

import dev.verigen.support.problems.ApiProblem;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.databind.JsonNode;

/**
 * Refuses JSON bodies with a NUL character (U+0000, written {@code \u0000}) in any string or key. JSON allows it,
 * PostgreSQL's text and jsonb do not: stored, it would fail the insert and turn a client's mistake into a 500.
 * Checked once for every JSON body an endpoint reads, so no endpoint can forget it.
 */
@ControllerAdvice
public class NulCharacters extends RequestBodyAdviceAdapter {

    public static final String MESSAGE = "must not contain NUL (U+0000) characters";

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType == JsonNode.class;
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
                                Class<? extends HttpMessageConverter<?>> converterType) {
        if (body instanceof JsonNode node) {
            find(node, "").ifPresent(path -> {
                throw ApiProblem.invalid(path.isEmpty() ? "$" : path, MESSAGE);
            });
        }
        return body;
    }

    /** The path ({@code input.prompt}, {@code items[2].id}) of the first string or key holding a NUL, if any. */
    public static Optional<String> find(JsonNode node, String path) {
        if (node.isString()) {
            return node.stringValue().indexOf('\0') >= 0 ? Optional.of(path) : Optional.empty();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = find(node.get(i), path + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String child = JsonFields.join(path, member.getKey());
                if (member.getKey().indexOf('\0') >= 0) {
                    return Optional.of(child);
                }
                Optional<String> found = find(member.getValue(), child);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
