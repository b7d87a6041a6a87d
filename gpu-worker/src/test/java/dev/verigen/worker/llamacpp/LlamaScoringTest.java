package dev.verigen.worker.llamacpp;

import dev.verigen.worker.engine.EngineException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static dev.verigen.worker.llamacpp.TestModels.arithPrompt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Scoring mode on the real arith-tiny model: one prefill, each continuation teacher-forced. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlamaScoringTest {

    private static final String PROMPT = arithPrompt(40, '+', 96);

    private final LlamaEngine arith = new LlamaEngine(LlamaModel.load(TestModels.ARITH_TINY), 1, 96, 2);

    @AfterAll
    void close() {
        arith.close();
    }

    @Test
    void continuationLogprobEqualsTheIndependentTeacherForcedScore() {
        long prefillsBefore = arith.prefills();
        LlamaEngine.Scoring scoring = arith.scoreContinuations(PROMPT, List.of("136", "137", "13", "999\n"));

        assertThat(arith.prefills() - prefillsBefore).isEqualTo(1);
        assertThat(scoring.scores()).hasSize(4);
        for (LlamaEngine.ContinuationScore s : scoring.scores()) {
            assertThat(s.tokens()).isNotEmpty();
            assertThat(s.logprob()).isNegative();
            // LlamaEngine.score decodes every prefix from an empty cache: independent of the shared-prefill path
            assertThat(arith.score(PROMPT, s.tokens())).isCloseTo(s.logprob(), within(1e-3));
        }
        assertThat(scoring.promptTokens()).isEqualTo(arith.model().tokenize(PROMPT).length);
        // a real arithmetic model: the right sum is more likely per token than a wrong one
        double right = scoring.scores().get(0).logprob() / scoring.scores().get(0).tokens().length;
        double wrong = scoring.scores().get(3).logprob() / scoring.scores().get(3).tokens().length;
        assertThat(right).isGreaterThan(wrong);
    }

    @Test
    void anEmptyContinuationScoresZeroAndAnOversizedOneIsABadRequest() {
        LlamaEngine.Scoring scoring = arith.scoreContinuations(PROMPT, List.of(""));
        assertThat(scoring.scores().getFirst().tokens()).isEmpty();
        assertThat(scoring.scores().getFirst().logprob()).isZero();

        assertThatThrownBy(() -> arith.scoreContinuations(PROMPT, List.of("1".repeat(200))))
                .isInstanceOf(EngineException.class).hasMessageContaining("do not fit");
    }
}
