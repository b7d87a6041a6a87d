package dev.verigen.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsAndNothingElse() {
        assertThat(PromQl.metrics("histogram_quantile(0.95, sum by (pool, le) "
                + "(rate(verigen_worker_time_to_first_token_seconds_bucket{pool=~\"$pool\"}[$__rate_interval])))"))
                .containsExactly("verigen_worker_time_to_first_token_seconds_bucket");
        assertThat(PromQl.metrics("sum by (pool) (rate(a_total[5m])) / sum by (pool) (rate(b_total[5m])) > 0.05"))
                .containsExactly("a_total", "b_total");
        assertThat(PromQl.metrics("x > 100 and deriv(x[10m]) > 0 unless on (group) y offset 5m"))
                .containsExactly("x", "y");
        assertThat(PromQl.metrics("sum by (model_name) (vllm:num_requests_running)")).containsExactly("vllm:num_requests_running");
        assertThat(PromQl.metrics("label_values(verigen_worker_inflight, pool)")).containsExactly("verigen_worker_inflight");
        assertThat(PromQl.metrics("q{a=\"by (x) rate(y)\"} == 0")).containsExactly("q");
    }
}
