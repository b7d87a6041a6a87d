package dev.verigen.gateway.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A run's jobs on one time axis, for an SVG drawn on the server: one row per step (dispatch order), from dispatch to
 * answer, split into the time it waited (queues, routing, other jobs ahead) and the engine's own time as the worker
 * measured it. At most {@link #MAX_ROWS} rows; the rest are counted.
 */
public final class Timeline {

    static final int MAX_ROWS = 300;
    static final int WIDTH = 760;
    static final int LABEL = 190;
    static final int ROW = 16;

    /**
     * @param service   which service ran it (gpu-worker pool, verifier-svc, reward-model-svc)
     * @param waitMs    from dispatch until the engine started (total minus engine time)
     * @param engineMs  the engine's own time
     */
    public record Row(int y, String name, String service, String status, long waitMs, long engineMs, long totalMs,
                      int x, int waitWidth, int engineWidth, String css, String title) {
    }

    public record Drawing(List<Row> rows, int width, int height, long spanMs, int hidden, List<Tick> ticks) {
    }

    public record Tick(int x, String label) {
    }

    private Timeline() {
    }

    @SuppressWarnings("unchecked")
    public static Drawing of(Map<String, Object> trace) {
        List<Map<String, Object>> steps = (List<Map<String, Object>>) trace.getOrDefault("steps", List.of());
        Instant start = instant(trace.get("createdAt"));
        Instant now = Instant.now();
        Instant end = start;
        for (Map<String, Object> s : steps) {
            Instant done = s.get("completedAt") == null ? now : instant(s.get("completedAt"));
            if (done.isAfter(end)) {
                end = done;
            }
        }
        long span = Math.max(1, Duration.between(start, end).toMillis());
        double scale = (double) (WIDTH - LABEL - 10) / span;
        List<Row> rows = new ArrayList<>();
        int shown = Math.min(MAX_ROWS, steps.size());
        for (int i = 0; i < shown; i++) {
            Map<String, Object> s = steps.get(i);
            Instant created = instant(s.get("createdAt"));
            boolean pending = s.get("completedAt") == null;
            Instant done = pending ? now : instant(s.get("completedAt"));
            long total = Math.max(0, Duration.between(created, done).toMillis());
            long engine = 0;
            if (s.get("usage") instanceof Map<?, ?> u && u.get("engineMs") instanceof Number n) {
                engine = Math.min(total, n.longValue());
            }
            long wait = total - engine;
            int x = LABEL + (int) Math.round(Duration.between(start, created).toMillis() * scale);
            int ww = Math.max(1, (int) Math.round(wait * scale));
            int ew = engine == 0 ? 0 : Math.max(1, (int) Math.round(engine * scale));
            String kind = Objects.toString(s.get("kind"), "");
            String service = switch (kind) {
                case "GENERATION" -> "gpu-worker " + Objects.toString(s.get("pool"), "");
                case "VERIFICATION" -> "verifier-svc " + Objects.toString(s.get("verifier"), "");
                case "SCORING" -> "reward-model-svc " + Objects.toString(s.get("scorer"), "");
                default -> kind;
            };
            String status = Objects.toString(s.get("status"), "");
            String name = "#" + s.get("seq") + " " + kind.toLowerCase(Locale.ROOT)
                          + (s.get("label") == null || s.get("label").toString().isBlank() ? "" : " " + s.get("label"));
            String title = name + " on " + service.strip() + ": " + status.toLowerCase(Locale.ROOT) + ", waited "
                           + wait + " ms, engine " + engine + " ms" + (pending ? " (still running)" : "");
            rows.add(new Row(10 + i * ROW, name.length() > 30 ? name.substring(0, 29) + "…" : name, service.strip(),
                    status, wait, engine, total, x, ww, ew, "step " + kind.toLowerCase(Locale.ROOT) + " "
                    + status.toLowerCase(Locale.ROOT), title));
        }
        List<Tick> ticks = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            long ms = span * t / 4;
            ticks.add(new Tick(LABEL + (int) Math.round(ms * scale), ms < 10_000 ? ms + " ms"
                    : String.format(Locale.ROOT, "%.1f s", ms / 1000.0)));
        }
        return new Drawing(rows, WIDTH, 30 + shown * ROW, span, steps.size() - shown, ticks);
    }

    static Instant instant(Object o) {
        return o == null ? Instant.now() : Instant.parse(o.toString());
    }
}
