package billswitch.api;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import org.junit.jupiter.api.Test;

/**
 * A JSON answer's keys come in one order, the same after every restart. Map.of, Map.copyOf and Set.of
 * iterate in an order drawn at each start of the JVM, so an answer built on one of them (GET /v1/wallet
 * was) ordered its keys differently after a restart. Within one JVM that order holds still, so each check
 * compares with the one order the answer must have: with such a map behind an answer, it fails in most
 * starts (the more keys, the likelier).
 */
class KeyOrderTest extends IntegrationTest {

    @Test
    void theWalletAnswersInItsOwnOrder() {
        NativeClient client = newPartner(1_000);
        Http wallet = client.get("/v1/wallet");
        assertThat(wallet.json().propertyNames()).containsExactly("partnerId", "wallets");
        assertThat(wallet.json().get("wallets").get(0).propertyNames())
                .containsExactly("currency", "balanceMinor", "heldMinor", "availableMinor", "available", "creditLimitMinor",
                        "creditLimit", "balance", "lowBalanceThresholdMinor");
        assertThat(client.get("/v1/wallet?currency=INR").json().propertyNames()).containsExactly("partnerId", "wallets");
    }

    @Test
    void anErrorNamesItsFieldsInTheOrderTheRequestGaveThem() {
        NativeClient client = newPartner(1_000_000);
        Http missing = client.post("/v1/recharges", "{}", "order-1");
        assertThat(missing.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(missing.json().propertyNames()).containsExactly("error");
        assertThat(missing.json().get("error").propertyNames()).containsExactly("code", "message", "fields");
        assertThat(missing.json().get("error").get("fields").propertyNames())
                .containsExactly("operatorId", "accountNumber", "amountMinor", "currency");

        // Unknown customer parameters, as the request listed them (they went through PayCommand's params).
        Http unknown = client.post("/v1/bills/pay", """
                {"operatorId":"bses-rajdhani","accountNumber":"102277100","params":{"zeta":"1","alpha":"2","mid":"3",\
                "beta":"4","omega":"5"},"amountMinor":10000,"currency":"INR"}""", "order-2");
        assertThat(unknown.errorCode()).as(unknown.body()).isEqualTo("INVALID_PARAMETER");
        assertThat(unknown.json().get("error").get("fields").propertyNames())
                .containsExactly("zeta", "alpha", "mid", "beta", "omega");
    }

    @Test
    void theRuntimeFiguresAnswerInTheirOwnOrder() {
        Http runtime = admin().get("/admin/runtime");
        assertThat(runtime.status()).isEqualTo(200);
        assertThat(runtime.json().propertyNames()).containsExactly("heapUsedBytes", "heapCommittedBytes", "heapMaxBytes",
                "platformThreads", "gcPauses", "gcPauseMillis");
    }
}
