package dev.verigen.orchestrator.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.strategies.BeamSearch;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.Dvts;
import dev.verigen.orchestrator.strategies.ParticleFilter;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The experiment files in docs/experiments are valid requests, so `./verigen experiment start` on them works. */
class DocumentedExperimentsTest {

    private static final Path DOCS = Path.of("..").toAbsolutePath().normalize().resolve("docs/experiments");

    private final OrchestratorProperties properties = new OrchestratorProperties(Set.of("sim-math", "arith-tiny"),
            Set.of("exact", "numeric", "sql_execution", "code_tests"), Set.of("sim-orm", "sim-prm"),
            new OrchestratorProperties.Limits(1024, 32768, 200_000, 300, 3),
            new OrchestratorProperties.Outbox("localhost:9092", Duration.ofSeconds(1), 100));
    private final ExperimentProperties experiments = new ExperimentProperties(Duration.ofMillis(500), 10_000, 100_000,
            16, 256, URI.create("http://localhost:8085"), Duration.ofSeconds(5));
    private final RunRequestParser runs = new RunRequestParser(new StrategyRegistry(List.of(new BestOfN(),
            new SelfConsistency(), new BeamSearch(), new Dvts(), new ParticleFilter())), properties);
    private final ExperimentRequestParser parser = new ExperimentRequestParser(experiments, properties, null,
            new CellRequests(runs), new ComputeOptimalArms(null, null, null,
            dev.verigen.orchestrator.strategies.ComputeEstimator.DEFAULTS));

    @Test
    void everyDocumentedExperimentIsAValidRequest() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DOCS)) {
            files = list.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        var json = JsonMapper.builder().build();
        for (Path file : files) {
            var body = json.readTree(Files.readString(file));
            assertThatCode(() -> parser.parse("default", body)).as(file.toString()).doesNotThrowAnyException();
        }
    }
}
