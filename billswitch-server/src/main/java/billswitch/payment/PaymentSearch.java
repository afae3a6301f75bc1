package billswitch.payment;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Finding payments for the back office: by transaction id (any date), or within a date range by reference, account
 * number, partner, operator and status; newest first, a page at a time (keyset on the order id). Bill fetches are not
 * payments and are left out. A date range is required and bounded, so a search reads that range (orders' created_at
 * has a BRIN index, V22), never the whole table.
 */
@Service
public class PaymentSearch {
    public static final int PAGE = 50;
    public static final Duration LONGEST_RANGE = Duration.ofDays(93);

    private final JdbcClient jdbc;

    PaymentSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every filter is optional but the range; {@code beforeId}: the previous page's last id. */
    public record Filter(Long orderId, String reference, String accountNumber, String partnerId, String operatorId,
                         OrderStatus status, Instant from, Instant to, Long beforeId) {
    }

    public record Row(long id, String partnerId, String reference, String kind, String status, String operatorId,
                      String accountNumber, long amountMinor, String currency, Instant createdAt, Instant finishedAt) {
    }

    /** A page of payments; {@code next} is the id to page on from (null: the last page). */
    public record Page(List<Row> rows, Long next) {
    }

    public Page search(Filter f) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (f.from() == null) {
            problems.put("from", "must be given");
        }
        if (f.to() == null) {
            problems.put("to", "must be given");
        }
        if (f.from() != null && f.to() != null) {
            if (!f.from().isBefore(f.to())) {
                problems.put("to", "must be after from");
            } else if (Duration.between(f.from(), f.to()).compareTo(LONGEST_RANGE) > 0) {
                problems.put("from", "the range may be at most " + LONGEST_RANGE.toDays() + " days");
            }
        }
        if (!problems.isEmpty() && f.orderId() == null) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Check the dates: " + String.join(", ",
                    problems.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()) + ".", problems);
        }
        List<String> where = new ArrayList<>(List.of("o.kind <> 'BILL_FETCH'"));
        Map<String, Object> params = new LinkedHashMap<>();
        if (f.orderId() != null) {
            // a transaction id is one order whatever its date
            where.add("o.id = :id");
            params.put("id", f.orderId());
        } else {
            where.add("o.created_at >= :from and o.created_at < :to");
            params.put("from", f.from().atOffset(ZoneOffset.UTC));
            params.put("to", f.to().atOffset(ZoneOffset.UTC));
        }
        add(where, params, "o.reference = :reference", "reference", f.reference());
        add(where, params, "o.account_number = :account", "account", f.accountNumber());
        add(where, params, "o.partner_id = :partner", "partner", f.partnerId());
        add(where, params, "o.operator_id = :operator", "operator", f.operatorId());
        add(where, params, "o.status = :status", "status", f.status() == null ? null : f.status().name());
        if (f.beforeId() != null) {
            where.add("o.id < :before");
            params.put("before", f.beforeId());
        }
        JdbcClient.StatementSpec spec = jdbc.sql("""
                select o.id, o.partner_id, o.reference, o.kind, o.status, o.operator_id, o.account_number, o.amount_minor,
                       o.currency, o.created_at, o.finished_at
                from orders o where %s order by o.id desc limit %d""".formatted(String.join(" and ", where), PAGE + 1));
        for (Map.Entry<String, Object> p : params.entrySet()) {
            spec = spec.param(p.getKey(), p.getValue());
        }
        List<Row> rows = spec.query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
                rs.getObject(10, OffsetDateTime.class).toInstant(), instant(rs.getObject(11, OffsetDateTime.class)))).list();
        if (rows.size() > PAGE) {
            List<Row> page = rows.subList(0, PAGE);
            return new Page(List.copyOf(page), page.get(PAGE - 1).id());
        }
        return new Page(rows, null);
    }

    private static void add(List<String> where, Map<String, Object> params, String clause, String name, String value) {
        if (value != null && !value.isBlank()) {
            where.add(clause);
            params.put(name, value.trim());
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
