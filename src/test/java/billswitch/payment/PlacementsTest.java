package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Operator;
import billswitch.ledger.Ledger;
import billswitch.shared.Currency;
import billswitch.shared.Money;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** One batch of placements, straight through {@link Placements#placeAll}. */
class PlacementsTest extends IntegrationTest {
    @Autowired
    Placements placements;
    @Autowired
    Ledger ledger;
    @Autowired
    JdbcClient jdbc;

    private Placements.Placement placement(String partnerId, String reference, long amountMinor) {
        PayCommand command = new PayCommand(partnerId, "native", reference, OrderKind.RECHARGE, "airtel-prepaid",
                "9876543210", Map.of(), Money.of(amountMinor, Currency.INR), Operator.Channel.INSTANT, null, null);
        return new Placements.Placement(new OrderRepository.NewPayment(command, "airtel-prepaid", 0, 0, null,
                "fp-" + reference, Instant.now()), ledger.walletId(partnerId, Currency.INR), amountMinor, "sandbox");
    }

    @Test
    void aBatchHoldsWhatFitsRefusesTheRestAndKeepsNoOrderForARefusal() {
        NativeClient p = newPartner(10_000);
        List<Placements.Placed> placed = placements.placeAll(List.of(
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
        assertThat(p.availableInr()).isZero();
    }
}
