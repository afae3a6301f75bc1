package billswitch.partner;

import billswitch.ledger.Ledger;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.shared.Money;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A partner's wallet terms, per currency: its credit limit (how far below zero the wallet may go; the ledger
 * refuses any payment beyond it, and so does the accounts table's own check) and its low-balance threshold (the
 * available balance, credit limit included, below which the partner gets one wallet.low_balance webhook per
 * crossing; 0: none). Both live on the wallet's account row, read with its lock by every ledger batch, so a
 * change applies to the very next payment on every node. The callers audit the change.
 */
@Service
public class WalletSettings {
    /** The largest limit or threshold: what a top-up may be at most. */
    public static final long MAX_MINOR = Money.MAX_MAJOR * 100;

    private final JdbcClient jdbc;
    private final PartnerService partners;
    private final Ledger ledger;

    WalletSettings(JdbcClient jdbc, PartnerService partners, Ledger ledger) {
        this.jdbc = jdbc;
        this.partners = partners;
        this.ledger = ledger;
    }

    /** The partner's wallet in the currency (PARTNER_NOT_FOUND if there is no such partner). */
    public Ledger.WalletBalance wallet(String partnerId, Currency currency) {
        partners.require(partnerId);
        return ledger.balance(partners.walletId(partnerId, currency));
    }

    /**
     * Sets the wallet's credit limit. A limit below what the wallet already owes (its debits, holds included, beyond
     * its credits) is refused INVALID_REQUEST on {@code creditLimitMinor}, nothing changed: top the wallet up first.
     * The wallet's row is locked, so no payment slips in between the check and the change.
     */
    @Transactional
    public Ledger.WalletBalance setCreditLimit(String partnerId, Currency currency, long limitMinor) {
        check("creditLimitMinor", limitMinor);
        partners.require(partnerId);
        long wallet = partners.walletId(partnerId, currency);
        long owed = jdbc.sql("""
                select debits_pending + debits_posted - credits_posted from accounts where id = :id for update""")
                .param("id", wallet).query(Long.class).single();
        if (owed > limitMinor) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The wallet is drawn " + currency.format(owed) + " "
                    + currency + " below zero (holds included); a credit limit below that is refused. Top the wallet up"
                    + " first, then lower the limit.", Map.of("creditLimitMinor", "must be at least " + owed
                    + " (what the wallet owes now, holds included)"));
        }
        jdbc.sql("update accounts set credit_limit_minor = :limit where id = :id")
                .param("limit", limitMinor).param("id", wallet).update();
        return ledger.balance(wallet);
    }

    /** Sets the wallet's low-balance threshold (0: no alert). */
    @Transactional
    public Ledger.WalletBalance setLowBalanceThreshold(String partnerId, Currency currency, long thresholdMinor) {
        check("thresholdMinor", thresholdMinor);
        partners.require(partnerId);
        long wallet = partners.walletId(partnerId, currency);
        jdbc.sql("update accounts set low_balance_threshold_minor = :threshold where id = :id")
                .param("threshold", thresholdMinor).param("id", wallet).update();
        return ledger.balance(wallet);
    }

    private static void check(String field, long minor) {
        if (minor < 0 || minor > MAX_MINOR) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The request has a field out of range.",
                    Map.of(field, "must be a whole number of minor units from 0 to " + MAX_MINOR));
        }
    }
}
