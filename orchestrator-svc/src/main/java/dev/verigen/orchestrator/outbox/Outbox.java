package dev.verigen.orchestrator.outbox;

import dev.verigen.orchestrator.delivery.CrashPoint;
import java.nio.charset.StandardCharsets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Jobs are written here in the transaction that decides to dispatch them, so a job leaves if and only if the
 * state that asked for it was committed.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final OutboxSignal signal;
    private final CrashPoint crash;

    public Outbox(JdbcClient jdbc, OutboxSignal signal, CrashPoint crash) {
        this.jdbc = jdbc;
        this.signal = signal;
        this.crash = crash;
    }

    public void add(String topic, String key, byte[] payload) {
        add(topic, key, payload, null);
    }

    /** @param traceParent the W3C trace context the record is to carry (the dispatching step's span), or null */
    public void add(String topic, String key, byte[] payload, String traceParent) {
        jdbc.sql("""
                insert into outbox (topic, msg_key, payload, trace_parent) values (:topic, :key, :payload, :trace)""")
                .param("topic", topic).param("trace", traceParent)
                .param("key", key == null ? null : key.getBytes(StandardCharsets.UTF_8))
                .param("payload", payload)
                .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    crash.reached(CrashPoint.Point.AFTER_OUTBOX_COMMIT);
                    signal.wake();
                }
            });
        } else {
            signal.wake();
        }
    }
}
