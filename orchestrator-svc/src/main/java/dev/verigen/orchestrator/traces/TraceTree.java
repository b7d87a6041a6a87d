package dev.verigen.orchestrator.traces;

import dev.verigen.orchestrator.traces.TraceView.CandidateNode;
import dev.verigen.orchestrator.traces.TraceView.ScoreEntry;
import dev.verigen.orchestrator.traces.TraceView.StepNode;
import dev.verigen.orchestrator.traces.TraceView.UsageEntry;
import dev.verigen.orchestrator.traces.TraceView.VerdictEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Assembles a run's trace rows into {@link TraceView}'s shape. No I/O: {@link TraceQueries} reads the rows. */
final class TraceTree {

    /** The engine backend name of the simulator; anything it produced is marked as simulated. */
    static final String SIMULATOR_BACKEND = "sim";

    private TraceTree() {
    }

    /** A candidate row. */
    record CandidateRecord(UUID id, int index, UUID stepId, UUID parentId, String role, String label, String pool,
                           String backend, boolean complete, String finishReason, long completionTokens,
                           Double logprob, String text, Instant createdAt) {
    }

    /** A step row, its action already read (pool, role, scorer, verifier). */
    record StepRecord(UUID id, int seq, String kind, String label, String status, int attempt, String pool,
                      String role, String scorer, String verifier, TraceView.Reserved reserved,
                      TraceView.Error error, Instant createdAt, Instant completedAt, List<UUID> judged) {
    }

    /**
     * Candidates as a forest, each level in index order. A candidate whose parent is not among {@code rows} is a
     * root, so a partial trace still shows every candidate once.
     */
    static List<CandidateNode> candidates(List<CandidateRecord> rows, Map<UUID, List<VerdictEntry>> verdicts,
                                          Map<UUID, List<ScoreEntry>> scores) {
        Map<UUID, CandidateRecord> byId = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparingInt(CandidateRecord::index))
                .forEach(c -> byId.put(c.id(), c));
        Map<UUID, List<CandidateRecord>> children = new HashMap<>();
        List<CandidateRecord> roots = new ArrayList<>();
        for (CandidateRecord c : byId.values()) {
            if (c.parentId() != null && byId.containsKey(c.parentId()) && !c.parentId().equals(c.id())) {
                children.computeIfAbsent(c.parentId(), k -> new ArrayList<>()).add(c);
            } else {
                roots.add(c);
            }
        }
        return roots.stream().map(c -> node(c, children, verdicts, scores)).toList();
    }

    // Parents always exist before their children (a foreign key), so the lineage has no cycles to guard against.
    private static CandidateNode node(CandidateRecord c, Map<UUID, List<CandidateRecord>> children,
                                      Map<UUID, List<VerdictEntry>> verdicts, Map<UUID, List<ScoreEntry>> scores) {
        List<CandidateNode> kids = children.getOrDefault(c.id(), List.of()).stream()
                .map(k -> node(k, children, verdicts, scores)).toList();
        return new CandidateNode(c.id(), c.index(), c.stepId(), c.parentId(), c.role(), c.label(), c.pool(),
                c.backend(), SIMULATOR_BACKEND.equals(c.backend()), c.complete(), c.finishReason(),
                c.completionTokens(), c.logprob(), c.text(), c.createdAt(),
                verdicts.getOrDefault(c.id(), List.of()), scores.getOrDefault(c.id(), List.of()), kids);
    }

    /** Steps in dispatch order with the candidates each produced and the usage its results reported. */
    static List<StepNode> steps(List<StepRecord> rows, List<CandidateRecord> candidates, List<UsageEntry> usage) {
        Map<UUID, List<UUID>> produced = new HashMap<>();
        candidates.stream().sorted(Comparator.comparingInt(CandidateRecord::index))
                .forEach(c -> produced.computeIfAbsent(c.stepId(), k -> new ArrayList<>()).add(c.id()));
        Map<UUID, UsageView> used = new HashMap<>();
        for (UsageEntry u : usage) {
            used.merge(u.stepId(), u.view(), UsageView::plus);
        }
        return rows.stream().sorted(Comparator.comparingInt(StepRecord::seq))
                .map(s -> new StepNode(s.id(), s.seq(), s.kind(), s.label(), s.status(), s.attempt(), s.pool(),
                        s.role(), s.scorer(), s.verifier(), s.reserved(), used.get(s.id()), s.error(), s.createdAt(),
                        s.completedAt(), produced.getOrDefault(s.id(), List.of()), s.judged()))
                .toList();
    }

    static UsageView totals(List<UsageEntry> usage) {
        return usage.stream().map(UsageEntry::view).reduce(UsageView.ZERO, UsageView::plus);
    }
}
