package dev.verigen.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.strategies.AStar;
import dev.verigen.orchestrator.strategies.Archon;
import dev.verigen.orchestrator.strategies.BeamSearch;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.Dvts;
import dev.verigen.orchestrator.strategies.FirstFinish;
import dev.verigen.orchestrator.strategies.IterativeAgentDecoding;
import dev.verigen.orchestrator.strategies.ParticleFilter;
import dev.verigen.orchestrator.strategies.SelfConsistency;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The request bodies the README and docs/strategies show are valid requests, so copying one works. */
class DocumentedExamplesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern CURL_BODY = Pattern.compile("-d '(\\{.*?\\})'", Pattern.DOTALL);
    private static final Pattern README_RUN = Pattern.compile("^run '(.*)'$", Pattern.MULTILINE);
    private static final Pattern README_Q = Pattern.compile("^Q='(.*)'$", Pattern.MULTILINE);

    private final RunRequestParser parser = new RunRequestParser(new StrategyRegistry(List.of(new BestOfN(),
            new SelfConsistency(), new FirstFinish(), new BeamSearch(), new Dvts(), new AStar(), new ParticleFilter(),
            new IterativeAgentDecoding(), new Archon())),
            new OrchestratorProperties(Set.of("sim-math", "arith-tiny"), Set.of("exact", "numeric", "composite"),
                    Set.of("sim-orm", "sim-prm", "judge", "likelihood"),
                    new OrchestratorProperties.Limits(1024, 32768, 200_000, 300, 3),
                    new OrchestratorProperties.Outbox("localhost:9092", Duration.ofSeconds(1), 100)));
    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void theReadmeHasOneValidRunPerStrategy() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher q = README_Q.matcher(readme);
        assertThat(q.find()).isTrue();
        List<String> strategies = new ArrayList<>();
        Matcher run = README_RUN.matcher(readme);
        while (run.find()) {
            String body = run.group(1).replace("'\"$Q\"'", q.group(1));
            CreateRun parsed = parser.parse(mapper.readTree(body), 1L);
            strategies.add(parsed.spec().strategy());
        }
        // every strategy at least once (best_of_n and archon twice: pruning, an Archon config as published)
        assertThat(strategies).containsOnly("best_of_n", "self_consistency", "first_finish", "beam_search", "dvts",
                "a_star", "particle_filter", "iad", "archon");
    }

    @Test
    void everyStrategyDocExampleIsAValidRequest() throws IOException {
        List<Path> docs;
        try (Stream<Path> files = Files.list(ROOT.resolve("docs/strategies"))) {
            docs = files.filter(p -> p.toString().endsWith(".md")).toList();
        }
        assertThat(docs).hasSizeGreaterThanOrEqualTo(8);
        for (Path doc : docs) {
            Matcher m = CURL_BODY.matcher(Files.readString(doc));
            int examples = 0;
            while (m.find()) {
                String body = m.group(1);
                assertThatCode(() -> parser.parse(mapper.readTree(body), 1L)).as(doc + ": " + body)
                        .doesNotThrowAnyException();
                examples++;
            }
            assertThat(examples).as(doc.toString()).isPositive();
        }
    }
}
