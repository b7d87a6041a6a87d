package dev.verigen.orchestrator.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verigen.contracts.testing.TestDatabase;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Run and tenant budgets on real PostgreSQL, concurrency included; no Spring context, no Kafka. */
class BudgetRepositoryIT {

    private static final TestDatabase DB = TestDatabase.create("budgets");
    private static HikariDataSource dataSource;
    private static JdbcClient jdbc;
    private static TransactionTemplate tx;
    private static BudgetRepository budgets;

    @BeforeAll
    static void migrate() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(DB.url());
        config.setUsername(DB.user());
        config.setPassword(DB.password());
        config.setMaximumPoolSize(40);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        budgets = new BudgetRepository(jdbc);
    }

    @AfterAll
    static void dropDatabase() {
        dataSource.close();
        DB.close();
    }

    @Test
    void concurrentRunsRacingForTheLastOfATenantBudgetNeverOverspendIt() throws Exception {
        String tenant = tenant();
        long capTokens = 40_000;
        long capCalls = 3_000;
        double capFlops = 4e15;
        budgets.putTenant(tenant, capTokens, capCalls, capFlops);
        int threads = 32;
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            // a few runs have tight caps of their own, so both budgets refuse now and then
            runs.add(run(tenant, i % 8 == 0 ? 900L : null, null, i % 8 == 1 ? 5e13 : null));
        }
        AtomicBoolean racing = new AtomicBoolean(true);
        var violations = new ConcurrentLinkedQueue<String>();
        var refusedBy = new ConcurrentLinkedQueue<Reservation.Scope>();
        AtomicInteger granted = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        Future<?> checker = pool.submit(() -> {
            while (racing.get()) {
                BudgetRow t = budgets.forTenant(tenant).orElseThrow();
                if (t.usedTokens() + t.reservedTokens() > capTokens || t.usedCalls() + t.reservedCalls() > capCalls
                        || exact(tenant, "used_flops + reserved_flops").compareTo(new BigDecimal(capFlops)) > 0) {
                    violations.add(t.toString());
                }
            }
        });
        List<Future<?>> workers = new ArrayList<>();
        for (UUID run : runs) {
            workers.add(pool.submit(() -> {
                start.await();
                spendUntilRefused(run, tenant, granted, refusedBy);
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(120, TimeUnit.SECONDS);
        }
        racing.set(false);
        checker.get(10, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(violations).as("tenant rows seen over a cap").isEmpty();
        BudgetRow t = books(tenant);
        assertThat(t.reserved()).isEqualTo(Amount.ZERO);
        assertThat(t.usedTokens()).isLessThanOrEqualTo(capTokens);
        assertThat(t.usedCalls()).isLessThanOrEqualTo(capCalls);
        assertThat(exact(tenant, "used_flops")).isLessThanOrEqualTo(new BigDecimal(capFlops));
        // the runs' own books add up to the tenant's, to the FLOP
        Map<String, Object> sums = jdbc.sql("""
                select sum(used_tokens) as tokens, sum(used_calls) as calls, sum(used_flops) as flops,
                       sum(reserved_tokens) + sum(reserved_calls) + sum(reserved_flops) as reserved
                  from budgets where scope = 'run' and tenant_id = :tenant""").param("tenant", tenant)
                .query().singleRow();
        assertThat(((Number) sums.get("tokens")).longValue()).isEqualTo(t.usedTokens());
        assertThat(((Number) sums.get("calls")).longValue()).isEqualTo(t.usedCalls());
        assertThat((BigDecimal) sums.get("flops")).isEqualByComparingTo(exact(tenant, "used_flops"));
        assertThat((BigDecimal) sums.get("reserved")).as("refused reservations were taken back")
                .isEqualByComparingTo(BigDecimal.ZERO);
        // the race really was for the last units: tokens (the tightest cap) are nearly spent, and both scopes refused
        assertThat(granted.get()).isGreaterThan(threads);
        assertThat(refusedBy).contains(Reservation.Scope.TENANT, Reservation.Scope.RUN);
        assertThat(t.usedTokens()).as("tenant left with %s", t).isGreaterThan(capTokens * 9 / 10);
    }

    /**
     * Reserves random jobs, holding up to three at a time and settling each for at most what it reserved, until the
     * budgets refuse ten times in a row while this run holds nothing.
     */
    private static void spendUntilRefused(UUID run, String tenant, AtomicInteger granted,
                                          ConcurrentLinkedQueue<Reservation.Scope> refusedBy) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        record Held(Amount amount, UUID tenantBudget) {
        }
        Deque<Held> held = new ArrayDeque<>();
        int refusalsInARow = 0;
        while (refusalsInARow < 10) {
            if (held.size() < 3) {
                Amount wanted = new Amount(random.nextLong(50, 500), random.nextLong(1, 8),
                        Math.floor(random.nextDouble(1e11, 2e13)));
                Reservation r = tx.execute(s -> budgets.reserve(run, tenant, wanted));
                if (r instanceof Reservation.Granted g) {
                    granted.incrementAndGet();
                    held.addLast(new Held(wanted, g.tenantBudgetId()));
                    refusalsInARow = 0;
                    continue;
                }
                refusedBy.add(((Reservation.Refused) r).scope());
                if (held.isEmpty()) {
                    // as a run the budget refuses ends: what its lease holds goes back to the tenant
                    tx.executeWithoutResult(s -> budgets.releaseLease(run));
                    refusalsInARow++;
                    continue;
                }
            }
            Held h = held.removeFirst();
            Amount used = new Amount(random.nextLong(h.amount().tokens() + 1), random.nextLong(h.amount().calls() + 1),
                    Math.floor(h.amount().flops() * random.nextDouble()));
            tx.executeWithoutResult(s -> budgets.settle(run, h.tenantBudget(), h.amount(), used));
        }
        tx.executeWithoutResult(s -> budgets.releaseLease(run));
    }

    @Test
    void aTenantRefusalNamesTheUnitAndGivesTheRunsReservationBack() {
        String tenant = tenant();
        budgets.putTenant(tenant, 1_000L, null, null);
        UUID run = run(tenant, null, null, null);

        Reservation refused = tx.execute(s -> budgets.reserve(run, tenant, new Amount(1_001, 1, 5)));
        assertThat((Object) refused).isInstanceOfSatisfying(Reservation.Refused.class, r -> {
            assertThat(r.scope()).isEqualTo(Reservation.Scope.TENANT);
            assertThat(r.units()).containsExactly(Reservation.Unit.TOKENS);
            assertThat(r.describe()).isEqualTo("tenant budget: tokens (needs 1001, 1000 left)");
        });
        assertThat(budgets.forRun(run).reservedTokens()).isZero();
        assertThat(budgets.forRun(run).reservedFlops()).isZero();

        Reservation granted = tx.execute(s -> budgets.reserve(run, tenant, new Amount(1_000, 1, 5)));
        UUID tenantBudget = budgets.forTenant(tenant).orElseThrow().id();
        assertThat((Object) granted).isEqualTo(new Reservation.Granted(tenantBudget));
        // the lease: every token there is, and a block of the uncapped calls and FLOPs
        assertThat(budgets.forTenant(tenant).orElseThrow().reserved())
                .isEqualTo(new Amount(1_000, BudgetRepository.LEASE_FACTOR, 5 * BudgetRepository.LEASE_FACTOR));
    }

    @Test
    void aRunRefusalNamesEveryUnitThatHasNoRoomAndTouchesNoTenantRow() {
        String tenant = tenant();
        budgets.putTenant(tenant, null, null, null);
        UUID run = run(tenant, 100L, 2L, 1e6);

        Reservation refused = tx.execute(s -> budgets.reserve(run, tenant, new Amount(50, 3, 2e6)));
        assertThat((Object) refused).isInstanceOfSatisfying(Reservation.Refused.class, r -> {
            assertThat(r.scope()).isEqualTo(Reservation.Scope.RUN);
            assertThat(r.units()).containsExactly(Reservation.Unit.CALLS, Reservation.Unit.FLOPS);
            assertThat(r.describe()).isEqualTo("run budget: calls (needs 3, 2 left), flops (needs 2.000e+06, 1.000e+06 left)");
        });
        assertThat(budgets.forTenant(tenant).orElseThrow().reserved()).isEqualTo(Amount.ZERO);
    }

    @Test
    void withoutATenantBudgetOnlyTheRunsIsHeldAndSettled() {
        String tenant = tenant();
        UUID run = run(tenant, 1_000L, 10L, 1e9);
        Reservation r = tx.execute(s -> budgets.reserve(run, tenant, new Amount(600, 4, 5e8)));
        assertThat((Object) r).isEqualTo(new Reservation.Granted(null));

        // a tenant budget created while the job is in flight is not charged for a reservation it never held
        budgets.putTenant(tenant, 10_000L, null, null);
        tx.executeWithoutResult(s -> budgets.settle(run, null, new Amount(600, 4, 5e8), new Amount(420, 4, 3.5e8)));

        var b = budgets.forRun(run);
        assertThat(List.of(b.usedTokens(), b.usedCalls(), b.reservedTokens(), b.reservedCalls()))
                .containsExactly(420L, 4L, 0L, 0L);
        assertThat(b.usedFlops()).isEqualTo(3.5e8);
        assertThat(b.reservedFlops()).isZero();
        assertThat(budgets.forTenant(tenant).orElseThrow().used()).isEqualTo(Amount.ZERO);
    }

    @Test
    void flopsAddUpExactlyPastTwoToTheFiftyThird() {
        String tenant = tenant();
        budgets.putTenant(tenant, null, null, 1e19);
        UUID run = run(tenant, null, null, null);
        Amount big = new Amount(1, 1, 9_007_199_254_740_993.0 + 3); // above 2^53, where doubles skip integers
        for (int i = 0; i < 5; i++) {
            Reservation r = tx.execute(s -> budgets.reserve(run, tenant, big));
            UUID tenantBudget = ((Reservation.Granted) r).tenantBudgetId();
            tx.executeWithoutResult(s -> budgets.settle(run, tenantBudget, big, new Amount(1, 1, 12_345)));
        }
        tx.executeWithoutResult(s -> budgets.releaseLease(run));
        books(tenant);
        assertThat(exact(tenant, "reserved_flops")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(exact(tenant, "used_flops")).isEqualByComparingTo(new BigDecimal(5 * 12_345));
    }

    @Test
    void putReplacesTheCapsAndKeepsWhatWasSpent() {
        String tenant = tenant();
        assertThat(budgets.putTenant(tenant, 100L, 10L, 1e9)).isTrue();
        UUID run = run(tenant, null, null, null);
        UUID tenantBudget = ((Reservation.Granted) tx.execute(s -> budgets.reserve(run, tenant, new Amount(80, 2, 1e8))))
                .tenantBudgetId();
        tx.executeWithoutResult(s -> budgets.settle(run, tenantBudget, new Amount(80, 2, 1e8), new Amount(70, 2, 9e7)));
        tx.executeWithoutResult(s -> budgets.releaseLease(run));

        assertThat(budgets.putTenant(tenant, 50L, null, null)).isFalse();
        BudgetRow row = books(tenant);
        assertThat(row.id()).isEqualTo(tenantBudget);
        assertThat(row.maxTokens()).isEqualTo(50L);
        assertThat(row.maxCalls()).isNull();
        assertThat(row.used()).isEqualTo(new Amount(70, 2, 9e7));
        assertThat(row.remaining()).isEqualTo(new Reservation.Remaining(0L, null, null));
        Reservation overCap = tx.execute(s -> budgets.reserve(run, tenant, new Amount(1, 0, 0)));
        assertThat((Object) overCap).isInstanceOf(Reservation.Refused.class);
    }

    @Test
    void aRunReservesFromItsLeaseWithoutTouchingTheTenantsRowAndGivesTheRestBackWhenItEnds() throws Exception {
        String tenant = tenant();
        budgets.putTenant(tenant, 1_000_000L, null, null);
        UUID run = run(tenant, 100_000L, null, null);
        Amount job = new Amount(1_000, 8, 1e9);
        UUID tenantBudget = ((Reservation.Granted) tx.execute(s -> budgets.reserve(run, tenant, job))).tenantBudgetId();
        BudgetRow leased = budgets.forTenant(tenant).orElseThrow();
        assertThat(leased.reservedTokens()).as("a block of %d jobs", BudgetRepository.LEASE_FACTOR)
                .isEqualTo(4_000L);
        tx.executeWithoutResult(s -> budgets.settle(run, tenantBudget, job, new Amount(900, 8, 9e8)));

        // another transaction holds the tenant's row: the run's next jobs come from its lease and do not wait for it
        Reservation second;
        try (RowHolder holder = RowHolder.lock(tenantBudget)) {
            second = tx.execute(s -> {
                jdbc.sql("set local lock_timeout = '2s'").update();
                return budgets.reserve(run, tenant, job);
            });
        }
        assertThat((Object) second).isEqualTo(new Reservation.Granted(tenantBudget));
        assertThat(budgets.forTenant(tenant).orElseThrow().reserved()).as("the tenant's row was not touched")
                .isEqualTo(leased.reserved());

        // the run ends with the second job in flight: the unspent lease goes back, the spent part is booked
        tx.executeWithoutResult(s -> budgets.releaseLease(run));
        assertThat(budgets.forTenant(tenant).orElseThrow().reserved()).as("the return is queued, the row untouched")
                .isEqualTo(leased.reserved());
        BudgetRow afterEnd = books(tenant);
        assertThat(afterEnd.usedTokens()).isEqualTo(900L);
        assertThat(afterEnd.reservedTokens()).as("only the job in flight").isEqualTo(1_000L);
        // its late result settles, and the rest of the lease goes back with it
        tx.executeWithoutResult(s -> {
            budgets.settle(run, tenantBudget, job, new Amount(500, 8, 5e8));
            budgets.releaseLease(run);
        });
        BudgetRow settled = books(tenant);
        assertThat(settled.used()).isEqualTo(new Amount(1_400, 16, 1.4e9));
        assertThat(settled.reserved()).isEqualTo(Amount.ZERO);
        assertThat(budgets.forRun(run).usedTokens()).isEqualTo(1_400L);
    }

    @Test
    void aLeaseNeverTakesMoreThanTheRunCouldSpendNorAShareBeyondWhatTheTenantHasLeft() {
        String unlimited = tenant();
        budgets.putTenant(unlimited, null, 1_000L, null);
        UUID capped = run(unlimited, 1_500L, null, null);
        tx.execute(s -> budgets.reserve(capped, unlimited, new Amount(1_000, 1, 0)));
        // the run may spend 500 more tokens: the block is the job plus those 500, not plus three more jobs
        assertThat(budgets.forTenant(unlimited).orElseThrow().reservedTokens()).isEqualTo(1_500L);

        String tight = tenant();
        budgets.putTenant(tight, 10_000L, null, null);
        UUID run = run(tight, null, null, null);
        tx.execute(s -> budgets.reserve(run, tight, new Amount(3_200, 1, 0)));
        // 10,000 - 3,200 = 6,800 left beyond the job: the block adds at most 1/32 of it, not three more jobs
        assertThat(budgets.forTenant(tight).orElseThrow().reservedTokens()).isEqualTo(3_200L + 6_800L / 32);
    }

    private static BigDecimal exact(String tenant, String expression) {
        return jdbc.sql("select " + expression + " from budgets where scope = 'tenant' and tenant_id = :tenant")
                .param("tenant", tenant).query(BigDecimal.class).single();
    }

    @Test
    void aRunToppingUpItsLeaseDoesNotHoldUpTheStepsOfTheTenantsOtherRuns() throws Exception {
        String tenant = tenant();
        budgets.putTenant(tenant, 1_000_000L, 10_000L, null);
        UUID first = run(tenant, null, null, null);
        UUID second = run(tenant, null, null, null);
        UUID tenantBudget = jdbc.sql("select id from budgets where scope = 'tenant' and tenant_id = :tenant")
                .param("tenant", tenant).query(UUID.class).single();
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = pool.submit(() -> tx.executeWithoutResult(status -> {
                // the first job of a run takes its lease from the tenant's row, which stays locked until commit
                assertThat(budgets.reserve(first, tenant, new Amount(1_000, 1, 0)))
                        .isInstanceOf(Reservation.Granted.class);
                locked.countDown();
                awaitQuietly(release);
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

            // meanwhile another run of the tenant records a step on the tenant's budget: its foreign-key check must
            // not wait for that commit (a statement timeout turns a wait into a failure)
            tx.executeWithoutResult(status -> {
                jdbc.sql("set local statement_timeout = '2s'").update();
                jdbc.sql("""
                        insert into steps (id, run_id, job_id, seq, kind, status, deadline, tenant_budget_id)
                        values (:id, :run, :job, 1, 'GENERATION', 'PENDING', now() + interval '1 minute', :budget)""")
                        .param("id", UUID.randomUUID()).param("run", second).param("job", UUID.randomUUID())
                        .param("budget", tenantBudget).update();
            });

            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void anEndingRunQueuesItsReturnWithoutWaitingForTheTenantsRowAndTheDrainerBooksIt() throws Exception {
        String tenant = tenant();
        budgets.putTenant(tenant, 1_000_000L, null, null);
        UUID run = run(tenant, null, null, null);
        Amount job = new Amount(1_000, 1, 0);
        UUID tenantBudget = ((Reservation.Granted) tx.execute(s -> budgets.reserve(run, tenant, job))).tenantBudgetId();
        tx.executeWithoutResult(s -> budgets.settle(run, tenantBudget, job, new Amount(900, 1, 0)));

        // another transaction holds the tenant's row while the run ends: ending must not wait for it
        try (RowHolder holder = RowHolder.lock(tenantBudget)) {
            tx.executeWithoutResult(s -> {
                jdbc.sql("set local lock_timeout = '2s'").update();
                budgets.releaseLease(run);
            });
            assertThat(holder.isHolding()).isTrue();
        }
        assertThat(budgets.forTenant(tenant).orElseThrow().reservedTokens()).as("queued: still held as reserved")
                .isEqualTo(4_000L);

        new LeaseReturnDrainer(budgets, tx).drain();
        BudgetRow drained = budgets.forTenant(tenant).orElseThrow();
        assertThat(drained.used()).isEqualTo(new Amount(900, 1, 0));
        assertThat(drained.reserved()).isEqualTo(Amount.ZERO);
        assertThat(budgets.tenantsWithLeaseReturns()).doesNotContain(tenantBudget);
    }

    @Test
    void aTenantRefusalFirstAppliesTheReturnsStillQueued() {
        String tenant = tenant();
        budgets.putTenant(tenant, 10_000L, null, null);
        UUID ended = run(tenant, null, null, null);
        UUID tenantBudget = ((Reservation.Granted) tx.execute(s -> budgets.reserve(ended, tenant,
                new Amount(8_000, 1, 0)))).tenantBudgetId();
        tx.executeWithoutResult(s -> {
            budgets.settle(ended, tenantBudget, new Amount(8_000, 1, 0), new Amount(1_000, 1, 0));
            budgets.releaseLease(ended);
        });
        // the row as stored has 10,000 - 8,062 left; with the queued return applied, 9,000
        assertThat(budgets.forTenant(tenant).orElseThrow().reservedTokens()).isEqualTo(8_000L + 2_000L / 32);

        UUID next = run(tenant, null, null, null);
        Reservation r = tx.execute(s -> budgets.reserve(next, tenant, new Amount(5_000, 1, 0)));
        assertThat((Object) r).isEqualTo(new Reservation.Granted(tenantBudget));
        assertThat(budgets.forTenant(tenant).orElseThrow().usedTokens()).isEqualTo(1_000L);
    }

    @Test
    void aBatchTakesItsTenantLeasesAtItsCommitSoTheTenantsOtherRunsDoNotWaitForIt() throws Exception {
        String tenant = tenant();
        budgets.putTenant(tenant, 1_000_000L, null, null);
        UUID inBatch = run(tenant, null, null, null);
        UUID other = run(tenant, null, null, null);
        Amount job = new Amount(1_000, 1, 0);
        var reserved = new java.util.concurrent.CountDownLatch(1);
        var commit = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Reservation> batch = pool.submit(() -> DeferredLeases.attempt(() -> tx.execute(s -> {
                Reservation r = budgets.reserve(inBatch, tenant, job);
                reserved.countDown();
                awaitQuietly(commit);
                return r;
            })));
            assertThat(reserved.await(10, TimeUnit.SECONDS)).isTrue();
            // the batch has taken its lease but not committed: the tenant's row is not locked by it
            Reservation meanwhile = tx.execute(s -> {
                jdbc.sql("set local lock_timeout = '2s'").update();
                return budgets.reserve(other, tenant, job);
            });
            UUID tenantBudget = budgets.forTenant(tenant).orElseThrow().id();
            assertThat((Object) meanwhile).isEqualTo(new Reservation.Granted(tenantBudget));
            assertThat(budgets.forTenant(tenant).orElseThrow().reservedTokens()).isEqualTo(4_000L);

            commit.countDown();
            assertThat((Object) batch.get(10, TimeUnit.SECONDS)).isEqualTo(new Reservation.Granted(tenantBudget));
            assertThat(budgets.forTenant(tenant).orElseThrow().reservedTokens()).as("both leases, on the row at commit")
                    .isEqualTo(8_000L);
        } finally {
            commit.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void deferredLeasesTheTenantCannotCoverAtCommitAreTakenAgainUnderTheRowsLock() {
        String tenant = tenant();
        budgets.putTenant(tenant, 10_000L, null, null);
        UUID inBatch = run(tenant, null, null, null);
        UUID other = run(tenant, null, null, null);
        AtomicInteger attempts = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Reservation r = DeferredLeases.attempt(() -> tx.execute(s -> {
                Reservation mine = budgets.reserve(inBatch, tenant, new Amount(3_000, 1, 0));
                if (attempts.incrementAndGet() == 1) {
                    // before the batch commits, another run takes most of what is left
                    Future<Reservation> taken = pool.submit(() -> tx.execute(o -> budgets.reserve(other, tenant,
                            new Amount(8_000, 1, 0))));
                    assertThat(taken).succeedsWithin(java.time.Duration.ofSeconds(10))
                            .isInstanceOf(Reservation.Granted.class);
                }
                return mine;
            }));
            assertThat(attempts.get()).as("refused at the commit, then done again").isEqualTo(2);
            assertThat((Object) r).isInstanceOfSatisfying(Reservation.Refused.class,
                    refused -> assertThat(refused.scope()).isEqualTo(Reservation.Scope.TENANT));
            assertThat(budgets.forTenant(tenant).orElseThrow().reservedTokens()).isEqualTo(8_000L + 2_000L / 32);
            assertThat(budgets.forRun(inBatch).reservedTokens()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void workJoiningATransactionAlreadyOpenTakesItsLeasesAsTheyAreNeeded() {
        String tenant = tenant();
        budgets.putTenant(tenant, 1_000_000L, null, null);
        UUID run = run(tenant, null, null, null);
        // an experiment's planning starts runs inside its own transaction: a refusal at that commit could not be
        // answered by doing the work again, so nothing is deferred there
        long seenInside = tx.execute(outer -> {
            DeferredLeases.attempt(() -> tx.execute(inner -> budgets.reserve(run, tenant, new Amount(1_000, 1, 0))));
            return budgets.forTenant(tenant).orElseThrow().reservedTokens();
        });
        assertThat(seenInside).as("reserved on the tenant's row at once, not at the commit").isEqualTo(4_000L);
    }

    /** Holds a budget row's lock in a transaction of its own until closed. */
    private record RowHolder(java.util.concurrent.CountDownLatch release, Future<?> holding) implements AutoCloseable {

        static RowHolder lock(UUID budgetId) throws InterruptedException {
            var locked = new java.util.concurrent.CountDownLatch(1);
            var release = new java.util.concurrent.CountDownLatch(1);
            Future<?> holding = Executors.newVirtualThreadPerTaskExecutor().submit(() -> tx.executeWithoutResult(s -> {
                jdbc.sql("select id from budgets where id = :id for update").param("id", budgetId).query().listOfRows();
                locked.countDown();
                awaitQuietly(release);
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            return new RowHolder(release, holding);
        }

        boolean isHolding() {
            return !holding.isDone();
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            holding.get(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The tenant's row with its queued lease returns applied. */
    private static BudgetRow books(String tenant) {
        return tx.execute(s -> budgets.forTenantUpToDate(tenant)).orElseThrow();
    }

    private static String tenant() {
        String id = "t-" + UUID.randomUUID();
        jdbc.sql("insert into tenants (id, name) values (:id, :id)").param("id", id).update();
        return id;
    }

    private static UUID run(String tenant, Long maxTokens, Long maxCalls, Double maxFlops) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into runs (id, tenant_id, request_hash, strategy, spec, input, status)
                values (:id, :tenant, 'h', 'best_of_n', '{}', '{}', 'RUNNING')""")
                .param("id", id).param("tenant", tenant).update();
        budgets.createForRun(id, tenant, maxTokens, maxCalls, maxFlops);
        return id;
    }
}
