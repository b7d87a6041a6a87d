package dev.verigen.orchestrator.engine;

import dev.verigen.contracts.GenerationJob;
import dev.verigen.contracts.GenerationResult;
import dev.verigen.contracts.Json;
import dev.verigen.contracts.Score;
import dev.verigen.contracts.ScoringJob;
import dev.verigen.contracts.ScoringResult;
import dev.verigen.contracts.Topics;
import dev.verigen.contracts.Usage;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.VerificationJob;
import dev.verigen.contracts.VerificationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Stands in for generator, verifier and reward model so the orchestrator can be tested alone over real Kafka.
 * Samples are "Answer: 41/42/43" (a step-wise job's first two steps are "Step 1", "Step 2"); a sample passes when
 * it contains the reference; the score is the sample's last digit / 10. Every result is sent twice, as at-least-once delivery may do.
 * A cancel ({@code verigen.gen.cancels}) of a held job answers it at once as a worker that aborts does: error
 * {@code cancelled}, one generated token per sample billed. A job asking for progress first reports each sample at
 * {@code progressTokens} tokens ("partial k", k counting the jobs that asked, so their scores differ), twice.
 */
public final class ScriptedWorkers implements AutoCloseable {

    /** Generation jobs whose prompt contains this are never answered, as if the worker had died. */
    public static final String UNANSWERED = "[no worker]";
    /** Generation jobs whose prompt contains this are answered only when {@link #release()} is called. */
    public static final String HELD = "[hold]";
    /** The consumer group; offsets committed for it beforehand decide where the workers start reading. */
    public static final String GROUP = "scripted-workers";

    public final List<Object> jobsSeen = new CopyOnWriteArrayList<>();
    /** The job ids of every cancel received. */
    public final List<java.util.UUID> cancelsSeen = new CopyOnWriteArrayList<>();
    private final List<GenerationJob> held = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger reporting = new java.util.concurrent.atomic.AtomicInteger();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;

    public ScriptedWorkers(String brokers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new ByteArraySerializer(), new ByteArraySerializer());
        consumer.subscribe(List.of(Topics.GENERATION_JOBS, Topics.VERIFICATION_JOBS, Topics.SCORING_JOBS,
                Topics.GENERATION_CANCELS));
        thread = Thread.ofPlatform().daemon().name("scripted-workers").start(this::loop);
    }

    private void loop() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                switch (record.topic()) {
                    case Topics.GENERATION_JOBS -> generate(Json.read(record.value(), GenerationJob.class));
                    case Topics.VERIFICATION_JOBS -> verify(Json.read(record.value(), VerificationJob.class));
                    case Topics.SCORING_JOBS -> score(Json.read(record.value(), ScoringJob.class));
                    case Topics.GENERATION_CANCELS -> cancel(Json.read(record.value(),
                            dev.verigen.contracts.CancelJobs.class));
                    default -> throw new IllegalStateException(record.topic());
                }
            }
        }
    }

    private void generate(GenerationJob job) {
        jobsSeen.add(job);
        if (job.prompt().contains(UNANSWERED)) {
            return;
        }
        if (job.progressTokens() > 0) {
            int k = reporting.incrementAndGet();
            for (int i = 0; i < job.n(); i++) {
                sendTwice(Topics.GENERATION_PROGRESS, new dev.verigen.contracts.GenerationProgress(job.meta(),
                        job.pool(), "scripted", i, "partial " + k, job.progressTokens()));
            }
        }
        if (job.prompt().contains(HELD)) {
            held.add(job);
            return;
        }
        answer(job);
    }

    /** Generation jobs waiting for {@link #release()}. */
    public int heldJobs() {
        return held.size();
    }

    /** Answers every held generation job now. */
    public void release() {
        for (GenerationJob job : held) {
            if (held.remove(job)) { // a cancel may have taken it meanwhile
                answer(job);
            }
        }
    }

    private void cancel(dev.verigen.contracts.CancelJobs cancel) {
        for (GenerationJob job : held) {
            if (cancel.jobIds().contains(job.meta().jobId()) && held.remove(job)) {
                List<GenerationResult.Sample> cut = new ArrayList<>();
                for (int i = 0; i < job.n(); i++) {
                    cut.add(new GenerationResult.Sample(i, "Ans", "cancelled", 1, null));
                }
                sendTwice(Topics.GENERATION_RESULTS, new GenerationResult(job.meta(), job.pool(), "scripted", cut,
                        new Usage(10, job.n(), job.n(), 2, 2), new dev.verigen.contracts.JobError("cancelled",
                        "cancelled after 1 token a sample", false)));
            }
        }
        // recorded once handled, so a test that waits for it and then releases the held jobs races nothing
        cancelsSeen.addAll(cancel.jobIds());
    }

    private void answer(GenerationJob job) {
        List<GenerationResult.Sample> samples = new ArrayList<>();
        // step-wise jobs get two "Step k" steps before the answer
        int done = job.partial() == null ? 0 : (int) job.partial().lines().filter(l -> l.startsWith("Step")).count();
        for (int i = 0; i < job.n(); i++) {
            String text = job.oneStep() && done < 2 ? "Step " + (done + 1) : "Answer: " + (41 + i % 3);
            samples.add(new GenerationResult.Sample(i, text, "stop", 3, null));
        }
        sendTwice(Topics.GENERATION_RESULTS, new GenerationResult(job.meta(), job.pool(), "scripted", samples,
                new Usage(10, 3L * job.n(), job.n(), 5, 6), null));
    }

    private void verify(VerificationJob job) {
        jobsSeen.add(job);
        List<Verdict> verdicts = job.candidates().stream()
                .map(c -> new Verdict(c.candidateId(), c.text().contains(job.reference()) ? Verdict.Outcome.PASS
                        : Verdict.Outcome.FAIL, c.text().replace("Answer: ", ""), "scripted"))
                .toList();
        sendTwice(Topics.VERIFICATION_RESULTS, new VerificationResult(job.meta(), job.verifier().type(), verdicts, Usage.ZERO, null));
    }

    private void score(ScoringJob job) {
        jobsSeen.add(job);
        List<Score> scores = job.candidates().stream()
                .map(c -> new Score(c.candidateId(), (c.text().charAt(c.text().length() - 1) - '0') / 10.0))
                .toList();
        sendTwice(Topics.SCORING_RESULTS, new ScoringResult(job.meta(), job.scorer(), scores,
                new Usage(4L * scores.size(), 0, scores.size(), 1, 1), null));
    }

    private void sendTwice(String topic, Object result) {
        byte[] bytes = Json.write(result);
        producer.send(new ProducerRecord<>(topic, bytes));
        producer.send(new ProducerRecord<>(topic, bytes));
        producer.flush();
    }

    @Override
    public void close() throws InterruptedException {
        held.clear();
        running = false;
        thread.join(5_000);
        consumer.close();
        producer.close();
    }
}
