package dev.verigen.contracts.suites;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BuiltInSuitesTest {

    static List<String> names() {
        return BuiltInSuites.names();
    }

    @Test
    void namesAreTheFourSuites() {
        assertThat(BuiltInSuites.names()).containsExactly("arith", "sim-math", "text2sql", "code");
        assertThat(BuiltInSuites.byName("nope")).isEmpty();
        assertThat(BuiltInSuites.byName(null)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("names")
    void everySuiteLoadsWithUniqueIdsAndPrompts(String name) {
        Suite suite = BuiltInSuites.byName(name).orElseThrow();
        assertThat(suite.name()).isEqualTo(name);
        assertThat(suite.pool()).isNotBlank();
        assertThat(suite.description()).isNotBlank();
        Set<String> ids = new HashSet<>();
        Set<String> prompts = new HashSet<>();
        for (SuiteItem item : suite.items()) {
            assertThat(ids.add(item.id())).as("duplicate id %s", item.id()).isTrue();
            assertThat(prompts.add(item.prompt())).as("duplicate prompt of %s", item.id()).isTrue();
            assertThat(item.id()).startsWith(name + "-");
            assertThat(item.reference()).as(item.id()).isNotBlank();
            assertThat(item.task()).isEqualTo(suite.kind().wireName());
            assertThat(TaskKind.parse(item.task())).contains(suite.kind());
            // role materials quote the task as "Task:\n<task>\n\n…": a blank line would cut the prompt short
            assertThat(item.prompt()).as(item.id()).doesNotContain("\n\n").isEqualTo(item.prompt().strip());
        }
        // a name always means the same questions
        assertThat(BuiltInSuites.byName(name).orElseThrow()).isEqualTo(suite);
    }

    @Test
    void sizesAreAsDocumented() {
        assertThat(size("arith")).isEqualTo(BuiltInSuites.ARITH_SIZE).isGreaterThanOrEqualTo(200);
        assertThat(size("sim-math")).isEqualTo(BuiltInSuites.SIM_MATH_SIZE);
        assertThat(size("text2sql")).isEqualTo(BuiltInSuites.TEXT2SQL_SIZE).isEqualTo(30);
        assertThat(size("code")).isEqualTo(BuiltInSuites.CODE_SIZE).isEqualTo(20);
    }

    @Test
    void kindsAndPools() {
        assertThat(BuiltInSuites.byName("arith").orElseThrow()).extracting(Suite::kind, Suite::pool)
                .containsExactly(TaskKind.NUMERIC, "arith-tiny");
        assertThat(BuiltInSuites.byName("sim-math").orElseThrow()).extracting(Suite::kind, Suite::pool)
                .containsExactly(TaskKind.NUMERIC, "sim-math");
        assertThat(BuiltInSuites.byName("text2sql").orElseThrow()).extracting(Suite::kind, Suite::pool)
                .containsExactly(TaskKind.SQL, BuiltInSuites.SIM_POOL);
        assertThat(BuiltInSuites.byName("code").orElseThrow()).extracting(Suite::kind, Suite::pool)
                .containsExactly(TaskKind.CODE, BuiltInSuites.SIM_POOL);
        assertThat(TaskKind.SQL.verifier()).isEqualTo("sql_execution");
        assertThat(TaskKind.CODE.verifier()).isEqualTo("code_tests");
    }

    @Test
    void text2sqlPromptsCarryTheSchemaAndTheQuestion() {
        for (SuiteItem item : BuiltInSuites.byName("text2sql").orElseThrow().items()) {
            assertThat(item.prompt()).contains(BuiltInSuites.SHOP_SCHEMA).contains("\nQuestion: ").endsWith("```sql block.");
            assertThat(item.reference()).startsWithIgnoringCase("SELECT").doesNotContain(";");
        }
        assertThat(BuiltInSuites.SHOP_SCHEMA).contains("customers(", "products(", "orders(").doesNotContain("\n\n");
    }

    @Test
    void codeReferencesAreTestSourcesForTheFunctionThePromptAsksFor() {
        for (SuiteItem item : BuiltInSuites.byName("code").orElseThrow().items()) {
            String function = item.prompt().replaceFirst("(?s).*?```python\\ndef (\\w+)\\(.*", "$1");
            assertThat(function).as(item.id()).matches("\\w+");
            assertThat(item.reference()).as(item.id()).containsPattern("(?m)^def test_\\w+\\(\\):")
                    .contains(function + "(");
            assertThat(item.prompt()).endsWith("```python block.");
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void storedSuitesHaveSimulatedAnswersForEveryItem(String name) {
        Suite suite = BuiltInSuites.byName(name).orElseThrow();
        Map<String, SimulatedAnswers> answers = SimulatedAnswers.forSuite(name);
        if (suite.kind() == TaskKind.NUMERIC) {
            assertThat(answers).isEmpty();
            return;
        }
        assertThat(answers.keySet()).containsExactlyElementsOf(suite.items().stream().map(SuiteItem::id).toList());
        for (SuiteItem item : suite.items()) {
            SimulatedAnswers a = answers.get(item.id());
            assertThat(a.wrong()).as(item.id()).isNotEmpty().doesNotHaveDuplicates();
            assertThat(a.wrong().stream().map(BuiltInSuitesTest::squash)).as(item.id())
                    .doesNotContain(squash(a.gold()));
            if (suite.kind() == TaskKind.SQL) {
                assertThat(a.gold()).isEqualTo(item.reference());
            } else {
                assertThat(a.gold()).isNotEqualTo(item.reference()).contains("def ");
            }
        }
        assertThat(SimulatedAnswers.forSuite("nope")).isEmpty();
    }

    private static String squash(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    private static int size(String name) {
        return BuiltInSuites.byName(name).orElseThrow().items().size();
    }
}
