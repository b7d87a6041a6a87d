package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestSuiteTest {

    @Test
    void pythonSourceCasesAreTopLevelTestFunctionsInOrder() {
        String src = """
                import math

                def helper(): return 1

                def test_b():
                    assert True

                async def test_a():
                    def test_nested(): pass

                class T:
                    def test_method(self): pass
                """;
        assertThat(TestSuite.parse(src, Language.PYTHON, null, 100).names()).containsExactly("test_b", "test_a");
    }

    @Test
    void javascriptSourceCasesAreFunctionsAndConsts() {
        String src = "function test_one() {}\nasync function test_two() {}\nconst test_three = () => {};\n  function test_inner() {}\n";
        assertThat(TestSuite.parse(src, Language.JAVASCRIPT, null, 100).names())
                .containsExactly("test_one", "test_two", "test_three");
    }

    @Test
    void jsonCasesNamedOrNumbered() {
        TestSuite s = TestSuite.parse("""
                [{"name": "empty", "code": "assert f([]) == 0"}, "assert f([1]) == 1",
                 {"args": [1, 2], "expected": 3}]""", Language.PYTHON, "f", 100);
        assertThat(s.names()).containsExactly("empty", "test_2", "test_3");
        assertThat(s.cases()).extracting(TestSuite.Case::kind).containsExactly("code", "code", "call");
    }

    @Test
    void badTestsSayWhy() {
        assertThatThrownBy(() -> TestSuite.parse("[{\"args\": [1], \"expected\": 1}]", Language.PYTHON, null, 100))
                .hasMessageContaining("no entrypoint");
        assertThatThrownBy(() -> TestSuite.parse("[1, ", Language.PYTHON, null, 100)).hasMessageContaining("do not parse");
        assertThatThrownBy(() -> TestSuite.parse("assert f() == 1", Language.PYTHON, null, 100))
                .hasMessageContaining("no top-level test_");
        assertThatThrownBy(() -> TestSuite.parse("[\"a\", {\"name\": \"test_1\", \"code\": \"b\"}]", Language.PYTHON, null, 100))
                .hasMessageContaining("two cases are named 'test_1'");
        assertThatThrownBy(() -> TestSuite.parse("[\"a\", \"b\"]", Language.PYTHON, null, 1)).hasMessageContaining("at most 1");
        assertThatThrownBy(() -> TestSuite.parse("[\"a\"]", Language.PYTHON, "os.system", 100)).hasMessageContaining("identifier");
        assertThatThrownBy(() -> TestSuite.parse("  ", Language.PYTHON, null, 100)).hasMessageContaining("no tests");
    }
}
