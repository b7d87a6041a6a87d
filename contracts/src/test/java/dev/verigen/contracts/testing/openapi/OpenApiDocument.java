package dev.verigen.contracts.testing.openapi;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docs/openapi.yaml} as the services' tests check it against their code: its operations (with the service
 * each path is routed to, {@code x-verigen-service}), whether every {@code $ref} resolves, and whether every error
 * response is the platform's problem+json.
 */
public final class OpenApiDocument {

    public static final Path DEFAULT = Path.of("../docs/openapi.yaml");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final String PROBLEM = "#/components/schemas/Problem";

    /** One operation; {@code key} is e.g. {@code POST /v1/runs/{}/cancel} (parameter names dropped). */
    public record Operation(String method, String path, String service, Map<String, Object> node) {
        public String key() {
            return method + " " + normalize(path);
        }

        public String scope() {
            Object scope = node.get("x-verigen-scope");
            return scope == null ? null : scope.toString();
        }

        public boolean isPublic() {
            return node.get("security") instanceof List<?> list && list.isEmpty();
        }
    }

    private final Map<String, Object> root;

    private OpenApiDocument(Map<String, Object> root) {
        this.root = root;
    }

    public static OpenApiDocument load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new LoaderOptions()).load(reader);
            return new OpenApiDocument(root);
        }
    }

    public String version() {
        return String.valueOf(root.get("openapi"));
    }

    /** {@code /v1/runs/{runId}/trace} and {@code /v1/runs/{id}/trace} alike: {@code /v1/runs/{}/trace}. */
    public static String normalize(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }

    public List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        map(root.get("paths")).forEach((path, item) -> {
            Map<String, Object> pathItem = map(item);
            String service = String.valueOf(pathItem.get("x-verigen-service"));
            pathItem.forEach((method, op) -> {
                if (METHODS.contains(method)) {
                    out.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), path, service, map(op)));
                }
            });
        });
        return out;
    }

    public List<Operation> operations(String service) {
        return operations().stream().filter(o -> o.service().equals(service)).toList();
    }

    /** Every {@code $ref} that is not a local JSON pointer to something in the document. */
    public List<String> unresolvedRefs() {
        List<String> out = new ArrayList<>();
        refs(root, out);
        return out.stream().filter(ref -> resolve(ref) == null).toList();
    }

    /**
     * Operations whose 4xx or 5xx responses (after {@code $ref}s) are not {@code application/problem+json} with the
     * {@code Problem} schema, as {@code "GET /v1/x 404"}.
     */
    public List<String> errorResponsesThatAreNotProblems() {
        List<String> out = new ArrayList<>();
        for (Operation op : operations()) {
            map(op.node().get("responses")).forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    Map<String, Object> resolved = deref(map(response));
                    Map<String, Object> content = map(resolved.get("content"));
                    Object schema = map(content.get("application/problem+json")).get("schema");
                    boolean problem = schema instanceof Map<?, ?> s && PROBLEM.equals(s.get("$ref"));
                    // the gateway's health answers 503 with its own health body, which is not an error of the API
                    if (!problem && !op.path().startsWith("/actuator/")) {
                        out.add(op.key() + " " + code);
                    }
                }
            });
        }
        return out;
    }

    /** The status codes an operation documents. */
    public Set<String> statuses(Operation op) {
        return new LinkedHashSet<>(map(op.node().get("responses")).keySet());
    }

    /** The media types of the request body. */
    public Set<String> requestTypes(Operation op) {
        Object body = op.node().get("requestBody");
        return body == null ? Set.of() : new LinkedHashSet<>(map(deref(map(body)).get("content")).keySet());
    }

    /** The media types of the 2xx responses. */
    public Set<String> successTypes(Operation op) {
        Set<String> out = new LinkedHashSet<>();
        map(op.node().get("responses")).forEach((code, response) -> {
            if (code.startsWith("2")) {
                out.addAll(map(deref(map(response)).get("content")).keySet());
            }
        });
        return out;
    }

    private Map<String, Object> deref(Map<String, Object> node) {
        Object ref = node.get("$ref");
        return ref == null ? node : map(resolve(ref.toString()));
    }

    private Object resolve(String ref) {
        if (!ref.startsWith("#/")) {
            return null;
        }
        Object node = root;
        for (String part : ref.substring(2).split("/")) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return null;
            }
            node = m.get(key);
        }
        return node;
    }

    private static void refs(Object node, List<String> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    out.add(String.valueOf(v));
                } else {
                    refs(v, out);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> refs(v, out));
        }
    }

    /** The node as a map with string keys (YAML reads an unquoted {@code 200:} as a number). */
    private static Map<String, Object> map(Object node) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        return out;
    }
}
