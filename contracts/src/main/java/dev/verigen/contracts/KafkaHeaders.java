package dev.verigen.contracts;

/** Kafka header names Verigen sets on every job and result. */
public final class KafkaHeaders {

    /**
     * W3C trace context, so one run can be followed across services. Set and read by the Kafka binders' and the outbox
     * relay's tracing (Micrometer Tracing), never by hand.
     */
    public static final String TRACEPARENT = "traceparent";
    /** The job id, duplicated from the payload so brokers' tooling can see it. */
    public static final String JOB_ID = "verigen-job-id";

    private KafkaHeaders() {
    }
}
