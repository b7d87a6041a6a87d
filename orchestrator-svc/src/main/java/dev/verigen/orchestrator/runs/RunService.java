package dev.verigen.orchestrator.runs;

import dev.verigen.contracts.Json;
import dev.verigen.orchestrator.budgets.BudgetRepository;
import dev.verigen.orchestrator.budgets.DeferredLeases;
import dev.verigen.orchestrator.engine.RunDriver;
import dev.verigen.orchestrator.strategies.RunEvent;
import dev.verigen.orchestrator.traces.EventLog;
import dev.verigen.orchestrator.tracing.RunTracing;
import dev.verigen.orchestrator.metrics.RunMetrics;
import dev.verigen.support.problems.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Starts runs: the run, its budget, its first steps and their jobs are committed together. */
@Service
public class RunService {

    private final TransactionTemplate tx;
    private final RunRepository runs;
    private final BudgetRepository budgets;
    private final RunDriver driver;
    private final EventLog events;
    private final RunTracing tracing;
    private final RunMetrics metrics;

    public RunService(TransactionTemplate tx, RunRepository runs, BudgetRepository budgets, RunDriver driver,
                      EventLog events, RunTracing tracing, RunMetrics metrics) {
        this.tracing = tracing;
        this.metrics = metrics;
        this.tx = tx;
        this.runs = runs;
        this.budgets = budgets;
        this.driver = driver;
        this.events = events;
    }

    /**
     * @param idempotencyKey when set, a repeated request with the same key returns the run the first one created
     * @param requestHash    fingerprint of the request as the client sent it, to tell a retry from a key reused
     *                       for a different request
     */
    public Created create(String tenant, CreateRun request, String idempotencyKey, String requestHash) {
        UUID id = UUID.randomUUID();
        // the run's span: its trace id is the run's, and the first jobs are dispatched inside it
        try (RunTracing.Scoped span = tracing.run(id, request.spec().strategy(), tenant)) {
            Created created = DeferredLeases.attempt(
                    () -> create(id, tenant, request, idempotencyKey, requestHash, span.traceId()));
            if (created.created()) {
                metrics.started(request.spec().strategy());
            }
            return created;
        }
    }

    /** One run of a batch: its request, its own idempotency key (or null) and the request's fingerprint. */
    public record Item(CreateRun request, String idempotencyKey, String requestHash) {
    }

    /**
     * Starts every run of a batch in one transaction: all of them or none (one commit, and one flush of their first
     * jobs, for the whole batch). A conflict or refusal of one item is thrown naming it as {@code runs[i]}.
     */
    public List<Created> createAll(String tenant, List<Item> items) {
        // leases deferred: a batch holds its tenant's budget row for its commit only, not from its first run on
        List<Created> created = DeferredLeases.attempt(() -> tx.execute(status -> {
            List<Created> out = new java.util.ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                UUID id = UUID.randomUUID();
                try (RunTracing.Scoped span = tracing.run(id, item.request().spec().strategy(), tenant)) {
                    out.add(create(id, tenant, item.request(), item.idempotencyKey(), item.requestHash(),
                            span.traceId()));
                } catch (ApiProblem p) {
                    String at = "runs[" + i + "]";
                    throw new ApiProblem(p.status(), p.slug(), p.title(), at + ": " + p.getMessage(),
                            p.errors().isEmpty() ? List.of(new dev.verigen.support.problems.FieldError(
                                    at + (p.status() == HttpStatus.CONFLICT ? ".idempotencyKey" : ""),
                                    p.getMessage()))
                                    : p.errors().stream().map(e -> new dev.verigen.support.problems.FieldError(
                                            at + "." + e.field(), e.message())).toList());
                }
            }
            return out;
        }));
        for (int i = 0; i < items.size(); i++) {
            if (created.get(i).created()) {
                metrics.started(items.get(i).request().spec().strategy());
            }
        }
        return created;
    }

    private Created create(UUID id, String tenant, CreateRun request, String idempotencyKey, String requestHash,
                           String traceId) {
        return tx.execute(status -> {
            if (!runs.insert(id, tenant, idempotencyKey, requestHash, request.spec(), request.input(), traceId)) {
                var existing = runs.findByIdempotencyKey(tenant, idempotencyKey).orElseThrow();
                if (!existing.requestHash().equals(requestHash)) {
                    throw new ApiProblem(HttpStatus.CONFLICT, "idempotency-key-reused", "Idempotency-Key reused",
                            "this Idempotency-Key was already used for a different request", List.of());
                }
                return new Created(existing.id(), false, existing.status());
            }
            budgets.createForRun(id, tenant, request.maxTokens(), request.maxCalls(), request.maxFlops());
            events.append(id, "run.started", java.util.Map.of("strategy", request.spec().strategy()));
            driver.advance(runs.lock(id).orElseThrow(), new RunEvent.Started());
            return new Created(id, true, RunRepository.RunStatus.RUNNING);
        });
    }

    /**
     * Cancels a running run: nothing more is dispatched; its generation jobs in flight are stopped at the workers, and
     * every job in flight still settles what it spent when it answers (or its reservation returns at its deadline).
     *
     * @return the run's status after the call, empty when the tenant has no such run
     */
    public java.util.Optional<RunRepository.RunStatus> cancel(String tenant, UUID id, String reason) {
        return tx.execute(status -> {
            var run = runs.find(id, tenant);
            if (run.isEmpty()) {
                return java.util.Optional.<RunRepository.RunStatus>empty();
            }
            var locked = runs.lock(id).orElseThrow();
            if (locked.status() == RunRepository.RunStatus.RUNNING && runs.cancel(id, reason)) {
                driver.stopInFlight(locked, "the run was cancelled: " + reason);
                budgets.releaseLease(id);
                events.append(id, "run.finished", java.util.Map.of("status", "CANCELLED", "reason", reason));
                metrics.finished(locked, RunRepository.RunStatus.CANCELLED, "cancelled");
                return java.util.Optional.of(RunRepository.RunStatus.CANCELLED);
            }
            return java.util.Optional.of(locked.status());
        });
    }

    public static String fingerprint(Object request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.writeString(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param created false when an earlier request with the same idempotency key created the run */
    public record Created(UUID id, boolean created, RunRepository.RunStatus status) {
    }
}
