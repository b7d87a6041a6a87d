package dev.verigen.orchestrator.strategies.archon;

import dev.verigen.contracts.GenerationJob.Role;
import dev.verigen.contracts.Verdict;
import dev.verigen.orchestrator.strategies.Action;
import dev.verigen.orchestrator.strategies.RunState;
import dev.verigen.orchestrator.strategies.roles.Allowance;
import dev.verigen.orchestrator.strategies.roles.Materials;
import dev.verigen.orchestrator.strategies.roles.RankingParser;
import dev.verigen.orchestrator.strategies.roles.UnitTests;
import dev.verigen.orchestrator.strategies.roles.Verdicts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * One layer of an Archon pipeline: the jobs it asks for ({@link #start}) and, once they are all in, the
 * candidates it passes on ({@link #finish}). A layer whose jobs fail or do not fit the budget degrades as Archon's
 * components do: the candidates pass on unchanged (unranked, unfused, unfiltered), so the pipeline still ends.
 * Jobs are labelled {@code archon/L<position>/<what>[/<input position>]}, which is how finish finds their results.
 */
final class LayerRunner {

    /** What the layer passes on, and the unit tests known after it. */
    record Result(List<UUID> output, List<String> tests) {
    }

    private final RunState state;
    private final ArchonConfig.Layer layer;
    private final int position;
    private final List<RunState.Candidate> inputs;
    private final List<String> tests;
    private final String task;

    LayerRunner(RunState state, ArchonConfig.Layer layer, int position, List<UUID> inputs, List<String> tests) {
        this.state = state;
        this.layer = layer;
        this.position = position;
        this.inputs = state.candidates(inputs);
        this.tests = tests;
        this.task = state.input().prompt();
    }

    List<Action> start(Allowance allowance) {
        ArchonConfig.Component first = layer.components().getFirst();
        List<Action> work = new ArrayList<>();
        switch (layer.type()) {
            case GENERATOR -> {
                String prompt = tests.isEmpty() ? null : Materials.withUnitTests(task, tests);
                for (int j = 0; j < layer.components().size(); j++) {
                    samples(work, allowance, layer.components().get(j), "gen/" + j, Role.GENERATE, prompt);
                }
            }
            case FUSER -> {
                if (!inputs.isEmpty()) {
                    String material = Materials.candidates(Materials.withUnitTests(task, tests), texts(),
                            inputs.stream().map(c -> critique(c.id())).toList());
                    for (int j = 0; j < layer.components().size(); j++) {
                        samples(work, allowance, layer.components().get(j), "fuse/" + j, Role.FUSE, material);
                    }
                }
            }
            case RANKER -> {
                if (inputs.size() > 1) {
                    List<String> critiques = Boolean.TRUE.equals(first.useCritiques())
                            ? inputs.stream().map(c -> critique(c.id())).toList() : null;
                    String material = Materials.candidates(task, texts(), critiques);
                    one(work, allowance, first, "rank", Role.RANK, material, null);
                }
            }
            case CRITIC -> each(work, allowance, "critic", Role.CRITIQUE, c -> Materials.judge(task, c.text()));
            case VERIFIER -> {
                if ("verifier".equals(first.by())) {
                    List<UUID> unchecked = inputs.stream().filter(c -> c.verdict() == null).map(RunState.Candidate::id)
                            .toList();
                    if (!unchecked.isEmpty() && state.spec().verifier() != null && state.input().hasReference()) {
                        work.add(new Action.Verify(unchecked));
                    }
                } else {
                    each(work, allowance, "verify", Role.JUDGE, c -> Materials.judge(task, c.text()));
                }
            }
            case UNIT_TEST_GENERATOR -> one(work, allowance, first, "unit-tests", Role.GENERATE,
                    Materials.unitTests(task, first.unitTestCap()), null);
            case UNIT_TEST_EVALUATOR -> {
                if (!tests.isEmpty()) {
                    each(work, allowance, "unit-eval", Role.JUDGE,
                            c -> Materials.unitTestEvaluation(task, tests, c.text()));
                }
            }
        }
        return work;
    }

    Result finish() {
        ArchonConfig.Component first = layer.components().getFirst();
        List<UUID> in = inputs.stream().map(RunState.Candidate::id).toList();
        return switch (layer.type()) {
            case GENERATOR -> new Result(produced("gen/"), tests);
            case FUSER -> {
                List<UUID> fused = produced("fuse/");
                yield new Result(fused.isEmpty() ? in : fused, tests);
            }
            case CRITIC -> new Result(in, tests);
            case RANKER -> {
                List<Integer> order = output(label("rank"))
                        .map(text -> RankingParser.parse(text, in.size()).order())
                        .orElse(IntStream.range(0, in.size()).boxed().toList());
                yield new Result(order.stream().limit(limit(first.topK())).map(in::get).toList(), tests);
            }
            case VERIFIER -> {
                List<UUID> kept = IntStream.range(0, inputs.size()).filter(this::verified).mapToObj(in::get)
                        .limit(limit(first.firstK())).toList();
                // Archon passes every candidate on when none is verified
                yield new Result(kept.isEmpty() ? in : kept, tests);
            }
            case UNIT_TEST_GENERATOR -> {
                List<String> written = output(label("unit-tests"))
                        .map(text -> UnitTests.parse(text, first.unitTestCap())).orElse(List.of());
                yield new Result(in, written.isEmpty() ? tests : written);
            }
            case UNIT_TEST_EVALUATOR -> new Result(byTestsPassed(in, first), tests);
        };
    }

    private boolean verified(int k) {
        if ("verifier".equals(layer.components().getFirst().by())) {
            return inputs.get(k).verdict() == Verdict.Outcome.PASS;
        }
        return output(label("verify/" + k)).flatMap(Verdicts::correct).orElse(false);
    }

    /** Archon's evaluator: the first k passing every test, else all ranked by tests passed (stable), top k. */
    private List<UUID> byTestsPassed(List<UUID> in, ArchonConfig.Component component) {
        if (tests.isEmpty()) {
            return in;
        }
        int[] passed = new int[in.size()];
        for (int k = 0; k < in.size(); k++) {
            passed[k] = output(label("unit-eval/" + k)).map(text -> UnitTests.passed(text, tests.size())
                    .orElse(Verdicts.correct(text).orElse(false) ? tests.size() : 0)).orElse(-1);
        }
        if (component.firstK() != null) {
            List<UUID> passAll = IntStream.range(0, in.size()).filter(k -> passed[k] == tests.size())
                    .mapToObj(in::get).toList();
            if (passAll.size() >= component.firstK()) {
                return passAll.subList(0, component.firstK());
            }
        }
        return IntStream.range(0, in.size()).boxed().sorted(Comparator.comparingInt((Integer k) -> -passed[k]))
                .limit(limit(component.topK())).map(in::get).toList();
    }

    private void samples(List<Action> work, Allowance allowance, ArchonConfig.Component c, String what, Role role,
                         String prompt) {
        // each component runs on its own pool (an ensemble): its samples are priced there
        int n = allowance.samples(c.pool(), prompt == null ? task : prompt, c.samples(), c.maxTokens());
        if (n > 0 && allowance.generate(c.pool(), prompt == null ? task : prompt, n, c.maxTokens())) {
            work.add(new Action.Generate(label(what), role, c.pool(), prompt, n, c.temperature(), c.maxTokens(), null,
                    false, false));
        }
    }

    private void one(List<Action> work, Allowance allowance, ArchonConfig.Component c, String what, Role role,
                     String material, UUID parent) {
        if (allowance.generate(c.pool(), material, 1, c.maxTokens())) {
            work.add(new Action.Generate(label(what), role, c.pool(), material, 1, c.temperature(), c.maxTokens(),
                    parent, false, false));
        }
    }

    /** One job per input candidate, as far as the budget goes. */
    private void each(List<Action> work, Allowance allowance, String what, Role role,
                      java.util.function.Function<RunState.Candidate, String> material) {
        ArchonConfig.Component c = layer.components().getFirst();
        for (int k = 0; k < inputs.size(); k++) {
            one(work, allowance, c, what + "/" + k, role, material.apply(inputs.get(k)), inputs.get(k).id());
        }
    }

    /** The answers this layer's components produced, component by component, each in sample order. */
    private List<UUID> produced(String what) {
        List<UUID> out = new ArrayList<>();
        for (int j = 0; j < layer.components().size(); j++) {
            String label = label(what + j);
            state.answers().stream().filter(c -> c.label().equals(label)).map(RunState.Candidate::id).forEach(out::add);
        }
        return out;
    }

    private Optional<String> output(String label) {
        return state.candidates().stream().filter(c -> c.label().equals(label)).findFirst()
                .map(RunState.Candidate::text);
    }

    /** The latest critique any critic layer wrote of this candidate. */
    private String critique(UUID candidate) {
        return state.candidates().stream()
                .filter(c -> c.role() == Role.CRITIQUE && candidate.equals(c.parentId())
                        && c.label().startsWith("archon/"))
                .reduce((a, b) -> b).map(RunState.Candidate::text).orElse(null);
    }

    private List<String> texts() {
        return inputs.stream().map(RunState.Candidate::text).toList();
    }

    private String label(String what) {
        return "archon/L" + position + "/" + what;
    }

    private static long limit(Integer k) {
        return k == null ? Long.MAX_VALUE : k;
    }
}
