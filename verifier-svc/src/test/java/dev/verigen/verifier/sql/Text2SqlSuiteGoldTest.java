package dev.verigen.verifier.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.contracts.suites.SimulatedAnswers;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.contracts.suites.TaskKind;
import dev.verigen.contracts.testing.TestDatabase;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

/**
 * The built-in {@code text2sql} suite against the real {@code sql_execution} verifier on the real PostgreSQL: every
 * gold query passes against itself and returns rows, and every one of the simulator's wrong answers fails — so a
 * simulated sample's verdict is what the simulator meant it to be.
 */
class Text2SqlSuiteGoldTest {

    static TestDatabase db;
    static SqlSandbox sandbox;
    static SqlExecutionVerifier verifier;

    static List<Named<SuiteItem>> named() {
        return items().stream().map(item -> Named.of(item.id(), item)).toList();
    }

    static List<SuiteItem> items() {
        var suite = BuiltInSuites.byName(BuiltInSuites.TEXT2SQL).orElseThrow();
        assertThat(suite.kind()).isEqualTo(TaskKind.SQL);
        assertThat(suite.kind().verifier()).isEqualTo(SqlExecutionVerifier.TYPE);
        return suite.items();
    }

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create("text2sqlsuite");
        sandbox = new SqlSandbox(new SqlVerifierProperties(db.url(), db.user(), db.password(), "verigen_sql_sandbox", "",
                Duration.ofSeconds(2), 10_000, DataSize.ofMegabytes(8), DataSize.ofMegabytes(4), DataSize.ofMegabytes(16),
                16, Duration.ofSeconds(2), Duration.ofSeconds(30), false, List.of("shop"), "shop"));
        verifier = new SqlExecutionVerifier(sandbox);
        assertThat(sandbox.ensureReady()).isEmpty();
    }

    @AfterAll
    static void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    /** As a job of the suite runs it: the item's reference, the verifier's defaults (schema shop). */
    private static Verdict check(String candidate, String reference) {
        return verifier.verify(new CandidateRef(UUID.randomUUID(), candidate), reference, VerifierOptions.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("named")
    void goldPassesAndEveryWrongAnswerFails(SuiteItem item) {
        SimulatedAnswers answers = SimulatedAnswers.forSuite(BuiltInSuites.TEXT2SQL).get(item.id());
        assertThat(answers).as("simulated answers of %s", item.id()).isNotNull();

        QueryResult gold = sandbox.run("shop", SqlText.checkSingleQuery(item.reference()).sql());
        assertThat(gold).as("%s: the gold query runs", item.id()).isInstanceOf(QueryResult.Rows.class);
        assertThat(((QueryResult.Rows) gold).rows()).as("%s: the gold query returns rows", item.id()).isNotEmpty();

        Verdict self = check("Here is the query:\n```sql\n" + answers.gold() + "\n```", item.reference());
        assertThat(self.outcome()).as("%s gold: %s", item.id(), self.evidence()).isEqualTo(Outcome.PASS);

        for (String wrong : answers.wrong()) {
            Verdict v = check("```sql\n" + wrong + "\n```", item.reference());
            assertThat(v.outcome()).as("%s wrong answer %s: %s", item.id(), wrong, v.evidence()).isEqualTo(Outcome.FAIL);
        }
    }

    /** The prompts' schema description names every table and column of the schema the verifier runs. */
    @Test
    void promptSchemaDescribesTheSampleSchema() throws IOException {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/sql-schemas/shop.sql")) {
            assertThat(in).isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher table = Pattern.compile("CREATE TABLE (\\w+) \\((.*?)\\n\\);", Pattern.DOTALL).matcher(script);
        int tables = 0;
        while (table.find()) {
            tables++;
            String name = table.group(1);
            String line = BuiltInSuites.SHOP_SCHEMA.lines().filter(l -> l.startsWith(name + "(")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for table " + name + " in SHOP_SCHEMA"));
            for (String column : table.group(2).split(",\\s*\\n")) {
                String[] words = column.strip().split("\\s+");
                String type = words[1].replaceFirst("\\(.*", "");
                assertThat(line).as("table %s", name)
                        .containsPattern("[(,] ?" + Pattern.quote(words[0]) + " " + Pattern.quote(type));
            }
        }
        assertThat(tables).isEqualTo(3);
        assertThat(BuiltInSuites.SHOP_SCHEMA.lines().filter(l -> l.matches("\\w+\\(.*"))).hasSize(tables);
    }

    @Test
    void everyItemIsChecked() {
        assertThat(items()).hasSize(BuiltInSuites.TEXT2SQL_SIZE);
        assertThat(SimulatedAnswers.forSuite(BuiltInSuites.TEXT2SQL)).hasSize(BuiltInSuites.TEXT2SQL_SIZE);
        assertThat(SimulatedAnswers.forSuite(BuiltInSuites.TEXT2SQL).values())
                .allSatisfy(a -> assertThat(a.wrong()).hasSizeGreaterThanOrEqualTo(2));
    }
}
