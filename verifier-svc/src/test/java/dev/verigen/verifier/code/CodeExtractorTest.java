package dev.verigen.verifier.code;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodeExtractorTest {

    @Test
    void takesTheLastBlockOfTheLanguage() {
        String text = """
                First try:
                ```python
                def f(): return 1
                ```
                Some JS for comparison:
                ```js
                function f() { return 3; }
                ```
                Better:
                ```python
                def f(): return 2
                ```
                Done.""";
        assertThat(CodeExtractor.extract(text, Language.PYTHON).text()).isEqualTo("def f(): return 2\n");
        assertThat(CodeExtractor.extract(text, Language.JAVASCRIPT).text()).isEqualTo("function f() { return 3; }\n");
    }

    @Test
    void fallsBackToAnUntaggedBlockThenToTheWholeText() {
        assertThat(CodeExtractor.extract("Here:\n```\nx = 1\n```\n", Language.PYTHON).text()).isEqualTo("x = 1\n");
        assertThat(CodeExtractor.extract("def f():\n    return 1\n", Language.PYTHON).text()).isEqualTo("def f():\n    return 1\n");
        assertThat(CodeExtractor.extract("```ruby\nputs 1\n```", Language.PYTHON).source()).contains("whole candidate");
    }

    @Test
    void anUnclosedBlockRunsToTheEndAndLongerFencesNest() {
        assertThat(CodeExtractor.extract("```py\ndef f():\n    return 1", Language.PYTHON).text())
                .isEqualTo("def f():\n    return 1\n");
        String nested = "````python\ns = '''\n```\n'''\n````\n";
        assertThat(CodeExtractor.extract(nested, Language.PYTHON).text()).isEqualTo("s = '''\n```\n'''\n");
        assertThat(CodeExtractor.extract("```Python\r\nx = 1\r\n```\r\n", Language.PYTHON).text()).isEqualTo("x = 1\r\n");
    }
}
