package dev.verigen.bench;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quick checks of the harness itself (no timings: speed is checked by the benchmarks, never by tests). */
class BenchSanityTest {

    @Test
    void replacesOnlyItsOwnSection() {
        String text = "# B\n<!-- bench:a -->\nold a\n<!-- /bench:a -->\n<!-- bench:b -->\nold b\n<!-- /bench:b -->\n";
        String out = Report.replaceSection(text, "a", "new a\n");
        assertEquals("# B\n<!-- bench:a -->\nnew a\n<!-- /bench:a -->\n<!-- bench:b -->\nold b\n<!-- /bench:b -->\n", out);
        assertTrue(Report.replaceSection(out, "c", "c\n").endsWith("<!-- bench:c -->\nc\n<!-- /bench:c -->\n"));
    }

    @Test
    void routesKeysLikeKafkasDefaultPartitioner() {
        for (int i = 0; i < 100; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
            assertEquals(BuiltInPartitioner.partitionForKey(key, PrefixAffinityBench.PARTITIONS),
                    PrefixAffinityBench.partition(key));
        }
    }

    @Test
    void simulatorBatchingRaisesThroughput() {
        var one = SimBatchBench.batch(1, 20, 0);
        var eight = SimBatchBench.batch(8, 20, 0);
        assertTrue(eight.tokensPerSecond() > 4 * one.tokensPerSecond());
    }

    @Test
    void platformBenchOnlyTargetsLocalhost() {
        assertEquals("localhost", PlatformThroughputBench.localGateway("http://localhost:8080").getHost());
        assertThrows(IllegalArgumentException.class, () -> PlatformThroughputBench.localGateway("http://example.com:8080"));
    }
}
