package billswitch.reconciliation;

import billswitch.export.Csv;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Daily settlement statements, tied to the ledger. A partner's wallet in one currency: opening, top-ups, payments,
 * refunds, commission, TDS, closing, on the wallet's available balance (posted credits less posted and held debits:
 * what the partner could spend, the balance each transfer records as its wallet opening and closing): a payment
 * counts when its money is held (or charged), its refund when the hold is voided (or a posted refund or reversal
 * credits it). An upstream connector's UPSTREAM account per currency (opening, payments, upstream commission,
 * upstream fees, reversals, closing) on its posted balance. Opening and closing are the balance at the business day's
 * bounds (billswitch.books.zone): the account's balance now less what moved since; each line is the sum of the day's
 * transfers of its code on that account (the ledger's {@code transfers.code}, so codes added later are read without
 * a change here); {@code other} is whatever moved under another code, so opening plus the lines is always the
 * closing. Read in one REPEATABLE READ snapshot.
 */
@Service
public class SettlementStatements {

    /** One figure of a statement: its name, and the amount in minor units (signed as it moved the balance). */
    public record Figure(String line, long amountMinor) {
    }

    /** A day's statement of one account: whose, which day and currency, its figures from opening to closing. */
    public record Statement(String subject, LocalDate date, Currency currency, Instant from, Instant to,
                            List<Figure> figures) {
        public long figure(String line) {
            return figures.stream().filter(f -> f.line().equals(line)).findFirst().orElseThrow().amountMinor();
        }
    }

    private final JdbcClient jdbc;
    private final Reconciliations reconciliations;

    SettlementStatements(JdbcClient jdbc, Reconciliations reconciliations) {
        this.jdbc = jdbc;
        this.reconciliations = reconciliations;
    }

    /** A partner's wallet statement of a day (PARTNER_NOT_FOUND for an unknown partner; zeros for a wallet never used). */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Statement partner(String partnerId, Currency currency, LocalDate date) {
        if (jdbc.sql("select count(*) from partners where id = :p").param("p", partnerId).query(Long.class).single() == 0) {
            throw new BillSwitchException(ErrorCode.PARTNER_NOT_FOUND, "No partner '" + partnerId + "'.");
        }
        Optional<Long> wallet = jdbc.sql("select id from accounts where kind = 'WALLET' and partner_id = :p and currency = :c")
                .param("p", partnerId).param("c", currency.name()).query(Long.class).optional();
        Instant from = date.atStartOfDay(reconciliations.zone()).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(reconciliations.zone()).toInstant();
        Map<String, Long> sums = wallet.map(w -> sums(w, from, to, true, "t.wallet_account_id = :account"))
                .orElseGet(Map::of);
        long opening = sums.getOrDefault("opening", 0L);
        long topUps = credit(sums, "TOPUP");
        long payments = debit(sums, "PAYMENT");
        long refunds = credit(sums, "REFUND") + credit(sums, "REVERSAL");
        long commission = credit(sums, "COMMISSION");
        long tds = debit(sums, "TDS");
        long closing = sums.getOrDefault("closing", 0L);
        long other = closing - opening - topUps + payments - refunds - commission + tds;
        return new Statement("partner:" + partnerId, date, currency, from, to, List.of(new Figure("opening", opening),
                new Figure("topUps", topUps), new Figure("payments", -payments), new Figure("refunds", refunds),
                new Figure("commission", commission), new Figure("tds", -tds), new Figure("other", other),
                new Figure("closing", closing)));
    }

    /**
     * An upstream connector's statements of a day, one per currency of its UPSTREAM accounts (what we owe it: credits
     * raise it). None while the connector has no UPSTREAM account; CONNECTOR_NOT_FOUND for an unknown connector.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<Statement> upstream(String connector, LocalDate date) {
        if (jdbc.sql("select count(*) from connectors where name = :c").param("c", connector).query(Long.class).single() == 0
                && !"sandbox".equals(connector)) {
            throw new BillSwitchException(ErrorCode.CONNECTOR_NOT_FOUND, "No connector '" + connector + "'.");
        }
        Instant from = date.atStartOfDay(reconciliations.zone()).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(reconciliations.zone()).toInstant();
        // accounts.connector arrives with the ledger's split (V23): read through to_jsonb so this reads before it too.
        record Account(long id, String currency) {
        }
        List<Account> accounts = jdbc.sql("""
                select id, currency from accounts a where a.kind = 'UPSTREAM' and to_jsonb(a) ->> 'connector' = :c
                order by currency""").param("c", connector).query((rs, n) -> new Account(rs.getLong(1), rs.getString(2))).list();
        return accounts.stream().map(a -> {
            Map<String, Long> sums = sums(a.id(), from, to, false,
                    "(t.debit_account_id = :account or t.credit_account_id = :account)");
            long opening = sums.getOrDefault("opening", 0L);
            long payments = credit(sums, "UPSTREAM");
            long commission = debit(sums, "UPSTREAM_COMMISSION");
            long fees = credit(sums, "UPSTREAM_FEE");
            long reversals = debit(sums, "REVERSAL");
            long closing = sums.getOrDefault("closing", 0L);
            long other = closing - opening - payments + commission - fees + reversals;
            return new Statement("upstream:" + connector, date, Currency.valueOf(a.currency()), from, to, List.of(
                    new Figure("opening", opening), new Figure("payments", payments),
                    new Figure("upstreamCommission", -commission), new Figure("upstreamFees", fees),
                    new Figure("reversals", -reversals), new Figure("other", other), new Figure("closing", closing)));
        }).toList();
    }

    /** The partners' wallets (partner, currency), by partner id: whose statements a day's page lists. */
    public record WalletOf(String partnerId, Currency currency) {
    }

    public List<WalletOf> wallets(String partnerId, int limit) {
        return jdbc.sql("""
                select partner_id, currency from accounts
                where kind = 'WALLET' and (cast(:p as text) is null or partner_id = :p)
                order by partner_id, currency limit :limit""")
                .param("p", partnerId).param("limit", limit)
                .query((rs, n) -> new WalletOf(rs.getString(1), Currency.valueOf(rs.getString(2)))).list();
    }

    /** The statements as CSV: subject, date, currency, line, amountMinor, amount. */
    public static void writeCsv(List<Statement> statements, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("subject,date,currency,line,amount_minor,amount\r\n");
        for (Statement s : statements) {
            for (Figure f : s.figures()) {
                w.write(Csv.cell(s.subject()) + "," + s.date() + "," + s.currency() + "," + f.line() + ","
                        + f.amountMinor() + "," + Csv.cell(s.currency().format(f.amountMinor())) + "\r\n");
            }
        }
        w.flush();
    }

    private static long credit(Map<String, Long> sums, String code) {
        return sums.getOrDefault("credit:" + code, 0L);
    }

    private static long debit(Map<String, Long> sums, String code) {
        return sums.getOrDefault("debit:" + code, 0L);
    }

    /**
     * The account's balance now ({@code available}: posted credits less posted and held debits; else posted credits
     * less posted debits), less what the transfers since {@code to} moved (closing) and since {@code from} (opening),
     * and the day's movements by direction and code ("credit:TOPUP", "debit:PAYMENT"). On the available balance a
     * hold (PENDING) debits, its void (VOID_PENDING) credits back and its post (POST_PENDING) moves nothing; on the
     * posted balance a hold and its void move nothing and its post moves the amount. A wallet's transfers are found
     * by {@code transfers.wallet_account_id} (indexed; every transfer that moves a wallet names it), an upstream
     * account's by either side.
     */
    private Map<String, Long> sums(long account, Instant from, Instant to, boolean available, String touches) {
        Map<String, Long> sums = new LinkedHashMap<>();
        long now = jdbc.sql("select credits_posted - debits_posted - case when :available then debits_pending else 0 end"
                        + " from accounts where id = :account")
                .param("available", available).param("account", account).query(Long.class).single();
        record Row(String code, String kind, boolean credit, boolean inDay, long sum) {
        }
        List<Row> rows = jdbc.sql("""
                select t.code, t.kind, t.credit_account_id = :account as credit, t.created_at < :to as in_day,
                       sum(t.amount_minor)
                from transfers t
                where %s and t.created_at >= :from
                group by 1, 2, 3, 4""".formatted(touches))
                .param("account", account).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getLong(5))).list();
        long afterDay = 0;
        long inDay = 0;
        for (Row r : rows) {
            long signed = switch (r.kind()) {
                case "POSTED" -> r.credit() ? r.sum() : -r.sum();
                case "PENDING" -> available && !r.credit() ? -r.sum() : 0;
                case "VOID_PENDING" -> available && !r.credit() ? r.sum() : 0;
                case "POST_PENDING" -> available ? 0 : r.credit() ? r.sum() : -r.sum();
                default -> throw new IllegalStateException("transfer kind " + r.kind());
            };
            if (signed == 0) {
                continue;
            }
            if (r.inDay()) {
                inDay += signed;
                sums.merge((signed > 0 ? "credit:" : "debit:") + r.code(), Math.abs(signed), Long::sum);
            } else {
                afterDay += signed;
            }
        }
        sums.put("closing", now - afterDay);
        sums.put("opening", now - afterDay - inDay);
        return sums;
    }
}
