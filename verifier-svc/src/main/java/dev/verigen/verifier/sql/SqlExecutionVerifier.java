package dev.verigen.verifier.sql;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.sql.QueryResult.Failed;
import dev.verigen.verifier.sql.QueryResult.Failure;
import dev.verigen.verifier.sql.QueryResult.Rows;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code sql_execution} (Text2SQL): the candidate's query returns the same result as the reference (gold) query on a
 * sample schema. Options: {@code schema} (a sample schema known to the service, default
 * {@code verigen.verifier.sql.default-schema}), {@code ordered} (default: order-aware iff the reference has a top-level
 * {@code ORDER BY}). The candidate's SQL is its last {@code ```sql} block, else its whole text.
 * <p>
 * PASS: same column count and equal rows (multisets, or sequences when ordered). FAIL: different results, or the
 * candidate's query fails (syntax, permissions, read-only, timeout, limits, several statements). ERROR: the reference
 * fails, or the sandbox is unavailable. See {@link SqlSandbox} for the safety measures.
 */
@Component
public class SqlExecutionVerifier implements Verifier {

    public static final String TYPE = "sql_execution";
    static final String UNAVAILABLE = "SQL sandbox unavailable";
    /** A query longer than this is not a plausible answer; refused before it reaches the server. */
    static final int MAX_SQL_CHARS = 100_000;
    private static final int REFERENCE_CACHE = 16;

    private final SqlSandbox sandbox;
    /** Reference results by schema and query: a job checks many candidates against one reference. */
    private final Map<String, Rows> references = new LinkedHashMap<>(REFERENCE_CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Rows> eldest) {
            return size() > REFERENCE_CACHE;
        }
    };

    public SqlExecutionVerifier(SqlSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
        var id = candidate.candidateId();
        String schema = schema(options);
        String orderedOption = options.values().get("ordered");
        Boolean ordered = orderedOption == null || orderedOption.isBlank() ? null : options.flag("ordered", false);

        if (reference == null || reference.isBlank()) {
            return new Verdict(id, Outcome.ERROR, null, "no reference query to compare with");
        }
        SqlText.Checked ref = SqlText.checkSingleQuery(reference);
        if (!ref.ok()) {
            return new Verdict(id, Outcome.ERROR, null, "reference query unusable: " + ref.problem());
        }
        String sql = SqlText.extract(candidate.text());
        String extracted = sql.isEmpty() ? null : Text.excerpt(sql, 500);
        if (sql.length() > MAX_SQL_CHARS) {
            return new Verdict(id, Outcome.FAIL, extracted, "candidate SQL is " + sql.length() + " characters, more than "
                    + MAX_SQL_CHARS);
        }
        SqlText.Checked checked = SqlText.checkSingleQuery(sql);
        if (!checked.ok()) {
            return new Verdict(id, Outcome.FAIL, extracted, "candidate SQL refused: " + checked.problem());
        }
        Optional<String> down = sandbox.ensureReady();
        if (down.isPresent()) {
            return new Verdict(id, Outcome.ERROR, extracted, UNAVAILABLE + ": " + down.get());
        }
        boolean orderAware = ordered != null ? ordered : SqlText.hasTopLevelOrderBy(ref.sql());

        Rows expected;
        String key = schema + '\u0000' + ref.sql();
        synchronized (references) {
            expected = references.get(key);
        }
        if (expected == null) {
            QueryResult r = sandbox.run(schema, ref.sql());
            if (r instanceof Failed f) {
                return new Verdict(id, Outcome.ERROR, extracted, (f.kind() == Failure.UNAVAILABLE ? UNAVAILABLE + ": " : "reference query failed: ")
                        + f.message());
            }
            expected = (Rows) r;
            synchronized (references) {
                references.put(key, expected);
            }
        }

        QueryResult got = sandbox.run(schema, checked.sql());
        if (got instanceof Failed f) {
            if (f.kind() == Failure.UNAVAILABLE) {
                return new Verdict(id, Outcome.ERROR, extracted, UNAVAILABLE + ": " + f.message());
            }
            String what = switch (f.kind()) {
                case TIMEOUT -> "candidate query timed out: ";
                case TOO_MANY_ROWS, TOO_LARGE -> "candidate query returned ";
                default -> "candidate query failed: ";
            };
            return new Verdict(id, Outcome.FAIL, extracted, what + f.message());
        }
        ResultComparison.Outcome compared = ResultComparison.compare((Rows) got, expected, orderAware);
        return new Verdict(id, compared.equal() ? Outcome.PASS : Outcome.FAIL, extracted,
                compared.evidence() + " [schema " + schema + "]");
    }

    private String schema(VerifierOptions options) {
        String name = options.values().get("schema");
        if (name == null || name.isBlank()) {
            return sandbox.properties().defaultSchema();
        }
        String s = name.strip();
        if (sandbox.schemas().find(s).isEmpty()) {
            throw new InvalidOptionException("option schema must be one of " + sandbox.schemas().names() + ", was '"
                    + Text.excerpt(name, 64) + "'");
        }
        return s;
    }
}
