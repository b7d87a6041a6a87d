package dev.verigen.verifier.sql;

import dev.verigen.verifier.answers.Text;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.stream.Collectors;

/** What running one query in the sandbox gave: rows, or why there are none. */
public sealed interface QueryResult {

    /** Rows in the order the server sent them; values normalised by {@link Cell}. */
    record Rows(List<String> columns, List<List<Cell>> rows) implements QueryResult {
        public Rows {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    /** The query did not give rows; {@code message} is the evidence. */
    record Failed(Failure kind, String message) implements QueryResult {
    }

    enum Failure {
        /** the server refused or aborted the statement: syntax, permission, read-only, limits */
        SQL_ERROR,
        /** the statement ran past the statement timeout */
        TIMEOUT,
        /** more rows than the limit */
        TOO_MANY_ROWS,
        /** more bytes than the result size limit */
        TOO_LARGE,
        /** not one query: several statements, or a statement that is not a query */
        NOT_A_QUERY,
        /** the sandbox could not be reached or failed; nothing is known about the query */
        UNAVAILABLE
    }

    /**
     * One value, normalised for comparison: numbers by value (integers exactly, fractions to 12 significant digits,
     * so {@code float8} and {@code numeric} arithmetic agree), booleans as booleans, NULL as NULL, everything else
     * (text, dates, arrays, json...) by its exact PostgreSQL text form.
     */
    record Cell(char kind, String value) {
        static final Cell NULL = new Cell('0', "");
        static final char NUMBER = 'n';
        static final char BOOLEAN = 'b';
        static final char TEXT = 't';
        private static final MathContext FRACTION_DIGITS = new MathContext(12, RoundingMode.HALF_EVEN);

        static Cell number(String text) {
            try {
                BigDecimal d = new BigDecimal(text.strip()).stripTrailingZeros();
                if (d.scale() > 0) {
                    d = d.round(FRACTION_DIGITS).stripTrailingZeros();
                }
                return new Cell(NUMBER, d.signum() == 0 ? "0" : d.toPlainString());
            } catch (NumberFormatException e) {
                return new Cell(NUMBER, text.strip()); // NaN, Infinity, money's "$1.00"
            }
        }

        static Cell bool(String text) {
            return new Cell(BOOLEAN, "t".equals(text) || "true".equalsIgnoreCase(text) ? "true" : "false");
        }

        static Cell text(String text) {
            return new Cell(TEXT, text);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case '0' -> "NULL";
                case TEXT -> "'" + Text.excerpt(value, 60) + "'";
                default -> Text.excerpt(value, 60);
            };
        }
    }

    static String show(List<Cell> row) {
        return Text.excerpt(row.stream().map(Cell::toString).collect(Collectors.joining(", ", "(", ")")), 300);
    }
}
