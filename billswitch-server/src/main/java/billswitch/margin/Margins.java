package billswitch.margin;

import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The margin report: what the payments settled in a period earned, per operator, upstream connector or partner,
 * read from the ledger's transfers (never recomputed from prices): the fees (FEE), what upstreams paid us
 * (UPSTREAM_COMMISSION) and charged us (UPSTREAM_FEE), giving revenue = fee + upstream commission - upstream fee;
 * the partners' commission (COMMISSION, an expense), giving margin = revenue - commission; and, passing through, TDS
 * withheld, GST collected and what the upstreams were owed (UPSTREAM: amount + convenience fee). A payment counts in
 * the period its money settled in (its transfers' time), calendar days in {@code billswitch.books.zone}.
 */
@Service
public class Margins {
    private final JdbcClient jdbc;
    private final ZoneId zone;

    Margins(JdbcClient jdbc, @Value("${billswitch.books.zone:Asia/Kolkata}") String zone) {
        this.jdbc = jdbc;
        this.zone = ZoneId.of(zone);
    }

    /** What a report is grouped by. */
    public enum By {
        OPERATOR, CONNECTOR, PARTNER;

        /** Parses {@code operator|connector|partner} (null: operator); INVALID_REQUEST naming the field otherwise. */
        public static By parse(String by) {
            if (by == null || by.isBlank()) {
                return OPERATOR;
            }
            for (By b : values()) {
                if (b.name().equalsIgnoreCase(by)) {
                    return b;
                }
            }
            throw invalid("by", "must be one of operator, connector, partner");
        }

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One group's figures in one currency, in minor units. */
    public record Line(String key, Currency currency, long payments, long upstreamMinor, long feeMinor,
                       long upstreamCommissionMinor, long upstreamFeeMinor, long revenueMinor, long commissionMinor,
                       long tdsMinor, long gstMinor, long marginMinor) {
        Line plus(Line o) {
            return new Line(key, currency, payments + o.payments, upstreamMinor + o.upstreamMinor, feeMinor + o.feeMinor,
                    upstreamCommissionMinor + o.upstreamCommissionMinor, upstreamFeeMinor + o.upstreamFeeMinor,
                    revenueMinor + o.revenueMinor, commissionMinor + o.commissionMinor, tdsMinor + o.tdsMinor,
                    gstMinor + o.gstMinor, marginMinor + o.marginMinor);
        }
    }

    /** A report: the period (both days included), its grouping, a line per group and currency, and totals per currency. */
    public record Report(LocalDate from, LocalDate to, String zone, By by, List<Line> lines, List<Line> totals) {
    }

    /**
     * The period's report; {@code from} and {@code to} are days (YYYY-MM-DD, both included; null: today), INVALID_REQUEST
     * naming the field when one is not a day, the period is backwards or longer than {@value #MAX_DAYS} days.
     */
    @Transactional(readOnly = true)
    public Report report(String from, String to, String by) {
        Map<String, String> problems = new LinkedHashMap<>();
        LocalDate today = LocalDate.now(zone);
        LocalDate first = day("from", from, today, problems);
        LocalDate last = day("to", to, today, problems);
        By grouping = null;
        try {
            grouping = By.parse(by);
        } catch (BillSwitchException e) {
            problems.putAll(e.fields());
        }
        if (first != null && last != null && first.isAfter(last)) {
            problems.put("to", "must not be before from");
        } else if (first != null && last != null && first.plusDays(MAX_DAYS).isBefore(last)) {
            problems.put("to", "a report spans at most " + MAX_DAYS + " days");
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Invalid query parameters: " + problems + ".", problems);
        }
        List<Line> lines = lines(first.atStartOfDay(zone).toOffsetDateTime(),
                last.plusDays(1).atStartOfDay(zone).toOffsetDateTime(), grouping);
        Map<Currency, Line> totals = new LinkedHashMap<>();
        for (Line l : lines) {
            totals.merge(l.currency(), new Line("TOTAL", l.currency(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).plus(l), Line::plus);
        }
        return new Report(first, last, zone.getId(), grouping, lines, new ArrayList<>(totals.values()));
    }

    /** The longest period a report covers. */
    public static final int MAX_DAYS = 366;

    private List<Line> lines(OffsetDateTime from, OffsetDateTime to, By by) {
        String key = switch (by) {
            case OPERATOR -> "o.operator_id";
            case PARTNER -> "o.partner_id";
            case CONNECTOR -> "p.connector";
        };
        // A settled payment's split transfers are written together (one statement), so they fall in one period.
        return jdbc.sql("""
                with moved as (
                    select t.order_id, t.currency, t.code, t.amount_minor,
                           case when t.code = 'UPSTREAM' then c.connector end as connector
                    from transfers t join accounts c on c.id = t.credit_account_id
                    where t.created_at >= :from and t.created_at < :to and t.kind = 'POSTED' and t.order_id is not null
                      and t.code in ('COMMISSION', 'TDS', 'FEE', 'GST', 'UPSTREAM', 'UPSTREAM_COMMISSION', 'UPSTREAM_FEE')
                ), p as (
                    select order_id, currency, max(connector) as connector,
                           count(*) filter (where code = 'UPSTREAM') as payments,
                           coalesce(sum(amount_minor) filter (where code = 'UPSTREAM'), 0) as upstream,
                           coalesce(sum(amount_minor) filter (where code = 'FEE'), 0) as fee,
                           coalesce(sum(amount_minor) filter (where code = 'UPSTREAM_COMMISSION'), 0) as upstream_commission,
                           coalesce(sum(amount_minor) filter (where code = 'UPSTREAM_FEE'), 0) as upstream_fee,
                           coalesce(sum(amount_minor) filter (where code = 'COMMISSION'), 0) as commission,
                           coalesce(sum(amount_minor) filter (where code = 'TDS'), 0) as tds,
                           coalesce(sum(amount_minor) filter (where code = 'GST'), 0) as gst
                    from moved group by order_id, currency
                )
                select coalesce(%s, '') as key, p.currency, sum(p.payments), sum(p.upstream), sum(p.fee),
                       sum(p.upstream_commission), sum(p.upstream_fee), sum(p.commission), sum(p.tds), sum(p.gst)
                from p join orders o on o.id = p.order_id
                group by 1, 2 order by 1, 2""".formatted(key))
                .param("from", from).param("to", to)
                .query((rs, n) -> {
                    long fee = rs.getLong(5);
                    long upstreamCommission = rs.getLong(6);
                    long upstreamFee = rs.getLong(7);
                    long commission = rs.getLong(8);
                    long revenue = fee + upstreamCommission - upstreamFee;
                    return new Line(rs.getString(1), Currency.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4), fee,
                            upstreamCommission, upstreamFee, revenue, commission, rs.getLong(9), rs.getLong(10),
                            revenue - commission);
                })
                .list();
    }

    /** The CSV columns, in order. */
    public static final List<String> CSV_COLUMNS = List.of("currency", "payments", "upstream", "fee",
            "upstream_commission", "upstream_fee", "revenue", "commission", "tds", "gst", "margin");

    /** Writes the report as CSV: a header, a line per group and currency, then a TOTAL line per currency; amounts in rupees/dong. */
    public static void writeCsv(Report report, Writer out) {
        try {
            out.write(report.by().param() + "," + String.join(",", CSV_COLUMNS) + "\r\n");
            for (Line l : report.lines()) {
                out.write(csvLine(l));
            }
            for (Line l : report.totals()) {
                out.write(csvLine(l));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csvLine(Line l) {
        Currency c = l.currency();
        String key = l.key();
        if (key.contains(",") || key.contains("\"") || key.contains("\n") || key.startsWith("=") || key.startsWith("+")
                || key.startsWith("-") || key.startsWith("@")) {
            key = "\"" + (key.matches("^[=+\\-@].*") ? "'" : "") + key.replace("\"", "\"\"") + "\"";
        }
        return String.join(",", key, c.name(), Long.toString(l.payments()), c.format(l.upstreamMinor()),
                c.format(l.feeMinor()), c.format(l.upstreamCommissionMinor()), c.format(l.upstreamFeeMinor()),
                c.format(l.revenueMinor()), c.format(l.commissionMinor()), c.format(l.tdsMinor()), c.format(l.gstMinor()),
                c.format(l.marginMinor())) + "\r\n";
    }

    private LocalDate day(String field, String value, LocalDate today, Map<String, String> problems) {
        if (value == null || value.isBlank()) {
            return today;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            problems.put(field, "must be a day, YYYY-MM-DD");
            return null;
        }
    }

    private static BillSwitchException invalid(String field, String message) {
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, field + " " + message + ".", Map.of(field, message));
    }
}
