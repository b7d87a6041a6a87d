package dev.verigen.orchestrator.openai;

import java.time.Duration;
import java.util.UUID;

/**
 * A run a chat completion started and now waits for.
 *
 * @param model   the model name as the client wrote it (answers echo it)
 * @param created epoch seconds, for every object of the answer
 * @param timeout how long to wait before cancelling the run
 */
record StartedRun(UUID id, String tenant, ChatRequest request, String model, long created, Duration timeout) {

    String completionId() {
        return ChatWire.id(id);
    }
}
