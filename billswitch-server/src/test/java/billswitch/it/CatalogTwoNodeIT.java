package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.NativeClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Two real server processes on one PostgreSQL: an operator created, edited and disabled through node A's admin API
 * is paid, checked against its new rules, and refused through node B's native API within seconds, without a restart
 * (each node's catalog and routing refresh).
 */
class CatalogTwoNodeIT {
    private static final Duration WITHIN = Duration.ofSeconds(30);

    /** Calls until the answer is as expected, or the bound passes: the last answer is returned either way. */
    private static Http until(Supplier<Http> call, Predicate<Http> expected) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        Http last = call.get();
        while (!expected.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = call.get();
        }
        return last;
    }

    private static Http pay(NativeClient via, String operator, String account) {
        return via.post("/v1/bills/pay", "{\"operatorId\":\"" + operator + "\",\"accountNumber\":\"" + account
                + "\",\"amountMinor\":5000,\"currency\":\"INR\"}", UUID.randomUUID().toString());
    }

    @Test
    void aCatalogChangeOnOneNodeIsUsedByTheOtherWithinSeconds() throws Exception {
        Path dir = Files.createTempDirectory("billswitch-catalog-two-nodes");
        try (EmbeddedPostgres pg = ProcessTestSupport.externalPostgres(dir);
             ServerProcess a = new ServerProcess(pg.getJdbcUrl("postgres", "postgres"), dir, ProcessTestSupport.FAST_SCHEDULES).start();
             ServerProcess b = new ServerProcess(pg.getJdbcUrl("postgres", "postgres"), dir, ProcessTestSupport.FAST_SCHEDULES).start()) {
            AdminClient adminA = new AdminClient(a.adminUrl(), "demo-admin");
            ProcessTestSupport.PartnerKeys keys = ProcessTestSupport.newPartner(a.baseUrl(), "CATALOG-NODES", 10_000_000L, null);
            NativeClient viaB = keys.client(b.baseUrl());
            assertThat(pay(viaB, "two-node-water", "1234567890").errorCode()).isEqualTo("UNKNOWN_OPERATOR");

            assertThat(adminA.post("/admin/categories", """
                    {"id":"two-node-cat","name":"Two Nodes","group":"Utility","country":"IN","providerId":9101}""").status())
                    .isEqualTo(201);
            Http created = adminA.post("/admin/operators", """
                    {"id":"two-node-water","name":"Two Node Water","categoryId":"two-node-cat","kind":"UTILITY","country":"IN",
                     "currency":"INR","fetchOption":"NOT_SUPPORTED","exactness":"ADHOC","minAmountMinor":100,"maxAmountMinor":100000,
                     "params":[{"name":"utility_acc_no","label":"Consumer Number","type":"Numeric","regex":"^[0-9]{10}$",
                                "errorMessage":"Consumer number is 10 digits","account":true}]}""");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(adminA.send("PUT", "/admin/operators/two-node-water/routes",
                    "[{\"connector\":\"sandbox\",\"upstreamCode\":\"two-node-water\",\"priority\":1}]").status()).isEqualTo(200);

            Http paid = until(() -> pay(viaB, "two-node-water", "1234567890"), h -> h.status() == 200);
            assertThat(paid.status()).as(paid.body()).isEqualTo(200);
            assertThat(paid.json().get("operatorId").stringValue()).isEqualTo("two-node-water");

            // an edit: a new account rule, used by node B
            assertThat(adminA.send("PATCH", "/admin/operators/two-node-water", """
                    {"params":[{"name":"utility_acc_no","label":"Consumer Number","type":"AlphaNumeric","regex":"^WA[0-9]{6}$",
                                "errorMessage":"WA and six digits","account":true}]}""").status()).isEqualTo(200);
            Http oldRule = until(() -> pay(viaB, "two-node-water", "1234567890"), h -> "INVALID_PARAMETER".equals(h.errorCode()));
            assertThat(oldRule.errorCode()).as(oldRule.body()).isEqualTo("INVALID_PARAMETER");
            assertThat(pay(viaB, "two-node-water", "WA123456").status()).isEqualTo(200);

            // disabled on node A: node B refuses it and no longer lists it
            assertThat(adminA.send("PATCH", "/admin/operators/two-node-water", "{\"enabled\":false}").status()).isEqualTo(200);
            Http refused = until(() -> pay(viaB, "two-node-water", "WA123456"), h -> "OPERATOR_DISABLED".equals(h.errorCode()));
            assertThat(refused.errorCode()).as(refused.body()).isEqualTo("OPERATOR_DISABLED");
            assertThat(viaB.get("/v1/operators?category=two-node-cat").json().get("operators")).isEmpty();

            // enabled again, then its category disabled: the same, through the category
            assertThat(adminA.send("PATCH", "/admin/operators/two-node-water", "{\"enabled\":true}").status()).isEqualTo(200);
            assertThat(until(() -> pay(viaB, "two-node-water", "WA123456"), h -> h.status() == 200).status()).isEqualTo(200);
            assertThat(adminA.send("PATCH", "/admin/categories/two-node-cat", "{\"enabled\":false}").status()).isEqualTo(200);
            assertThat(until(() -> pay(viaB, "two-node-water", "WA123456"), h -> "OPERATOR_DISABLED".equals(h.errorCode()))
                    .errorCode()).isEqualTo("OPERATOR_DISABLED");
        }
    }
}
