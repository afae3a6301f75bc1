package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.ledger.Ledger;
import billswitch.ledger.LedgerVerifier;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.Currency;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Three batch lanes side by side, through the real server: every payment settles, every wallet ends where
 * its payments put it, and each partner's holds and commissions were written by its own lane only, on the
 * platform shards of that lane (the shard number modulo the lanes), which no other lane locks.
 */
@TestPropertySource(properties = "billswitch.batching.lanes=3")
class LanesTest extends IntegrationTest {
    private static final int LANES = 3;
    private static final int PAYMENTS_EACH = 12;
    private static final long AMOUNT = 10_000;
    private static final long FUNDED = PAYMENTS_EACH * AMOUNT * 2;

    @Autowired
    Ledger ledger;
    @Autowired
    LedgerVerifier verifier;
    @Autowired
    JdbcClient jdbc;

    @Test
    void concurrentPaymentsOfManyPartnersSettleInTheirPartnersLaneOnItsOwnShards() throws Exception {
        // Partners until every lane has three (the lane of a partner is fixed by its id).
        List<NativeClient> clients = new ArrayList<>();
        int[] partnersIn = new int[LANES];
        while (Arrays.stream(partnersIn).min().orElseThrow() < 3) {
            NativeClient client = newPartner(FUNDED);
            int lane = Batches.laneOf(client.partnerId, LANES);
            if (partnersIn[lane] < 3) {
                partnersIn[lane]++;
                clients.add(client);
            }
        }
        List<Future<Http>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 0; n < PAYMENTS_EACH; n++) {
                for (NativeClient client : clients) {
                    String body = """
                            {"operatorId":"airtel-prepaid","accountNumber":"987654321%d","amountMinor":%d,"currency":"INR"}"""
                            .formatted(n % 8, AMOUNT);
                    String reference = "lane-" + n;
                    answers.add(pool.submit(() -> client.post("/v1/recharges", body, reference)));
                }
            }
        }
        for (Future<Http> answer : answers) {
            assertThat(answer.get().status()).isEqualTo(200);
            assertThat(answer.get().text("status")).isEqualTo("SUCCESS");
        }

        for (NativeClient client : clients) {
            // Each payment debits its amount, convenience fee, fee and GST, and credits the partner's commission
            // less its TDS.
            List<Long> netDebits = jdbc.sql("""
                    select amount_minor + ccf_minor + fee_minor + gst_minor - commission_minor + tds_minor from orders
                    where partner_id = :partner and status = 'SUCCESS'""")
                    .param("partner", client.partnerId).query(Long.class).list();
            assertThat(netDebits).hasSize(PAYMENTS_EACH);
            assertThat(client.availableInr()).isEqualTo(FUNDED - netDebits.stream().mapToLong(Long::longValue).sum());
            long wallet = ledger.walletId(client.partnerId, Currency.INR);
            List<Integer> shards = jdbc.sql("""
                    select distinct a.shard from transfers t
                    join accounts a on a.id in (t.debit_account_id, t.credit_account_id) and a.partner_id is null
                    where t.wallet_account_id = :wallet and t.order_id is not null""")
                    .param("wallet", wallet).query(Integer.class).list();
            assertThat(shards).as("platform shards of wallet %d's payments", wallet).isNotEmpty();
            int lane = Batches.laneOf(client.partnerId, LANES);
            assertThat(shards).as("platform shards of wallet %d's payments, lane %d", wallet, lane)
                    .allSatisfy(shard -> assertThat(shard % LANES).isEqualTo(lane));
        }
        assertThat(verifier.verify().ok()).isTrue();
    }

    @Test
    void lanesAreOneToSixteenTheNumberOfPlatformShards() {
        assertThat(new BillSwitchProperties.Batching(16, 256, 20_000).lanes()).isEqualTo(16);
        assertThatThrownBy(() -> new BillSwitchProperties.Batching(0, 256, 20_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("billswitch.batching.lanes must be 1 to 16");
        assertThatThrownBy(() -> new BillSwitchProperties.Batching(17, 256, 20_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 17");
        assertThatThrownBy(() -> new BillSwitchProperties.Batching(1, 0, 20_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-size must be at least 1");
        assertThatThrownBy(() -> new BillSwitchProperties.Batching(1, 256, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue-limit must be at least 1");
    }
}
