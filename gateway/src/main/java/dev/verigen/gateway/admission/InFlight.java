package dev.verigen.gateway.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The API requests this instance has let through and not yet answered: in all and per tenant. Slots are taken by
 * compare-and-set, so concurrent requests never overshoot a bound, and given back exactly once per taken slot.
 */
@Component
public class InFlight {

    private final AdmissionProperties limits;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perTenant = new ConcurrentHashMap<>();
    private final Counter refusedInstance;
    private final Counter refusedTenant;

    public InFlight(AdmissionProperties limits, MeterRegistry meters) {
        this.limits = limits;
        Gauge.builder("verigen_gateway_requests_in_flight", total, AtomicInteger::get)
                .description("API requests this gateway instance has let through and not yet answered")
                .register(meters);
        refusedInstance = Counter.builder("verigen_gateway_admission_refused")
                .description("API requests refused because too many were in flight").tag("bound", "instance")
                .register(meters);
        refusedTenant = Counter.builder("verigen_gateway_admission_refused")
                .description("API requests refused because too many were in flight").tag("bound", "tenant")
                .register(meters);
    }

    /** Takes one of the instance's slots; false (and counted) when all are taken. */
    boolean enterInstance() {
        if (take(total, limits.maxInFlight())) {
            return true;
        }
        refusedInstance.increment();
        return false;
    }

    void leaveInstance() {
        total.decrementAndGet();
    }

    /** Takes one of the tenant's slots; false (and counted) when all are taken. */
    boolean enterTenant(String tenant) {
        boolean[] taken = {false};
        // inside the map's lock for the key: an entry dropped by the last leave cannot be counted on concurrently
        perTenant.compute(tenant, (t, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limits.maxInFlightPerTenant()) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            refusedTenant.increment();
        }
        return taken[0];
    }

    /** Whether the tenant has all its slots taken (counted as a refusal when so); takes none. */
    boolean tenantFull(String tenant) {
        if (tenant(tenant) < limits.maxInFlightPerTenant()) {
            return false;
        }
        refusedTenant.increment();
        return true;
    }

    void leaveTenant(String tenant) {
        // an idle tenant's entry is dropped, so tenants that come and go leave nothing behind
        perTenant.computeIfPresent(tenant, (t, count) -> count <= 1 ? null : count - 1);
    }

    public int total() {
        return total.get();
    }

    public int tenant(String tenant) {
        return perTenant.getOrDefault(tenant, 0);
    }

    private static boolean take(AtomicInteger count, int bound) {
        while (true) {
            int now = count.get();
            if (now >= bound) {
                return false;
            }
            if (count.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
}
