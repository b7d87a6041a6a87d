package dev.verigen.worker.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a partial solution (the text a step-wise search asks samples to continue) already states, read back from the
 * simulator's own format: the result each operation step stated, how its steps are numbered, and whether it has
 * given its answer. Stated results are taken as written, right or wrong, so a continuation carries a slip on.
 *
 * @param results    the stated result of each operation step in order: the last integer of each line after the
 *                   "We need to compute" line (a line without an integer states none)
 * @param lines      non-blank lines before any answer line
 * @param nextStep   the number the next "Step k:" line gets: one past the last one, else one past the line count
 * @param introduced whether it has the "We need to compute" line
 * @param answered   whether it has an "Answer:" line (then there is nothing left to continue)
 * @param answer     the number the answer line states, when it states one
 * @param endsLine   whether it is empty or ends with a line break, so that the next line starts right away
 */
record PartialSolution(List<Long> results, int lines, int nextStep, boolean introduced, boolean answered,
                       OptionalLong answer, boolean endsLine) {

    static final String INTRO = "We need to compute";

    private static final Pattern STEP = Pattern.compile("Step\\s+(\\d{1,9})\\s*:\\s*(.*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ANSWER = Pattern.compile("Answer\\s*:(.*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");

    PartialSolution {
        results = List.copyOf(results);
    }

    static PartialSolution parse(String partial) {
        List<Long> results = new ArrayList<>();
        int lines = 0;
        int lastStep = 0;
        boolean introduced = false;
        boolean answered = false;
        OptionalLong answer = OptionalLong.empty();
        for (String raw : partial.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher a = ANSWER.matcher(line);
            if (a.matches()) {
                // whatever follows an answer is not part of the solution
                answered = true;
                answer = lastInteger(a.group(1));
                break;
            }
            lines++;
            String content = line;
            Matcher s = STEP.matcher(line);
            if (s.matches()) {
                lastStep = Integer.parseInt(s.group(1));
                content = s.group(2);
            }
            if (content.contains(INTRO)) {
                introduced = true;
                continue;
            }
            lastInteger(content).ifPresent(results::add);
        }
        int nextStep = lastStep > 0 ? lastStep + 1 : lines + 1;
        return new PartialSolution(results, lines, nextStep, introduced, answered, answer, endsLine(partial));
    }

    private static OptionalLong lastInteger(String text) {
        String last = null;
        Matcher m = INTEGER.matcher(text);
        while (m.find()) {
            last = m.group();
        }
        if (last == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(last));
        } catch (NumberFormatException tooLong) {
            // a number no long holds is not one the simulator wrote; read the line as stating nothing
            return OptionalLong.empty();
        }
    }

    private static boolean endsLine(String partial) {
        int end = partial.length();
        while (end > 0 && (partial.charAt(end - 1) == ' ' || partial.charAt(end - 1) == '\t')) {
            end--;
        }
        return end == 0 || partial.charAt(end - 1) == '\n' || partial.charAt(end - 1) == '\r';
    }
}
