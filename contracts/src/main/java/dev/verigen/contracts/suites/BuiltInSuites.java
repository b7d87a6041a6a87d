package dev.verigen.contracts.suites;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The suites that ship with Verigen. Generated suites are seeded, so a suite name always means the same questions;
 * stored suites ({@code text2sql}, {@code code}) are JSONL resources next to this class, read once. The stored
 * suites also carry the simulator's answers ({@link SimulatedAnswers}); {@link SuiteItem} stays the experiment form.
 */
public final class BuiltInSuites {

    /** {@code arith}: two-digit additions and subtractions in the layout the arith-tiny models were trained on. */
    public static final String ARITH = "arith";
    /** {@code sim-math}: 2–6 operation integer arithmetic whose latent difficulty the simulator draws per prompt. */
    public static final String SIM_MATH = "sim-math";

    /** {@code text2sql}: questions over verifier-svc's sample schema {@code shop}, graded by {@code sql_execution}. */
    public static final String TEXT2SQL = "text2sql";
    /** {@code code}: small Python functions, graded by {@code code_tests} against the reference's unit tests. */
    public static final String CODE = "code";

    public static final int ARITH_SIZE = 300;
    public static final int SIM_MATH_SIZE = 200;
    public static final long SIM_MATH_SEED = 7;
    public static final int TEXT2SQL_SIZE = 30;
    public static final int CODE_SIZE = 20;

    /**
     * The default pool of the stored suites: the engine simulator answers their items (gold or plausible wrong
     * answers, {@link SimulatedAnswers}) in any pool it serves, and {@code sim-math} is the simulator pool
     * {@code ./verigen up} runs.
     */
    public static final String SIM_POOL = "sim-math";

    /**
     * verifier-svc's sample schema {@code shop} as a text2sql prompt gives it to the model: one line per table, then
     * the values of the enumerated columns. No blank line, so role materials that quote the task
     * ({@code "Task:\n<task>\n\n..."}) keep the whole prompt.
     */
    public static final String SHOP_SCHEMA = """
            Schema shop (PostgreSQL), three tables:
            customers(id integer primary key, name text not null, email text not null unique, city text null, \
            country text not null, signup_date date not null)
            products(id integer primary key, name text not null, category text not null, price numeric(10,2) not null, \
            stock integer not null)
            orders(id integer primary key, customer_id integer not null references customers(id), \
            product_id integer not null references products(id), quantity integer not null, order_date date not null, \
            status text not null)
            products.category is one of 'electronics', 'kitchen', 'books', 'home'; \
            orders.status is one of 'pending', 'shipped', 'delivered', 'cancelled'.""";

    private static final char[] OPS = {'+', '-', '*'};

    private BuiltInSuites() {
    }

    public static List<String> names() {
        return List.of(ARITH, SIM_MATH, TEXT2SQL, CODE);
    }

    public static Optional<Suite> byName(String name) {
        return switch (name == null ? "" : name) {
            case ARITH -> Optional.of(arith(ARITH_SIZE, 1));
            case SIM_MATH -> Optional.of(simMath(SIM_MATH_SIZE, SIM_MATH_SEED));
            case TEXT2SQL -> Optional.of(Stored.TEXT2SQL.suite());
            case CODE -> Optional.of(Stored.CODE.suite());
            default -> Optional.empty();
        };
    }

    /** A text2sql item's prompt: the instruction, {@link #SHOP_SCHEMA}, the question, and the answer format. */
    public static String text2sqlPrompt(String question) {
        return "Write one PostgreSQL query that answers the question over the schema below.\n" + SHOP_SCHEMA
                + "\nQuestion: " + question.strip() + "\nAnswer with the query in a ```sql block.";
    }

    /** A code item's prompt: the function's signature and docstring (its spec) in a ```python block. */
    public static String codePrompt(String stub) {
        return "Write the Python function below in full; only the standard library is available.\n```python\n"
                + stub.strip() + "\n```\nAnswer with the complete function in a ```python block.";
    }

    /** Distinct questions; operands 10–99, '+' twice as often as '−', subtraction never negative: the models' training distribution. */
    public static Suite arith(int count, long seed) {
        var random = new SplittableRandom(seed);
        List<SuiteItem> items = new ArrayList<>(count);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (items.size() < count) {
            int a = random.nextInt(10, 100);
            int b = random.nextInt(10, 100);
            boolean plus = random.nextInt(3) > 0;
            int hi = Math.max(a, b);
            int lo = Math.min(a, b);
            String question = plus ? a + " + " + b : hi + " - " + lo;
            long answer = plus ? a + b : hi - lo;
            if (!seen.add(question)) {
                continue; // a repeated question would count twice in every metric
            }
            items.add(new SuiteItem("arith-" + items.size(), "What is " + question + "? Answer with just the number.",
                    Long.toString(answer), TaskKind.NUMERIC.wireName()));
        }
        return new Suite(ARITH, "two-digit + and - in arith-tiny's training layout; numeric verifier", "arith-tiny",
                TaskKind.NUMERIC, items);
    }

    /** Expressions of 2–6 operations over + − ×, × binding tighter; the reference is the exact integer value. */
    public static Suite simMath(int count, long seed) {
        var random = new SplittableRandom(seed);
        List<SuiteItem> items = new ArrayList<>(count);
        while (items.size() < count) {
            int ops = 2 + random.nextInt(5);
            List<Long> operands = new ArrayList<>();
            List<Character> operators = new ArrayList<>();
            long first = 2 + random.nextInt(98);
            operands.add(first);
            StringBuilder expr = new StringBuilder().append(first);
            for (int i = 0; i < ops; i++) {
                char op = OPS[random.nextInt(OPS.length)];
                long operand = op == '*' ? 2 + random.nextInt(11) : 2 + random.nextInt(98);
                operators.add(op);
                operands.add(operand);
                expr.append(' ').append(op).append(' ').append(operand);
            }
            items.add(new SuiteItem("sim-math-" + items.size(), "Compute " + expr + ".",
                    Long.toString(evaluate(operands, operators)), TaskKind.NUMERIC.wireName()));
        }
        return new Suite(SIM_MATH, "integer arithmetic of 2-6 operations with heterogeneous latent difficulty "
                + "(simulator)", "sim-math", TaskKind.NUMERIC, items);
    }

    private static long evaluate(List<Long> operands, List<Character> operators) {
        List<Long> terms = new ArrayList<>();
        List<Character> signs = new ArrayList<>();
        long term = operands.getFirst();
        for (int i = 0; i < operators.size(); i++) {
            char op = operators.get(i);
            long next = operands.get(i + 1);
            if (op == '*') {
                term *= next;
            } else {
                terms.add(term);
                signs.add(op);
                term = next;
            }
        }
        terms.add(term);
        long value = terms.getFirst();
        for (int i = 0; i < signs.size(); i++) {
            value = signs.get(i) == '+' ? value + terms.get(i + 1) : value - terms.get(i + 1);
        }
        return value;
    }
}
