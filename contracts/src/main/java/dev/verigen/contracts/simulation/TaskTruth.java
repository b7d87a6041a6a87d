package dev.verigen.contracts.simulation;

import dev.verigen.contracts.simulation.ArithmeticOracle.Solution;
import dev.verigen.contracts.simulation.ArithmeticOracle.Step;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a task asks, read from the task text alone — never from a reference answer — so that the SIMULATED engine
 * and the SIMULATED reward models of the platform agree on it the way a real model and a real reward model both see
 * the question: the value of an integer arithmetic expression ({@link ArithmeticOracle}), or the gold answer of a
 * built-in suite item ({@link SuiteAnswers}). Any other task is {@link Kind#UNKNOWN}: nobody in the simulation can
 * judge it (the engine states a made-up answer of its own, which no reward model knows).
 *
 * <p>Each task also has a few <em>misconceptions</em>: wrong answers that a model is drawn to (a slip a model tends
 * to make at one particular step, carried through; or one of a suite item's plausible wrong answers), each with an
 * appeal. They are a property of the task, the same in every service: the engine's wrong samples fall into them more
 * often than into fresh slips (correlated wrong answers across samples), and the simulated reward models, judges and
 * likelihoods rate them higher than other wrong answers (errors that are not independent of the sampler's). How much
 * each of these matters is each simulator's own setting.
 */
public final class TaskTruth {

    /** How many misconceptions a task has (fewer when its answer space is too small for distinct ones). */
    public static final int MISCONCEPTIONS = 3;

    private static final long SALT = 0x3a1ce7L;
    private static final long MADE_UP_SALT = 0x3adeL;
    private static final int CACHE = 4096;
    private static final ArithmeticOracle ORACLE = new ArithmeticOracle();
    private static final Pattern ANSWER = Pattern.compile(
            "(?i)(?:####|\\banswer\\b\\s*(?:is\\b)?\\s*[:：]?)\\s*\\(?\\s*(-?\\d[\\d,]*(?:\\.\\d+)?)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?");
    private static final Map<String, TaskTruth> CACHED = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TaskTruth> eldest) {
                    return size() > CACHE;
                }
            });

    /** How the task's correct answer is known. */
    public enum Kind { ARITHMETIC, SUITE, UNKNOWN }

    /**
     * One operation a model gets wrong: the {@code step}-th operation of the solution (in evaluation order) stated as
     * {@code left op right = result} with a wrong result.
     */
    public record Slip(int step, long left, char op, long right, long result) {
    }

    /**
     * A wrong answer the model is drawn to.
     *
     * @param answer the final answer it states: a number for arithmetic, the answer's body for a suite item
     * @param weight its share of the misconceptions (the weights sum to 1): how often a sample that falls into one
     *               falls into this one
     * @param appeal its weight relative to the most appealing one (1 for that one): how convincing it is to a
     *               reward model or judge that shares the sampler's blind spots
     * @param slip   for arithmetic, the slip that leads to it; null for a suite item
     */
    public record Misconception(int index, String answer, double weight, double appeal, Slip slip) {
    }

    /**
     * What a candidate states, judged against the task.
     *
     * @param correct      whether its answer is the task's; null when the task cannot be judged ({@link Kind#UNKNOWN})
     *                     or the text states no answer at all
     * @param misconception the misconception its answer is, or null
     */
    public record Judgement(Boolean correct, Misconception misconception) {
        static final Judgement UNKNOWN = new Judgement(null, null);

        /** The misconception's appeal, 0 when the answer is right or a fresh slip. */
        public double appeal() {
            return misconception == null ? 0 : misconception.appeal();
        }
    }

    private final String task;
    private final Kind kind;
    private final Solution solution;
    private final SuiteAnswers.Known item;
    private final long madeUp;
    private final List<Misconception> misconceptions;

    private TaskTruth(String task) {
        this.task = task;
        this.item = SuiteAnswers.builtIn().find(task).orElse(null);
        this.solution = item != null ? null : ORACLE.solve(task).orElse(null);
        this.kind = item != null ? Kind.SUITE : solution != null ? Kind.ARITHMETIC : Kind.UNKNOWN;
        this.madeUp = 10 + Math.floorMod(Seeds.mix(Seeds.hash(task), MADE_UP_SALT), 990);
        this.misconceptions = List.copyOf(switch (kind) {
            case ARITHMETIC -> arithmeticMisconceptions();
            case SUITE -> suiteMisconceptions();
            case UNKNOWN -> numberMisconceptions(madeUp);
        });
    }

    /** The truth of {@code task} (the task text as a model sees it, untemplated); cached, as it is asked often. */
    public static TaskTruth of(String task) {
        String key = task == null ? "" : task;
        TaskTruth known = CACHED.get(key);
        if (known == null) {
            known = new TaskTruth(key);
            CACHED.put(key, known);
        }
        return known;
    }

    public String task() {
        return task;
    }

    public Kind kind() {
        return kind;
    }

    public boolean judgeable() {
        return kind != Kind.UNKNOWN;
    }

    public Optional<Solution> solution() {
        return Optional.ofNullable(solution);
    }

    public Optional<SuiteAnswers.Known> suiteItem() {
        return Optional.ofNullable(item);
    }

    /**
     * The number the engine simulator treats as right for a task nobody can read: stable per task, and known to no
     * reward model. For an arithmetic task, its value.
     */
    public long numericAnswer() {
        return solution != null ? solution.answer() : madeUp;
    }

    public List<Misconception> misconceptions() {
        return misconceptions;
    }

    /** Picks a misconception by weight with {@code random}. */
    public Misconception drawMisconception(SplittableRandom random) {
        double u = random.nextDouble();
        for (Misconception m : misconceptions) {
            u -= m.weight();
            if (u < 0) {
                return m;
            }
        }
        return misconceptions.getLast();
    }

    /** The misconception whose slip is this stated operation, if any (a process reward model reads steps). */
    public Optional<Misconception> misconceptionAt(long left, char op, long right, long result) {
        for (Misconception m : misconceptions) {
            Slip s = m.slip();
            if (s != null && s.left() == left && s.op() == op && s.right() == right && s.result() == result) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * Judges what {@code text} states as its final answer: a suite item's last fenced block; for arithmetic the number
     * after its last answer marker ("Answer:", "the answer is", "####"), else its last number. A task that cannot be
     * judged, or a text with no answer, gives {@code correct == null}.
     */
    public Judgement judge(String text) {
        if (kind == Kind.UNKNOWN) {
            return Judgement.UNKNOWN;
        }
        if (kind == Kind.SUITE) {
            SuiteAnswers answers = SuiteAnswers.builtIn();
            if (answers.correct(item, text)) {
                return new Judgement(true, null);
            }
            for (Misconception m : misconceptions) {
                if (answers.same(item, text, m.answer())) {
                    return new Judgement(false, m);
                }
            }
            return new Judgement(false, null);
        }
        Optional<BigDecimal> stated = statedNumber(text);
        if (stated.isEmpty()) {
            return Judgement.UNKNOWN;
        }
        if (stated.get().compareTo(BigDecimal.valueOf(solution.answer())) == 0) {
            return new Judgement(true, null);
        }
        for (Misconception m : misconceptions) {
            if (stated.get().compareTo(new BigDecimal(m.answer())) == 0) {
                return new Judgement(false, m);
            }
        }
        return new Judgement(false, null);
    }

    /** The number {@code text} states as its answer: after its last answer marker, else its last number. */
    public static Optional<BigDecimal> statedNumber(String text) {
        String tail = text.length() > 65_536 ? text.substring(text.length() - 65_536) : text;
        String last = null;
        Matcher m = ANSWER.matcher(tail);
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            Matcher n = NUMBER.matcher(tail);
            while (n.find()) {
                last = n.group();
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(last.replace(",", "")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private List<Misconception> arithmeticMisconceptions() {
        List<Step> steps = solution.steps();
        Map<Long, Slip> found = new LinkedHashMap<>();
        for (int attempt = 0; attempt < 4 * MISCONCEPTIONS && found.size() < MISCONCEPTIONS; attempt++) {
            SplittableRandom random = Seeds.random(SALT, Seeds.hash(task), attempt);
            int at = random.nextInt(steps.size());
            Step step = steps.get(at);
            long wrong = PlausibleErrors.wrong(step.left(), step.op(), step.right(), step.result(), random);
            long answer;
            try {
                answer = solution.replay((i, l, op, r, right) -> i == at ? wrong : right).getLast().result();
            } catch (ArithmeticException overflow) {
                continue;
            }
            if (answer != solution.answer() && !found.containsKey(answer)) {
                found.put(answer, new Slip(at, step.left(), step.op(), step.right(), wrong));
            }
        }
        List<String> answers = found.keySet().stream().map(String::valueOf).toList();
        return weigh(answers, new ArrayList<>(found.values()));
    }

    private List<Misconception> suiteMisconceptions() {
        List<String> wrong = item.answers().wrong();
        return weigh(wrong.subList(0, Math.min(MISCONCEPTIONS, wrong.size())), null);
    }

    private List<Misconception> numberMisconceptions(long reference) {
        List<String> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 4 * MISCONCEPTIONS && answers.size() < MISCONCEPTIONS; attempt++) {
            long wrong = PlausibleErrors.wrong(reference, Seeds.random(SALT, Seeds.hash(task), attempt));
            if (!answers.contains(String.valueOf(wrong))) {
                answers.add(String.valueOf(wrong));
            }
        }
        return weigh(answers, null);
    }

    /** Weights ~ sorted Exp(1) draws, seeded by the task: one misconception usually dominates, as in real models. */
    private List<Misconception> weigh(List<String> answers, List<Slip> slips) {
        int k = answers.size();
        double[] raw = new double[k];
        SplittableRandom random = Seeds.random(SALT, Seeds.hash(task), 0x3e16L);
        for (int i = 0; i < k; i++) {
            raw[i] = -Math.log(1 - random.nextDouble());
        }
        java.util.Arrays.sort(raw);
        double sum = 0;
        for (double r : raw) {
            sum += r;
        }
        List<Misconception> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            double r = raw[k - 1 - i]; // descending: the first misconception is the most appealing
            out.add(new Misconception(i, answers.get(i), r / sum, r / raw[k - 1], slips == null ? null : slips.get(i)));
        }
        return out;
    }
}
