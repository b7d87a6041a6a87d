package dev.verigen.verifier.jsonschema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.contracts.Verdict.Outcome;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.regex.BudgetedText;
import dev.verigen.verifier.verifiers.OptionInfo;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code json_schema}: the candidate's JSON is valid against a JSON Schema (drafts 4, 6, 7, 2019-09, 2020-12 by the
 * schema's {@code $schema}; 2020-12 when it names none), validated by networknt json-schema-validator on Jackson 3.
 * Options: {@code schema} (default: the job's reference). The candidate's JSON is found by {@link JsonText}.
 * <p>
 * Malformed candidate JSON is a FAIL with the parser's position; a schema that is not JSON, is not a schema by its
 * meta-schema, or cannot be loaded is an ERROR (the verifier cannot decide). Remote {@code $ref}s are never fetched.
 */
@Component
public class JsonSchemaVerifier implements Verifier {

    public static final String TYPE = "json_schema";
    static final int MAX_JSON_CHARS = 4 * 1024 * 1024;
    static final int MAX_SCHEMA_CHARS = 256 * 1024;
    static final int MAX_DEPTH = 256;
    static final int SHOWN_ERRORS = 5;
    static final long VALIDATION_BUDGET_NANOS = 2_000_000_000L;
    private static final int QUOTE = 80;
    private static final int CACHE = 32;
    private static final SpecificationVersion DEFAULT_DIALECT = SpecificationVersion.DRAFT_2020_12;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(DEFAULT_DIALECT, b -> b
            .schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .regularExpressionFactory(new BudgetedRegexFactory())
                    .build())
            .schemaLoader(l -> l.fetchRemoteResources(false)));

    private final Map<String, Compiled> cache = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
            return size() > CACHE;
        }
    };

    /** A compiled schema, or why the schema text is unusable. */
    private record Compiled(Schema schema, String problem) {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "the candidate's JSON (last ```json block, else first {...}/[...], else the whole text) is valid against a JSON Schema";
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(new OptionInfo("schema", "json", null,
                "the JSON Schema (drafts 4 to 2020-12; 2020-12 without $schema); default: the job's reference"));
    }

    @Override
    public Verdict verify(CandidateRef candidate, String reference, VerifierOptions options) {
        var id = candidate.candidateId();
        String schemaText = options.values().get("schema");
        String schemaFrom = "option schema";
        if (schemaText == null || schemaText.isBlank()) {
            schemaText = reference;
            schemaFrom = "the reference";
        }
        if (schemaText == null || schemaText.isBlank()) {
            return new Verdict(id, Outcome.ERROR, null, "no schema: neither option schema nor a reference was given");
        }
        Compiled compiled = compiled(schemaText.strip());
        if (compiled.problem() != null) {
            return new Verdict(id, Outcome.ERROR, null, "invalid schema (" + schemaFrom + "): " + compiled.problem());
        }

        JsonText.Found found = JsonText.find(candidate.text());
        String json = found.json();
        String excerpt = Text.excerpt(json, 200);
        if (json.length() > MAX_JSON_CHARS) {
            return new Verdict(id, Outcome.FAIL, null, "candidate JSON from " + found.from() + " is " + json.length()
                    + " chars, over the limit of " + MAX_JSON_CHARS);
        }
        JsonNode instance;
        try {
            instance = MAPPER.readTree(json);
        } catch (JacksonException e) {
            return new Verdict(id, Outcome.FAIL, excerpt, "candidate JSON from " + found.from() + " is not valid JSON: "
                    + parseError(e));
        } catch (StackOverflowError e) {
            return new Verdict(id, Outcome.FAIL, excerpt, "candidate JSON from " + found.from() + " is nested too deeply");
        }
        if (instance == null || instance.isMissingNode()) {
            return new Verdict(id, Outcome.FAIL, null, "no JSON in the candidate (" + found.from() + " is empty)");
        }

        List<Error> errors;
        try {
            errors = BudgetedRegexFactory.withDeadline(System.nanoTime() + VALIDATION_BUDGET_NANOS,
                    () -> compiled.schema().validate(instance));
        } catch (StackOverflowError e) {
            return new Verdict(id, Outcome.ERROR, excerpt, "validation recursed too deeply (a recursive schema on deep JSON)");
        } catch (RuntimeException e) {
            if (causedByBudget(e)) {
                return new Verdict(id, Outcome.ERROR, excerpt, "a schema pattern is too expensive on this candidate's strings");
            }
            return new Verdict(id, Outcome.ERROR, excerpt, "validation failed: " + Text.excerpt(String.valueOf(e.getMessage()), 200));
        }
        String what = "candidate JSON from " + found.from() + " against the schema from " + schemaFrom;
        if (errors.isEmpty()) {
            return new Verdict(id, Outcome.PASS, excerpt, what + ": valid");
        }
        StringBuilder ev = new StringBuilder(what).append(": ").append(errors.size())
                .append(errors.size() == 1 ? " violation" : " violations");
        for (int i = 0; i < Math.min(SHOWN_ERRORS, errors.size()); i++) {
            Error e = errors.get(i);
            String pointer = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            ev.append(i == 0 ? ": " : "; ").append('"').append(Text.excerpt(pointer, QUOTE)).append("\" ")
                    .append(pointer.isEmpty() ? "(root) " : "")
                    .append(Text.excerpt(message(e, pointer), 160));
        }
        if (errors.size() > SHOWN_ERRORS) {
            ev.append("; …");
        }
        return new Verdict(id, Outcome.FAIL, excerpt, ev.toString());
    }

    private Compiled compiled(String schemaText) {
        synchronized (cache) {
            Compiled c = cache.get(schemaText);
            if (c != null) {
                return c;
            }
        }
        Compiled c = compile(schemaText);
        synchronized (cache) {
            cache.put(schemaText, c);
        }
        return c;
    }

    private Compiled compile(String schemaText) {
        if (schemaText.length() > MAX_SCHEMA_CHARS) {
            return new Compiled(null, "longer than " + MAX_SCHEMA_CHARS + " chars");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(schemaText);
        } catch (JacksonException e) {
            return new Compiled(null, "not JSON: " + parseError(e));
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            return new Compiled(null, "a schema is a JSON object or a boolean, not " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        try {
            String dialect = node.isObject() && node.has("$schema") ? node.get("$schema").asString() : DEFAULT_DIALECT.getDialectId();
            if (SpecificationVersion.fromDialectId(dialect).isEmpty()) {
                return new Compiled(null, "unsupported $schema '" + Text.excerpt(dialect, QUOTE)
                        + "' (drafts 4, 6, 7, 2019-09 and 2020-12 are supported)");
            }
            Schema meta = registry.getSchema(SchemaLocation.of(dialect));
            List<Error> metaErrors = BudgetedRegexFactory.withDeadline(System.nanoTime() + VALIDATION_BUDGET_NANOS,
                    () -> meta.validate(node));
            if (!metaErrors.isEmpty()) {
                Error e = metaErrors.getFirst();
                String pointer = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
                return new Compiled(null, "not valid against its meta-schema: \"" + Text.excerpt(pointer, QUOTE) + "\" "
                        + Text.excerpt(message(e, pointer), 160));
            }
            return new Compiled(registry.getSchema(node), null);
        } catch (SchemaException e) {
            return new Compiled(null, Text.excerpt(String.valueOf(e.getMessage()), 200));
        } catch (StackOverflowError e) {
            return new Compiled(null, "nested too deeply");
        } catch (RuntimeException e) {
            return new Compiled(null, "cannot be loaded: " + Text.excerpt(String.valueOf(e.getMessage()), 200));
        }
    }

    private static String message(Error e, String pointer) {
        String m = String.valueOf(e.getMessage());
        // the library prefixes the message with the instance location, which the evidence already shows
        if (!pointer.isEmpty() && m.startsWith(pointer + ": ")) {
            m = m.substring(pointer.length() + 2);
        } else if (m.startsWith(": ")) {
            m = m.substring(2);
        }
        return m;
    }

    private static boolean causedByBudget(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BudgetedText.BudgetExceeded) {
                return true;
            }
        }
        return false;
    }

    static String parseError(JacksonException e) {
        TokenStreamLocation loc = e.getLocation();
        String where = loc == null || loc.getLineNr() < 0 ? ""
                : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return Text.excerpt(String.valueOf(e.getOriginalMessage()), 160) + where;
    }
}
