package dev.verigen.verifier.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "42|42", "-7|-7", "\u22127|-7", "3.25|3.25", ".5|0.5", "1,234|1234", "1,234,567.5|1234567.5",
            "3/4|0.75", "-1/2|-0.5", "\\frac{3}{4}|0.75", "\\dfrac{1}{8}|0.125", "$12$|12", "1e-3|0.001", "12%|12", "0|0",
    })
    void parsesOneNumber(String text, String expected) {
        assertThat(Numbers.parseExact(text).orElseThrow().value()).isEqualByComparingTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"abc", "42abc", "4 2", "1/0", "x+1", "''", "1e999999"})
    void rejectsWhatIsNotExactlyOneNumber(String text) {
        assertThat(Numbers.parseExact(text)).isEmpty();
    }

    @Test
    void lastNumberSkipsNumbersGluedToLetters() {
        assertThat(Numbers.lastNumber("42abc")).isEmpty();
        assertThat(Numbers.lastNumber("7 then 42abc").orElseThrow().value()).isEqualByComparingTo("7");
        assertThat(Numbers.lastNumber("4 2").orElseThrow().token()).isEqualTo("2");
        assertThat(Numbers.lastNumber("5-3").orElseThrow().value()).isEqualByComparingTo("3");
        assertThat(Numbers.lastNumber("x = -3").orElseThrow().value()).isEqualByComparingTo("-3");
    }

    @Test
    void percentIsFlagged() {
        var f = Numbers.lastNumber("a rise of 12.5%").orElseThrow();
        assertThat(f.percent()).isTrue();
        assertThat(f.value()).isEqualByComparingTo("12.5");
    }
}
