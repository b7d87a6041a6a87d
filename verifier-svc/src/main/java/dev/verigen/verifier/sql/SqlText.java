package dev.verigen.verifier.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading SQL out of a candidate, and a small PostgreSQL lexer (strings, {@code E''} escapes, quoted identifiers,
 * dollar quotes, nested block comments, line comments) for what must be known before anything runs: is it one
 * statement, is it a query, does it order its result at the top level.
 */
public final class SqlText {

    /** Statements that only read: a query expression may begin with these (or with parentheses). */
    static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE");

    private static final Pattern SQL_FENCE = Pattern.compile("```[ \\t]*(?:sql|postgres|postgresql|psql)[ \\t]*\\r?\\n(.*?)(?:```|\\z)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private SqlText() {
    }

    /** The last {@code ```sql} fenced block of a candidate (an unclosed last fence runs to the end), else the whole text. */
    public static String extract(String candidate) {
        if (candidate == null) {
            return "";
        }
        Matcher m = SQL_FENCE.matcher(candidate);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return (last == null ? candidate : last).strip();
    }

    /** One statement, ready to run: the text before a trailing {@code ;}, or why it cannot run. */
    public record Checked(String sql, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /** Accepts exactly one query ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code TABLE}); trailing {@code ;}s are dropped. */
    public static Checked checkSingleQuery(String sql) {
        List<Token> tokens = tokens(sql);
        if (tokens.isEmpty()) {
            return new Checked(null, "no SQL statement found");
        }
        int firstSemicolon = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isPunct(';')) {
                if (firstSemicolon < 0) {
                    firstSemicolon = i;
                }
            } else if (firstSemicolon >= 0) {
                return new Checked(null, "only one SQL statement is allowed, found more after ';' at offset "
                        + tokens.get(firstSemicolon).start);
            }
        }
        String body = firstSemicolon < 0 ? sql.strip() : sql.substring(0, tokens.get(firstSemicolon).start).strip();
        List<Token> statement = firstSemicolon < 0 ? tokens : tokens.subList(0, firstSemicolon);
        if (statement.isEmpty()) {
            return new Checked(null, "no SQL statement found");
        }
        Optional<Token> first = statement.stream().filter(t -> !t.isPunct('(')).findFirst();
        if (first.isEmpty() || first.get().kind != Kind.WORD || !QUERY_STARTS.contains(first.get().upper())) {
            String word = first.map(t -> t.text).orElse("(");
            return new Checked(null, "only a query (SELECT, WITH, VALUES, TABLE) is allowed, statement starts with '"
                    + dev.verigen.verifier.answers.Text.excerpt(word, 40) + "'");
        }
        return new Checked(body, null);
    }

    /** Whether the statement has an {@code ORDER BY} outside every parenthesis: its result order is part of its meaning. */
    public static boolean hasTopLevelOrderBy(String sql) {
        int depth = 0;
        Token previous = null;
        for (Token t : tokens(sql)) {
            if (t.isPunct('(') || t.isPunct('[')) {
                depth++;
            } else if (t.isPunct(')') || t.isPunct(']')) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && t.kind == Kind.WORD && t.upper().equals("BY")
                    && previous != null && previous.kind == Kind.WORD && previous.upper().equals("ORDER")) {
                return true;
            }
            previous = t;
        }
        return false;
    }

    enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, PUNCT, PARAM }

    record Token(Kind kind, String text, int start) {
        boolean isPunct(char c) {
            return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    /** Tokens outside comments; an unterminated string, identifier or comment runs to the end (the server will refuse it). */
    static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else if (c == '\'') {
                int end = endOfQuoted(sql, i, '\'', false);
                out.add(new Token(Kind.STRING, sql.substring(i, end), i));
                i = end;
            } else if (c == '"') {
                int end = endOfQuoted(sql, i, '"', false);
                out.add(new Token(Kind.QUOTED_IDENT, sql.substring(i, end), i));
                i = end;
            } else if (c == '$') {
                Matcher tag = DOLLAR_TAG.matcher(sql).region(i, n);
                if (tag.lookingAt()) {
                    String delimiter = tag.group();
                    int close = sql.indexOf(delimiter, i + delimiter.length());
                    int end = close < 0 ? n : close + delimiter.length();
                    out.add(new Token(Kind.STRING, sql.substring(i, end), i));
                    i = end;
                } else {
                    int end = i + 1;
                    while (end < n && Character.isDigit(sql.charAt(end))) {
                        end++;
                    }
                    out.add(new Token(end > i + 1 ? Kind.PARAM : Kind.PUNCT, sql.substring(i, end), i));
                    i = end;
                }
            } else if (Character.isLetter(c) || c == '_' || c > 127) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
                        || sql.charAt(end) == '$' || sql.charAt(end) > 127)) {
                    end++;
                }
                String word = sql.substring(i, end);
                if (end < n && sql.charAt(end) == '\'' && (word.equalsIgnoreCase("E") || word.equalsIgnoreCase("B")
                        || word.equalsIgnoreCase("X") || word.equalsIgnoreCase("N"))) {
                    int close = endOfQuoted(sql, end, '\'', word.equalsIgnoreCase("E"));
                    out.add(new Token(Kind.STRING, sql.substring(i, close), i));
                    i = close;
                } else if (end + 1 < n && word.equalsIgnoreCase("U") && sql.charAt(end) == '&'
                        && (sql.charAt(end + 1) == '\'' || sql.charAt(end + 1) == '"')) {
                    char q = sql.charAt(end + 1);
                    int close = endOfQuoted(sql, end + 1, q, false);
                    out.add(new Token(q == '\'' ? Kind.STRING : Kind.QUOTED_IDENT, sql.substring(i, close), i));
                    i = close;
                } else {
                    out.add(new Token(Kind.WORD, word, i));
                    i = end;
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.' || sql.charAt(end) == '_')) {
                    end++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, end), i));
                i = end;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), i));
                i++;
            }
        }
        return out;
    }

    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$(?:[A-Za-z_\\u0080-\\uFFFF][A-Za-z0-9_\\u0080-\\uFFFF]*)?\\$");

    /** Index just past the closing quote at or after {@code open}; doubled quotes escape, and backslashes in E'' strings. */
    private static int endOfQuoted(String sql, int open, char quote, boolean backslashEscapes) {
        int n = sql.length();
        int i = open + 1;
        while (i < n) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }
}
