package dev.verigen.worker.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * What a sample adds to a partial solution, line by line, with whether the solution is still on track (no slip so
 * far, the partial's own steps included) after each line. A sample is usually cut at a stop string, so its
 * confidence must follow what the returned text says, not what the uncut continuation would have said.
 *
 * @param text           the continuation only, without the partial
 * @param lines          where each line starts in {@code text}, and whether the solution is on track after it
 * @param partialOnTrack whether the partial itself is still on track
 */
record Continuation(String text, List<Line> lines, boolean partialOnTrack) {

    record Line(int start, boolean onTrack) {
    }

    Continuation {
        lines = List.copyOf(lines);
    }

    /** Whether the solution is on track after the first {@code chars} characters of the continuation. */
    boolean onTrackWithin(int chars) {
        boolean onTrack = partialOnTrack;
        for (Line line : lines) {
            if (line.start() >= chars) {
                break;
            }
            onTrack = line.onTrack();
        }
        return onTrack;
    }

    /** Writes lines in the simulator's format, numbering steps on from the partial's numbering. */
    static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private final List<Line> lines = new ArrayList<>();
        private int nextStep;

        /** @param endLineFirst the partial's last line is unterminated: a real model would first end it */
        Builder(int nextStep, boolean endLineFirst) {
            this.nextStep = nextStep;
            if (endLineFirst) {
                text.append(TaskModel.STEP_DELIMITER);
            }
        }

        Builder step(String body, boolean onTrack) {
            return line("Step " + nextStep++ + ": " + body, onTrack);
        }

        Builder answer(long answer, boolean onTrack) {
            return line("Answer: " + answer, onTrack);
        }

        Continuation build(boolean partialOnTrack) {
            return new Continuation(text.toString(), lines, partialOnTrack);
        }

        private Builder line(String line, boolean onTrack) {
            if (!lines.isEmpty()) {
                text.append(TaskModel.STEP_DELIMITER);
            }
            lines.add(new Line(text.length(), onTrack));
            text.append(line);
            return this;
        }
    }
}
