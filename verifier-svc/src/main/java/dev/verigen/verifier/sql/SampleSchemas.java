package dev.verigen.verifier.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;

/** The sample schemas a job may name: each a SQL script shipped at {@code classpath:sql-schemas/<name>.sql}. */
public final class SampleSchemas {

    public record Schema(String name, String script, String sha256) {
    }

    private final Map<String, Schema> byName;

    private SampleSchemas(Map<String, Schema> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** Loads every named script; a name without its resource is a startup error. */
    public static SampleSchemas load(Iterable<String> names) {
        Map<String, Schema> map = new LinkedHashMap<>();
        for (String name : names) {
            ClassPathResource resource = new ClassPathResource("sql-schemas/" + name + ".sql");
            if (!resource.exists()) {
                throw new IllegalStateException("sample schema '" + name + "' has no script at classpath:" + resource.getPath());
            }
            try (InputStream in = resource.getInputStream()) {
                byte[] bytes = in.readAllBytes();
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                map.put(name, new Schema(name, new String(bytes, StandardCharsets.UTF_8), sha));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource.getPath(), e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return new SampleSchemas(map);
    }

    public Optional<Schema> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }

    public Iterable<Schema> all() {
        return byName.values();
    }
}
