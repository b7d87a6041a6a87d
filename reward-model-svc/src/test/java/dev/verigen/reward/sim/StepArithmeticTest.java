package dev.verigen.reward.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StepArithmeticTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Step 2: 12 + 7 = 19.|true|19", "Step 2: 12 + 7 = 18.|false|18",
            "Step 3: Add 12 and 7 to get 19.|true|19", "Step 3: Add 12 and 7 to get 91.|false|91",
            "Step 4: Take the difference of 2 and 9 to get -7.|true|-7",
            "Step 4: Take the difference of 2 and 9 to get 7.|false|7",
            "Step 5: Multiply (-7) and 3 to get -21.|true|-21", "Step 5: Multiply 8 and 4 to get 42.|false|42",
            "Step 6: Then (-21) + 1 gives -20.|true|-20", "Step 6: Then 57 - 32 gives 35.|false|35",
            "Step 2: 6*7 = 42|true|42", "Step 2: 6 × 7 = 41|false|41", "Step 2: (-5) - (-8) = 3.|true|3",
            "so 2 + 3 = 5 and 5 * 2 = 10|true|10", "so 2 + 3 = 5 and 5 * 2 = 11|false|11",
    })
    void checksTheOperationAStepStates(String step, boolean right, long result) {
        var check = StepArithmetic.check(step).orElseThrow();
        assertThat(check.right()).isEqualTo(right);
        assertThat(check.result()).isEqualTo(BigInteger.valueOf(result));
    }

    @Test
    void stepsWithoutASingleOperationAreNotChecked() {
        assertThat(StepArithmetic.check("Step 1: We need to compute (3 + 4) * 5 - 2.")).isEmpty();
        assertThat(StepArithmetic.check("Step 2: Work it out from the given facts: 523.")).isEmpty();
        assertThat(StepArithmetic.check("Answer: 33")).isEmpty();
        assertThat(StepArithmetic.check("Step 2: 1.5 + 2 = 3.5")).isEmpty();
        // the tail of a chain is not an operation on its own: 4 - 5 is not -6, but 3 - 4 - 5 is
        assertThat(StepArithmetic.check("Step 2: 3 - 4 - 5 = -6")).isEmpty();
    }
}
