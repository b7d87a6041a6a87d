package dev.verigen.generator;

import dev.verigen.generator.templates.ChatTemplate;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * @param pools          the model pools this service can dispatch to, by pool name; a job for any other pool is
 *                       answered with an {@code unknown_pool} error
 * @param keyPrefixChars how many leading characters of the rendered prompt decide the Kafka key, i.e. which
 *                       worker of the pool serves it (and can reuse its prefix cache)
 */
@Validated
@ConfigurationProperties("verigen.generator")
public record GeneratorProperties(Map<String, @Valid Pool> pools, @Min(1) Integer keyPrefixChars) {

    public GeneratorProperties {
        pools = pools == null ? Map.of() : Map.copyOf(pools);
        keyPrefixChars = keyPrefixChars == null ? 512 : keyPrefixChars;
    }

    public Optional<Pool> pool(String name) {
        return Optional.ofNullable(pools.get(name));
    }

    /**
     * @param template the chat template of the pool's model family
     * @param stop          stop strings always added to the job's own, e.g. the end of an answer line for QA models
     * @param stepDelimiter what ends one reasoning step of this pool's model; one-step jobs stop there
     */
    public record Pool(@NotNull ChatTemplate template, List<String> stop, String stepDelimiter) {
        // two constructors: tell configuration binding which one it is to use
        @ConstructorBinding
        public Pool {
            stop = stop == null ? List.of() : List.copyOf(stop);
            stepDelimiter = stepDelimiter == null || stepDelimiter.isEmpty() ? "\n" : stepDelimiter;
        }

        public Pool(ChatTemplate template, List<String> stop) {
            this(template, stop, null);
        }
    }
}
