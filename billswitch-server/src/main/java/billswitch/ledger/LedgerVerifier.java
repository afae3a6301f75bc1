package billswitch.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Proves the ledger's invariants from one consistent snapshot:
 * per currency, all accounts sum to zero (posted and pending apart); every account's four counters
 * equal the sums of its transfers; no wallet is overdrawn beyond its credit limit; no pending transfer is resolved twice; every
 * transfer names accounts that exist, and a resolution names a PENDING transfer (transfers carry no
 * foreign keys; see V4__hot_path_without_foreign_keys.sql); the settlement accounts net to zero once posted
 * (every settled payment's money has left them for revenue, taxes and its upstream).
 */
@Service
public class LedgerVerifier {
    private final JdbcClient jdbc;
    private final VerifyResults results;

    LedgerVerifier(JdbcClient jdbc, VerifyResults results) {
        this.jdbc = jdbc;
        this.results = results;
    }

    public record CurrencyTotal(String currency, long postedNet, long pendingNet, long accounts, long transfers) {
    }

    public record AccountMismatch(long accountId, String kind, String partnerId, String currency,
                                  long debitsPending, long debitsPendingFromTransfers,
                                  long debitsPosted, long debitsPostedFromTransfers,
                                  long creditsPending, long creditsPendingFromTransfers,
                                  long creditsPosted, long creditsPostedFromTransfers) {
    }

    /**
     * A currency whose SETTLEMENT accounts do not net to zero once posted: every settled payment's hold leaves them
     * the moment it is posted (fee, GST and the upstream's part), so their posted balance is zero; only held
     * (pending) payments stay there.
     */
    public record SettlementNet(String currency, long postedNetMinor) {
    }

    public record Report(boolean ok, List<CurrencyTotal> currencies, List<AccountMismatch> mismatchedAccounts,
                         long overdrawnWallets, long danglingTransfers, long accountsChecked, long transfersChecked,
                         List<SettlementNet> settlementsNotNetted) {
    }

    /** A verification's report and when it finished. */
    public record Verified(Instant at, Report report) {
    }

    /** The last verification this node ran (the admin API's or the console's), if any since it started. */
    public Optional<Verified> last() {
        return results.last();
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Report verify() {
        List<CurrencyTotal> totals = jdbc.sql("""
                select a.currency,
                       sum(a.credits_posted - a.debits_posted),
                       sum(a.credits_pending - a.debits_pending),
                       count(*),
                       (select count(*) from transfers t where t.currency = a.currency)
                from accounts a group by a.currency order by a.currency""")
                .query((rs, n) -> new CurrencyTotal(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                .list();
        List<AccountMismatch> mismatches = jdbc.sql("""
                with t as (
                    select t.debit_account_id, t.credit_account_id, t.amount_minor,
                           t.kind in ('POSTED', 'POST_PENDING') as posted,
                           t.kind = 'PENDING' and not exists (select 1 from transfers r where r.pending_id = t.id) as open
                    from transfers t
                ),
                legs as (
                    select debit_account_id as id,
                           case when open then amount_minor else 0 end as dpe,
                           case when posted then amount_minor else 0 end as dpo,
                           0::bigint as cpe, 0::bigint as cpo
                    from t
                    union all
                    select credit_account_id, 0, 0,
                           case when open then amount_minor else 0 end,
                           case when posted then amount_minor else 0 end
                    from t
                ),
                sums as (
                    select id, sum(dpe) dpe, sum(dpo) dpo, sum(cpe) cpe, sum(cpo) cpo from legs group by id
                )
                select a.id, a.kind, a.partner_id, a.currency,
                       a.debits_pending, coalesce(s.dpe, 0), a.debits_posted, coalesce(s.dpo, 0),
                       a.credits_pending, coalesce(s.cpe, 0), a.credits_posted, coalesce(s.cpo, 0)
                from accounts a left join sums s on s.id = a.id
                where a.debits_pending <> coalesce(s.dpe, 0) or a.debits_posted <> coalesce(s.dpo, 0)
                   or a.credits_pending <> coalesce(s.cpe, 0) or a.credits_posted <> coalesce(s.cpo, 0)
                order by a.id""")
                .query((rs, n) -> new AccountMismatch(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                        rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12)))
                .list();
        long overdrawn = jdbc.sql("""
                select count(*) from accounts
                where must_not_overdraw and debits_pending + debits_posted > credits_posted + credit_limit_minor""")
                .query(Long.class).single();
        long dangling = jdbc.sql("""
                select count(*) from transfers t
                where not exists (select 1 from accounts a where a.id = t.debit_account_id)
                   or not exists (select 1 from accounts a where a.id = t.credit_account_id)
                   or (t.wallet_account_id is not null
                       and not exists (select 1 from accounts a where a.id = t.wallet_account_id))
                   or (t.pending_id is not null
                       and not exists (select 1 from transfers p where p.id = t.pending_id and p.kind = 'PENDING'))""")
                .query(Long.class).single();
        List<SettlementNet> notNetted = jdbc.sql("""
                select currency, sum(credits_posted - debits_posted) from accounts where kind = 'SETTLEMENT'
                group by currency having sum(credits_posted - debits_posted) <> 0 order by currency""")
                .query((rs, n) -> new SettlementNet(rs.getString(1), rs.getLong(2))).list();
        long accounts = jdbc.sql("select count(*) from accounts").query(Long.class).single();
        long transfers = jdbc.sql("select count(*) from transfers").query(Long.class).single();
        boolean balanced = totals.stream().allMatch(t -> t.postedNet() == 0 && t.pendingNet() == 0);
        Report report = new Report(balanced && mismatches.isEmpty() && overdrawn == 0 && dangling == 0
                && notNetted.isEmpty(), totals, mismatches, overdrawn, dangling, accounts, transfers, notNetted);
        results.record(report);
        return report;
    }
}
