package dev.verigen.gateway.access;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The failed key checks of each client address, in this gateway's memory: a GCRA bucket per address
 * ({@link AccessProperties.FailedChecks}). Kept in memory rather than in {@code rate_limits} on purpose: the point is
 * that a flood of bad keys costs no database work at all. Each gateway instance counts on its own, so N instances
 * let an address make up to N times the limit; that bounds a flood, which is all this is for.
 */
@Component
public class FailedKeyChecks {

    private final long intervalNanos;
    private final long toleranceNanos;
    private final int maxAddresses;
    private final LongSupplier clock;
    /** address → theoretical arrival time of its next failure, in {@link #clock} nanos */
    private final Map<String, Long> tat = new ConcurrentHashMap<>();

    @Autowired
    public FailedKeyChecks(AccessProperties properties) {
        this(properties.failedChecks(), System::nanoTime);
    }

    FailedKeyChecks(AccessProperties.FailedChecks limits, LongSupplier clock) {
        this.intervalNanos = Duration.ofMinutes(1).toNanos() / limits.perMinute();
        this.toleranceNanos = intervalNanos * (limits.burst() - 1);
        this.maxAddresses = limits.maxAddresses();
        this.clock = clock;
    }

    /** How long {@code address} must wait before its next key is looked up; zero when it may go on. */
    public Duration blockedFor(String address) {
        Long next = tat.get(address);
        if (next == null) {
            return Duration.ZERO;
        }
        // one more failure fits while tat <= now + tolerance
        long wait = next - toleranceNanos - clock.getAsLong();
        return wait > 0 ? Duration.ofNanos(wait) : Duration.ZERO;
    }

    /** Counts one failed check of {@code address}. */
    public void failed(String address) {
        long now = clock.getAsLong();
        tat.merge(address, now + intervalNanos, (old, fresh) -> Math.max(old, now) + intervalNanos);
        if (tat.size() > maxAddresses) {
            forgetRefilled(now);
        }
    }

    private void forgetRefilled(long now) {
        tat.values().removeIf(next -> next <= now);
        if (tat.size() > maxAddresses) {
            // all of them are still counting: an address flood; forgetting some lets those retry a little sooner
            var oldest = tat.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .limit(tat.size() - maxAddresses + maxAddresses / 10).map(Map.Entry::getKey).toList();
            oldest.forEach(tat::remove);
        }
    }

    int remembered() {
        return tat.size();
    }
}
