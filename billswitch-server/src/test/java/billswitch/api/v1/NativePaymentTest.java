package billswitch.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.Currency;
import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NativePaymentTest extends IntegrationTest {

    private static String inr(String operator, String account, long amountMinor) {
        return """
                {"operatorId":"%s","accountNumber":"%s","amountMinor":%d,"currency":"INR"}""".formatted(operator, account, amountMinor);
    }

    private long fetchedAmount(NativeClient client, String operator, String account) {
        Http fetch = client.post("/v1/bills/fetch", """
                {"operatorId":"%s","accountNumber":"%s"}""".formatted(operator, account), null);
        assertThat(fetch.status()).isEqualTo(200);
        assertThat(fetch.text("status")).isEqualTo("SUCCESS");
        return fetch.json().get("bill").get("amountMinor").longValue();
    }

    @Test
    void signedBillPayDebitsTheWalletWithOpeningAndClosingBalances() {
        NativeClient client = newPartner(10_000_000);
        long bill = fetchedAmount(client, "bses-rajdhani", "102277100");

        Http paid = client.post("/v1/bills/pay", inr("bses-rajdhani", "102277100", bill), "pay-1");

        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        assertThat(paid.text("operatorRef")).startsWith("SBX");
        assertThat(paid.json().get("wallet").get("openingMinor").longValue()).isEqualTo(10_000_000);
        assertThat(paid.json().get("wallet").get("closingMinor").longValue()).isEqualTo(10_000_000 - bill);
        long commission = paid.number("commissionMinor");
        assertThat(commission).isEqualTo(bill * 40 / 10_000);
        long tds = paid.number("tdsMinor");
        assertThat(tds).isEqualTo((commission * 2 + 50) / 100);   // TDS: 2% of the commission, half up
        assertThat(client.availableInr()).isEqualTo(10_000_000 - bill + commission - tds);
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    @Test
    void aDeclinedPaymentIsRefundedAndATimedOutOneKeepsItsHold() {
        NativeClient client = newPartner(1_000_000);

        Http declined = client.post("/v1/recharges", inr("airtel-prepaid", "9876543218", 19_900), "r-8");
        assertThat(declined.status()).isEqualTo(200);
        assertThat(declined.text("status")).isEqualTo("FAILED");
        assertThat(declined.json().get("failure").get("code").stringValue()).isEqualTo("DECLINED");
        assertThat(declined.json().get("refund").get("amountMinor").longValue()).isEqualTo(19_900);
        assertThat(client.availableInr()).isEqualTo(1_000_000);

        Http unknown = client.post("/v1/recharges", inr("airtel-prepaid", "9876543219", 19_900), "r-9");
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(unknown.text("status")).isEqualTo("UNKNOWN");
        assertThat(unknown.json().get("refund").isNull()).isTrue();
        JsonNode wallet = client.get("/v1/wallet?currency=INR").json().get("wallets").get(0);
        assertThat(wallet.get("heldMinor").longValue()).isEqualTo(19_900);
        assertThat(wallet.get("availableMinor").longValue()).isEqualTo(1_000_000 - 19_900);
    }

    @Test
    void aConnectorThatThrowsLeavesTheOrderUnknownAndTheMoneyHeld() {
        NativeClient client = newPartner(100_000);
        String operator = faults.operator();
        faults.next(Fault.THROW);

        Http answer = client.post("/v1/recharges", inr(operator, "9876543210", 10_000), "throw-1");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.text("status")).isEqualTo("UNKNOWN");
        assertThat(client.availableInr()).isEqualTo(90_000);
    }

    @Test
    void anIdempotentReplayReturnsTheIdenticalAnswerAndChargesOnce() {
        NativeClient client = newPartner(1_000_000);
        String body = inr("jio-prepaid", "9876543210", 34_900);

        Http first = client.post("/v1/recharges", body, "same-key");
        Http again = client.post("/v1/recharges", body, "same-key");

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(first.status());
        assertThat(again.body()).isEqualTo(first.body());
        long commission = first.number("commissionMinor") - first.number("tdsMinor");   // less its TDS
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 34_900 + commission);

        Http different = client.post("/v1/recharges", inr("jio-prepaid", "9876543210", 18_900), "same-key");
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        // A body that would fail validation is still recognised as reusing the key first.
        Http invalid = client.post("/v1/recharges", inr("no-such-operator", "9876543210", 34_900), "same-key");
        assertThat(invalid.status()).isEqualTo(409);
        assertThat(invalid.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(client.availableInr()).isEqualTo(1_000_000 - 34_900 + commission);
    }

    @Test
    void aConcurrentDuplicateIsToldTheRequestIsInProgress() throws Exception {
        NativeClient client = newPartner(100_000);
        String operator = faults.operator();
        faults.next(Fault.HANG);
        faults.armGate();
        String body = inr(operator, "9876543210", 10_000);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http> first = pool.submit(() -> client.post("/v1/recharges", body, "in-flight"));
            assertThat(faults.awaitEntered()).isTrue();

            Http duplicate = client.post("/v1/recharges", body, "in-flight");
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.errorCode()).isEqualTo("REQUEST_IN_PROGRESS");

            faults.release();
            assertThat(first.get().status()).isEqualTo(200);
            assertThat(first.get().text("status")).isEqualTo("SUCCESS");
        }
        assertThat(client.availableInr()).isEqualTo(90_000);
    }

    @Test
    void twoHundredConcurrentPaymentsNeverOverdrawOneWallet() throws Exception {
        NativeClient client = newPartner(100 * 10_000);
        String operator = faults.operator();
        List<Future<Http>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                String key = "burst-" + i;
                answers.add(pool.submit(() -> client.post("/v1/recharges", inr(operator, "9876543210", 10_000), key)));
            }
        }
        int succeeded = 0;
        int refused = 0;
        for (Future<Http> f : answers) {
            Http h = f.get();
            if (h.status() == 200 && "SUCCESS".equals(h.text("status"))) {
                succeeded++;
            } else if (h.status() == 402 && "INSUFFICIENT_FUNDS".equals(h.errorCode())) {
                refused++;
            }
        }
        assertThat(succeeded).isEqualTo(100);
        assertThat(refused).isEqualTo(100);
        assertThat(client.availableInr()).isZero();
        assertThat(admin().get("/admin/ledger/verify").json().get("ok").booleanValue()).isTrue();
    }

    @Test
    void statusByIdAndByReferenceShowTheOrderOnlyToItsPartner() {
        NativeClient client = newPartner(1_000_000);
        NativeClient other = newPartner(0);
        Http paid = client.post("/v1/recharges", inr("vi-prepaid", "9876543210", 19_900), "status-1");
        String id = paid.text("id");

        Http byId = client.get("/v1/transactions/" + id);
        Http byRef = client.get("/v1/transactions?reference=status-1");
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.text("status")).isEqualTo("SUCCESS");
        assertThat(byRef.text("id")).isEqualTo(id);

        assertThat(other.get("/v1/transactions/" + id).errorCode()).isEqualTo("TRANSACTION_NOT_FOUND");
        assertThat(client.get("/v1/transactions/99999999").status()).isEqualTo(404);
        assertThat(client.get("/v1/transactions/abc").status()).isEqualTo(404);
        assertThat(client.get("/v1/transactions?reference=nope").status()).isEqualTo(404);
    }

    @Test
    void theStatementChainsOpeningAndClosingBalancesAndPages() {
        NativeClient client = newPartner(1_000_000);
        client.post("/v1/recharges", inr("airtel-prepaid", "9876543210", 19_900), "st-1");
        client.post("/v1/recharges", inr("airtel-prepaid", "9876543218", 29_900), "st-2");
        client.post("/v1/recharges", inr("airtel-prepaid", "9876543219", 71_900), "st-3");

        List<JsonNode> entries = new ArrayList<>();
        String before = null;
        do {
            Http page = client.get("/v1/wallet/statement?currency=INR&limit=2" + (before == null ? "" : "&before=" + before));
            assertThat(page.status()).isEqualTo(200);
            page.json().get("entries").forEach(entries::add);
            before = page.text("nextBefore");
        } while (before != null);

        // top-up; hold, settle, commission, TDS; hold, refund; hold: 8 entries, newest first
        assertThat(entries).hasSize(8);
        List<JsonNode> oldestFirst = new ArrayList<>(entries).reversed();
        assertThat(oldestFirst.get(0).get("type").stringValue()).isEqualTo("TOPUP");
        for (int i = 1; i < oldestFirst.size(); i++) {
            assertThat(oldestFirst.get(i).get("openingMinor").longValue())
                    .as("entry %d opens where entry %d closed", i, i - 1)
                    .isEqualTo(oldestFirst.get(i - 1).get("closingMinor").longValue());
        }
        assertThat(oldestFirst.getLast().get("closingMinor").longValue()).isEqualTo(client.availableInr());
    }

    @Test
    void aBillFetchThatFailsOrTimesOutSaysSoAndKeepsNothing() {
        NativeClient client = newPartner(0);
        Http declined = client.post("/v1/bills/fetch", """
                {"operatorId":"bses-rajdhani","accountNumber":"100000008"}""", null);
        assertThat(declined.status()).isEqualTo(422);
        assertThat(declined.errorCode()).isEqualTo("BILL_FETCH_FAILED");
        Http timedOut = client.post("/v1/bills/fetch", """
                {"operatorId":"bses-rajdhani","accountNumber":"100000009"}""", null);
        assertThat(timedOut.status()).isEqualTo(504);
        assertThat(timedOut.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        Http recharge = client.post("/v1/bills/fetch", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210"}""", null);
        assertThat(recharge.errorCode()).isEqualTo("OPERATION_NOT_SUPPORTED");
    }

    @Test
    void billersThatNeedAFetchRefusePaymentWithoutOne() {
        NativeClient client = newPartner(1_000_000);
        Http answer = client.post("/v1/bills/pay", inr("tpddl", "12345678901", 50_000), "nofetch");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("BILL_NOT_FETCHED");
        assertThat(client.availableInr()).isEqualTo(1_000_000);
    }

    @Test
    void exactnessRulesAreCheckedAgainstTheFetchedBill() {
        NativeClient client = newPartner(10_000_000);
        long bses = fetchedAmount(client, "bses-rajdhani", "100000001");
        assertThat(client.post("/v1/bills/pay", inr("bses-rajdhani", "100000001", bses - 100), "ex-1").errorCode())
                .isEqualTo("AMOUNT_NOT_ALLOWED");
        assertThat(client.post("/v1/bills/pay", inr("bses-rajdhani", "100000001", bses + 100), "ex-2").text("status"))
                .isEqualTo("SUCCESS");

        long tpddl = fetchedAmount(client, "tpddl", "12345678901");
        assertThat(client.post("/v1/bills/pay", inr("tpddl", "12345678901", tpddl + 100), "ex-3").errorCode())
                .isEqualTo("AMOUNT_NOT_ALLOWED");
        assertThat(client.post("/v1/bills/pay", inr("tpddl", "12345678901", tpddl), "ex-4").text("status"))
                .isEqualTo("SUCCESS");

        long bescom = fetchedAmount(client, "bescom", "1234567890");
        assertThat(client.post("/v1/bills/pay", inr("bescom", "1234567890", bescom + 100), "ex-5").errorCode())
                .isEqualTo("AMOUNT_NOT_ALLOWED");
        assertThat(client.post("/v1/bills/pay", inr("bescom", "1234567890", bescom / 2), "ex-6").text("status"))
                .isEqualTo("SUCCESS");
    }

    @Test
    void operatorParametersAreCheckedAgainstTheCatalog() {
        NativeClient client = newPartner(10_000_000);
        Http noPin = client.post("/v1/bills/fetch", """
                {"operatorId":"mseb","accountNumber":"123456789012"}""", null);
        assertThat(noPin.status()).isEqualTo(400);
        assertThat(noPin.errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(noPin.json().get("error").get("fields").get("postalcode").stringValue()).isEqualTo("is required");

        Http withPin = client.post("/v1/bills/fetch", """
                {"operatorId":"mseb","accountNumber":"123456789012","params":{"postalcode":"411001"}}""", null);
        assertThat(withPin.status()).isEqualTo(200);

        Http badDob = client.post("/v1/bills/fetch", """
                {"operatorId":"lic","accountNumber":"123456789","params":{"dob":"1990-01-31"}}""", null);
        assertThat(badDob.errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(badDob.json().get("error").get("fields").get("dob").stringValue()).contains("DD/MM/YYYY");

        Http lic = client.post("/v1/bills/fetch", """
                {"operatorId":"lic","accountNumber":"123456781","params":{"dob":"31/01/1990"}}""", null);
        long amount = lic.json().get("bill").get("amountMinor").longValue();
        Http paid = client.post("/v1/bills/pay", """
                {"operatorId":"lic","accountNumber":"123456781","params":{"dob":"31/01/1990"},"amountMinor":%d,"currency":"INR","billFetchId":"%s"}"""
                .formatted(amount, lic.text("id")), "lic-1");
        assertThat(paid.text("status")).isEqualTo("SUCCESS");
        assertThat(paid.text("billFetchId")).isEqualTo(lic.text("id"));
    }

    @Test
    void vietnameseTopUpsTakeOnlyTheirProductAmounts() {
        NativeClient client = newPartner(0);
        partners.topUp(client.partnerId, Currency.VND, 1_000_000, "vnd");
        Http ok = client.post("/v1/recharges", """
                {"operatorId":"viettel","accountNumber":"0987654321","amountMinor":50000,"currency":"VND","productCode":"VTT50"}""", "vn-1");
        assertThat(ok.text("status")).isEqualTo("SUCCESS");
        assertThat(ok.json().get("wallet").get("closingMinor").longValue()).isEqualTo(950_000);

        Http odd = client.post("/v1/recharges", """
                {"operatorId":"viettel","accountNumber":"0987654321","amountMinor":12345,"currency":"VND"}""", "vn-2");
        assertThat(odd.errorCode()).isEqualTo("AMOUNT_NOT_ALLOWED");
        Http wrongProduct = client.post("/v1/recharges", """
                {"operatorId":"viettel","accountNumber":"0987654321","amountMinor":50000,"currency":"VND","productCode":"VTT999"}""", "vn-3");
        assertThat(wrongProduct.errorCode()).isEqualTo("UNKNOWN_PRODUCT");
        Http inr = client.post("/v1/recharges", """
                {"operatorId":"viettel","accountNumber":"0987654321","amountMinor":50000,"currency":"INR"}""", "vn-4");
        assertThat(inr.errorCode()).isEqualTo("CURRENCY_MISMATCH");
    }

    @Test
    void theHighCommissionChannelAnswersPending() {
        NativeClient client = newPartner(10_000_000);
        long bill = fetchedAmount(client, "bses-rajdhani", "100000002");
        Http answer = client.post("/v1/bills/pay", """
                {"operatorId":"bses-rajdhani","accountNumber":"100000002","amountMinor":%d,"currency":"INR","channel":"HIGH_COMMISSION"}"""
                .formatted(bill), "hc-1");
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.text("status")).isEqualTo("PENDING");
        assertThat(client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR","channel":"HIGH_COMMISSION"}""",
                "hc-2").errorCode()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void theProductCodeSentIsKeptAndShownBackNotGuessed() {
        NativeClient client = newPartner(1_000_000);
        Http named = client.post("/v1/recharges", """
                {"operatorId":"airtel-prepaid","accountNumber":"9876543210","amountMinor":19900,"currency":"INR","productCode":"AIR199"}""",
                "product-1");
        assertThat(named.status()).isEqualTo(200);
        assertThat(named.text("productCode")).isEqualTo("AIR199");
        // Read back from the database, as stored: the product named, not one that costs the same.
        assertThat(client.get("/v1/transactions/" + named.text("id")).text("productCode")).isEqualTo("AIR199");
        assertThat(client.get("/v1/transactions?reference=product-1").text("productCode")).isEqualTo("AIR199");

        // The same amount without a product: none is made up for it.
        Http byAmount = client.post("/v1/recharges", inr("airtel-prepaid", "9876543210", 19_900), "product-2");
        assertThat(byAmount.status()).isEqualTo(200);
        assertThat(byAmount.json().get("productCode").isNull()).isTrue();
        assertThat(client.get("/v1/transactions/" + byAmount.text("id")).json().get("productCode").isNull()).isTrue();
    }

    @Test
    void theCatalogListsOperatorsWithTheirRules() {
        NativeClient client = newPartner(0);
        Http categories = client.get("/v1/categories");
        assertThat(categories.json().get("categories").size()).isGreaterThanOrEqualTo(10);

        Http electricity = client.get("/v1/operators?category=electricity&location=IN-DL");
        List<String> ids = new ArrayList<>();
        electricity.json().get("operators").forEach(o -> ids.add(o.get("id").stringValue()));
        assertThat(ids).containsExactlyInAnyOrder("bses-rajdhani", "tpddl");

        Http vn = client.get("/v1/operators?country=VN");
        assertThat(vn.json().get("operators").size()).isEqualTo(8);

        Http airtel = client.get("/v1/operators/airtel-prepaid");
        assertThat(airtel.json().get("providerCodes").get("aopayProductId").intValue()).isEqualTo(518);
        assertThat(airtel.json().get("params").get(0).get("regex").stringValue()).isEqualTo("^[6-9][0-9]{9}$");
        assertThat(airtel.json().get("plans").size()).isEqualTo(4);

        Http postpaid = client.get("/v1/operators/airtel-postpaid");
        assertThat(postpaid.json().get("providerCodes").get("aopayOperator").stringValue()).isEqualTo("11");

        assertThat(client.get("/v1/operators/nope").errorCode()).isEqualTo("UNKNOWN_OPERATOR");
    }
}
