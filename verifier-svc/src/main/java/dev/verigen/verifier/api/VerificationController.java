package dev.verigen.verifier.api;

import dev.verigen.support.problems.ApiProblem;
import dev.verigen.support.problems.FieldError;

import dev.verigen.contracts.CandidateRef;
import dev.verigen.contracts.Verdict;
import dev.verigen.verifier.answers.Text;
import dev.verigen.verifier.jobs.UnknownVerifierException;
import dev.verigen.verifier.jobs.VerificationService;
import dev.verigen.verifier.stats.VerdictStats;
import dev.verigen.verifier.verifiers.InvalidOptionException;
import dev.verigen.verifier.verifiers.OptionInfo;
import dev.verigen.verifier.verifiers.Verifier;
import dev.verigen.verifier.verifiers.VerifierRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Try a verifier before putting it in a pipeline: {@code POST /v1/verifications} runs one candidate through the
 * same verifier beans, metrics and accounting as the Kafka path. {@code GET /v1/verifiers} lists the types and
 * their options; {@code GET /v1/verifiers/{type}/stats} how often each type's verdicts matched ground truth.
 */
@RestController
@RequestMapping(path = "/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class VerificationController {

    private final VerificationRequestParser parser;
    private final VerificationService service;
    private final VerifierRegistry registry;
    private final VerdictStats stats;
    private final ApiProperties limits;

    VerificationController(VerificationRequestParser parser, VerificationService service, VerifierRegistry registry,
                           VerdictStats stats, ApiProperties limits) {
        this.parser = parser;
        this.service = service;
        this.registry = registry;
        this.stats = stats;
        this.limits = limits;
    }

    /** Reads the body itself: its size is capped while reading, and its bytes are checked to be UTF-8. */
    @PostMapping("/verifications")
    Map<String, Object> verify(HttpServletRequest http) throws IOException {
        requireJson(http.getContentType());
        long declared = http.getContentLengthLong();
        if (declared > limits.maxBodyBytes()) {
            throw bodyTooLarge();
        }
        byte[] body;
        try (InputStream in = http.getInputStream()) {
            body = in.readNBytes(limits.maxBodyBytes() + 1);
        }
        if (body.length > limits.maxBodyBytes()) {
            throw bodyTooLarge();
        }
        VerificationRequest request = parser.parse(body);

        long started = System.nanoTime();
        Verdict verdict;
        try {
            verdict = service.verifyOne(request.verifier(), new CandidateRef(UUID.randomUUID(), request.candidate()),
                    request.reference(), request.label());
        } catch (InvalidOptionException e) {
            throw ApiProblem.invalid(VerificationRequestParser.path(e.option()), e.getMessage());
        } catch (UnknownVerifierException e) {
            throw ApiProblem.invalid("verifier.type", e.getMessage());
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", Text.sanitize(request.verifier().type()));
        Map<String, String> options = new LinkedHashMap<>();
        request.verifier().options().forEach((k, v) -> options.put(Text.sanitize(k), Text.sanitize(v)));
        spec.put("options", options);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("verifier", spec);
        response.put("outcome", verdict.outcome().name());
        response.put("extracted", Text.sanitize(verdict.extracted()));
        response.put("evidence", Text.sanitize(verdict.evidence()));
        response.put("elapsedMs", elapsedMs);
        if (request.label() != null) {
            response.put("label", request.label().wire());
        }
        return response;
    }

    @GetMapping("/verifiers")
    Map<String, Object> verifiers() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String type : registry.types()) {
            Verifier v = registry.find(type).orElseThrow();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", type);
            entry.put("description", v.description());
            List<Map<String, Object>> options = new ArrayList<>();
            for (OptionInfo o : v.optionInfo()) {
                Map<String, Object> option = new LinkedHashMap<>();
                option.put("name", o.name());
                option.put("type", o.type());
                option.put("default", o.defaultValue());
                option.put("description", o.description());
                options.add(option);
            }
            entry.put("options", options);
            entry.put("links", Map.of("stats", "/v1/verifiers/" + type + "/stats"));
            list.add(entry);
        }
        return Map.of("verifiers", list);
    }

    @GetMapping("/verifiers/{type}/stats")
    VerdictStats.Snapshot stats(@PathVariable String type) {
        if (registry.find(type).isEmpty()) {
            throw ApiProblem.notFound("no verifier '" + Text.excerpt(type, 64) + "'; available: " + registry.types());
        }
        return stats.snapshot(type);
    }

    private static void requireJson(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (RuntimeException e) {
            type = null;
        }
        boolean json = type != null && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || (type.getType().equals("application") && type.getSubtype().endsWith("+json")));
        if (!json) {
            throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                    "send the body as application/json", List.of(new FieldError("Content-Type", "must be application/json")));
        }
        String charset = type.getParameter("charset");
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                    "the body must be UTF-8", List.of(new FieldError("Content-Type", "charset must be UTF-8")));
        }
    }

    private ApiProblem bodyTooLarge() {
        return ApiProblem.tooLarge(null, "the request body is larger than " + limits.maxBodyBytes() + " bytes");
    }
}
