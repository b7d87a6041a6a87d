package dev.verigen.orchestrator.web;

/** Who is calling the API. */
public final class Callers {

    /** Until API keys arrive every caller acts for the default tenant. */
    public static final String DEFAULT_TENANT = "default";

    private Callers() {
    }
}
