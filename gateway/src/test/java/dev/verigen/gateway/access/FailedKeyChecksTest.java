package dev.verigen.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailedKeyChecksTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final FailedKeyChecks checks = new FailedKeyChecks(new AccessProperties.FailedChecks(60, 3, 100), now::get);

    @Test
    void theBurstPassesThenOneFailurePerIntervalAndAddressesAreCountedApart() {
        for (int i = 0; i < 3; i++) {
            assertThat(checks.blockedFor("10.0.0.1")).isZero();
            checks.failed("10.0.0.1");
        }
        assertThat(checks.blockedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(checks.blockedFor("10.0.0.2")).isZero();

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(checks.blockedFor("10.0.0.1")).isZero();
        checks.failed("10.0.0.1");
        assertThat(checks.blockedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void memoryStaysBoundedUnderAnAddressFlood() {
        for (int i = 0; i < 10_000; i++) {
            checks.failed("10.1." + (i / 256) + "." + (i % 256));
            now.addAndGet(1_000);
        }
        assertThat(checks.remembered()).isLessThanOrEqualTo(101);
    }
}
