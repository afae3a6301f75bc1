package billswitch.export;

import billswitch.ledger.Ledger;
import billswitch.ledger.TransferCode;
import billswitch.ledger.TransferKind;
import billswitch.payment.OrderStatus;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Service;

/**
 * Payments and wallet statements as CSV, streamed: rows are read through a server-side cursor (a read-only
 * transaction, autocommit off, {@link #FETCH_SIZE} rows a fetch, on a connection of the general pool) and written as
 * they come, so memory does not grow with the number of rows (a million rows: docs/PERFORMANCE.md, "CSV export").
 * Each export holds one connection of the general pool while it runs: at most {@link #MAX_CONCURRENT} run at once
 * per node, a further one is refused BUSY before any byte is written.
 * <p>
 * CSV: RFC 4180 (comma, CRLF line ends, a header line, a field quoted when it holds a comma, a quote, CR or LF, a quote
 * doubled inside). Free-text fields (references, account numbers, messages...) that start with {@code = + - @}, tab
 * or CR are prefixed with a single quote, as OWASP advises against formula injection in spreadsheets; numbers, times
 * and codes BillSwitch writes itself are never changed. Money comes twice: minor units ({@code amount_minor}) and
 * decimal ({@code amount}, the currency's minor digits). Times are UTC, ISO-8601.
 */
@Service
public class Exports {
    static final int FETCH_SIZE = 1_000;
    static final int MAX_CONCURRENT = 2;

    private final DataSource dataSource;
    private final Semaphore running = new Semaphore(MAX_CONCURRENT);

    Exports(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Which payments (never bill fetches) to export; every field optional; created in [from, to). */
    public record PaymentFilter(String reference, Long transactionId, String accountNumber, String partnerId,
                                String operatorId, OrderStatus status, Instant from, Instant to) {
    }

    /** Which wallet's statement to export: its entries created in [from, to) (each optional), oldest first. */
    public record StatementFilter(String partnerId, Currency currency, Instant from, Instant to) {
        public StatementFilter {
            Objects.requireNonNull(partnerId, "partnerId");
            Objects.requireNonNull(currency, "currency");
        }
    }

    /** The payments the filter selects, oldest first (by transaction id), as CSV. */
    public void write(PaymentFilter f, OutputStream out) throws IOException {
        StringBuilder sql = new StringBuilder("""
                select id, created_at, updated_at, finished_at, partner_id, reference, kind, dialect, channel,
                       operator_id, account_number, product_code, currency, amount_minor, fee_minor, commission_minor,
                       status, operator_ref, failure_code, failure_message
                from orders where kind <> 'BILL_FETCH'""");
        List<Object> params = new ArrayList<>();
        condition(sql, params, " and reference = ?", f.reference());
        condition(sql, params, " and id = ?", f.transactionId());
        condition(sql, params, " and account_number = ?", f.accountNumber());
        condition(sql, params, " and partner_id = ?", f.partnerId());
        condition(sql, params, " and operator_id = ?", f.operatorId());
        condition(sql, params, " and status = ?", f.status() == null ? null : f.status().name());
        condition(sql, params, " and created_at >= ?", utc(f.from()));
        condition(sql, params, " and created_at < ?", utc(f.to()));
        sql.append(" order by id");
        stream(sql.toString(), params, out, "transaction_id,created_at,updated_at,finished_at,partner_id,reference,kind,"
                + "dialect,channel,operator_id,account_number,product_code,currency,amount_minor,amount,fee_minor,fee,"
                + "commission_minor,commission,status,operator_ref,failure_code,failure_message", (rs, w) -> {
                    Currency currency = Currency.valueOf(rs.getString(13));
                    plain(w, Long.toString(rs.getLong(1)));
                    plain(w, time(rs, 2));
                    plain(w, time(rs, 3));
                    plain(w, time(rs, 4));
                    text(w, rs.getString(5));
                    text(w, rs.getString(6));
                    plain(w, rs.getString(7));
                    plain(w, rs.getString(8));
                    plain(w, rs.getString(9));
                    text(w, rs.getString(10));
                    text(w, rs.getString(11));
                    text(w, rs.getString(12));
                    plain(w, currency.name());
                    money(w, rs.getLong(14), currency);
                    money(w, rs.getLong(15), currency);
                    money(w, rs.getLong(16), currency);
                    plain(w, rs.getString(17));
                    text(w, rs.getString(18));
                    text(w, rs.getString(19));
                    last(w, rs.getString(20));
                });
    }

    /**
     * The wallet's statement, oldest first, as CSV: one line per transfer, with the wallet's available balance before
     * (opening) and after (closing) it, as the JSON statement has them.
     */
    public void write(StatementFilter f, OutputStream out) throws IOException {
        StringBuilder sql = new StringBuilder("""
                select t.id, t.created_at, t.kind, t.code, t.amount_minor, t.credit_account_id = w.id,
                       t.wallet_opening_minor, t.wallet_closing_minor, t.order_id, t.reference
                from accounts w join transfers t on t.wallet_account_id = w.id
                where w.kind = 'WALLET' and w.partner_id = ? and w.currency = ?""");
        List<Object> params = new ArrayList<>(List.of(f.partnerId(), f.currency().name()));
        condition(sql, params, " and t.created_at >= ?", utc(f.from()));
        condition(sql, params, " and t.created_at < ?", utc(f.to()));
        sql.append(" order by t.id");
        Currency currency = f.currency();
        stream(sql.toString(), params, out, "entry_id,at,type,direction,currency,amount_minor,amount,opening_minor,"
                + "opening,closing_minor,closing,transaction_id,reference", (rs, w) -> {
                    TransferKind kind = TransferKind.valueOf(rs.getString(3));
                    plain(w, Long.toString(rs.getLong(1)));
                    plain(w, time(rs, 2));
                    plain(w, Ledger.entryType(kind, TransferCode.valueOf(rs.getString(4))));
                    plain(w, Ledger.direction(kind, rs.getBoolean(6)).name());
                    plain(w, currency.name());
                    money(w, rs.getLong(5), currency);
                    money(w, rs.getLong(7), currency);
                    money(w, rs.getLong(8), currency);
                    long order = rs.getLong(9);
                    plain(w, rs.wasNull() ? null : Long.toString(order));
                    last(w, rs.getString(10));
                });
    }

    private interface Row {
        void write(ResultSet rs, Writer w) throws SQLException, IOException;
    }

    private void stream(String sql, List<Object> params, OutputStream out, String header, Row row) throws IOException {
        if (!running.tryAcquire()) {
            throw new BillSwitchException(ErrorCode.BUSY, "Too many exports are running on this node ("
                    + MAX_CONCURRENT + "); try again when one has finished.");
        }
        try (Connection connection = connection()) {
            connection.setAutoCommit(false); // a cursor needs a transaction; PostgreSQL then fetches FETCH_SIZE at a time
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(FETCH_SIZE);
                for (int i = 0; i < params.size(); i++) {
                    statement.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    // Nothing is written before the query runs: a refused or failed query is still answered as an error.
                    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
                    w.write(header);
                    w.write("\r\n");
                    while (rs.next()) {
                        row.write(rs, w);
                    }
                    w.flush();
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The export failed: " + e.getMessage(), e);
        } finally {
            running.release();
        }
    }

    private Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new CannotGetJdbcConnectionException("No connection for the export", e);
        }
    }

    private static void condition(StringBuilder sql, List<Object> params, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            params.add(value);
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }

    private static void money(Writer w, long minor, Currency currency) throws IOException {
        plain(w, Long.toString(minor));
        plain(w, currency.format(minor));
    }

    /** A value BillSwitch wrote itself (a number, a time, a code): never a formula, never needing quotes. */
    private static void plain(Writer w, String value) throws IOException {
        if (value != null) {
            w.write(value);
        }
        w.write(',');
    }

    private static void text(Writer w, String value) throws IOException {
        w.write(Csv.cell(value));
        w.write(',');
    }

    private static void last(Writer w, String value) throws IOException {
        w.write(Csv.cell(value));
        w.write("\r\n");
    }
}
