package dev.verigen.orchestrator.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.orchestrator.OrchestratorProperties;
import dev.verigen.orchestrator.runs.RunRequestParser;
import dev.verigen.orchestrator.strategies.BestOfN;
import dev.verigen.orchestrator.strategies.StrategyRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a cell's run sees of its item's reference. */
class CellRequestsTest {

    private final CellRequests cells = new CellRequests(new RunRequestParser(
            new StrategyRegistry(List.of(new BestOfN())),
            new OrchestratorProperties(Set.of("sim-math"), Set.of("code_tests", "numeric"), Set.of("sim-orm"),
                    new OrchestratorProperties.Limits(1024, 4096, 10_000, 300, 3),
                    new OrchestratorProperties.Outbox("localhost:9092", Duration.ofSeconds(1), 100))));
    private final SuiteItem item = BuiltInSuites.byName(BuiltInSuites.CODE).orElseThrow().items().getFirst();

    private ExperimentSpec.Arm arm(String pipeline, String verification) {
        return new ExperimentSpec.Arm("a", "a", ExperimentSpec.Budget.UNLIMITED,
                JsonMapper.builder().build().readTree(pipeline), "sim-math", "best_of_n", false, verification);
    }

    @Test
    void aCodeItemKeepsAVisiblePartOfItsTests() {
        assertThat(item.visible()).isNotBlank();
        assertThat(item.reference()).startsWith(item.visible());
        assertThat(item.visible().split("def test_", -1).length).isLessThan(item.reference().split("def test_", -1).length);
    }

    @Test
    void aVerifierSeesTheWholeReferenceAsAnOracleOrOnlyTheVisibleTests() {
        String verified = "{\"strategy\": \"best_of_n\", \"model\": \"sim-math\", \"n\": 4, \"verifier\": \"code_tests\"}";
        assertThat(cells.create(arm(verified, null), item, 1).input().reference()).isEqualTo(item.reference());
        assertThat(cells.create(arm(verified, "visible"), item, 1).input().reference()).isEqualTo(item.visible());
        // without a verifier a run never sees any of it
        String plain = "{\"strategy\": \"best_of_n\", \"model\": \"sim-math\", \"n\": 4}";
        assertThat(cells.create(arm(plain, "visible"), item, 1).input().reference()).isNull();
    }
}
