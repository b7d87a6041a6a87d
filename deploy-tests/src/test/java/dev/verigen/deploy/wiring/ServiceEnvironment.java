package dev.verigen.deploy.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.verigen.deploy.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What configuration a service really reads, from its own build: the keys and {@code ${VARIABLE}} placeholders of
 * its application.yml, the configuration metadata of every jar it runs with (its own {@code @ConfigurationProperties}
 * and Spring's), and {@code System.getenv} calls in its sources. {@link #unread} names the environment variables a
 * deployment sets that the service would silently ignore — the typo that costs a day in production.
 */
public final class ServiceEnvironment {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)");
    /** Read by the JVM or by Spring Boot itself rather than bound to a property. */
    private static final Set<String> PLATFORM = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "SPRING_APPLICATION_JSON",
            "SPRING_PROFILES_ACTIVE", "TZ", "LANG", "PATH", "JAVA_HOME", "HOSTNAME");

    private final String module;
    private final Set<String> placeholders = new TreeSet<>();
    private final Set<String> getenv = new TreeSet<>();
    private final Set<String> properties = new HashSet<>();
    /** Properties under which any key binds (maps, lists, nested records). */
    private final Set<String> prefixes = new HashSet<>();

    private ServiceEnvironment(String module) {
        this.module = module;
    }

    /** From the module's packaged jar (its classes and application.yml) and its dependencies' jars. */
    public static ServiceEnvironment of(String module) {
        ServiceEnvironment e = new ServiceEnvironment(module);
        Path root = Repo.root();
        Path jar = root.resolve(module).resolve("target").resolve(module + "-" + Repo.version() + "-exec.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./verigen test (mvn verify) so the services are packaged first");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry yml = zip.getEntry("BOOT-INF/classes/application.yml");
            if (yml != null) {
                e.readApplicationYml(zip.getInputStream(yml).readAllBytes());
            }
            for (ZipEntry entry : zip.stream().toList()) {
                if (entry.getName().endsWith("spring-configuration-metadata.json")) {
                    e.readMetadata(zip.getInputStream(entry).readAllBytes());
                } else if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
                    e.readNestedJar(zip, entry);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        for (String sources : List.of(module, "service-support", "contracts")) {
            e.scanSources(root.resolve(sources).resolve("src/main/java"));
        }
        return e;
    }

    /** The variables in {@code env} the service reads nothing from; keys in SPRING_APPLICATION_JSON are checked too. */
    public List<String> unread(Map<String, String> env) {
        List<String> unread = new ArrayList<>();
        // configuration may name a variable to read a credential from (reward-model-svc's api-key-env)
        Set<String> named = new HashSet<>();
        String json = env.get("SPRING_APPLICATION_JSON");
        if (json != null) {
            try {
                JSON.readTree(json).findValues("api-key-env").forEach(n -> named.add(n.asText()));
            } catch (IOException ex) {
                // reported below
            }
        }
        for (Map.Entry<String, String> v : env.entrySet()) {
            if (v.getKey().equals("SPRING_APPLICATION_JSON")) {
                unread.addAll(unknownJsonKeys(v.getValue()));
            } else if (!named.contains(v.getKey()) && !reads(v.getKey())) {
                unread.add(v.getKey());
            }
        }
        return unread;
    }

    public boolean reads(String variable) {
        if (PLATFORM.contains(variable) || placeholders.contains(variable) || getenv.contains(variable)) {
            return true;
        }
        for (String p : properties) {
            if (variable.equals(canonical(p)) || variable.equals(legacy(p))) {
                return true;
            }
        }
        for (String p : prefixes) {
            if (variable.startsWith(canonical(p) + "_") || variable.startsWith(legacy(p) + "_")) {
                return true;
            }
        }
        return false;
    }

    public Set<String> placeholders() {
        return placeholders;
    }

    private List<String> unknownJsonKeys(String json) {
        List<String> unknown = new ArrayList<>();
        try {
            walk(JSON.readTree(json), "", unknown);
        } catch (IOException ex) {
            unknown.add("SPRING_APPLICATION_JSON (not JSON: " + ex.getMessage() + ")");
        }
        return unknown;
    }

    private void walk(JsonNode node, String path, List<String> unknown) {
        if (!path.isEmpty() && (properties.contains(path) || prefixes.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + ".")))) {
            return;
        }
        if (!node.isObject()) {
            unknown.add("SPRING_APPLICATION_JSON:" + path);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            walk(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), unknown);
        }
    }

    static String canonical(String property) {
        return property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    static String legacy(String property) {
        return property.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private void readApplicationYml(byte[] yml) throws IOException {
        String text = new String(yml, java.nio.charset.StandardCharsets.UTF_8);
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        for (JsonNode doc : new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
            flatten(doc, "");
        }
    }

    private void flatten(JsonNode node, String path) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey()));
        } else {
            properties.add(path);
            if (node.isArray()) {
                prefixes.add(path);
            }
        }
    }

    private void readMetadata(byte[] json) throws IOException {
        JsonNode metadata = JSON.readTree(json);
        for (JsonNode p : metadata.path("properties")) {
            String name = p.path("name").asText();
            String type = p.path("type").asText();
            properties.add(name);
            if (type.startsWith("java.util.Map") || type.startsWith("java.util.List") || type.startsWith("java.util.Set")
                    || type.startsWith("dev.verigen") && !type.endsWith("Mode") || type.contains("[]")) {
                prefixes.add(name);
            }
        }
        for (JsonNode g : metadata.path("groups")) {
            // a group bound from a map or an object without metadata of its own takes any key below it
            if (g.path("type").asText().startsWith("java.util.Map")) {
                prefixes.add(g.path("name").asText());
            }
        }
    }

    private void readNestedJar(ZipFile outer, ZipEntry entry) throws IOException {
        try (InputStream in = outer.getInputStream(entry);
             java.util.zip.ZipInputStream nested = new java.util.zip.ZipInputStream(in)) {
            ZipEntry e;
            while ((e = nested.getNextEntry()) != null) {
                if (e.getName().equals("META-INF/spring-configuration-metadata.json")
                        || e.getName().equals("META-INF/additional-spring-configuration-metadata.json")) {
                    readMetadata(nested.readAllBytes());
                }
            }
        }
    }

    private void scanSources(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = GETENV.matcher(Files.readString(f));
                while (m.find()) {
                    getenv.add(m.group(1));
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public String toString() {
        return module;
    }
}
