package dev.verigen.gateway.access;

import dev.verigen.support.access.ApiKeyTokens;
import dev.verigen.support.access.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads an API key and takes a slot of its rate limit in one statement, so an authenticated request costs one
 * database round trip and no key row is ever cached: a revoked key is refused from its next request on.
 *
 * <p>The limit is GCRA with its state (the theoretical arrival time {@code tat} of the next request) in
 * {@code rate_limits}, one row per key shared by every gateway instance. With emission interval
 * {@code T = 1 min / requests_per_minute}, a request at {@code now} is admitted when
 * {@code max(tat, now) + T <= now + burst·T}, and then moves {@code tat} to {@code max(tat, now) + T}: a fresh key
 * can make {@code burst} requests at once, then one per {@code T}. The upsert's conflict path holds the row lock and
 * re-reads the newest row, so concurrent requests from any number of instances are counted exactly once; times
 * come from the database clock ({@code now()}), so instances with skewed clocks agree.
 */
@Component
public class ApiKeyStore {

    private static final String SQL = """
            with k as (
                select id, tenant_id, secret_hash, scopes, requests_per_minute, burst, max_body_bytes,
                       revoked_at is not null as revoked,
                       revoked_at is null and secret_hash = ? and (?::text is null or ?::text = any (scopes)
                                                                    or ?::text = 'admin' and 'operator' = any (scopes))
                           as may_take,
                       interval '1 minute' / requests_per_minute as t
                from api_keys
                where id = ?
            ), taken as (
                insert into rate_limits as r (bucket, tat)
                select 'key:' || id, now() + t from k where may_take
                on conflict (bucket) do update
                    set tat = greatest(r.tat, now()) + (select t from k)
                    where greatest(r.tat, now()) + (select t from k) <= now() + (select t * burst from k)
                returning tat
            )
            select k.id, k.tenant_id, k.secret_hash, k.scopes, k.revoked, k.requests_per_minute, k.burst,
                   k.max_body_bytes, taken.tat is not null as admitted,
                   coalesce(floor(extract(epoch from now() + k.t * k.burst - taken.tat)
                                  / extract(epoch from k.t))::int, 0) as remaining,
                   -- when refused: until the bucket (as this statement's snapshot saw it) has room again
                   ceil(1000 * extract(epoch from coalesce((select tat from rate_limits where bucket = 'key:' || k.id),
                                                           now()) + k.t - k.t * k.burst - now()))::bigint
                       as retry_after_ms
            from k left join taken on true
            """;

    private final JdbcTemplate jdbc;
    private final Counter lookups;

    public ApiKeyStore(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.lookups = Counter.builder("verigen.gateway.key.lookups")
                .description("API keys looked up in the database (one query each)").register(meters);
    }

    /**
     * Looks up {@code presented}'s key and, if its secret matches, it is not revoked and it holds {@code needed}
     * (when given), takes a slot of its rate limit. Empty when no key has that id. Runs on a worker thread: JDBC
     * blocks.
     */
    public Mono<Optional<KeyCheck>> check(ApiKeyTokens.Presented presented, Optional<Scope> needed) {
        String scope = needed.map(Scope::wire).orElse(null);
        return Mono.fromCallable(() -> {
            lookups.increment();
            // typed setters: a null left for JdbcTemplate to type would cost a metadata round trip per request
            List<KeyCheck> rows = jdbc.query(SQL, ps -> {
                ps.setBytes(1, presented.secretHash());
                ps.setString(2, scope);
                ps.setString(3, scope);
                ps.setString(4, scope); // an operator key counts as an admin key of every tenant
                ps.setString(5, presented.id());
            }, ApiKeyStore::row);
            return rows.stream().findFirst();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private static KeyCheck row(ResultSet rs, int rowNum) throws SQLException {
        long maxBody = rs.getLong("max_body_bytes");
        Long maxBodyBytes = rs.wasNull() ? null : maxBody;
        boolean admitted = rs.getBoolean("admitted");
        return new KeyCheck(rs.getString("id"), rs.getString("tenant_id"), rs.getBytes("secret_hash"),
                scopes(rs.getArray("scopes")), rs.getBoolean("revoked"), rs.getInt("requests_per_minute"),
                rs.getInt("burst"), maxBodyBytes, admitted, rs.getInt("remaining"),
                admitted ? null : Duration.ofMillis(Math.max(0, rs.getLong("retry_after_ms"))));
    }

    private static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object name : (Object[]) array.getArray()) {
            Scope.fromWire(String.valueOf(name)).ifPresent(scopes::add);
        }
        return scopes;
    }
}
