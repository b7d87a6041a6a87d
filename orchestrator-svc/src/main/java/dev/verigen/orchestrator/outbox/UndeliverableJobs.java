package dev.verigen.orchestrator.outbox;

/**
 * Told about outbox rows the broker refused for good (too large): the relay has removed them so that the rows behind
 * them flow, and whoever dispatched them must learn that their job will never arrive.
 */
public interface UndeliverableJobs {

    void refused(Refused row);

    /** A removed row: its topic, the job as written, and the broker's reason. */
    record Refused(String topic, byte[] payload, String reason) {
    }
}
