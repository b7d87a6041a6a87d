package dev.verigen.orchestrator.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DifficultyBinsTest {

    @Test
    void quantileBinsRunFromEasiestToHardest() {
        Map<String, Double> pass1 = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            pass1.put("q" + i, i / 10.0);
        }
        DifficultyBins bins = DifficultyBins.of(pass1, 5);
        assertThat(bins.binOf()).containsEntry("q9", 0).containsEntry("q8", 0)
                .containsEntry("q5", 2).containsEntry("q4", 2)
                .containsEntry("q1", 4).containsEntry("q0", 4);
        assertThat(bins.bins()).extracting(DifficultyBins.Bin::items).containsExactly(2, 2, 2, 2, 2);
        assertThat(bins.bins().get(0).highest()).isEqualTo(0.9);
        assertThat(bins.bins().get(0).lowest()).isEqualTo(0.8);
        assertThat(bins.bins().get(4).lowest()).isEqualTo(0.0);
    }

    @Test
    void equalPassRatesShareABin() {
        Map<String, Double> pass1 = Map.of("a", 1.0, "b", 0.5, "c", 0.5, "d", 0.5, "e", 0.0, "f", 0.0);
        DifficultyBins bins = DifficultyBins.of(pass1, 3);
        assertThat(bins.binOf().get("b")).isEqualTo(bins.binOf().get("c")).isEqualTo(bins.binOf().get("d"));
        assertThat(bins.binOf().get("e")).isEqualTo(bins.binOf().get("f")).isEqualTo(2);
        assertThat(bins.binOf().get("a")).isZero();
    }

    @Test
    void fewerItemsThanBinsLeaveEmptyBinsWithNullRanges() {
        Map<String, Double> pass1 = new HashMap<>(Map.of("a", 0.9, "b", 0.1));
        pass1.put("no-samples", null);
        DifficultyBins bins = DifficultyBins.of(pass1, 4);
        assertThat(bins.binOf()).containsOnlyKeys("a", "b");
        assertThat(bins.bins()).hasSize(4);
        assertThat(bins.bins()).filteredOn(b -> b.items() == 0).allSatisfy(b -> {
            assertThat(b.highest()).isNull();
            assertThat(b.lowest()).isNull();
        }).hasSize(2);
        assertThat(DifficultyBins.of(Map.of(), 3).binOf()).isEmpty();
    }

    @Test
    void refusesFewerThanOneBin() {
        assertThatThrownBy(() -> DifficultyBins.of(Map.of("a", 0.5), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
