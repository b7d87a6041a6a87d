package dev.verigen.orchestrator.web;

import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.servlet.ServletProblemHandler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A request that could not get a database connection in time (the pool busy, or PostgreSQL unreachable) is answered
 * 503 with {@code Retry-After}: nothing was done, the same request may succeed a moment later. Not a 500, and not a
 * stack trace per request: one warning per interval says as much as thousands would.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DatabaseBusyHandler {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBusyHandler.class);
    private static final long WARNING_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);

    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
    ResponseEntity<Object> databaseBusy(Exception e) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARNING_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("answering 503: no database connection in time ({})", e.getMessage());
        }
        return ServletProblemHandler.respond(ApiProblem.overloaded(
                "The orchestrator cannot reach its database in time right now. Retry later.", Duration.ofSeconds(1)));
    }
}
