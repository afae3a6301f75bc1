package billswitch.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Payments as the back office watches them, over a recent range (the last hour, day or week): how many per time
 * bucket and status, success rate and p95 time to a final state per operator and per upstream (the connector of the
 * order's last attempt), and the open backlog by age. Grouped reads over the range only (orders' created_at has a
 * BRIN index, V22), never on the payment path. Bill fetches are not payments and are left out.
 */
@Service
public class PaymentStatistics {
    private static final String FINAL = "('SUCCESS', 'FAILED', 'REFUNDED')";

    private final JdbcClient jdbc;

    PaymentStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A range ending now, and the bucket (a date_trunc unit) its chart counts in. */
    public enum Range {
        HOUR(Duration.ofHours(1), "minute"), DAY(Duration.ofDays(1), "hour"), WEEK(Duration.ofDays(7), "hour");

        private final Duration length;
        private final String bucket;

        Range(Duration length, String bucket) {
            this.length = length;
            this.bucket = bucket;
        }

        public Duration length() {
            return length;
        }

        /** The chart's bucket: minute or hour. */
        public String bucket() {
            return bucket;
        }
    }

    /** Payments made in one bucket (its start) with one status. */
    public record Bucket(Instant at, String status, long payments) {
    }

    /**
     * An operator's or upstream's payments in the range: all, succeeded, failed (declined or refunded), still open;
     * the success rate among those final (null: none final yet) and the 95th percentile of the time from creation to
     * the final state, in milliseconds (null: none final).
     */
    public record Group(String name, long payments, long succeeded, long failed, long open, Double successRate,
                        Long p95Millis) {
    }

    /** Orders still open in one status (INITIATED, PENDING, UNKNOWN, NEEDS_REVIEW), by age now. */
    public record Backlog(String status, long underOneMinute, long oneToFiveMinutes, long fiveToSixtyMinutes,
                          long oneToTwentyFourHours, long overADay) {
        public long total() {
            return underOneMinute + oneToFiveMinutes + fiveToSixtyMinutes + oneToTwentyFourHours + overADay;
        }
    }

    public record Overview(Range range, Instant from, Instant to, String partnerId, long payments,
                           double paymentsPerMinute, List<Bucket> buckets, List<Group> operators, List<Group> upstreams,
                           List<Backlog> backlog) {
    }

    /** The range's figures; {@code partnerId} (null: every partner) narrows them to one partner. */
    public Overview overview(Range range, String partnerId) {
        Instant to = Instant.now();
        Instant from = to.minus(range.length());
        String where = "o.kind <> 'BILL_FETCH' and o.created_at >= :from and o.created_at < :to"
                + (partnerId == null ? "" : " and o.partner_id = :partner");
        List<Bucket> buckets = params(jdbc.sql("select date_trunc('" + range.bucket() + "', o.created_at), o.status, count(*)"
                + " from orders o where " + where + " group by 1, 2 order by 1, 2"), from, to, partnerId)
                .query((rs, n) -> new Bucket(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getLong(3)))
                .list();
        List<Group> operators = params(jdbc.sql("select o.operator_id, " + FIGURES + " from orders o where " + where
                + " group by 1 order by 2 desc, 1 limit 100"), from, to, partnerId).query(PaymentStatistics::group).list();
        List<Group> upstreams = params(jdbc.sql("select coalesce(a.connector, '(none)'), " + FIGURES + " from orders o"
                + " left join lateral (select connector from attempts where order_id = o.id order by id desc limit 1) a on true"
                + " where " + where + " group by 1 order by 2 desc, 1 limit 100"), from, to, partnerId)
                .query(PaymentStatistics::group).list();
        long payments = buckets.stream().mapToLong(Bucket::payments).sum();
        return new Overview(range, from, to, partnerId, payments, payments / (double) range.length().toMinutes(), buckets,
                operators, upstreams, backlog(partnerId));
    }

    private static final String FIGURES = """
            count(*), count(*) filter (where o.status = 'SUCCESS'),
            count(*) filter (where o.status in ('FAILED', 'REFUNDED')),
            count(*) filter (where o.status not in %s),
            percentile_cont(0.95) within group (order by extract(epoch from o.finished_at - o.created_at))
                filter (where o.status in %s and o.finished_at is not null)""".formatted(FINAL, FINAL);

    private static Group group(ResultSet rs, int n) throws SQLException {
        long succeeded = rs.getLong(3);
        long failed = rs.getLong(4);
        double p95 = rs.getDouble(6);
        boolean none = rs.wasNull();
        return new Group(rs.getString(1), rs.getLong(2), succeeded, failed, rs.getLong(5),
                succeeded + failed == 0 ? null : succeeded / (double) (succeeded + failed),
                none ? null : Math.round(p95 * 1000));
    }

    /**
     * The open orders now, by status and age: each status's own partial index (orders_due, orders_needs_review) keeps
     * this to the open orders, however many closed ones there are.
     */
    private List<Backlog> backlog(String partnerId) {
        String ages = """
                select o.status,
                       count(*) filter (where o.created_at > now() - interval '1 minute'),
                       count(*) filter (where o.created_at <= now() - interval '1 minute' and o.created_at > now() - interval '5 minutes'),
                       count(*) filter (where o.created_at <= now() - interval '5 minutes' and o.created_at > now() - interval '1 hour'),
                       count(*) filter (where o.created_at <= now() - interval '1 hour' and o.created_at > now() - interval '1 day'),
                       count(*) filter (where o.created_at <= now() - interval '1 day')
                from orders o where %s""" + (partnerId == null ? "" : " and o.partner_id = :partner") + " group by 1";
        String sql = ages.formatted("o.status in ('INITIATED', 'PENDING', 'UNKNOWN')") + " union all "
                + ages.formatted("o.status = 'NEEDS_REVIEW'");
        JdbcClient.StatementSpec spec = jdbc.sql(sql);
        if (partnerId != null) {
            spec = spec.param("partner", partnerId);
        }
        List<Backlog> found = spec.query((rs, n) -> new Backlog(rs.getString(1), rs.getLong(2), rs.getLong(3),
                rs.getLong(4), rs.getLong(5), rs.getLong(6))).list();
        return List.of("INITIATED", "PENDING", "UNKNOWN", "NEEDS_REVIEW").stream()
                .map(s -> found.stream().filter(b -> b.status().equals(s)).findFirst()
                        .orElse(new Backlog(s, 0, 0, 0, 0, 0)))
                .toList();
    }

    private static JdbcClient.StatementSpec params(JdbcClient.StatementSpec spec, Instant from, Instant to, String partnerId) {
        spec = spec.param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC));
        return partnerId == null ? spec : spec.param("partner", partnerId);
    }
}
