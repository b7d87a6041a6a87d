package dev.verigen.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.contracts.EngineRequest;
import dev.verigen.contracts.JobMeta;
import dev.verigen.contracts.SamplingParams;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReservationCapTest {

    private static EngineRequest request(long reservedTokens, String prompt, int n, int maxTokens) {
        JobMeta meta = new JobMeta(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "t",
                new JobMeta.Reservation(reservedTokens, n), Instant.now().plusSeconds(60));
        return new EngineRequest(meta, "sim-math", prompt, null, new SamplingParams(0.8, 1.0, maxTokens, 7L,
                List.of(), false), n);
    }

    @Test
    void aRequestWithinItsReservationIsSentAsItIs() {
        // as the orchestrator reserves: prompt bytes + 256 for templates + n × maxTokens
        EngineRequest fits = request(100 + 256 + 4 * 64, "x".repeat(100), 4, 64);
        assertThat(ReservationCap.fit(fits)).isSameAs(fits);
        EngineRequest unreserved = request(0, "x".repeat(100_000), 4, 64);
        assertThat(ReservationCap.fit(unreserved)).isSameAs(unreserved);
    }

    @Test
    void aPromptThatGrewBeyondItsRoomShortensEverySampleToFitTheReservation() {
        // reserved for a 100-byte prompt, but the template made it 556 bytes: 200 bytes beyond the room left for it
        EngineRequest grown = request(100 + 256 + 4 * 64, "x".repeat(556), 4, 64);
        EngineRequest capped = ReservationCap.fit(grown);
        assertThat(capped.sampling().maxTokens()).isEqualTo(14); // (612 - 556) / 4
        assertThat(556 + 4L * capped.sampling().maxTokens()).isLessThanOrEqualTo(612);
        assertThat(capped.sampling().seed()).isEqualTo(7L);
        assertThat(capped.n()).isEqualTo(4);
    }
}
