package dev.verigen.orchestrator.stats;

import dev.verigen.orchestrator.access.Caller;
import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/stats/overview}: what the platform did in the last minutes, per minute. A tenant's key sees its own
 * tenant; an operator's sees every tenant (and each tenant's budget burn).
 */
@RestController
public class OverviewController {

    static final int MAX_MINUTES = 24 * 60;

    private final OverviewQueries queries;

    public OverviewController(OverviewQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/v1/stats/overview")
    public Overview overview(Caller caller, @RequestParam(required = false) String minutes) {
        int window = 60;
        if (minutes != null && !minutes.isBlank()) {
            try {
                window = Integer.parseInt(minutes.strip());
            } catch (NumberFormatException e) {
                window = -1;
            }
            if (window < 1 || window > MAX_MINUTES) {
                throw ApiProblem.invalid(List.of(new FieldError("minutes", "must be an integer between 1 and "
                        + MAX_MINUTES)));
            }
        }
        return queries.overview(caller.isOperator() ? null : caller.tenant(), window);
    }
}
