package dev.verigen.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What an operator sees of the platform (docs/operations.md): one trace per run across every hop, log lines that carry
 * it, and the metrics that the shipped dashboards and alert rules query.
 */
final class Observability {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern EXPOSED = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);
    /** Every service the e2e platform runs, each scraped. */
    private static final List<String> SERVICES = List.of("gateway", "orchestrator-svc", "generator-svc", "gpu-worker",
            "gpu-worker-arith", "reward-model-svc", "verifier-svc");

    private final Platform platform;
    private final OtlpReceiver spans;
    private final FrontDoor frontDoor;
    private final String kafkaBootstrap;
    private final HttpClient http = HttpClient.newHttpClient();

    Observability(Platform platform, OtlpReceiver spans, FrontDoor frontDoor, String kafkaBootstrap) {
        this.platform = platform;
        this.spans = spans;
        this.frontDoor = frontDoor;
        this.kafkaBootstrap = kafkaBootstrap;
    }

    void aRunIsOneTraceAcrossEveryHop() throws Exception {
        JsonNode run = finishedRun(PlatformScenarios.body("What is 38 + 4?", "42", 4242), platform.adminKey());
        assertThat(run.get("status").stringValue()).as(run.toString()).isEqualTo("SUCCEEDED");
        String traceId = run.get("traceId").stringValue();
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        String runId = run.get("id").stringValue();

        // spans leave each service in batches: wait until the last hop's have arrived
        List<OtlpReceiver.Span> trace = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> spans.trace(traceId), t -> services(t).containsAll(Set.of("gateway", "orchestrator-svc",
                        "generator-svc", "gpu-worker", "verifier-svc", "reward-model-svc"))
                        && t.stream().anyMatch(s -> s.name().equals("verigen.result scoring")));
        Map<String, OtlpReceiver.Span> byId = trace.stream()
                .collect(Collectors.toMap(OtlpReceiver.Span::spanId, Function.identity(), (a, b) -> a));

        // the root is the gateway's request; every other span hangs under it
        List<OtlpReceiver.Span> roots = trace.stream().filter(s -> s.parentId().isEmpty()).toList();
        assertThat(roots).as("one root").hasSize(1);
        assertThat(roots.getFirst().service()).isEqualTo("gateway");
        for (OtlpReceiver.Span s : trace) {
            assertThat(ancestors(s, byId)).as("%s of %s reaches the root", s.name(), s.service()).last()
                    .isEqualTo(roots.getFirst());
        }

        // orchestrator --Kafka--> generator-svc --Kafka--> gpu-worker --Kafka--> orchestrator, parent to child
        OtlpReceiver.Span generate = only(trace, "gpu-worker", "verigen.worker.generate");
        assertThat(generate.attributes()).containsEntry("verigen.run.id", runId)
                .containsEntry("gen_ai.request.model", "sim-math").containsEntry("gen_ai.request.choice.count", "8")
                .containsKey("gen_ai.usage.output_tokens");
        // the job span hangs under the binder's receive span (through Spring Cloud Function's own span)
        OtlpReceiver.Span workerReceive = ancestors(generate, byId).stream()
                .filter(s -> s.service().equals("gpu-worker") && s.kind().equals("SPAN_KIND_CONSUMER")).findFirst()
                .orElseThrow(() -> new AssertionError("no receive span above the worker's job span"));
        OtlpReceiver.Span generatorSend = byId.get(workerReceive.parentId());
        assertThat(generatorSend.service()).as("the hop generator-svc → gpu-worker").isEqualTo("generator-svc");
        assertThat(generatorSend.kind()).isEqualTo("SPAN_KIND_PRODUCER");
        List<OtlpReceiver.Span> generatorChain = ancestors(generatorSend, byId);
        OtlpReceiver.Span generatorReceive = generatorChain.stream()
                .filter(s -> s.service().equals("generator-svc") && s.kind().equals("SPAN_KIND_CONSUMER")).findFirst()
                .orElseThrow();
        OtlpReceiver.Span outboxSend = byId.get(generatorReceive.parentId());
        assertThat(outboxSend.service()).as("the hop orchestrator → generator-svc").isEqualTo("orchestrator-svc");
        assertThat(outboxSend.kind()).isEqualTo("SPAN_KIND_PRODUCER");
        assertThat(outboxSend.name()).isEqualTo("verigen.gen.jobs send");
        OtlpReceiver.Span step = byId.get(outboxSend.parentId());
        assertThat(step.name()).isEqualTo("verigen.step generation");
        assertThat(step.attributes()).containsEntry("verigen.run.id", runId).containsEntry("verigen.strategy", "best_of_n")
                .containsEntry("verigen.pool", "sim-math");
        // and back: the orchestrator applies the result under the worker's send
        OtlpReceiver.Span applied = trace.stream().filter(s -> s.name().equals("verigen.result generation")).findFirst()
                .orElseThrow();
        assertThat(ancestors(applied, byId)).as("the hop gpu-worker → orchestrator")
                .anyMatch(s -> s.service().equals("gpu-worker") && s.kind().equals("SPAN_KIND_PRODUCER"));
        // the search itself: verdicts on the verifier's span, the steps that followed under the result that caused them
        OtlpReceiver.Span verify = only(trace, "verifier-svc", "verigen.verifier.verify");
        assertThat(Integer.parseInt(verify.attributes().get("verigen.verdicts.pass"))
                + Integer.parseInt(verify.attributes().get("verigen.verdicts.fail"))).isEqualTo(8);
        assertThat(trace).anyMatch(s -> s.name().equals("verigen.step verification")
                && ancestors(s, byId).contains(applied));

        // from the run to its log lines: the orchestrator logs the run's end inside its trace (the other services log
        // per job only when something goes wrong; their lines then carry the id the same way)
        assertThat(platform.log("orchestrator-svc")).as("the orchestrator's log carries the trace id")
                .containsPattern("\\[orchestrator-svc\\] \\[[^\\]]*\\] \\[" + traceId + "-[0-9a-f]{16}\\] .*run " + runId);
    }

    void everyMetricTheDashboardsAndAlertsQueryIsExported() throws Exception {
        // a few runs, and the events the alerts are about: a budget refusal, a dropped record, labelled verifications
        JsonNode run = finishedRun(PlatformScenarios.body("What is 40 + 2?", "42", 4243), platform.adminKey());
        assertThat(run.get("status").stringValue()).isEqualTo("SUCCEEDED");
        FrontDoor.Tenant poor = frontDoor.newTenant("[\"runs\"]", "");
        HttpResponse<String> budget = frontDoor.send("PUT", "/v1/tenants/" + poor.id() + "/budget", platform.adminKey(),
                "{\"maxTokens\": 200}", Map.of());
        assertThat(budget.statusCode()).as(budget.body()).isIn(200, 201);
        JsonNode refused = finishedRun(PlatformScenarios.body("What is 1 + 1?", "2", 4244), poor.key());
        assertThat(refused.at("/error/code").stringValue()).isEqualTo("budget_exhausted");
        for (String[] check : List.of(new String[] {"The answer is 42", "incorrect"}, new String[] {"The answer is 41", "correct"})) {
            HttpResponse<String> verified = frontDoor.send("POST", "/v1/verifications", platform.adminKey(),
                    "{\"verifier\": {\"type\": \"numeric\"}, \"candidate\": \"" + check[0] + "\", \"reference\": \"42\", "
                            + "\"label\": \"" + check[1] + "\"}", Map.of());
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        }
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // dead-letter traffic: bytes that are no result
            producer.send(new ProducerRecord<>("verigen.gen.results", "not a result".getBytes(StandardCharsets.UTF_8))).get();
            // a worker error: an engine request whose deadline has passed (its error result names no known job)
            String expired = """
                    {"meta": {"jobId": "%s", "runId": "%s", "stepId": "%s", "attempt": 1, "tenant": "default",
                              "reservation": {"tokens": 0, "calls": 0}, "deadline": "2020-01-01T00:00:00Z"},
                     "pool": "sim-math", "prompt": "What is 1 + 1?", "task": "What is 1 + 1?",
                     "sampling": {"temperature": 0.5, "topP": 1.0, "maxTokens": 8, "seed": 1, "stop": [], "logprobs": false},
                     "n": 1}""".formatted(java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), java.util.UUID.randomUUID());
            producer.send(new ProducerRecord<>("verigen.gpu.jobs.sim-math", expired.getBytes(StandardCharsets.UTF_8))).get();
        }

        Map<String, Set<String>> queried = queriedMetrics();
        assertThat(queried).as("queries found").hasSizeGreaterThan(20);
        Set<String> wanted = queried.values().stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Set<String> exported = exported();
            List<String> missing = new ArrayList<>();
            queried.forEach((where, names) -> names.stream().filter(n -> !exported.contains(n))
                    .forEach(n -> missing.add(n + " (" + where + ")")));
            assertThat(missing).as("queried but exported by no running service").isEmpty();
        });
        assertThat(wanted).contains("verigen_queue_depth", "verigen_budget_refusals_total",
                "verigen_dead_letters_total", "vllm:time_to_first_token_seconds_bucket");
    }

    /** Metric names per dashboard panel or alert, from the files the chart and compose ship. */
    private static Map<String, Set<String>> queriedMetrics() throws Exception {
        Path chart = Path.of(System.getProperty("verigen.root", "..")).resolve("k8s/verigen");
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(chart.resolve("dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode panel : dashboard.get("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        out.put(file.getFileName() + " / " + panel.get("title").stringValue() + " / "
                                + target.get("refId").stringValue(), PromQl.metrics(target.get("expr").stringValue()));
                    }
                }
                for (JsonNode variable : dashboard.at("/templating/list")) {
                    if (variable.has("definition")) {
                        out.put(file.getFileName() + " / $" + variable.get("name").stringValue(),
                                PromQl.metrics(variable.get("definition").stringValue()));
                    }
                }
            }
        }
        JsonNode rules = new YAMLMapper().readTree(chart.resolve("alerts/verigen-rules.yaml").toFile());
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                out.put("alert " + rule.get("alert").stringValue(), PromQl.metrics(rule.get("expr").stringValue()));
            }
        }
        return out;
    }

    private Set<String> exported() throws Exception {
        Set<String> names = new TreeSet<>();
        for (String service : SERVICES) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(platform.url(service) + "/actuator/prometheus")).timeout(Duration.ofSeconds(10))
                    // every service answers metrics only with the gateway's credential, as Prometheus presents it
                    .header("Authorization", "Bearer " + platform.gatewaySecret()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(service).isEqualTo(200);
            Matcher m = EXPOSED.matcher(response.body());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private JsonNode finishedRun(String body, String key) throws Exception {
        HttpResponse<String> created = frontDoor.send("POST", "/v1/runs", key, body, Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = JSON.readTree(created.body()).get("id").stringValue();
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> JSON.readTree(frontDoor.send("GET", "/v1/runs/" + id, key, null, Map.of()).body()),
                        r -> r.has("status") && !r.get("status").stringValue().equals("RUNNING"));
    }

    private static Set<String> services(List<OtlpReceiver.Span> trace) {
        return trace.stream().map(OtlpReceiver.Span::service).collect(Collectors.toSet());
    }

    private static OtlpReceiver.Span only(List<OtlpReceiver.Span> trace, String service, String name) {
        return trace.stream().filter(s -> s.service().equals(service) && s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " of " + service + " in " + trace.stream()
                        .map(s -> s.service() + ":" + s.name()).toList()));
    }

    /** The span's parent, its parent's parent, … up to the root (the span itself excluded). */
    private static List<OtlpReceiver.Span> ancestors(OtlpReceiver.Span span, Map<String, OtlpReceiver.Span> byId) {
        List<OtlpReceiver.Span> chain = new ArrayList<>();
        OtlpReceiver.Span current = span;
        while (!current.parentId().isEmpty()) {
            current = Optional.ofNullable(byId.get(current.parentId())).orElseThrow(() ->
                    new AssertionError("a parent of " + span.name() + " (" + span.service() + ") was never exported"));
            chain.add(current);
        }
        if (chain.isEmpty()) {
            chain.add(span);
        }
        return chain;
    }
}
