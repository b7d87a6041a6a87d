package dev.verigen.orchestrator.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.traces.TraceTree.CandidateRecord;
import dev.verigen.orchestrator.traces.TraceTree.StepRecord;
import dev.verigen.orchestrator.traces.TraceView.CandidateNode;
import dev.verigen.orchestrator.traces.TraceView.ScoreEntry;
import dev.verigen.orchestrator.traces.TraceView.UsageEntry;
import dev.verigen.orchestrator.traces.TraceView.VerdictEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How trace rows become the tree {@code GET /v1/runs/{id}/trace} returns. */
class TraceTreeTest {

    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private final UUID gen = UUID.randomUUID();
    private final UUID refine = UUID.randomUUID();
    private final UUID score = UUID.randomUUID();

    @Test
    void candidatesNestUnderTheCandidateTheyWorkFromAndKeepTheirJudgements() {
        CandidateRecord a = candidate(0, gen, null, "GENERATE", "Step 1\n");
        CandidateRecord b = candidate(1, gen, null, "GENERATE", "Answer: 41");
        CandidateRecord aa = candidate(2, gen, a.id(), "GENERATE", "Step 1\nAnswer: 42");
        CandidateRecord critique = candidate(3, refine, b.id(), "CRITIQUE", "41 is off by one");
        CandidateRecord refined = candidate(4, refine, b.id(), "REFINE", "Answer: 42");
        CandidateRecord orphan = candidate(5, refine, UUID.randomUUID(), "REFINE", "from another run?");
        var verdict = new VerdictEntry("numeric", "PASS", "42", "42 = 42", UUID.randomUUID(), T);
        var s = new ScoreEntry("sim-orm", 0.9, score, T);

        List<CandidateNode> roots = TraceTree.candidates(List.of(refined, orphan, critique, aa, b, a),
                Map.of(aa.id(), List.of(verdict)), Map.of(aa.id(), List.of(s)));

        assertThat(roots).extracting(CandidateNode::id).containsExactly(a.id(), b.id(), orphan.id());
        assertThat(roots.get(0).children()).singleElement().satisfies(child -> {
            assertThat(child.id()).isEqualTo(aa.id());
            assertThat(child.parentId()).isEqualTo(a.id());
            assertThat(child.verdicts()).containsExactly(verdict);
            assertThat(child.scores()).containsExactly(s);
            assertThat(child.children()).isEmpty();
        });
        assertThat(roots.get(1).children()).extracting(CandidateNode::role).containsExactly("CRITIQUE", "REFINE");
        assertThat(roots.get(1).verdicts()).isEmpty();
        assertThat(roots.get(0).simulated()).isTrue();
    }

    @Test
    void stepsListWhatTheyProducedJudgedAndUsed() {
        CandidateRecord a = candidate(0, gen, null, "GENERATE", "x");
        CandidateRecord b = candidate(1, gen, null, "GENERATE", "y");
        var usage = List.of(new UsageEntry(1, gen, "GENERATION", 10, 6, 2, 5, 6, 1000.0, T),
                new UsageEntry(2, score, "SCORING", 8, 0, 2, 1, 1, 0, T));
        var steps = TraceTree.steps(List.of(
                step(2, score, "SCORING", List.of(a.id(), b.id())),
                step(1, gen, "GENERATION", List.of())), List.of(b, a), usage);

        assertThat(steps).extracting(TraceView.StepNode::seq).containsExactly(1, 2);
        assertThat(steps.get(0).produced()).containsExactly(a.id(), b.id());
        assertThat(steps.get(0).usage()).isEqualTo(new UsageView(10, 6, 2, 5, 6, 1000.0));
        assertThat(steps.get(1).produced()).isEmpty();
        assertThat(steps.get(1).judged()).containsExactly(a.id(), b.id());
        assertThat(TraceTree.totals(usage)).isEqualTo(new UsageView(18, 6, 4, 6, 7, 1000.0));
        assertThat(TraceTree.steps(List.of(step(1, refine, "GENERATION", List.of())), List.of(), usage).getFirst()
                .usage()).as("no result yet").isNull();
    }

    private static CandidateRecord candidate(int index, UUID step, UUID parent, String role, String text) {
        return new CandidateRecord(UUID.randomUUID(), index, step, parent, role, "", "sim-math", "sim", true, "stop",
                3, null, text, T);
    }

    private static StepRecord step(int seq, UUID id, String kind, List<UUID> judged) {
        return new StepRecord(id, seq, kind, "", "DONE", 1, null, null, null, null,
                new TraceView.Reserved(1, 1, 0), null, T, T, judged);
    }
}
