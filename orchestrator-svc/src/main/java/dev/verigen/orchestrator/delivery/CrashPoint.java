package dev.verigen.orchestrator.delivery;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fault injection for the fault suite: the JVM halts ({@link Runtime#halt}, as {@code kill -9} would: no shutdown
 * hooks, no transaction finished) the n-th time the configured point is passed. Off ({@code none}) unless
 * {@code VERIGEN_ORCHESTRATOR_DELIVERY_CRASH_POINT} says otherwise; the points are where a crash would hurt most.
 */
@Component
public class CrashPoint {

    private static final Logger log = LoggerFactory.getLogger(CrashPoint.class);

    public enum Point {
        NONE,
        /** A transaction that wrote outbox rows has committed; the relay has not sent them. */
        AFTER_OUTBOX_COMMIT,
        /** The broker acknowledged a batch of outbox rows; they are not deleted yet (they will be sent again). */
        AFTER_SEND,
        /** A result's inbox row, usage and trace rows are written but not committed. */
        MID_APPLY
    }

    private final Point armed;
    private final int after;
    private final AtomicInteger passes = new AtomicInteger();

    public CrashPoint(DeliveryProperties properties) {
        this.armed = properties.crashPoint();
        this.after = properties.crashAfter();
        if (armed != Point.NONE) {
            log.warn("fault injection armed: the JVM halts the {}th time it reaches {}", after, armed);
        }
    }

    public void reached(Point point) {
        if (point == armed && passes.incrementAndGet() == after) {
            log.warn("fault injection: halting at {}", point);
            Runtime.getRuntime().halt(137);
        }
    }
}
