package dev.verigen.reward.http;

import dev.verigen.reward.scoring.Scorer;

/**
 * A kind of remote reward model, selected by {@code verigen.reward.scorers.<name>.type}. Adding a backend is one
 * {@code @Component} implementing this; every scorer configured with its type is built by {@link #create}, put behind
 * the resilience policies and registered under its name.
 */
public interface RewardBackend {

    /** The {@code type} value that selects this backend, e.g. {@code vllm-reward}. */
    String type();

    /**
     * @param name   the scorer's name (jobs select it by this)
     * @param config its configuration
     * @param http   an HTTP client for {@code config.baseUrl()} with the key, timeouts and error mapping in place
     */
    Scorer create(String name, ScorerConfig config, RewardHttp http);
}
