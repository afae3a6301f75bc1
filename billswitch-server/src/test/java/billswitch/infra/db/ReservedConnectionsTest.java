package billswitch.infra.db;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The payment batches have connections of their own: with every connection of the general pool held by slow
 * queries (request threads, the janitor, the admin API), a payment is still placed, sent and settled.
 */
class ReservedConnectionsTest extends IntegrationTest {
    @Autowired
    DataSource dataSource;
    @Autowired
    BillSwitchProperties props;

    @Test
    void aPaymentGoesThroughWhileSlowQueriesHoldTheWholeGeneralPool() throws Exception {
        NativeClient client = newPartner(1_000_000);
        // A first payment: the partner's credential and wallet are known to this node from here on.
        assertThat(pay(client, "warm-up").text("status")).isEqualTo("SUCCESS");

        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < props.db().maxPoolSize(); i++) {
                Connection c = dataSource.getConnection();
                c.setAutoCommit(false);
                // a slow query's transaction, left open: the connection stays out of the pool
                c.createStatement().execute("select pg_sleep(0.01)");
                held.add(c);
            }
            Http paid = pay(client, "while-starved");
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            assertThat(paid.text("status")).isEqualTo("SUCCESS");
        } finally {
            for (Connection c : held) {
                c.rollback();
                c.close();
            }
        }
    }

    private static Http pay(NativeClient client, String reference) {
        return client.post("/v1/recharges", """
                {"operatorId":"jio-prepaid","accountNumber":"9876543210","amountMinor":34900,"currency":"INR"}""", reference);
    }
}
