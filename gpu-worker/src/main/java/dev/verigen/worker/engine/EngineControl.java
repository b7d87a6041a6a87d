package dev.verigen.worker.engine;

/**
 * What a running request hears and tells while it runs: whether it was cancelled, and its samples so far (for
 * requests that asked for progress, {@code EngineRequest.progressTokens() > 0}).
 */
public interface EngineControl {

    /** Never cancelled, reports nothing. */
    EngineControl NONE = new EngineControl() {
        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void progress(int sample, String text, long tokens) {
        }
    };

    /** Whether the job was cancelled: a backend that can stop should stop now and return what it has. */
    boolean cancelled();

    /** Sample {@code sample} has generated {@code tokens} tokens, reading {@code text} so far. */
    void progress(int sample, String text, long tokens);
}
