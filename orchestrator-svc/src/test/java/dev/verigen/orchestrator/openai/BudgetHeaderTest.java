package dev.verigen.orchestrator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verigen.support.problems.ApiProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BudgetHeaderTest {

    @Test
    void readsEveryCapInAnyOrder() {
        assertThat(BudgetHeader.parse("tokens=20000, calls=64, flops=1e15"))
                .isEqualTo(new ChatRequest.Budget(20000L, 64L, 1e15, "X-Verigen-Budget"));
        assertThat(BudgetHeader.parse(" FLOPS = 2.5E12 ,tokens=7"))
                .isEqualTo(new ChatRequest.Budget(7L, null, 2.5e12, "X-Verigen-Budget"));
        assertThat(BudgetHeader.parse(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "tokens", "tokens=", "tokens=-5", "tokens=0", "tokens=1.5", "tokens=2e4",
            "calls=ten", "flops=0", "flops=-1e3", "flops=1e999", "flops=NaN", "tokens=1, tokens=2", "dollars=5",
            "tokens=1,", "tokens=1;calls=2", "tokens=99999999999999999999"})
    void badSyntaxIs400NamingTheHeader(String header) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> BudgetHeader.parse(header));
        assertThat(problem).as("'%s'", header).isNotNull();
        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.errors().getFirst().field()).isEqualTo("X-Verigen-Budget");
    }
}
