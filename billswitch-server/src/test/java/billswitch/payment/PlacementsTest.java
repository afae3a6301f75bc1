package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.ledger.Ledger;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** One batch of placements, straight through {@link Batches#run}. */
class PlacementsTest extends IntegrationTest {
    @Autowired
    Batches batches;
    @Autowired
    Ledger ledger;
    @Autowired
    JdbcClient jdbc;

    private Placements.Placement placement(String partnerId, String reference, long amountMinor) {
        return PaymentSteps.placement(ledger, partnerId, reference, amountMinor);
    }

    @Test
    void aBatchHoldsWhatFitsRefusesTheRestAndKeepsNoOrderForARefusal() {
        NativeClient p = newPartner(10_000);
        List<Object> placed = batches.run(List.of(
                placement(p.partnerId, "pl-1", 6_000),
                placement(p.partnerId, "pl-1", 6_000),     // same reference, same batch: a replay of the first
                placement(p.partnerId, "pl-2", 5_000),     // 4,000 left: refused
                placement(p.partnerId, "pl-2", 5_000),     // shares the refused first use's fate
                placement(p.partnerId, "pl-3", 4_000)));   // fits exactly
        assertThat(placed.get(0)).isInstanceOf(Placements.Held.class);
        assertThat(placed.get(1)).isInstanceOf(Placements.Duplicate.class);
        assertThat(placed.get(2)).isInstanceOf(Placements.Refused.class);
        assertThat(placed.get(3)).isInstanceOf(Placements.Refused.class);
        assertThat(placed.get(4)).isInstanceOf(Placements.Held.class);
        assertThat(jdbc.sql("select reference from orders where partner_id = :p order by id").param("p", p.partnerId)
                .query(String.class).list()).containsExactly("pl-1", "pl-3");
        assertThat(jdbc.sql("select count(*) from attempts a join orders o on o.id = a.order_id where o.partner_id = :p")
                .param("p", p.partnerId).query(Long.class).single()).isEqualTo(2);
        // The attempt each held placement was given is its order's, and a refused order left no attempt behind.
        for (Object held : List.of(placed.get(0), placed.get(4))) {
            Placements.Held h = (Placements.Held) held;
            assertThat(jdbc.sql("select order_id from attempts where id = :id").param("id", h.attemptId())
                    .query(Long.class).single()).isEqualTo(h.orderId());
        }
        assertThat(jdbc.sql("select count(*) from attempts a where not exists (select 1 from orders o where o.id = a.order_id)")
                .query(Long.class).single()).isZero();
        assertThat(p.availableInr()).isZero();
    }
}
