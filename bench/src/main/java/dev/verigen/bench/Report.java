package dev.verigen.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table plus notes, printed and optionally written into its own section of BENCHMARKS.md. */
public final class Report {

    static final String MACHINE = "2 cores, 24 GiB, shared with other work (noisy): compare ratios within one run, "
            + "not absolute figures across runs";

    private final String section;
    private final String title;
    private final StringBuilder body = new StringBuilder();

    public Report(String section, String title) {
        this.section = section;
        this.title = title;
    }

    public Report para(String text) {
        body.append(text).append("\n\n");
        return this;
    }

    public Report table(List<String> header, List<List<String>> rows) {
        body.append("| ").append(String.join(" | ", header)).append(" |\n");
        body.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            body.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        body.append('\n');
        return this;
    }

    String markdown(String command) {
        return "### " + title + "\n\n"
                + "Measured " + LocalDate.now() + " on " + MACHINE + ".\n"
                + "Reproduce: `" + command + "`\n\n"
                + body.toString().stripTrailing() + "\n";
    }

    /** Prints the section; with {@code --write} replaces it between its markers in BENCHMARKS.md. */
    public void emit(String command, boolean write) throws IOException {
        String md = markdown(command);
        System.out.println(md);
        if (write) {
            Path file = benchmarksFile();
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
            Files.writeString(file, replaceSection(text, section, md), StandardCharsets.UTF_8);
            System.out.println("wrote section '" + section + "' of " + file);
        }
    }

    static String replaceSection(String text, String section, String md) {
        String open = "<!-- bench:" + section + " -->";
        String close = "<!-- /bench:" + section + " -->";
        int a = text.indexOf(open);
        int b = text.indexOf(close);
        String block = open + "\n" + md + close;
        if (a < 0 || b < a) {
            return text.stripTrailing() + "\n\n" + block + "\n";
        }
        return text.substring(0, a) + block + text.substring(b + close.length());
    }

    static Path benchmarksFile() {
        String root = System.getenv("VERIGEN_ROOT");
        return Path.of(root == null || root.isBlank() ? "." : root).resolve("BENCHMARKS.md");
    }

    /** The command line that reproduces this run. */
    static String command(String name, String[] args) {
        List<String> parts = new ArrayList<>(List.of("./verigen", "bench", name));
        for (String a : args) {
            parts.add(a);
        }
        if (!parts.contains("--write")) {
            parts.add("--write");
        }
        return String.join(" ", parts);
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String x(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", v * 100);
    }
}
