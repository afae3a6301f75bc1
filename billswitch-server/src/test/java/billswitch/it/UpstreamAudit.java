package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reconciles a BillSwitch (A) with the BillSwitches it pays through (its upstreams B), as a finance team would
 * reconcile a distributor with its master distributor: every payment A calls paid was paid exactly once upstream,
 * with the same amount, under the reference of A's last attempt; nothing A calls failed was paid upstream; and
 * nothing was paid upstream that A does not call paid. Reads A's orders from its database, their attempts from
 * A's admin API (GET /admin/orders/{id}), and each upstream's orders of A's partner there from its database.
 */
final class UpstreamAudit {
    /** One upstream: its database, and A's partner id there. */
    record Upstream(String jdbcUrl, String partnerId) {
    }

    /** One of A's orders with the references its attempts were sent with, in the order they were made. */
    record DownstreamOrder(long id, String reference, String status, long amountMinor, List<JsonNode> attempts) {
        String lastAttemptReference() {
            return attempts.getLast().get("reference").stringValue();
        }
    }

    /** One order upstream. */
    record UpstreamOrder(String reference, String status, long amountMinor) {
    }

    /** What the audit saw: A's orders by status, and how many orders upstream were paid. */
    record Totals(Map<String, Integer> downstreamByStatus, int upstreamPaid) {
    }

    private UpstreamAudit() {
    }

    /** Runs every check against A's payments (not its bill fetches) of {@code partnerId}; their totals. */
    static Totals reconcile(String aBaseUrl, String aJdbc, String partnerId, List<Upstream> upstreams) throws SQLException {
        List<DownstreamOrder> downstream = new ArrayList<>();
        for (List<String> row : rows(aJdbc, "select id, reference, status, amount_minor from orders "
                + "where partner_id = ? and kind <> 'BILL_FETCH' order by id", partnerId)) {
            Http view = ProcessTestSupport.adminCall(aBaseUrl, "GET", "/admin/orders/" + row.get(0), null, 200);
            List<JsonNode> attempts = new ArrayList<>();
            view.json().get("attempts").forEach(attempts::add);
            downstream.add(new DownstreamOrder(Long.parseLong(row.get(0)), row.get(1), row.get(2), Long.parseLong(row.get(3)),
                    attempts));
        }
        Map<String, List<UpstreamOrder>> upstreamByReference = new HashMap<>();
        int upstreamPaid = 0;
        for (Upstream b : upstreams) {
            for (List<String> row : rows(b.jdbcUrl(), "select reference, status, amount_minor from orders "
                    + "where partner_id = ? and kind <> 'BILL_FETCH'", b.partnerId())) {
                UpstreamOrder order = new UpstreamOrder(row.get(0), row.get(1), Long.parseLong(row.get(2)));
                upstreamByReference.computeIfAbsent(order.reference(), r -> new ArrayList<>()).add(order);
                upstreamPaid += order.status().equals("SUCCESS") ? 1 : 0;
            }
        }

        Map<String, Integer> byStatus = new HashMap<>();
        int paidDownstream = 0;
        for (DownstreamOrder a : downstream) {
            byStatus.merge(a.status(), 1, Integer::sum);
            assertThat(a.attempts()).as("order %d has attempts", a.id()).isNotEmpty();
            List<UpstreamOrder> paid = new ArrayList<>();
            for (JsonNode attempt : a.attempts()) {
                List<UpstreamOrder> there = upstreamByReference.getOrDefault(attempt.get("reference").stringValue(), List.of());
                assertThat(there).as("order %d: one upstream order at most per attempt reference", a.id()).hasSizeLessThan(2);
                there.stream().filter(u -> u.status().equals("SUCCESS")).forEach(paid::add);
            }
            switch (a.status()) {
                case "SUCCESS" -> {
                    paidDownstream++;
                    assertThat(paid).as("order %d (%s) is SUCCESS: paid exactly once upstream", a.id(), a.reference()).hasSize(1);
                    assertThat(paid.getFirst().reference()).as("order %d: paid by its last attempt", a.id())
                            .isEqualTo(a.lastAttemptReference());
                    assertThat(paid.getFirst().amountMinor()).as("order %d: the same amount upstream", a.id())
                            .isEqualTo(a.amountMinor());
                }
                case "FAILED", "REFUNDED" -> assertThat(paid).as("order %d (%s) is %s: paid nowhere upstream", a.id(),
                        a.reference(), a.status()).isEmpty();
                default -> throw new AssertionError("order " + a.id() + " is still " + a.status());
            }
        }
        assertThat(upstreamPaid).as("every payment made upstream is one A calls paid").isEqualTo(paidDownstream);
        return new Totals(byStatus, upstreamPaid);
    }

    /**
     * The upstream's wallet of A's partner: its posted debits are exactly the amounts, fees and GST of the partner's
     * SUCCESS orders there and the TDS withheld from their commission, nothing is held, and the balance the admin API shows is what was funded less that
     * plus the commissions earned.
     */
    static void assertWalletMatchesPaidOrders(String bBaseUrl, Upstream b, String currency, long funded) throws SQLException {
        long debits = ProcessTestSupport.queryLong(b.jdbcUrl(), """
                select debits_posted from accounts where kind = 'WALLET' and partner_id = '%s' and currency = '%s'"""
                .formatted(b.partnerId(), currency));
        long held = ProcessTestSupport.queryLong(b.jdbcUrl(), """
                select debits_pending from accounts where kind = 'WALLET' and partner_id = '%s' and currency = '%s'"""
                .formatted(b.partnerId(), currency));
        long paid = ProcessTestSupport.queryLong(b.jdbcUrl(), """
                select coalesce(sum(amount_minor + ccf_minor + fee_minor + gst_minor + tds_minor), 0) from orders
                where partner_id = '%s' and currency = '%s'
                and status = 'SUCCESS' and kind <> 'BILL_FETCH'""".formatted(b.partnerId(), currency));
        long commission = ProcessTestSupport.queryLong(b.jdbcUrl(), """
                select coalesce(sum(commission_minor), 0) from orders where partner_id = '%s' and currency = '%s'
                and status = 'SUCCESS' and kind <> 'BILL_FETCH'""".formatted(b.partnerId(), currency));
        assertThat(debits).as("%s debited upstream = its SUCCESS orders' amounts, fees, GST and TDS", currency).isEqualTo(paid);
        assertThat(held).as("%s held upstream", currency).isZero();
        JsonNode wallet = null;
        for (JsonNode w : ProcessTestSupport.adminCall(bBaseUrl, "GET", "/admin/partners/" + b.partnerId(), null, 200)
                .json().get("wallets")) {
            if (w.get("currency").stringValue().equals(currency)) {
                wallet = w;
            }
        }
        assertThat(wallet).as("%s wallet upstream", currency).isNotNull();
        assertThat(wallet.get("balanceMinor").longValue()).as("%s balance upstream", currency)
                .isEqualTo(funded - paid + commission);
        assertThat(wallet.get("heldMinor").longValue()).isZero();
    }

    /** Every row of a query with one text parameter, each column as text. */
    static List<List<String>> rows(String jdbcUrl, String sql, String parameter) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                List<List<String>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
