package dev.verigen.orchestrator.experiments;

import dev.verigen.contracts.Json;
import dev.verigen.contracts.suites.SuiteItem;
import dev.verigen.orchestrator.allocation.BatchState;
import dev.verigen.orchestrator.allocation.ComputeOptimal;
import dev.verigen.orchestrator.allocation.CurveBook;
import dev.verigen.orchestrator.allocation.Decision;
import dev.verigen.orchestrator.allocation.ItemRun;
import dev.verigen.orchestrator.allocation.Options;
import dev.verigen.orchestrator.allocation.Purchase;
import dev.verigen.orchestrator.allocation.Sample;
import dev.verigen.orchestrator.experiments.grading.NumericGrader;
import dev.verigen.orchestrator.experiments.metrics.GradedRun;
import dev.verigen.orchestrator.experiments.metrics.GradedSample;
import dev.verigen.orchestrator.runs.CreateRun;
import dev.verigen.orchestrator.strategies.ComputeEstimator;
import dev.verigen.orchestrator.strategies.Costs;
import dev.verigen.orchestrator.strategies.RunInput;
import dev.verigen.support.problems.FieldError;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code compute_optimal} arms: the allocator ({@code orchestrator.allocation}) decides per item what to buy next
 * from the arm's finished runs; this class only translates between it and the experiment's cells. Its state is the
 * cells' stored purchases and graded runs, so a restarted orchestrator continues the allocation where it stopped.
 * The arm's budget is per item on average: the batch may spend items × {@code maxTokens}.
 */
@Component
public class ComputeOptimalArms implements BatchArms {

    private final ExperimentRepository experiments;
    private final ScalingCurveRepository curves;
    private final CurveLearner learner;
    private final ComputeEstimator compute;

    public ComputeOptimalArms(ExperimentRepository experiments, ScalingCurveRepository curves, CurveLearner learner,
                              ComputeEstimator compute) {
        this.experiments = experiments;
        this.curves = curves;
        this.learner = learner;
        this.compute = compute;
    }

    @Override
    public List<FieldError> check(ExperimentSpec.Arm arm, int pipeline, int budget, List<SuiteItem> items) {
        List<FieldError> errors = new ArrayList<>();
        // the budget is checked even when the options are invalid, so one answer names every field to fix
        JsonNode unit = arm.pipeline().path("options").path("budgetUnit");
        boolean flops = unit.isString() && "flops".equals(unit.stringValue());
        if (flops && arm.budget().maxFlops() == null) {
            errors.add(new FieldError("budgets[" + budget + "].maxFlops", "compute_optimal with budgetUnit flops "
                    + "allocates an eFLOPs budget across the batch: give budgets with maxFlops (per item, on "
                    + "average)"));
        } else if (!flops && arm.budget().maxTokens() == null) {
            errors.add(new FieldError("budgets[" + budget + "].maxTokens", "compute_optimal allocates a token "
                    + "budget across the batch: give budgets with maxTokens (per item, on average)"));
        }
        try {
            options(arm, 0L, items);
        } catch (Options.InvalidOptions invalid) {
            for (FieldError e : invalid.errors()) {
                String field = e.field().startsWith(Options.PATH + ".") ? e.field().substring(Options.PATH.length() + 1)
                        : e.field();
                errors.add(new FieldError("pipelines[" + pipeline + "].pipeline."
                        + (isTopLevel(field) ? field : "options." + field), e.message()));
            }
        }
        return errors;
    }

    @Override
    public Step next(ExperimentRepository.ExperimentRow row, ExperimentSpec.Arm arm, long seed,
                     List<ExperimentRepository.Cell> cells, int free) {
        Options options = options(arm, seed, row.items());
        var state = state(row, arm, seed, options);
        var allocator = new ComputeOptimal(options, book(row, options), compute);
        List<Purchase> purchases = allocator.next(state);
        Map<String, SuiteItem> items = byId(row.items());
        List<Planned> planned = new ArrayList<>();
        for (Purchase p : purchases.subList(0, Math.min(free, purchases.size()))) {
            SuiteItem item = items.get(p.itemId());
            String reference = p.pipeline().verifier() == null ? null : item.reference();
            // the purchase's budget in the allocation's unit: tokens, or eFLOPs
            var request = options.budgetUnit() == Options.BudgetUnit.FLOPS
                    ? new CreateRun(p.pipeline(), new RunInput(item.prompt(), reference), null, null,
                            (double) p.maxTokens())
                    : new CreateRun(p.pipeline(), new RunInput(item.prompt(), reference), p.maxTokens(), null, null);
            planned.add(new Planned(new ExperimentRepository.CellKey(arm.name(), seed, p.itemId(), p.tag()), request,
                    p));
        }
        return new Step(planned, purchases.isEmpty() && state.inFlight().isEmpty());
    }

    @Override
    public List<GradedRun> results(ExperimentRepository.ExperimentRow row, ExperimentSpec.Arm arm,
                                   List<ExperimentRepository.GradedCell> armCells) {
        List<GradedRun> results = new ArrayList<>();
        Map<String, SuiteItem> items = byId(row.items());
        for (long seed : row.spec().seeds()) {
            Options options = options(arm, seed, row.items());
            var state = state(row, arm, seed, options);
            if (state.finished().isEmpty()) {
                continue;
            }
            Map<String, Decision> decisions = new ComputeOptimal(options, book(row, options), compute)
                    .decisions(state);
            Map<String, List<GradedRun>> graded = armCells.stream().filter(c -> c.key().seed() == seed)
                    .collect(Collectors.groupingBy(c -> c.key().itemId(), LinkedHashMap::new,
                            Collectors.mapping(ExperimentRepository.GradedCell::run, Collectors.toList())));
            for (var entry : graded.entrySet()) {
                Decision decision = decisions.get(entry.getKey());
                if (decision == null || decision.reason() == Decision.Reason.PENDING) {
                    continue; // still being bought for: not a result yet
                }
                results.add(combine(arm, seed, items.get(entry.getKey()), decision, entry.getValue()));
            }
        }
        return results;
    }

    @Override
    public void learn(ExperimentRepository.ExperimentRow row, List<ExperimentRepository.GradedCell> graded) {
        for (ExperimentSpec.Arm arm : row.spec().arms()) {
            if (arm.computeOptimal()) {
                Options options = options(arm, 0L, row.items());
                learner.learn(row, options, book(row, options), graded).ifPresent(learned ->
                        curves.save(learned.book(), learned.observations(), row.id()));
            }
        }
    }

    /** One result per item: the allocator's answer, graded; what every run bought for the item spent. */
    private static GradedRun combine(ExperimentSpec.Arm arm, long seed, SuiteItem item, Decision decision,
                                     List<GradedRun> runs) {
        List<GradedSample> samples = new ArrayList<>();
        long tokens = 0;
        long calls = 0;
        BigDecimal flops = BigDecimal.ZERO;
        for (GradedRun r : runs) {
            for (GradedSample s : r.samples()) {
                samples.add(new GradedSample(samples.size(), s.answer(), s.correct(), s.verifierPass(), s.score(),
                        s.logprob(), s.tokens()));
            }
            tokens += r.tokens();
            calls += r.calls();
            flops = r.flops() == null ? flops : flops.add(r.flops());
        }
        Boolean correct = null;
        if (decision.answer() != null) {
            correct = samples.stream().filter(s -> decision.answer().equals(s.answer())).findFirst()
                    .map(GradedSample::correct)
                    .orElseGet(() -> new NumericGrader().correct(item, decision.answer(), decision.answer()));
        }
        String status = decision.abstained() ? "ABSTAINED" : decision.answer() == null ? "FAILED" : "SUCCEEDED";
        return new GradedRun(item.id(), arm.name(), seed, status, correct, tokens, flops, calls, samples,
                decision.answer(), null);
    }

    private BatchState state(ExperimentRepository.ExperimentRow row, ExperimentSpec.Arm arm, long seed,
                             Options options) {
        List<ItemRun> finished = new ArrayList<>();
        List<Purchase> inFlight = new ArrayList<>();
        for (var cell : experiments.batchCells(row.id(), arm.name(), seed)) {
            Purchase purchase = Json.read(cell.purchase().getBytes(StandardCharsets.UTF_8), Purchase.class);
            if (cell.graded() == null) {
                inFlight.add(purchase);
            } else {
                finished.add(itemRun(purchase, cell.graded(), options.budgetUnit()));
            }
        }
        long perItem = options.budgetUnit() == Options.BudgetUnit.FLOPS
                ? (long) Math.floor(arm.budget().maxFlops()) : arm.budget().maxTokens();
        long total = perItem * (long) row.items().size();
        return new BatchState(row.items().stream().map(SuiteItem::id).toList(), total, finished, inFlight);
    }

    /** A graded run as the allocator reads it; its spend in the allocation's budget unit (tokens or eFLOPs). */
    static ItemRun itemRun(Purchase purchase, GradedRun run, Options.BudgetUnit unit) {
        List<Sample> samples = run.samples().stream().map(s -> new Sample(s.answer(), s.verifierPass(), s.score(),
                s.logprob(), s.tokens(), true)).toList();
        long spent = unit == Options.BudgetUnit.FLOPS
                ? (run.flops() == null ? 0 : run.flops().setScale(0, java.math.RoundingMode.CEILING).longValueExact())
                : run.tokens();
        return new ItemRun(purchase.itemId(), purchase.tag(), purchase.arm(), spent, samples,
                run.selectedAnswer(), run.selectedScore());
    }

    /** What was learned for this pool and suite, or the prior. */
    private CurveBook book(ExperimentRepository.ExperimentRow row, Options options) {
        return curves.find(row.id(), options.model(), row.spec().suite()).orElseGet(() -> CurveBook.prior(options.model(),
                row.spec().suite(), options.votingArm().name(), options.pilotSamples(), options.maxSamples(),
                options.bins(), options.promptTokens() + options.sampleMaxTokens() / 2.0));
    }

    /**
     * The allocator's settings: the pipeline's model, reward model and verifier, its {@code options}, the
     * experiment seed (so seeds repeat the allocation as they repeat uniform arms) and a prompt bound from the items.
     */
    static Options options(ExperimentSpec.Arm arm, long seed, List<SuiteItem> items) {
        JsonNode pipeline = arm.pipeline();
        Map<String, Object> raw = new LinkedHashMap<>();
        JsonNode options = pipeline.get("options");
        if (options != null && options.isObject()) {
            raw.putAll(Json.convert(options, Map.class));
        }
        for (String field : List.of("model", "rewardModel", "verifier")) {
            JsonNode value = pipeline.get(field);
            if (value != null && value.isString()) {
                raw.put(field, value.stringValue());
            }
        }
        raw.put("seed", CellRequests.cellSeed(seed, CellRequests.COMPUTE_OPTIMAL));
        if (!raw.containsKey("promptTokens")) {
            raw.put("promptTokens", items.stream().mapToLong(i -> Costs.generationTokens(i.prompt(), 1, 0)).max()
                    .orElse(1));
        }
        return Options.read(raw);
    }

    private static boolean isTopLevel(String field) {
        return field.startsWith("model") || field.startsWith("rewardModel") || field.startsWith("verifier");
    }

    private static Map<String, SuiteItem> byId(List<SuiteItem> items) {
        return items.stream().collect(Collectors.toMap(SuiteItem::id, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }
}
