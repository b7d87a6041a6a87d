package dev.verigen.deploy.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * An image archive as {@code jib:buildTar} (or {@code docker save}) writes it: {@code manifest.json}, the config
 * and the layers. {@link #unpack} lays the layers over each other into a root file system the way a container
 * runtime does (whiteouts, links, modes and owners), so a test can start the image's entrypoint in it.
 */
public final class OciImage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path archive;
    private final JsonNode config;
    private final List<String> layers;

    private OciImage(Path archive, JsonNode config, List<String> layers) {
        this.archive = archive;
        this.config = config;
        this.layers = layers;
    }

    public static OciImage read(Path archive) {
        Map<String, byte[]> small = entries(archive, name -> name.endsWith(".json"));
        byte[] manifestBytes = small.get("manifest.json");
        if (manifestBytes == null) {
            throw new IllegalArgumentException(archive + " has no manifest.json: not an image archive");
        }
        try {
            JsonNode manifest = JSON.readTree(manifestBytes).get(0);
            JsonNode config = JSON.readTree(small.get(manifest.get("Config").asText()));
            List<String> layers = new ArrayList<>();
            manifest.get("Layers").forEach(l -> layers.add(l.asText()));
            return new OciImage(archive, config, layers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode config() {
        return config.get("config");
    }

    public List<String> entrypoint() {
        return strings(config().get("Entrypoint"));
    }

    public List<String> cmd() {
        return strings(config().get("Cmd"));
    }

    /** The image's environment, in order. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : strings(config().get("Env"))) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return env;
    }

    public String user() {
        return text(config().get("User"), "0");
    }

    public String workingDir() {
        return text(config().get("WorkingDir"), "/");
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode node = config().get("Labels");
        if (node != null) {
            node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    public List<String> exposedPorts() {
        List<String> ports = new ArrayList<>();
        JsonNode node = config().get("ExposedPorts");
        if (node != null) {
            node.fieldNames().forEachRemaining(ports::add);
        }
        return ports;
    }

    public int layerCount() {
        return layers.size();
    }

    /** Unpacks the layers, lowest first, into {@code root} (created; must not exist or be empty). */
    public void unpack(Path root) {
        try {
            Files.createDirectories(root);
            for (String layer : layers) {
                try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(archive))) {
                    TarArchiveEntry entry;
                    while ((entry = outer.getNextEntry()) != null) {
                        if (entry.getName().equals(layer)) {
                            applyLayer(new BufferedInputStream(outer), root);
                            break;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking " + archive, e);
        }
    }

    private static void applyLayer(InputStream compressed, Path root) throws IOException {
        InputStream in = compressed;
        compressed.mark(2);
        int b1 = compressed.read();
        int b2 = compressed.read();
        compressed.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new GzipCompressorInputStream(compressed);
        }
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        List<Runnable> directoryModes = new ArrayList<>();
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String name = normalise(e.getName());
            if (name.isEmpty()) {
                continue;
            }
            Path target = root.resolve(name).normalize();
            if (!target.startsWith(root)) {
                throw new IOException("layer entry escapes the root: " + e.getName());
            }
            String base = target.getFileName().toString();
            if (base.equals(".wh..wh..opq")) {
                deleteChildren(target.getParent());
                continue;
            }
            if (base.startsWith(".wh.")) {
                deleteRecursively(target.resolveSibling(base.substring(4)));
                continue;
            }
            Files.createDirectories(target.getParent());
            if (e.isDirectory()) {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(target);
                    Files.createDirectory(target);
                }
                TarArchiveEntry dir = e;
                directoryModes.add(() -> setOwnerAndMode(target, dir));
                continue;
            }
            deleteRecursively(target);
            if (e.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                continue;
            }
            if (e.isLink()) {
                Files.createLink(target, root.resolve(normalise(e.getLinkName())));
                continue;
            }
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            setOwnerAndMode(target, e);
        }
        // directories last: a read-only directory must still take its files first
        directoryModes.reversed().forEach(Runnable::run);
    }

    private static String normalise(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.startsWith("./") ? 2 : 1);
        }
        return n.equals(".") ? "" : n;
    }

    private static void setOwnerAndMode(Path target, TarArchiveEntry e) {
        try {
            Files.setPosixFilePermissions(target, permissions(e.getMode()));
            Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                p.add(order[bit]);
            }
        }
        return p;
    }

    private static void deleteChildren(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var children = Files.list(dir)) {
            for (Path child : children.toList()) {
                deleteRecursively(child);
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            path.toFile().setWritable(true);
            deleteChildren(path);
        }
        Files.delete(path);
    }

    private static Map<String, byte[]> entries(Path archive, java.util.function.Predicate<String> wanted) {
        Map<String, byte[]> found = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (wanted.test(e.getName())) {
                    found.put(e.getName(), tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + archive, e);
        }
        return found;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String text(JsonNode node, String fallback) {
        return node == null || node.isNull() || node.asText().isBlank() ? fallback : node.asText();
    }
}
