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
 * read from the ledger's transfers (never recomputed from prices): the fees (FEE), the billers' convenience fees we
 * keep (CCF), what upstreams paid us (UPSTREAM_COMMISSION) and charged us (UPSTREAM_FEE), giving revenue = fee + ccf
 * + upstream commission - upstream fee; the partners' commission (COMMISSION, an expense), giving margin = revenue -
 * commission; and, passing through, TDS withheld, GST collected and what the upstreams were owed (UPSTREAM: the
 * amount). A payment counts in the period its money settled in (its transfers' time), calendar days in
 * {@code billswitch.books.zone}. A payment refunded later (through a complaint: REVERSAL transfers, each mirroring
 * one of its transfers, reference "reverses:&lt;id&gt;") is taken off again in the period the refund was written:
 * each REVERSAL subtracts from the figure of the code of the transfer it mirrors, and {@code reversals} counts the
 * payments refunded; so a payment settled and refunded in one period nets to zero there.
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
    public record Line(String key, Currency currency, long payments, long reversals, long upstreamMinor, long feeMinor,
                       long ccfMinor, long upstreamCommissionMinor, long upstreamFeeMinor, long revenueMinor,
                       long commissionMinor, long tdsMinor, long gstMinor, long marginMinor) {
        Line plus(Line o) {
            return new Line(key, currency, payments + o.payments, reversals + o.reversals,
                    upstreamMinor + o.upstreamMinor, feeMinor + o.feeMinor, ccfMinor + o.ccfMinor,
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
     * naming the field when one is not a day (or not of the years 1 to 9999), the period is backwards or longer
     * than {@value #MAX_DAYS} days.
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
            totals.merge(l.currency(), new Line("TOTAL", l.currency(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).plus(l), Line::plus);
        }
        return new Report(first, last, zone.getId(), grouping, lines, new ArrayList<>(totals.values()));
    }

    /** The longest period a report covers. */
    public static final int MAX_DAYS = 366;

    /** The years a report's days may fall in (LocalDate reads years to +999999999, PostgreSQL's timestamps do not). */
    static final int MIN_YEAR = 1;
    static final int MAX_YEAR = 9999;

    private List<Line> lines(OffsetDateTime from, OffsetDateTime to, By by) {
        String key = switch (by) {
            case OPERATOR -> "o.operator_id";
            case PARTNER -> "o.partner_id";
            case CONNECTOR -> "p.connector";
        };
        // A settled payment's split transfers are written together (one statement), so they fall in one period; so
        // are a refund's mirrors (REVERSAL), each counted negatively under the code of the transfer it mirrors.
        return jdbc.sql("""
                with moved as (
                    select t.order_id, t.currency, t.code, t.amount_minor, false as reversed,
                           case when t.code = 'UPSTREAM' then c.connector end as connector
                    from transfers t join accounts c on c.id = t.credit_account_id
                    where t.created_at >= :from and t.created_at < :to and t.kind = 'POSTED' and t.order_id is not null
                      and t.code in (%2$s)
                    union all
                    select r.order_id, r.currency, m.code, -r.amount_minor, true,
                           case when m.code = 'UPSTREAM' then c.connector end
                    from transfers r
                    join transfers m on m.id = cast(substr(r.reference, 10) as bigint)
                    join accounts c on c.id = m.credit_account_id
                    where r.created_at >= :from and r.created_at < :to and r.kind = 'POSTED' and r.order_id is not null
                      and r.code = 'REVERSAL' and r.reference like 'reverses:%%' and m.code in (%2$s)
                ), p as (
                    select order_id, currency, max(connector) as connector,
                           count(*) filter (where code = 'UPSTREAM' and not reversed) as payments,
                           count(*) filter (where code = 'UPSTREAM' and reversed) as reversals,
                           coalesce(sum(amount_minor) filter (where code = 'UPSTREAM'), 0) as upstream,
                           coalesce(sum(amount_minor) filter (where code = 'FEE'), 0) as fee,
                           coalesce(sum(amount_minor) filter (where code = 'CCF'), 0) as ccf,
                           coalesce(sum(amount_minor) filter (where code = 'UPSTREAM_COMMISSION'), 0) as upstream_commission,
                           coalesce(sum(amount_minor) filter (where code = 'UPSTREAM_FEE'), 0) as upstream_fee,
                           coalesce(sum(amount_minor) filter (where code = 'COMMISSION'), 0) as commission,
                           coalesce(sum(amount_minor) filter (where code = 'TDS'), 0) as tds,
                           coalesce(sum(amount_minor) filter (where code = 'GST'), 0) as gst
                    from moved group by order_id, currency
                )
                select coalesce(%1$s, '') as key, p.currency, sum(p.payments), sum(p.reversals), sum(p.upstream),
                       sum(p.fee), sum(p.ccf), sum(p.upstream_commission), sum(p.upstream_fee), sum(p.commission),
                       sum(p.tds), sum(p.gst)
                from p join orders o on o.id = p.order_id
                group by 1, 2 order by 1, 2""".formatted(key, CODES))
                .param("from", from).param("to", to)
                .query((rs, n) -> {
                    long fee = rs.getLong(6);
                    long ccf = rs.getLong(7);
                    long upstreamCommission = rs.getLong(8);
                    long upstreamFee = rs.getLong(9);
                    long commission = rs.getLong(10);
                    long revenue = fee + ccf + upstreamCommission - upstreamFee;
                    return new Line(rs.getString(1), Currency.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), fee, ccf, upstreamCommission, upstreamFee, revenue, commission, rs.getLong(11),
                            rs.getLong(12), revenue - commission);
                })
                .list();
    }

    /** The transfer codes of a payment's split the report reads (and of the transfers a REVERSAL mirrors). */
    private static final String CODES =
            "'COMMISSION', 'TDS', 'FEE', 'GST', 'CCF', 'UPSTREAM', 'UPSTREAM_COMMISSION', 'UPSTREAM_FEE'";

    /** The CSV columns, in order. */
    public static final List<String> CSV_COLUMNS = List.of("currency", "payments", "reversals", "upstream", "fee", "ccf",
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
        return String.join(",", key, c.name(), Long.toString(l.payments()), Long.toString(l.reversals()),
                c.format(l.upstreamMinor()), c.format(l.feeMinor()), c.format(l.ccfMinor()),
                c.format(l.upstreamCommissionMinor()), c.format(l.upstreamFeeMinor()),
                c.format(l.revenueMinor()), c.format(l.commissionMinor()), c.format(l.tdsMinor()), c.format(l.gstMinor()),
                c.format(l.marginMinor())) + "\r\n";
    }

    private LocalDate day(String field, String value, LocalDate today, Map<String, String> problems) {
        if (value == null || value.isBlank()) {
            return today;
        }
        try {
            LocalDate day = LocalDate.parse(value);
            if (day.getYear() < MIN_YEAR || day.getYear() > MAX_YEAR) {
                problems.put(field, "must be a day of the years " + MIN_YEAR + " to " + MAX_YEAR);
                return null;
            }
            return day;
        } catch (DateTimeException e) {
            problems.put(field, "must be a day, YYYY-MM-DD");
            return null;
        }
    }

    private static BillSwitchException invalid(String field, String message) {
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, field + " " + message + ".", Map.of(field, message));
    }
}
