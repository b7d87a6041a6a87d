package dev.verigen.deploy.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.deploy.Repo;
import dev.verigen.deploy.runtime.OciImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What each image the build made (jib:buildTar, target/jib-image.tar) says about itself and carries: a non-root
 * user (verifier-svc excepted, for its sandbox), JVM flags for containers, its port, labels with version, source and
 * revision, an entrypoint whose main class is in the image; gpu-worker with the arith-tiny model inside. Whether each
 * starts and serves is ChartRunIT's part.
 */
class ImageContentsTest {

    private static Path unpacked;

    @BeforeAll
    static void unpackGpuWorker() throws Exception {
        unpacked = Repo.target().resolve("image-contents/gpu-worker");
        if (Files.exists(unpacked)) {
            try (var walk = Files.walk(unpacked)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        OciImage.read(Repo.image("gpu-worker")).unpack(unpacked);
    }

    @ParameterizedTest
    @CsvSource({"gateway,8080,dev.verigen.gateway.GatewayApplication", "orchestrator-svc,8081,dev.verigen.orchestrator.OrchestratorApplication",
            "generator-svc,8082,dev.verigen.generator.GeneratorApplication", "gpu-worker,8083,dev.verigen.worker.GpuWorkerApplication",
            "reward-model-svc,8084,dev.verigen.reward.RewardModelApplication", "verifier-svc,8085,dev.verigen.verifier.VerifierApplication"})
    void eachServiceImageIsLabelledSizedForContainersAndRunsItsMainClass(String module, int port, String mainClass) {
        OciImage image = OciImage.read(Repo.image(module));

        assertThat(image.user()).isEqualTo(module.equals("verifier-svc") ? "0:0" : "10001:10001");
        assertThat(image.exposedPorts()).containsExactly(port + "/tcp");
        assertThat(image.env()).containsEntry("SERVER_PORT", Integer.toString(port)).containsKey("JAVA_HOME");
        assertThat(image.entrypoint()).startsWith("java").contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED", "@/app/jib-classpath-file").endsWith(mainClass);
        Map<String, String> labels = image.labels();
        assertThat(labels).containsEntry("org.opencontainers.image.version", Repo.version())
                .containsEntry("org.opencontainers.image.title", module)
                .containsKey("org.opencontainers.image.source");
        assertThat(labels.get("org.opencontainers.image.revision")).as("the commit the image was built from").matches("[0-9a-f]{40}");
        assertThat(image.workingDir()).isEqualTo("/app");
        assertThat(image.layerCount()).as("base, dependencies, project dependencies, resources, classes").isGreaterThanOrEqualTo(4);
    }

    @Test
    void theGpuWorkerCarriesTheEmbeddedModelAndTheNativeLibrariesLlamaCppNeeds() throws Exception {
        Path model = unpacked.resolve("models/arith-tiny.gguf");
        assertThat(model).exists();
        assertThat(Files.mismatch(model, Repo.root().resolve("models/arith-tiny.gguf"))).as("the repo's model, byte for byte").isEqualTo(-1);
        assertThat(OciImage.read(Repo.image("gpu-worker")).env()).containsEntry("LLAMACPP_MODEL_PATH", "/models/arith-tiny.gguf");
        for (String lib : new String[] {"libstdc++.so.6", "libgomp.so.1", "libc.so.6"}) {
            assertThat(unpacked.resolve("usr/lib/x86_64-linux-gnu").resolve(lib)).as(lib).exists();
        }
        assertThat(unpacked.resolve("opt/java/openjdk/bin/java")).isExecutable();
        assertThat(unpacked.resolve("etc/passwd")).content().contains("verigen:x:10001:10001");
        assertThat(unpacked.resolve("bin/sh")).as("no shell: nothing to exec into but the JVM").doesNotExist();
    }

    @Test
    void theVerifierImageCarriesItsSandboxesTools() {
        Path verifier = Repo.target().resolve("image-contents/verifier-svc");
        if (!Files.exists(verifier.resolve("usr"))) {
            OciImage.read(Repo.image("verifier-svc")).unpack(verifier);
        }
        for (String tool : new String[] {"usr/bin/bwrap", "usr/bin/setpriv", "usr/bin/prlimit", "usr/bin/python3", "usr/bin/node"}) {
            assertThat(verifier.resolve(tool)).as(tool).isExecutable();
        }
        assertThat(verifier.resolve("etc/passwd")).content().contains("nobody:x:65534");
    }
}
