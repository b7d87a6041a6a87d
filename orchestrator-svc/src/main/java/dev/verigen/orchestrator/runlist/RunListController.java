package dev.verigen.orchestrator.runlist;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/runs}: the caller's runs, newest first, filtered, a page at a time (keyset paging: the cursor is the
 * last row's position, so page 1,000 costs what page 1 does), with the total the filters match. An operator sees every
 * tenant's runs and may filter by tenant; anyone else sees only its own tenant, and naming another tenant is refused.
 */
@RestController
public class RunListController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final Set<String> STATUSES = Set.of("RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}");

    private final RunListQuery query;

    public RunListController(RunListQuery query) {
        this.query = query;
    }

    @GetMapping("/v1/runs")
    public RunPage list(Caller caller,
                        @RequestParam(required = false) String status,
                        @RequestParam(required = false) String strategy,
                        @RequestParam(required = false) String model,
                        @RequestParam(required = false) String tenant,
                        @RequestParam(required = false) String experiment,
                        @RequestParam(required = false) String createdFrom,
                        @RequestParam(required = false) String createdTo,
                        @RequestParam(required = false) String cursor,
                        @RequestParam(required = false) String limit) {
        List<FieldError> errors = new ArrayList<>();
        String s = blank(status) ? null : status.strip().toUpperCase(Locale.ROOT);
        if (s != null && !STATUSES.contains(s)) {
            errors.add(new FieldError("status", "must be one of RUNNING, SUCCEEDED, FAILED, CANCELLED"));
        }
        String strat = name(strategy, "strategy", errors);
        String pool = name(model, "model", errors);
        String ten = name(tenant, "tenant", errors);
        UUID exp = null;
        if (!blank(experiment)) {
            try {
                exp = UUID.fromString(experiment.strip());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("experiment", "must be an experiment id (a UUID)"));
            }
        }
        Instant from = instant(createdFrom, "createdFrom", errors);
        Instant to = instant(createdTo, "createdTo", errors);
        RunListQuery.Cursor after = null;
        if (!blank(cursor)) {
            after = RunListQuery.Cursor.decode(cursor.strip());
            if (after == null) {
                errors.add(new FieldError("cursor", "is not a cursor this API gave out (use nextCursor as it is)"));
            }
        }
        int size = DEFAULT_LIMIT;
        if (!blank(limit)) {
            try {
                size = Integer.parseInt(limit.strip());
                if (size < 1 || size > MAX_LIMIT) {
                    errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("limit", "must be an integer between 1 and " + MAX_LIMIT));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        if (ten != null && !caller.isOperator() && !ten.equals(caller.tenant())) {
            throw ApiProblem.forbidden("only a platform operator's key lists other tenants' runs");
        }
        // a tenant's key always reads its own tenant; an operator's reads all unless it names one
        String scope = caller.isOperator() ? ten : caller.tenant();
        return query.page(new RunListQuery.Filter(scope, s, strat, pool, exp, from, to), after, size);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String name(String value, String field, List<FieldError> errors) {
        if (blank(value)) {
            return null;
        }
        String v = value.strip();
        if (!NAME.matcher(v).matches()) {
            errors.add(new FieldError(field, "must be 1 to 128 of letters, digits and _ . : / -"));
            return null;
        }
        return v;
    }

    private static Instant instant(String value, String field, List<FieldError> errors) {
        if (blank(value)) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z"));
            return null;
        }
    }
}
