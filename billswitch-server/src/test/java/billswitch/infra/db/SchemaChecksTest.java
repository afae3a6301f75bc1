package billswitch.infra.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.support.IntegrationTest;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database's own rules on the tables every payment writes, the last guard should the code that decides
 * holds and resolutions ever be wrong: each refuses a bad row with SQLSTATE 23514 (check_violation), and the
 * same statements with valid values go in.
 */
class SchemaChecksTest extends IntegrationTest {
    private static final String CHECK_VIOLATION = "23514";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    @Test
    void accountCountersCannotGoNegativeNorKindsBeUnknown() {
        refused("update accounts set debits_pending = -1 where kind = 'FUNDING' and currency = 'INR'");
        refused("update accounts set debits_posted = -1 where kind = 'FUNDING' and currency = 'INR'");
        refused("update accounts set credits_pending = -1 where kind = 'FUNDING' and currency = 'INR'");
        refused("update accounts set credits_posted = -1 where kind = 'FUNDING' and currency = 'INR'");
        refused("insert into accounts (kind, currency, shard, must_not_overdraw) values ('SAVINGS', 'INR', 99, false)");
    }

    @Test
    void transfersMoveAPositiveAmountOfAKnownKindBetweenTwoAccounts() {
        refused(transfer("'POSTED'", "null", "1", "2", "0"));
        refused(transfer("'POSTED'", "null", "1", "2", "-5"));
        refused(transfer("'GIFT'", "null", "1", "2", "5"));
        refused(transfer("'POSTED'", "null", "1", "1", "5"));
        // A resolution names the pending transfer it resolves, and only a resolution does.
        refused(transfer("'POST_PENDING'", "null", "1", "2", "5"));
        refused(transfer("'PENDING'", "7", "1", "2", "5"));
    }

    @Test
    void ordersHaveAKnownKindAndStatus() {
        refused(order("'RECHARGE'", "'LOST'"));
        refused(order("'DONATION'", "'INITIATED'"));
    }

    @Test
    void theSameStatementsWithValidValuesAreAccepted() {
        // The refusals above are the rules', not a malformed statement's: valid values go in (and are rolled back).
        tx.executeWithoutResult(status -> {
            assertThat(jdbc.sql(transfer("'POSTED'", "null", "1", "2", "5")).update()).isOne();
            assertThat(jdbc.sql(order("'RECHARGE'", "'INITIATED'")).update()).isOne();
            status.setRollbackOnly();
        });
    }

    private static String transfer(String kind, String pendingId, String debit, String credit, String amount) {
        return "insert into transfers (kind, pending_id, debit_account_id, credit_account_id, amount_minor, currency, code)"
                + " values (" + kind + ", " + pendingId + ", " + debit + ", " + credit + ", " + amount + ", 'INR', 'TEST')";
    }

    private static String order(String kind, String status) {
        return "insert into orders (partner_id, reference, kind, dialect, channel, operator_id, account_number,"
                + " amount_minor, currency, status, fingerprint) values ('schema-checks', 'ref-' || clock_timestamp(), "
                + kind + ", 'native', 'API', 'op', '9999999999', 100, 'INR', " + status + ", 'f')";
    }

    private void refused(String sql) {
        assertThatThrownBy(() -> jdbc.sql(sql).update())
                .isInstanceOf(DataIntegrityViolationException.class)
                .satisfies(e -> assertThat(((DataIntegrityViolationException) e).getMostSpecificCause())
                        .isInstanceOfSatisfying(SQLException.class, s -> assertThat(s.getSQLState()).isEqualTo(CHECK_VIOLATION)));
    }
}
