package billswitch.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.shared.Currency;
import billswitch.support.AdminClient;
import billswitch.support.DialectPayments;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A wallet's credit limit: payments may take it below zero down to the limit, the next one beyond is refused with
 * each dialect's insufficient-balance code and moves nothing; every balance answer shows the limit; the accounts
 * table itself refuses an overdraw beyond it; changing it is audited, FINANCE or ADMIN only.
 */
class WalletCreditLimitTest extends IntegrationTest {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;

    private String base() {
        return "http://localhost:" + port;
    }

    private Http setLimit(AdminClient as, String partnerId, String currency, long limitMinor) {
        return as.send("PUT", "/admin/partners/" + partnerId + "/wallets/" + currency + "/credit-limit",
                "{\"creditLimitMinor\":" + limitMinor + "}");
    }

    private JsonNode wallet(NativeClient client, String currency) {
        return client.get("/v1/wallet?currency=" + currency).json().get("wallets").get(0);
    }

    private long orders(String partnerId) {
        return jdbc.sql("select count(*) from orders where partner_id = :p").param("p", partnerId).query(Long.class).single();
    }

    private void verified() {
        JsonNode report = admin().get("/admin/ledger/verify").json();
        assertThat(report.get("overdrawnWallets").longValue()).isZero();
        assertThat(report.get("ok").booleanValue()).as("verify: %s", report).isTrue();
    }

    @Test
    void aNativePaymentMayTakeTheWalletBelowZeroDownToItsLimitAndTheNextBeyondIsRefused() {
        NativeClient client = newPartner(10_000);
        String recharge = """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""";
        Http without = client.post("/v1/recharges", recharge, "cl-0");
        assertThat(without.errorCode()).as("no limit: refused as before").isEqualTo("INSUFFICIENT_FUNDS");

        Http set = setLimit(admin(), client.partnerId, "INR", 20_000);
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("creditLimitMinor").longValue()).isEqualTo(20_000);
        assertThat(set.json().get("availableMinor").longValue()).isEqualTo(30_000);

        Http paid = client.post("/v1/recharges", recharge, "cl-1");
        assertThat(paid.status()).as(paid.body()).isLessThan(300);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        JsonNode w = wallet(client, "INR");
        long balance = w.get("balanceMinor").longValue();
        assertThat(balance).as("drawn on the limit").isNegative();
        assertThat(w.get("creditLimitMinor").longValue()).isEqualTo(20_000);
        assertThat(w.get("creditLimit").stringValue()).isEqualTo("200.00");
        assertThat(w.get("availableMinor").longValue())
                .isEqualTo(balance - w.get("heldMinor").longValue() + 20_000);
        assertThat(w.get("balance").stringValue()).isEqualTo(Currency.INR.format(balance));
        verified();

        long ordersBefore = orders(client.partnerId);
        Http beyond = client.post("/v1/recharges", recharge, "cl-2");
        assertThat(beyond.status()).isEqualTo(402);
        assertThat(beyond.errorCode()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(wallet(client, "INR")).as("untouched").isEqualTo(w);
        assertThat(orders(client.partnerId)).as("no order left").isEqualTo(ordersBefore);

        JsonNode admin = admin().get("/admin/partners/" + client.partnerId).json().get("wallets").get(0);
        assertThat(admin.get("creditLimitMinor").longValue()).isEqualTo(20_000);
        assertThat(admin.get("availableMinor").longValue()).isEqualTo(w.get("availableMinor").longValue());
        verified();
    }

    /** Each dialect: within the limit paid below zero, beyond it its own insufficient-balance code; balance shows it. */
    @Test
    void eachDialectPaysWithinTheLimitRefusesBeyondItAndShowsTheLimitInItsBalance() {
        check("AOPay", Currency.INR, 5_000, 10_000, DialectPayments::aopayClient,
                b -> minor(b.text("balance"), 2), b -> minor(b.text("credit_limit"), 2),
                r -> r.json().get("response_code").intValue() == 1, r -> r.json().get("response_code").intValue(), 12);
        check("Eko", Currency.INR, 500, 1_000, DialectPayments::ekoClient,
                b -> minor(b.json().get("data").get("balance").stringValue(), 2),
                b -> minor(b.json().get("data").get("credit_limit").stringValue(), 2),
                r -> r.json().get("status").intValue() == 0, r -> r.json().get("status").intValue(), 347);
        check("AppotaPay", Currency.VND, 25_000, 50_000, DialectPayments::appotaPayClient,
                b -> b.json().get("account").get("balance").longValue(),
                b -> b.json().get("account").get("creditLimit").longValue(),
                r -> r.json().get("errorCode").intValue() == 0, r -> r.json().get("errorCode").intValue(), 12);
        verified();
    }

    interface Dialect {
        DialectPayments.Client of(PartnerService partners, String baseUrl, String partnerId);
    }

    private void check(String name, Currency currency, long funds, long limit, Dialect dialect,
                       ToLongFunction<Http> balanceOf, ToLongFunction<Http> limitOf,
                       java.util.function.Predicate<Http> paidOk, ToLongFunction<Http> codeOf, long insufficient) {
        NativeClient client = newPartner(0);
        partners.topUp(client.partnerId, currency, funds, "funds-" + name);
        DialectPayments.Client c = dialect.of(partners, base(), client.partnerId);
        assertThat(limitOf.applyAsLong(c.balance().get())).as(name + " limit before").isZero();
        assertThat(setLimit(admin(), client.partnerId, currency.name(), limit).status()).isEqualTo(200);

        Http paid = c.pay().apply(name + "-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(paidOk.test(paid)).as(name + " paid within the limit: " + paid.body()).isTrue();
        Http balance = c.balance().get();
        JsonNode w = wallet(client, currency.name());
        long funded = w.get("balanceMinor").longValue() - w.get("heldMinor").longValue();
        assertThat(funded).as(name + " below zero").isNegative();
        assertThat(balanceOf.applyAsLong(balance)).as(name + " balance keeps its meaning (balance - held)").isEqualTo(funded);
        assertThat(limitOf.applyAsLong(balance)).as(name + " credit limit").isEqualTo(limit);

        long ordersBefore = orders(client.partnerId);
        Http beyond = c.pay().apply(name + "-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(codeOf.applyAsLong(beyond)).as(name + " beyond the limit: " + beyond.body()).isEqualTo(insufficient);
        assertThat(wallet(client, currency.name())).as(name + " untouched").isEqualTo(w);
        assertThat(orders(client.partnerId)).as(name + " no order").isEqualTo(ordersBefore);
    }

    private static long minor(String major, int digits) {
        return new BigDecimal(major).movePointRight(digits).longValueExact();
    }

    @Test
    void theAccountsTableRefusesAnOverdrawBeyondTheLimit() {
        NativeClient client = newPartner(1_000);
        assertThat(setLimit(admin(), client.partnerId, "INR", 500).status()).isEqualTo(200);
        long wallet = partners.walletId(client.partnerId, Currency.INR);
        // within the limit the check lets it by (rolled back: no transfer stands behind it)
        tx.executeWithoutResult(s -> {
            jdbc.sql("update accounts set debits_posted = debits_posted + 1500 where id = :id").param("id", wallet).update();
            s.setRollbackOnly();
        });
        assertThatThrownBy(() -> jdbc.sql("update accounts set debits_posted = debits_posted + 1501 where id = :id")
                .param("id", wallet).update())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("accounts_no_overdraw");
        assertThat(wallet(client, "INR").get("availableMinor").longValue()).isEqualTo(1_500);
    }

    @Test
    void aLimitBelowWhatTheWalletOwesIsRefusedAndChangesAreAuditedAndRoleChecked() {
        NativeClient client = newPartner(10_000);
        AdminClient finance = identity("FINANCE");
        assertThat(setLimit(finance, client.partnerId, "INR", 20_000).status()).isEqualTo(200);
        assertThat(client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR"}""",
                "owe-1").text("status")).isEqualTo("SUCCESS");
        JsonNode w = wallet(client, "INR");
        long owed = w.get("heldMinor").longValue() - w.get("balanceMinor").longValue();
        assertThat(owed).isPositive();

        Http refused = setLimit(finance, client.partnerId, "INR", owed - 1);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(refused.json().get("error").get("fields").get("creditLimitMinor").stringValue()).contains(Long.toString(owed));
        assertThat(wallet(client, "INR")).as("nothing changed").isEqualTo(w);
        assertThat(setLimit(finance, client.partnerId, "INR", owed).status()).as("down to what it owes").isEqualTo(200);
        assertThat(wallet(client, "INR").get("availableMinor").longValue()).isZero();

        assertThat(setLimit(finance, client.partnerId, "INR", -1).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(setLimit(finance, client.partnerId, "XYZ", 1).errorCode()).isEqualTo("UNSUPPORTED_CURRENCY");
        assertThat(setLimit(finance, "NO-SUCH-PARTNER", "INR", 1).errorCode()).isEqualTo("PARTNER_NOT_FOUND");
        AdminClient viewer = identity("READ_ONLY");
        assertThat(setLimit(viewer, client.partnerId, "INR", 50_000).errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(viewer.send("PUT", "/admin/partners/" + client.partnerId + "/wallets/INR/low-balance-threshold",
                "{\"thresholdMinor\":100}").errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(identity("OPERATIONS").send("PUT", "/admin/partners/" + client.partnerId + "/wallets/INR/credit-limit",
                "{\"creditLimitMinor\":1}").errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        assertThat(viewer.get("/admin/partners/" + client.partnerId + "/wallets/INR").json().get("creditLimitMinor")
                .longValue()).isEqualTo(owed);

        JsonNode entries = admin().get("/admin/audit?target=partner:" + client.partnerId + "&action=wallet.credit-limit")
                .json().get("entries");
        assertThat(entries.size()).as("two changes made, the refused ones recorded nothing").isEqualTo(2);
        JsonNode last = entries.get(0);
        assertThat(last.get("actorRole").stringValue()).isEqualTo("FINANCE");
        assertThat(last.get("request").stringValue())
                .isEqualTo("PUT /admin/partners/" + client.partnerId + "/wallets/INR/credit-limit");
        assertThat(last.get("before").get("creditLimitMinor").longValue()).isEqualTo(20_000);
        assertThat(last.get("after").get("creditLimitMinor").longValue()).isEqualTo(owed);
    }

    private AdminClient identity(String role) {
        String name = role.toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        Http created = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(created.status()).isEqualTo(201);
        return new AdminClient("http://localhost:" + port, created.text("token"));
    }
}
