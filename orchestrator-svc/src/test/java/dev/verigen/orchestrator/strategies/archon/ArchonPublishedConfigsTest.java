package dev.verigen.orchestrator.strategies.archon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.PipelineSpec;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.orchestrator.strategies.harness.InMemoryRun;
import dev.verigen.orchestrator.strategies.harness.ToyWorkers;
import dev.verigen.orchestrator.strategies.roles.Fixtures;
import dev.verigen.support.problems.FieldError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Archon's own published configs (the {@code src/archon/configs} folder of ScalingIntelligence/Archon), every model
 * mapped to one pool with {@code modelMap: {"*": ...}}, submitted as they are: each must load and run here, unless it
 * is one Archon's own code cannot load either (not JSON). The folder is not part of this repository: point
 * {@code verigen.archon.configs} (system property) or {@code VERIGEN_ARCHON_CONFIGS} at a checkout's folder; without
 * it the test is skipped.
 */
class ArchonPublishedConfigsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Path folder() {
        String where = System.getProperty("verigen.archon.configs", System.getenv("VERIGEN_ARCHON_CONFIGS"));
        return where == null || where.isBlank() ? null : Path.of(where);
    }

    @Test
    void everyConfigArchonCanLoadRunsHere() throws IOException {
        Path folder = folder();
        assumeTrue(folder != null && Files.isDirectory(folder), "Archon's configs folder is not available here");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        Archon archon = new Archon();
        // the run's max tokens is the ceiling of every component's: Archon's configs ask for up to 8192
        PipelineSpec base = Fixtures.spec("archon", "sim-math", 4, null, "sim-orm", 8192, 7);
        List<String> refused = new ArrayList<>();
        int notJson = 0;
        int ran = 0;
        for (Path file : files) {
            JsonNode config;
            try {
                config = JSON.readTree(Files.readString(file));
            } catch (JacksonException e) {
                notJson++; // Archon's json.load fails on it too
                continue;
            }
            ObjectNode options = JSON.createObjectNode();
            options.set("config", config);
            options.putObject("modelMap").put("*", "sim-math");
            List<FieldError> errors = Fixtures.errors(archon, base, options.toString(), false);
            if (!errors.isEmpty()) {
                refused.add(folder.relativize(file) + ": " + errors.getFirst() + (errors.size() > 1 ? " (+"
                        + (errors.size() - 1) + " more)" : ""));
                continue;
            }
            PipelineSpec spec = Fixtures.validated(archon, base, options.toString());
            var outcome = new InMemoryRun(archon, spec, new RunInput("What is 17 + 25?", "42"), 400_000L, null,
                    new ToyWorkers(4, 0.8, 0.2, 42), InMemoryRun.Delivery.IN_ORDER).run();
            assertThat(outcome.status()).as("%s: %s", file, outcome.reason()).isEqualTo("SUCCEEDED");
            assertThat(outcome.refusedReservations()).isZero();
            ran++;
        }
        assertThat(refused).as("configs refused").isEmpty();
        assertThat(ran + notJson).isEqualTo(files.size());
        assertThat(ran).isGreaterThan(250);
    }
}
