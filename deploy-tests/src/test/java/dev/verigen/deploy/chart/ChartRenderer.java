package dev.verigen.deploy.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders k8s/verigen with helm-java (Helm 3 as a library), as {@code helm template} would for a profile and
 * overrides. helm-java prints the manifest without Helm's hooks, so a second rendering runs on a copy of the chart
 * whose hook annotations are renamed ({@code helm.sh/hook*} → {@code verigen.test/hook*}): Helm then keeps those
 * objects in the manifest, and {@link Rendered#hooks()} tells them apart by that annotation.
 */
public final class ChartRenderer {

    public static final String HOOK = "verigen.test/hook";
    public static final String KUBE_VERSION = "1.31.0";

    private final Path chart;
    private final Path hooksVisible;

    public ChartRenderer(Path root) {
        this.chart = root.resolve("k8s/verigen");
        this.hooksVisible = root.resolve("deploy-tests/target/chart-hooks-visible/verigen");
        copyWithVisibleHooks();
    }

    public Path chart() {
        return chart;
    }

    public LintResult lint() {
        FakeKubeApi.shared();
        return new Helm(chart).lint().strict().call();
    }

    /** {@code helm template} of the chart with the profile (file name in profiles/, or null) and --set overrides. */
    public Rendered render(String profile, Map<String, Object> overrides) {
        FakeKubeApi.shared();
        String plain = template(chart, profile, overrides);
        String all = template(hooksVisible, profile, overrides);
        return new Rendered(plain, all);
    }

    public Rendered render(String profile, String... keyValues) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return render(profile, overrides);
    }

    /** The cluster the next renderings look up their own Secrets in. */
    public FakeKubeApi cluster() {
        return FakeKubeApi.shared();
    }

    private String template(Path chartDir, String profile, Map<String, Object> overrides) {
        TemplateCommand t = new Helm(chartDir).template().withName("vg").withNamespace("verigen").withKubeVersion(KUBE_VERSION);
        if (profile != null) {
            t = t.withValuesFile(chartDir.resolve("profiles").resolve(profile));
        }
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            t = t.set(e.getKey(), e.getValue());
        }
        return t.call();
    }

    private void copyWithVisibleHooks() {
        try {
            if (Files.exists(hooksVisible)) {
                try (Stream<Path> old = Files.walk(hooksVisible)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            try (Stream<Path> files = Files.walk(chart)) {
                for (Path source : files.toList()) {
                    Path target = hooksVisible.resolve(chart.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else if (source.toString().endsWith(".yaml") || source.toString().endsWith(".tpl")) {
                        Files.writeString(target, Files.readString(source).replace("helm.sh/hook", HOOK));
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both renderings: {@code plain} as Helm applies it, {@code all} with the hooks in it. */
    public record Rendered(String plain, String all) {

        public Manifests manifests() {
            return Manifests.parse(all);
        }

        /** The names (Kind/name) of the objects Helm treats as hooks. */
        public List<String> hooks() {
            return manifests().all().stream().filter(m -> m.annotation(HOOK) != null).map(Manifests.Obj::id).toList();
        }

        public Manifests plainManifests() {
            return Manifests.parse(plain);
        }
    }
}
