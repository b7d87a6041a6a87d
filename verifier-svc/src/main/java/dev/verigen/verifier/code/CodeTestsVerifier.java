package dev.verigen.verifier.code;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code code_tests}: runs the task's unit tests against the candidate's code in a {@link Sandbox}; PASS only when
 * every test passes. Options: {@code language} ({@code python} | {@code javascript}, default python), {@code tests}
 * (see {@link TestSuite}; when absent the job's reference holds them), {@code entrypoint} (the function
 * {@code args}/{@code expected} cases call, and that must exist).
 * <p>
 * FAIL lists every test's outcome; ERROR means the sandbox itself could not run (missing bubblewrap, setup failure,
 * a harness that never started), never something the candidate did.
 */
@Component
public class CodeTestsVerifier implements Verifier {

    public static final String TYPE = "code_tests";
    private static final int MESSAGE = 160;
    private static final int EVIDENCE = 4000;

    private final Sandbox sandbox;

    @Autowired
    public CodeTestsVerifier(SandboxProperties properties) {
        this(new Sandbox(properties));
    }

    CodeTestsVerifier(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
        var id = candidate.candidateId();
        String lang = options.values().getOrDefault("language", "python");
        Language language = Language.of(lang).orElseThrow(() -> new InvalidOptionException(
                "option language must be python or javascript, was '" + Text.excerpt(lang, 40) + "'"));
        String entrypoint = blankToNull(options.values().get("entrypoint"));
        String testsOption = blankToNull(options.values().get("tests"));
        TestSuite suite;
        try {
            suite = TestSuite.parse(testsOption != null ? testsOption : reference, language,
                    entrypoint == null ? null : entrypoint.strip(), sandbox.properties().maxTests());
        } catch (IllegalArgumentException e) {
            if (testsOption != null) {
                throw new InvalidOptionException("option tests: " + e.getMessage());
            }
            return new Verdict(id, Outcome.ERROR, null, "cannot use the reference as tests: " + e.getMessage());
        }

        CodeExtractor.Code code = CodeExtractor.extract(candidate.text(), language);
        String extracted = Text.excerpt(code.text(), 200);
        if (code.text().isBlank()) {
            return new Verdict(id, Outcome.FAIL, extracted, "no code in the candidate (" + code.source() + ")");
        }
        SandboxRun run = sandbox.run(language, code.text(), suite);
        return judge(id, extracted, code, suite, run);
    }

    private static Verdict judge(java.util.UUID id, String extracted, CodeExtractor.Code code, TestSuite suite,
                                 SandboxRun run) {
        if (run.failure() != null) {
            return new Verdict(id, Outcome.ERROR, extracted, "sandbox unavailable: " + run.failure());
        }
        boolean started = false;
        boolean ended = false;
        String harnessError = null;
        JsonNode[] results = new JsonNode[suite.cases().size()];
        for (JsonNode e : run.events()) {
            switch (e.path("event").asString("")) {
                case "start" -> started = true;
                case "end" -> ended = true;
                case "harness_error" -> harnessError = e.path("message").asString("");
                case "test" -> {
                    int i = e.path("index").asInt(-1);
                    if (i >= 0 && i < results.length) {
                        results[i] = e;
                    }
                }
                default -> { }
            }
        }
        if (harnessError != null) {
            return new Verdict(id, Outcome.ERROR, extracted, "sandbox failed: " + Text.excerpt(harnessError, 300));
        }
        if (!started) {
            // the harness never ran: bwrap, setpriv or the interpreter failed before any candidate code did
            String why = run.timedOut() ? "timed out before the harness started"
                    : run.outputOverflow() ? "output limit exceeded before the harness started"
                    : "exit status " + run.exitCode();
            return new Verdict(id, Outcome.ERROR, extracted, "sandbox failed to start (" + why + ")"
                    + (run.otherOutput().isEmpty() ? "" : ": " + Text.excerpt(run.otherOutput(), 300)));
        }

        int passed = 0;
        List<String> failures = new ArrayList<>();
        List<String> passes = new ArrayList<>();
        String notRun = ended ? "not run" : "not run: " + abort(run);
        for (int i = 0; i < results.length; i++) {
            String name = suite.cases().get(i).name();
            JsonNode r = results[i];
            if (r == null) {
                failures.add(name + " FAIL: " + notRun);
                continue;
            }
            String status = r.path("status").asString("error");
            if (status.equals("pass")) {
                passed++;
                passes.add(name);
                continue;
            }
            StringBuilder f = new StringBuilder(name).append(' ').append(status.equals("timeout") ? "TIMEOUT" : "FAIL");
            String message = r.path("message").asString("");
            if (!message.isBlank()) {
                f.append(": ").append(Text.excerpt(message, MESSAGE));
            }
            String output = r.path("output").asString("");
            if (!output.isBlank()) {
                f.append(" [output: ").append(Text.excerpt(output, 60)).append(']');
            }
            failures.add(f.toString());
        }
        int total = results.length;
        boolean pass = passed == total && ended;
        StringBuilder evidence = new StringBuilder().append(passed).append('/').append(total).append(" tests passed");
        if (!failures.isEmpty()) {
            evidence.append(": ").append(String.join("; ", failures));
        }
        if (!passes.isEmpty()) {
            evidence.append(failures.isEmpty() ? ": " : "; ").append("passed: ").append(String.join(", ", passes));
        }
        if (!ended && failures.isEmpty()) {
            evidence.append("; run aborted: ").append(abort(run));
        }
        evidence.append(" (code: ").append(code.source()).append(", ").append(run.elapsed().toMillis()).append(" ms)");
        String text = evidence.length() > EVIDENCE ? evidence.substring(0, EVIDENCE - 1) + "…" : evidence.toString();
        return new Verdict(id, pass ? Outcome.PASS : Outcome.FAIL, extracted, Text.sanitize(text));
    }

    /** Why a started run stopped before the harness said it ended; candidate code was running, so this is a FAIL. */
    private static String abort(SandboxRun run) {
        if (run.timedOut()) {
            return "wall time exceeded, sandbox killed";
        }
        if (run.outputOverflow()) {
            return "output limit exceeded, sandbox killed";
        }
        return "the harness was killed (exit status " + run.exitCode() + ")";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
