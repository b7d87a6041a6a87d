package dev.verigen.deploy.chart;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus Operator's PrometheusRule (monitoring.coreos.com/v1), the fields of its CRD this chart may use, parsed
 * strictly: any other field fails, as a misspelt {@code for} or {@code annotations} would silently do nothing.
 */
public record PrometheusRuleResource(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    public record Spec(List<Group> groups) {
    }

    public record Group(String name, String interval, Integer limit, String query_offset, List<Rule> rules) {
    }

    /** One alerting rule ({@code alert}) or recording rule ({@code record}). */
    public record Rule(String alert, String record, String expr, String keep_firing_for,
                       @com.fasterxml.jackson.annotation.JsonProperty("for") String forDuration,
                       Map<String, String> labels, Map<String, String> annotations) {
    }

    /** Severities the platform's rules use, as Alertmanager routes them. */
    public static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
}
