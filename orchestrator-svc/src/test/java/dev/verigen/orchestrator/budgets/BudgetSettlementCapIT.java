package dev.verigen.orchestrator.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.verigen.contracts.testing.TestDatabase;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Settled usage never exceeds a cap (issue 16), on real PostgreSQL: a job that spends more than it reserved, and a
 * late result that reserves nothing any more, are booked as far as the cap allows and the rest as overrun; used plus
 * overrun is everything spent.
 */
class BudgetSettlementCapIT {

    private static final TestDatabase DB = TestDatabase.create("settlecap");
    private static HikariDataSource dataSource;
    private static JdbcClient jdbc;
    private static BudgetRepository budgets;

    @BeforeAll
    static void migrate() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(DB.url());
        dataSource.setUsername(DB.user());
        dataSource.setPassword(DB.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        budgets = new BudgetRepository(jdbc);
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        DB.close();
    }

    private static UUID run(String tenant, Long maxTokens, Long maxCalls, Double maxFlops) {
        jdbc.sql("insert into tenants (id, name) values (:t, :t) on conflict do nothing").param("t", tenant).update();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into runs (id, tenant_id, request_hash, strategy, spec, input, status)
                values (:id, :tenant, 'h', 'best_of_n', '{}', '{}', 'RUNNING')""")
                .param("id", id).param("tenant", tenant).update();
        budgets.createForRun(id, tenant, maxTokens, maxCalls, maxFlops);
        return id;
    }

    private static Map<String, Object> row(String where, Object id) {
        return jdbc.sql("""
                select used_tokens, reserved_tokens, overrun_tokens, used_calls, overrun_calls, used_flops::float8 as
                       used_flops, overrun_flops::float8 as overrun_flops
                  from budgets where\s""" + where).param("id", id).query().singleRow();
    }

    @Test
    void aJobThatSpendsMoreThanItReservedIsBookedUpToTheCapAndTheRestAsOverrun() {
        UUID run = run("capped", 1_000L, 10L, 1e9);
        assertThat(budgets.reserve(run, "capped", new Amount(600, 4, 5e8))).isInstanceOf(Reservation.Granted.class);
        assertThat(budgets.reserve(run, "capped", new Amount(300, 4, 3e8))).isInstanceOf(Reservation.Granted.class);

        // the first job spends 750 (150 beyond its 600): 100 of the cap are free beside the other job's hold
        budgets.settle(run, null, new Amount(600, 4, 5e8), new Amount(750, 6, 8e8));

        Map<String, Object> b = row("run_id = :id", run);
        assertThat(b).containsEntry("used_tokens", 700L).containsEntry("reserved_tokens", 300L)
                .containsEntry("overrun_tokens", 50L).containsEntry("used_calls", 6L).containsEntry("overrun_calls", 0L);
        assertThat((Double) b.get("used_flops")).isEqualTo(7e8);
        assertThat((Double) b.get("overrun_flops")).isEqualTo(1e8);

        // the second settles within its reservation
        budgets.settle(run, null, new Amount(300, 4, 3e8), new Amount(200, 2, 1e8));
        assertThat(row("run_id = :id", run)).containsEntry("used_tokens", 900L).containsEntry("reserved_tokens", 0L)
                .containsEntry("overrun_tokens", 50L);
    }

    @Test
    void aLateResultIsBookedIntoWhatRoomIsLeftAndTheRestAsOverrunOnTheRunAndTheTenant() {
        UUID run = run("late-tenant", 1_000L, null, null);
        budgets.putTenant("late-tenant", 5_000L, null, null);
        var granted = (Reservation.Granted) budgets.reserve(run, "late-tenant", new Amount(800, 1, 0));
        // the step timed out: its reservation went back
        budgets.settle(run, granted.tenantBudgetId(), new Amount(800, 1, 0), Amount.ZERO);
        // a retry holds 800 again
        assertThat(budgets.reserve(run, "late-tenant", new Amount(800, 1, 0))).isInstanceOf(Reservation.Granted.class);

        // the first attempt's result arrives after all: 500 tokens, only 200 of which fit beside the retry's hold
        budgets.settle(run, granted.tenantBudgetId(), Amount.ZERO, new Amount(500, 1, 0));

        assertThat(row("run_id = :id", run)).containsEntry("used_tokens", 200L).containsEntry("reserved_tokens", 800L)
                .containsEntry("overrun_tokens", 300L);
        // the tenant's row hears of the run's spending when the run gives its lease back; its budget had room for all
        budgets.releaseLease(run);
        assertThat(budgets.applyLeaseReturns(granted.tenantBudgetId())).isEqualTo(1);
        assertThat(row("id = :id", granted.tenantBudgetId())).containsEntry("used_tokens", 500L)
                .containsEntry("overrun_tokens", 0L);
        Map<String, Object> capCheck = jdbc.sql("""
                select bool_and(used_tokens + reserved_tokens <= coalesce(max_tokens, used_tokens + reserved_tokens))
                  from budgets""").query().singleRow();
        assertThat(capCheck.values()).containsExactly(true);
    }

    @Test
    void aLeaseThatSpentBeyondItsTenantsCapBooksTheRestAsTheTenantsOverrun() {
        UUID run = run("tight-tenant", null, null, null);
        budgets.putTenant("tight-tenant", 1_000L, null, null);
        var granted = (Reservation.Granted) budgets.reserve(run, "tight-tenant", new Amount(600, 1, 0));
        budgets.settle(run, granted.tenantBudgetId(), new Amount(600, 1, 0), Amount.ZERO);
        // late results on the lease: 1,400 tokens where the tenant's whole budget is 1,000
        budgets.settle(run, granted.tenantBudgetId(), Amount.ZERO, new Amount(1_400, 1, 0));
        budgets.releaseLease(run);
        budgets.applyLeaseReturns(granted.tenantBudgetId());

        assertThat(row("id = :id", granted.tenantBudgetId())).containsEntry("used_tokens", 1_000L)
                .containsEntry("reserved_tokens", 0L).containsEntry("overrun_tokens", 400L);
    }

    @Test
    void withoutACapEverythingIsBookedAsUsed() {
        UUID run = run("uncapped", null, null, null);
        budgets.reserve(run, "uncapped", new Amount(10, 1, 0));
        budgets.settle(run, null, new Amount(10, 1, 0), new Amount(1_000_000, 7, 3e12));
        assertThat(row("run_id = :id", run)).containsEntry("used_tokens", 1_000_000L).containsEntry("overrun_tokens", 0L)
                .containsEntry("used_calls", 7L);
    }
}
