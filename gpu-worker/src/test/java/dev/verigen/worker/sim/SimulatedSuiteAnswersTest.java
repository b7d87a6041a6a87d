package dev.verigen.worker.sim;

import static dev.verigen.worker.sim.SimBackendTest.request;
import static dev.verigen.worker.sim.SimBackendTest.sampling;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verigen.contracts.GenerationResult.Sample;
import dev.verigen.contracts.SamplingParams;
import dev.verigen.contracts.suites.BuiltInSuites;
import dev.verigen.contracts.suites.SimulatedAnswers;
import dev.verigen.contracts.suites.Suite;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.contracts.suites.TaskKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The simulator on the built-in text2sql and code suites: gold or plausible wrong answers, at the latent rate p. */
class SimulatedSuiteAnswersTest {

    /** A simulated suite answer: one lead-in line, then exactly one fenced block. */
    private static final Pattern LAYOUT = Pattern.compile("([^\\n`]+)\\n```(sql|python)\\n(.*)\\n```", Pattern.DOTALL);

    private final List<Duration> spent = new ArrayList<>();
    private final SimBackend sim = new SimBackend(SimProperties.defaults(), spent::add);
    private final SimBackend flat = new SimBackend(SimProperties.defaults().withRealism(SimProperties.Realism.OFF),
            spent::add);

    static List<Suite> storedSuites() {
        return Stream.of(BuiltInSuites.TEXT2SQL, BuiltInSuites.CODE).map(n -> BuiltInSuites.byName(n).orElseThrow()).toList();
    }

    private static SimulatedAnswers answers(Suite suite, SuiteItem item) {
        return SimulatedAnswers.forSuite(suite.name()).get(item.id());
    }

    @Test
    void everyStoredItemIsKnownByItsPrompt() {
        var suites = dev.verigen.contracts.simulation.SuiteAnswers.builtIn();
        assertThat(suites.size()).isEqualTo(BuiltInSuites.TEXT2SQL_SIZE + BuiltInSuites.CODE_SIZE);
        for (Suite suite : storedSuites()) {
            for (SuiteItem item : suite.items()) {
                assertThat(suites.find(item.prompt())).get().satisfies(k -> {
                    assertThat(k.item()).isEqualTo(item);
                    assertThat(k.kind()).isEqualTo(suite.kind());
                });
                assertThat(suites.find("\n" + item.prompt() + "  ")).isPresent();
            }
        }
        // the generated suites are the arithmetic oracle's, not stored answers
        for (String name : List.of(BuiltInSuites.ARITH, BuiltInSuites.SIM_MATH)) {
            assertThat(suites.find(BuiltInSuites.byName(name).orElseThrow().items().getFirst().prompt())).isEmpty();
        }
    }

    @Test
    void passFrequencyTracksTheLatentRateAndWrongAnswersComeFromTheItemsList() {
        List<Double> rates = new ArrayList<>();
        for (Suite suite : storedSuites()) {
            for (SuiteItem item : suite.items()) {
                SimulatedAnswers a = answers(suite, item);
                double p = flat.model().solveRate(item.prompt());
                rates.add(p);
                int gold = 0;
                int total = 0;
                Map<String, Integer> wrongSeen = new HashMap<>();
                for (long seed = 0; seed < 100; seed++) { // 100 seeds × 20 samples
                    for (Sample s : flat.generate(request(item.prompt(), item.prompt(), 20, sampling(2048, seed * 1000)))
                            .samples()) {
                        total++;
                        String body = body(s.text(), suite.kind());
                        if (body.equals(a.gold().strip())) {
                            gold++;
                        } else {
                            assertThat(a.wrong()).as("%s: a failing sample states one of the item's wrong answers", item.id())
                                    .contains(body);
                            wrongSeen.merge(body, 1, Integer::sum);
                        }
                    }
                }
                assertThat(gold / (double) total).as("%s: share of gold answers vs latent p", item.id())
                        .isCloseTo(p, within(0.04));
                if (total - gold >= 30 * a.wrong().size()) {
                    assertThat(wrongSeen.keySet()).as("%s: every wrong answer is drawn", item.id())
                            .containsExactlyInAnyOrderElementsOf(a.wrong());
                }
            }
        }
        // the items differ in difficulty, as arithmetic prompts do
        assertThat(rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - rates.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isGreaterThan(0.3);
    }

    @Test
    void samplesAreALeadInAndOneFencedBlockWithUsageAsForAnyText() {
        Suite code = BuiltInSuites.byName(BuiltInSuites.CODE).orElseThrow();
        SuiteItem item = code.items().get(3);
        var out = sim.generate(request(item.prompt(), item.prompt(), 16, sampling(2048, 9L)));
        long completion = 0;
        for (Sample s : out.samples()) {
            Matcher m = LAYOUT.matcher(s.text());
            assertThat(m.matches()).as(s.text()).isTrue();
            assertThat(m.group(1)).endsWith(":");
            assertThat(m.group(2)).isEqualTo("python");
            assertThat(s.finishReason()).isEqualTo("stop");
            assertThat(s.completionTokens()).isEqualTo(Math.max(1, (s.text().length() + 3) / 4));
            completion += s.completionTokens();
        }
        assertThat(out.usage().promptTokens()).isEqualTo((item.prompt().length() + 3) / 4);
        assertThat(out.usage().completionTokens()).isEqualTo(completion);
        assertThat(out.usage().calls()).isEqualTo(16);

        // reproducible, and maxTokens still cuts
        assertThat(sim.generate(request(item.prompt(), item.prompt(), 16, sampling(2048, 9L))).samples())
                .isEqualTo(out.samples());
        Sample cut = sim.generate(request(item.prompt(), item.prompt(), 1, sampling(5, 9L))).samples().getFirst();
        assertThat(cut.finishReason()).isEqualTo("length");
        assertThat(cut.text()).hasSize(20);
    }

    @Test
    void sqlSamplesUseASqlFence() {
        SuiteItem item = BuiltInSuites.byName(BuiltInSuites.TEXT2SQL).orElseThrow().items().getFirst();
        for (Sample s : sim.generate(request(item.prompt(), item.prompt(), 8, sampling(2048, 1L))).samples()) {
            Matcher m = LAYOUT.matcher(s.text());
            assertThat(m.matches()).as(s.text()).isTrue();
            assertThat(m.group(2)).isEqualTo("sql");
            assertThat(m.group(3)).startsWith("SELECT ");
        }
    }

    @Test
    void aRoleMaterialQuotingASuitePromptIsAnsweredFromTheItem() {
        Suite sql = BuiltInSuites.byName(BuiltInSuites.TEXT2SQL).orElseThrow();
        SuiteItem item = sql.items().get(5);
        SimulatedAnswers a = answers(sql, item);
        String material = "Task:\n" + item.prompt() + "\n\nPrevious answer:\n```sql\n" + a.wrong().getFirst()
                + "\n```\n\nFeedback:\nVerifier: the answer was checked and is wrong.";
        for (Sample s : sim.generate(request(material, material, 20, sampling(2048, 3L))).samples()) {
            String body = body(s.text(), TaskKind.SQL);
            assertThat(Stream.concat(Stream.of(a.gold()), a.wrong().stream()).toList()).contains(body);
        }
    }

    @Test
    void judgmentsCallTheGoldAnswerCorrectAndWrongAnswersIncorrect() {
        var suites = dev.verigen.contracts.simulation.SuiteAnswers.builtIn();
        for (Suite suite : storedSuites()) {
            for (SuiteItem item : suite.items()) {
                SimulatedAnswers a = answers(suite, item);
                String fence = suite.kind() == TaskKind.SQL ? "sql" : "python";
                assertThat(sim.judgments().correct(item.prompt(), "Sure.\n```" + fence + "\n" + a.gold() + ";\n```"))
                        .as(item.id()).isTrue();
                // formatting aside: other whitespace, no fence at all
                assertThat(sim.judgments().correct(item.prompt(), a.gold().replace(" ", "  "))).as(item.id()).isTrue();
                for (String wrong : a.wrong()) {
                    assertThat(sim.judgments().correct(item.prompt(), "```" + fence + "\n" + wrong + "\n```"))
                            .as("%s: %s", item.id(), wrong).isFalse();
                }
                // every draft says what it is
                assertThat(suites.find(item.prompt())).isPresent();
                var random = new SplittableRandom(item.id().hashCode());
                for (int i = 0; i < 20; i++) {
                    var draft = sim.model().draft(item.prompt(), random);
                    assertThat(sim.judgments().correct(item.prompt(), draft.text())).isEqualTo(draft.correct());
                }
            }
        }
    }

    @Test
    void theSimulatedJudgeGradesSuiteAnswersAgainstTheGoldAnswer() {
        Suite code = BuiltInSuites.byName(BuiltInSuites.CODE).orElseThrow();
        SuiteItem item = code.items().getFirst();
        SimulatedAnswers a = answers(code, item);
        String goodJudge = "Task:\n" + item.prompt() + "\n\nAnswer to judge:\n```python\n" + a.gold() + "\n```";
        String badJudge = "Task:\n" + item.prompt() + "\n\nAnswer to judge:\n```python\n" + a.wrong().getFirst() + "\n```";
        // the judge without per-answer bias or shared errors (Realism.OFF): right 85 % of the time
        assertThat(saysCorrect(goodJudge)).isCloseTo(0.85, within(0.05));
        assertThat(saysCorrect(badJudge)).isCloseTo(0.15, within(0.05));
        assertThat(sim.generate(request(goodJudge, goodJudge, 1, sampling(256, 1L))).samples().getFirst().text())
                .startsWith("Step 1: The answer to judge states a Python function.");
    }

    @Test
    void promptsThatOnlyResembleASuitePromptAreAnsweredAsBefore() {
        SuiteItem item = BuiltInSuites.byName(BuiltInSuites.TEXT2SQL).orElseThrow().items().getFirst();
        String question = item.prompt().lines().filter(l -> l.startsWith("Question: ")).findFirst().orElseThrow();
        for (String task : List.of(question, item.prompt().replace("France", "Spain"), item.prompt() + "\nThanks.")) {
            assertThat(sim.model().suites().find(task)).isEmpty();
            for (Sample s : sim.generate(request(task, task, 4, sampling(256, 2L))).samples()) {
                assertThat(s.text()).startsWith("Step 1: ").doesNotContain("```").containsPattern("\\nAnswer: -?\\d+$");
            }
        }
    }

    private double saysCorrect(String judgePrompt) {
        List<Sample> samples = flat.generate(request(judgePrompt, judgePrompt, 2000,
                new SamplingParams(0.8, 1.0, 256, 5L, List.of(), false))).samples();
        return samples.stream().filter(s -> s.text().endsWith("Verdict: correct")).count() / (double) samples.size();
    }

    /** The fenced block of a simulated suite answer, checked to be in the layout and fence of the item's kind. */
    private static String body(String text, TaskKind kind) {
        Matcher m = LAYOUT.matcher(text);
        assertThat(m.matches()).as("layout of %s", text).isTrue();
        assertThat(m.group(2)).isEqualTo(kind == TaskKind.SQL ? "sql" : "python");
        return m.group(3);
    }
}
