package billswitch.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.catalog.Catalog;
import billswitch.payment.Janitor;
import billswitch.shared.Currency;
import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import billswitch.support.StubUpstream;
import billswitch.support.StubUpstream.Paid;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Reconciliation through the admin API against payments made through a WireMock upstream (the test protocol "stub",
 * whose report is CSV ref,reference,amount,status,time): a report with every kind of difference settles exactly the
 * orders it proves and opens a case for every other line; the same report again changes nothing; a report line and
 * the janitor's status answer racing move the money once; a day pulled through status enquiries; bad input is
 * refused, nothing recorded; a partner's day statement adds up and ties to the ledger.
 */
class ReconciliationTest extends IntegrationTest {
    private static final long AMOUNT = 10_000;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Catalog catalog;
    @Autowired
    Janitor janitor;

    StubUpstream upstream;
    final String today = LocalDate.now(ZoneId.of("Asia/Kolkata")).toString();

    @BeforeEach
    void upstream() {
        upstream = StubUpstream.start(port, jdbc, catalog);
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private Paid pay(NativeClient client, String account, String answer) {
        return upstream.pay(client, account, answer);
    }

    private String status(Paid p) {
        return upstream.status(p.orderId());
    }

    private Http reconcile(String body) {
        return admin().post("/admin/reconciliations?connector=" + upstream.connector + "&date=" + today, body);
    }

    private void ledgerBalances() {
        Http verify = admin().get("/admin/ledger/verify");
        assertThat(verify.json().get("ok").booleanValue()).as(verify.body()).isTrue();
    }

    private JsonNode wallet(NativeClient client) {
        return client.get("/v1/wallet?currency=INR").json().get("wallets").get(0);
    }

    private void runJanitor() {
        while (janitor.resolveDue() > 0) {
            // next batch
        }
    }

    /** An UNKNOWN payment left unsettled past the maximum age: the janitor hands it to review, money held. */
    private Paid inReview(NativeClient client, String account) {
        Paid p = pay(client, account, "500");
        upstream.answersStatus(p.reference(), "PENDING");
        jdbc.sql("update orders set created_at = now() - interval '3 days', next_check_at = now() - interval '1 second'"
                + " where id = :id").param("id", p.id()).update();
        runJanitor();
        assertThat(status(p)).isEqualTo("NEEDS_REVIEW");
        // back into today, so the day's report is the one that lists it
        jdbc.sql("update orders set created_at = now() where id = :id").param("id", p.id()).update();
        return new Paid(p.orderId(), p.reference(), "NEEDS_REVIEW");
    }

    private static Map<String, JsonNode> linesByReference(JsonNode detail) {
        Map<String, JsonNode> lines = new HashMap<>();
        for (JsonNode line : detail.get("lines")) {
            lines.put(line.get("reference").asString(), line);
        }
        return lines;
    }

    private static String line(String upstreamId, Paid p, String amount, String status) {
        return upstreamId + "," + p.reference() + "," + amount + "," + status + ",10:00\n";
    }

    @Test
    void aRunThatStoppedBeforeItFinishedIsAbandonedAndTheSameReportRunAfresh() {
        NativeClient client = newPartner(1_000_000);
        Paid unknownPaid = pay(client, "9876500021", "500");
        Paid theyFailed = pay(client, "9876500022", "SUCCESS");
        String report = "ref,reference,amount,status,time\n" + line("UP-21", unknownPaid, "100.00", "SUCCESS")
                + line("UP-22", theyFailed, "100.00", "FAILED");
        Http first = reconcile(report);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        long dead = first.json().get("run").get("id").asLong();
        assertThat(status(unknownPaid)).isEqualTo("SUCCESS");
        long moved = upstream.transfers(unknownPaid);
        JsonNode walletAfterFirst = wallet(client);

        // a run still being worked (its heartbeat moves) is answered as it is, not run twice
        jdbc.sql("update reconciliation_runs set finished_at = null, heartbeat_at = now() where id = :id").param("id", dead).update();
        Http working = reconcile(report);
        assertThat(working.status()).isEqualTo(200);
        assertThat(working.json().get("run").get("id").asLong()).isEqualTo(dead);

        // its process died: no progress for longer than the stale time
        jdbc.sql("update reconciliation_runs set heartbeat_at = now() - make_interval(secs => :s) where id = :id")
                .param("s", Reconciliations.STALE_SECONDS + 60).param("id", dead).update();
        Http afresh = reconcile(report);
        assertThat(afresh.status()).as(afresh.body()).isEqualTo(201);
        long rerun = afresh.json().get("run").get("id").asLong();
        assertThat(rerun).isNotEqualTo(dead);
        JsonNode counts = afresh.json().get("run").get("counts");
        assertThat(counts.get("matched").asInt()).as("settled by the dead run, matched now").isEqualTo(1);
        assertThat(counts.get("settled").asInt()).isZero();
        assertThat(counts.get("statusMismatch").asInt()).isEqualTo(1);
        assertThat(upstream.transfers(unknownPaid)).as("no money moved again").isEqualTo(moved);
        assertThat(wallet(client)).isEqualTo(walletAfterFirst);
        assertThat(jdbc.sql("select count(*) from reconciliation_cases where run_id = :id and status = 'OPEN'")
                .param("id", dead).query(Long.class).single()).as("the dead run's cases closed").isZero();
        assertThat(jdbc.sql("select count(*) from reconciliation_cases where run_id = :id and status = 'OPEN'")
                .param("id", rerun).query(Long.class).single()).isOne();
        assertThat(jdbc.sql("select abandoned_at is not null from reconciliation_runs where id = :id").param("id", dead)
                .query(Boolean.class).single()).isTrue();

        Http third = reconcile(report);
        assertThat(third.status()).isEqualTo(200);
        assertThat(third.json().get("run").get("id").asLong()).isEqualTo(rerun);
        assertThat(third.json().get("run").get("repeated").asBoolean()).isTrue();
        ledgerBalances();
    }

    @Test
    void aReportWithEveryKindOfDifferenceSettlesWhatItProvesAndOpensACaseForTheRest() {
        NativeClient client = newPartner(1_000_000);
        Paid matched = pay(client, "9876500001", "SUCCESS");
        Paid unknownPaid = pay(client, "9876500002", "500");
        Paid unknownFailed = pay(client, "9876500003", "500");
        Paid pendingPaid = pay(client, "9876500004", "PENDING");
        Paid theyFailed = pay(client, "9876500005", "SUCCESS");
        Paid wrongAmount = pay(client, "9876500006", "500");
        Paid notListed = pay(client, "9876500007", "SUCCESS");
        Paid reviewPaid = inReview(client, "9876500008");
        Paid reviewFailed = inReview(client, "9876500009");
        Paid bothFailed = pay(client, "9876500010", "FAILED");
        Paid stillPending = pay(client, "9876500011", "500");
        assertThat(List.of(unknownPaid.status(), unknownFailed.status(), wrongAmount.status(), stillPending.status()))
                .containsOnly("UNKNOWN");
        assertThat(pendingPaid.status()).isEqualTo("PENDING");
        assertThat(bothFailed.status()).isEqualTo("FAILED");
        List<Paid> all = List.of(matched, unknownPaid, unknownFailed, pendingPaid, theyFailed, wrongAmount, notListed,
                reviewPaid, reviewFailed, bothFailed, stillPending);
        long commission = upstream.commission(matched);
        // 3 paid, 7 held, 1 declined at once
        assertThat(wallet(client).get("heldMinor").longValue()).isEqualTo(7 * AMOUNT);
        assertThat(wallet(client).get("availableMinor").longValue()).isEqualTo(1_000_000 - 10 * AMOUNT + 3 * commission);

        String report = "ref,reference,amount,status,time\n"
                + line("UP-1", matched, "100.00", "SUCCESS")
                + line("UP-2", unknownPaid, "100.00", "SUCCESS")
                + line("UP-3", unknownFailed, "100.00", "FAILED")
                + line("UP-4", pendingPaid, "100.00", "SUCCESS")
                + line("UP-5", theyFailed, "100.00", "FAILED")
                + line("UP-6", wrongAmount, "99.00", "SUCCESS")
                + line("UP-8", reviewPaid, "100.00", "SUCCESS")
                + line("UP-9", reviewFailed, "100", "FAILED")
                + line("UP-10", bothFailed, "100.00", "FAILED")
                + line("UP-11", stillPending, "100.00", "PENDING")
                + "UP-X,BSNOTOURS999,100.00,SUCCESS,10:09\n";
        Http first = reconcile(report);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        JsonNode run = first.json().get("run");
        long runId = run.get("id").asLong();
        JsonNode counts = run.get("counts");
        assertThat(counts.get("lines").asInt()).isEqualTo(12);
        assertThat(counts.get("matched").asInt()).isEqualTo(8);
        assertThat(counts.get("settled").asInt()).isEqualTo(5);
        assertThat(counts.get("amountMismatch").asInt()).isEqualTo(1);
        assertThat(counts.get("statusMismatch").asInt()).isEqualTo(1);
        assertThat(counts.get("missingUpstream").asInt()).isEqualTo(1);
        assertThat(counts.get("missingHere").asInt()).isEqualTo(1);
        assertThat(counts.get("cases").asInt()).isEqualTo(4);
        assertThat(run.get("source").asString()).isEqualTo("FILE");
        assertThat(run.get("repeated").asBoolean()).isFalse();

        Map<String, JsonNode> lines = linesByReference(first.json());
        Map<Paid, String> kinds = new HashMap<>();
        Map<Paid, String> actions = new HashMap<>();
        for (Paid p : all) {
            kinds.put(p, lines.get(p.reference()).get("kind").asString());
            actions.put(p, lines.get(p.reference()).get("action").asString());
        }
        assertThat(kinds.get(matched)).isEqualTo("MATCHED");
        assertThat(actions.get(matched)).isEqualTo("NONE");
        for (Paid settled : List.of(unknownPaid, unknownFailed, pendingPaid, reviewPaid, reviewFailed)) {
            assertThat(kinds.get(settled)).isEqualTo("MATCHED");
            assertThat(actions.get(settled)).isEqualTo("SETTLED");
        }
        assertThat(kinds.get(theyFailed)).isEqualTo("STATUS_MISMATCH");
        assertThat(kinds.get(wrongAmount)).isEqualTo("AMOUNT_MISMATCH");
        assertThat(kinds.get(notListed)).isEqualTo("MISSING_UPSTREAM");
        assertThat(lines.get(notListed.reference()).get("lineNo").isNull()).isTrue();
        assertThat(lines.get("BSNOTOURS999").get("kind").asString()).isEqualTo("MISSING_HERE");
        assertThat(kinds.get(bothFailed)).isEqualTo("MATCHED");
        assertThat(kinds.get(stillPending)).isEqualTo("MATCHED");
        assertThat(actions.get(stillPending)).isEqualTo("NONE");
        for (Paid p : List.of(theyFailed, wrongAmount, notListed)) {
            assertThat(actions.get(p)).isEqualTo("CASE");
        }

        // settled exactly the orders the report proves, through the state machine; the rest as they were
        assertThat(status(unknownPaid)).isEqualTo("SUCCESS");
        assertThat(status(unknownFailed)).isEqualTo("REFUNDED");
        assertThat(status(pendingPaid)).isEqualTo("SUCCESS");
        assertThat(status(reviewPaid)).isEqualTo("SUCCESS");
        assertThat(status(reviewFailed)).isEqualTo("REFUNDED");
        assertThat(status(wrongAmount)).isEqualTo("UNKNOWN");
        assertThat(status(stillPending)).isEqualTo("UNKNOWN");
        assertThat(status(theyFailed)).isEqualTo("SUCCESS");
        assertThat(status(matched)).isEqualTo("SUCCESS");
        assertThat(status(notListed)).isEqualTo("SUCCESS");
        assertThat(status(bothFailed)).isEqualTo("FAILED");
        // the money: each proven success's hold posted with its commission, each proven failure's hold voided, once
        for (Paid p : List.of(unknownPaid, pendingPaid, reviewPaid)) {
            assertThat(upstream.transfers(p, "POST_PENDING")).as("order %s posted once", p.orderId()).isEqualTo(1);
            assertThat(upstream.transfers(p, "VOID_PENDING")).isZero();
        }
        for (Paid p : List.of(unknownFailed, reviewFailed)) {
            assertThat(upstream.transfers(p, "VOID_PENDING")).as("order %s refunded once", p.orderId()).isEqualTo(1);
            assertThat(upstream.transfers(p, "POST_PENDING")).isZero();
        }
        for (Paid p : List.of(wrongAmount, stillPending)) {
            assertThat(upstream.transfers(p)).as("order %s still only held", p.orderId()).isEqualTo(1);
        }
        // 6 paid, 2 held, 3 refunded or declined
        assertThat(wallet(client).get("heldMinor").longValue()).isEqualTo(2 * AMOUNT);
        assertThat(wallet(client).get("balanceMinor").longValue()).isEqualTo(1_000_000 - 6 * AMOUNT + 6 * commission);
        assertThat(wallet(client).get("availableMinor").longValue()).isEqualTo(1_000_000 - 8 * AMOUNT + 6 * commission);
        ledgerBalances();
        // the report recorded as the reason, on the attempt and in the audit log
        assertThat(admin().get("/admin/orders/" + unknownPaid.orderId()).json().get("attempts").get(0).get("message").asString())
                .contains("reconciliation run " + runId, "line 3", "SUCCESS");
        assertThat(admin().get("/admin/orders/" + reviewFailed.orderId()).json().get("attempts").get(0).get("message").asString())
                .contains("reconciliation run " + runId, "line 9", "FAILED");
        assertThat(admin().get("/admin/audit?action=reconciliation.settle").body())
                .contains("order:" + unknownPaid.orderId(), "order:" + reviewFailed.orderId());

        // each case says what both sides say
        JsonNode cases = first.json().get("cases");
        assertThat(cases.size()).isEqualTo(4);
        Map<String, JsonNode> byKind = new HashMap<>();
        for (JsonNode c : cases) {
            assertThat(c.get("status").asString()).isEqualTo("OPEN");
            assertThat(c.get("ours").asString()).isNotBlank();
            assertThat(c.get("theirs").asString()).isNotBlank();
            byKind.put(c.get("kind").asString(), c);
        }
        assertThat(byKind.keySet()).containsExactlyInAnyOrder("STATUS_MISMATCH", "AMOUNT_MISMATCH", "MISSING_UPSTREAM",
                "MISSING_HERE");
        JsonNode statusCase = byKind.get("STATUS_MISMATCH");
        assertThat(statusCase.get("ours").asString()).contains("SUCCESS", theyFailed.orderId(), theyFailed.reference());
        assertThat(statusCase.get("theirs").asString()).contains("FAILED", "UP-5");
        assertThat(byKind.get("AMOUNT_MISMATCH").get("ours").asString()).contains("100.00", wrongAmount.orderId());
        assertThat(byKind.get("AMOUNT_MISMATCH").get("theirs").asString()).contains("99.00", "UP-6");
        assertThat(byKind.get("MISSING_UPSTREAM").get("ours").asString()).contains(notListed.orderId());
        assertThat(byKind.get("MISSING_UPSTREAM").get("theirs").asString()).contains("not in the report");
        assertThat(byKind.get("MISSING_HERE").get("ours").asString()).contains("no attempt of ours");
        assertThat(byKind.get("MISSING_HERE").get("theirs").asString()).contains("UP-X", "BSNOTOURS999");

        // the same report again changes nothing and answers the first run
        Map<Paid, Long> transfersBefore = new HashMap<>();
        for (Paid p : all) {
            transfersBefore.put(p, upstream.transfers(p));
        }
        long lines0 = jdbc.sql("select count(*) from reconciliation_lines").query(Long.class).single();
        long cases0 = jdbc.sql("select count(*) from reconciliation_cases").query(Long.class).single();
        JsonNode walletBefore = wallet(client);
        Http again = reconcile(report);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("run").get("id").asLong()).isEqualTo(runId);
        assertThat(again.json().get("run").get("repeated").asBoolean()).isTrue();
        assertThat(again.json().get("run").get("counts")).isEqualTo(counts);
        assertThat(jdbc.sql("select count(*) from reconciliation_lines").query(Long.class).single()).isEqualTo(lines0);
        assertThat(jdbc.sql("select count(*) from reconciliation_cases").query(Long.class).single()).isEqualTo(cases0);
        for (Paid p : all) {
            assertThat(upstream.transfers(p)).isEqualTo(transfersBefore.get(p));
        }
        assertThat(wallet(client)).isEqualTo(walletBefore);

        // the runs and a run read back; a person closes a case with a note, once, audited
        assertThat(admin().get("/admin/reconciliations?connector=" + upstream.connector).json().size()).isEqualTo(1);
        assertThat(admin().get("/admin/reconciliations/" + runId).json().get("lines").size()).isEqualTo(12);
        assertThat(admin().get("/admin/reconciliations/cases").body()).contains("\"id\":" + statusCase.get("id").asLong());
        String closePath = "/admin/reconciliations/cases/" + statusCase.get("id").asLong() + "/close";
        assertThat(new AdminClient("http://localhost:" + port, "demo-viewer").post(closePath, "{\"note\":\"x\"}").status())
                .isEqualTo(403);
        Http noNote = admin().post(closePath, "{}");
        assertThat(noNote.status()).isEqualTo(400);
        assertThat(noNote.body()).contains("note");
        Http closed = admin().post(closePath, "{\"note\":\"Upstream confirmed the payment by phone; their report is wrong.\"}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.text("status")).isEqualTo("CLOSED");
        assertThat(closed.text("closedBy")).isEqualTo("admin");
        assertThat(admin().post(closePath, "{\"note\":\"again\"}").status()).isEqualTo(400);
        assertThat(admin().get("/admin/reconciliations/cases").body()).doesNotContain("\"id\":" + statusCase.get("id").asLong() + ",");
        assertThat(admin().get("/admin/audit?action=reconciliation.case.close").body())
                .contains("reconciliation-case:" + statusCase.get("id").asLong());
        ledgerBalances();
    }

    /**
     * Each round, the report and a janitor pass start together on a latch, both settling the same UNKNOWN payments of
     * one partner (three a round: the janitor resolves them at once, each waiting on the same wallet's lock, which
     * stalled virtual threads over junixsocket until the janitor moved to platform threads; see Janitor#resolveDue).
     * -Dbillswitch.test.race-orders and -Dbillswitch.test.race-rounds change the size.
     */
    @Test
    void anUnknownPaymentSettledByAReportLineWhileTheJanitorsAnswerArrivesMovesTheMoneyOnce() throws Exception {
        NativeClient client = newPartner(1_000_000);
        List<Paid> unknown = new ArrayList<>();
        List<Paid> paid = new ArrayList<>();
        StringBuilder report = new StringBuilder("ref,reference,amount,status,time\n");
        int rounds = Math.min(9, Integer.getInteger("billswitch.test.race-rounds", 6));
        int orders = Math.min(9, Integer.getInteger("billswitch.test.race-orders", 3));
        for (int round = 0; round < rounds; round++) {
            List<Paid> racing = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                Paid p = pay(client, "9876510" + round + "0" + i, "500");
                // a success between them, so the connector's breaker never counts enough failures in a row to open
                Paid ok = pay(client, "9876520" + round + "0" + i, "SUCCESS");
                paid.add(ok);
                report.append(line("UP-" + ok.reference(), ok, "100.00", "SUCCESS"));
                assertThat(p.status()).isEqualTo("UNKNOWN");
                upstream.answersStatus(p.reference(), "SUCCESS");
                report.append(line("UP-" + p.reference(), p, "100.00", "SUCCESS"));
                jdbc.sql("update orders set next_check_at = now() - interval '1 second' where id = :id")
                        .param("id", p.id()).update();
                racing.add(p);
            }
            unknown.addAll(racing);
            CountDownLatch start = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                Future<Http> byReport = pool.submit(() -> {
                    start.await();
                    return reconcile(report.toString());
                });
                Future<?> byJanitor = pool.submit(() -> {
                    start.await();
                    runJanitor();
                    return null;
                });
                start.countDown();
                Http run = byReport.get();
                byJanitor.get();
                assertThat(run.status()).as(run.body()).isEqualTo(201);
                JsonNode counts = run.json().get("run").get("counts");
                assertThat(counts.get("matched").asInt()).isEqualTo(unknown.size() + paid.size());
                assertThat(counts.get("cases").asInt()).isZero();
            }
            for (Paid p : racing) {
                assertThat(status(p)).isEqualTo("SUCCESS");
                assertThat(upstream.transfers(p, "POST_PENDING")).as("the hold of order %s posted once", p.orderId())
                        .isEqualTo(1);
                assertThat(upstream.transfers(p, "VOID_PENDING")).isZero();
                assertThat(upstream.transfersCoded(p, "COMMISSION")).as("order %s's commission credited once", p.orderId())
                        .isEqualTo(upstream.commission(p) > 0 ? 1 : 0);
            }
        }
        long commission = upstream.commission(unknown.getFirst());
        int n = unknown.size() + paid.size();
        assertThat(wallet(client).get("heldMinor").longValue()).isZero();
        assertThat(wallet(client).get("availableMinor").longValue()).isEqualTo(1_000_000 - n * AMOUNT + n * commission);
        ledgerBalances();
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrongAndRecordsNothing() {
        NativeClient client = newPartner(1_000_000);
        Paid unknown = pay(client, "9876520001", "500");
        long runs = jdbc.sql("select count(*) from reconciliation_runs").query(Long.class).single();

        Http noConnector = admin().post("/admin/reconciliations?connector=ghost-" + upstream.tag + "&date=" + today, "");
        assertThat(noConnector.status()).isEqualTo(404);
        assertThat(noConnector.errorCode()).isEqualTo("CONNECTOR_NOT_FOUND");
        Http noDate = admin().post("/admin/reconciliations?connector=" + upstream.connector, "");
        assertThat(noDate.status()).isEqualTo(400);
        assertThat(noDate.body()).contains("date");
        Http badDate = admin().post("/admin/reconciliations?connector=" + upstream.connector + "&date=2026-13-01", "");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.body()).contains("date", "2026-13-01");
        Http future = admin().post("/admin/reconciliations?connector=" + upstream.connector + "&date=2999-01-01", "");
        assertThat(future.status()).isEqualTo(400);
        for (String ancient : java.util.List.of("-999999999-01-01", "0000-12-31")) {
            Http tooOld = admin().post("/admin/reconciliations?connector=" + upstream.connector + "&date=" + ancient, "");
            assertThat(tooOld.status()).as(tooOld.body()).isEqualTo(400);
            assertThat(tooOld.body()).contains("date", "before the year 1");
            assertThat(admin().get("/admin/statements/upstreams/" + upstream.connector + "?date=" + ancient).status())
                    .isEqualTo(400);
        }
        Http nul = reconcile("ref,reference,amount,status,time\nUP-1," + unknown.reference() + ",100.00,SUCCESS,10:00\u0000\n");
        assertThat(nul.status()).as(nul.body()).isEqualTo(400);
        assertThat(nul.body()).contains("NUL");
        Http malformed = reconcile("""
                ref,reference,amount,status,time
                UP-1,%s,100.00,SUCCESS,10:00
                UP-2,%s,1oo.00,SUCCESS,10:00
                """.formatted(unknown.reference(), unknown.reference()));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(malformed.body()).contains("line 3", "amount", "1oo.00");
        Http badStatus = reconcile("ref,reference,amount,status,time\nUP-1," + unknown.reference() + ",100.00,PAID,10:00\n");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.body()).contains("line 2", "PAID");
        Http noHeader = reconcile("UP-1," + unknown.reference() + ",100.00,SUCCESS,10:00\n");
        assertThat(noHeader.status()).isEqualTo(400);
        assertThat(noHeader.body()).contains("line 1");
        Http viewer = new AdminClient("http://localhost:" + port, "demo-viewer")
                .post("/admin/reconciliations?connector=" + upstream.connector + "&date=" + today, "");
        assertThat(viewer.status()).isEqualTo(403);

        assertThat(jdbc.sql("select count(*) from reconciliation_runs").query(Long.class).single()).isEqualTo(runs);
        assertThat(status(unknown)).isEqualTo("UNKNOWN");
        assertThat(upstream.transfers(unknown)).isEqualTo(1);
    }

    @Test
    void financeRunsADayOperationsClosesItsCasesAViewerReads() {
        NativeClient client = newPartner(1_000_000);
        Paid paid = pay(client, "9876580001", "SUCCESS");
        Http finance = admin().post("/admin/identities", "{\"name\":\"fin-" + upstream.tag + "\",\"role\":\"FINANCE\"}");
        assertThat(finance.status()).as(finance.body()).isEqualTo(201);
        Http operations = admin().post("/admin/identities", "{\"name\":\"ops-" + upstream.tag + "\",\"role\":\"OPERATIONS\"}");
        assertThat(operations.status()).as(operations.body()).isEqualTo(201);
        AdminClient fin = new AdminClient("http://localhost:" + port, finance.text("token"));
        AdminClient ops = new AdminClient("http://localhost:" + port, operations.text("token"));
        AdminClient viewer = new AdminClient("http://localhost:" + port, "demo-viewer");

        Http run = fin.post("/admin/reconciliations?connector=" + upstream.connector + "&date=" + today,
                "ref,reference,amount,status,time\n" + line("UP-1", paid, "100.00", "FAILED"));
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        assertThat(run.json().get("run").get("startedBy").asString()).isEqualTo("fin-" + upstream.tag);
        long caseId = run.json().get("cases").get(0).get("id").asLong();
        String close = "/admin/reconciliations/cases/" + caseId + "/close";
        assertThat(fin.post(close, "{\"note\":\"finance may not\"}").status()).isEqualTo(403);
        assertThat(viewer.get("/admin/reconciliations/" + run.json().get("run").get("id").asLong()).status()).isEqualTo(200);
        assertThat(viewer.get("/admin/statements/partners/" + client.partnerId + "?currency=INR&date=" + today).status())
                .isEqualTo(200);
        Http closed = ops.post(close, "{\"note\":\"Checked with the upstream: paid.\"}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.text("closedBy")).isEqualTo("ops-" + upstream.tag);
    }

    @Test
    void aDayIsPulledThroughTheStatusEnquiriesWhenNoReportIsGiven() {
        NativeClient client = newPartner(1_000_000);
        Paid unknown = pay(client, "9876530001", "500");
        Paid paid = pay(client, "9876530002", "SUCCESS");
        Paid theySayFailed = pay(client, "9876530003", "SUCCESS");
        upstream.answersStatus(unknown.reference(), "FAILED");
        upstream.answersStatus(paid.reference(), "SUCCESS");
        upstream.answersStatus(theySayFailed.reference(), "FAILED");
        long available = client.availableInr();

        Http pulled = reconcile("");
        assertThat(pulled.status()).as(pulled.body()).isEqualTo(201);
        assertThat(pulled.json().get("run").get("source").asString()).isEqualTo("PULL");
        JsonNode counts = pulled.json().get("run").get("counts");
        assertThat(counts.get("lines").asInt()).isEqualTo(3);
        assertThat(counts.get("matched").asInt()).isEqualTo(2);
        assertThat(counts.get("settled").asInt()).isEqualTo(1);
        assertThat(counts.get("statusMismatch").asInt()).isEqualTo(1);
        assertThat(counts.get("cases").asInt()).isEqualTo(1);
        // each attempt of the day asked once through the provider's status enquiry
        for (Paid p : List.of(unknown, paid, theySayFailed)) {
            upstream.server.verify(1, getRequestedFor(urlPathMatching("/status/" + p.reference())));
        }
        assertThat(status(unknown)).isEqualTo("REFUNDED");
        assertThat(upstream.transfers(unknown, "VOID_PENDING")).isEqualTo(1);
        assertThat(client.availableInr()).isEqualTo(available + AMOUNT);
        assertThat(status(paid)).isEqualTo("SUCCESS");
        assertThat(status(theySayFailed)).isEqualTo("SUCCESS");
        assertThat(pulled.json().get("cases").get(0).get("theirs").asString()).contains("status enquiry", "FAILED");
        // the same answers again are the same report: the first run, nothing moved
        Http again = reconcile("");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("run").get("id").asLong()).isEqualTo(pulled.json().get("run").get("id").asLong());
        assertThat(upstream.transfers(unknown)).isEqualTo(2);
        assertThat(client.availableInr()).isEqualTo(available + AMOUNT);
        ledgerBalances();
    }

    @Test
    void aPartnersDayStatementAddsUpAndTiesToTheLedger() {
        NativeClient client = newPartner(1_000_000);
        // yesterday's top-up: today's opening
        jdbc.sql("""
                update transfers set created_at = now() - interval '1 day'
                where code = 'TOPUP' and credit_account_id = (select id from accounts where kind = 'WALLET'
                    and partner_id = :p and currency = 'INR')""").param("p", client.partnerId).update();
        partners.topUp(client.partnerId, Currency.INR, 50_000, "statement-" + upstream.tag);
        Paid one = pay(client, "9876540001", "SUCCESS");
        Paid two = pay(client, "9876540002", "SUCCESS");
        Paid failed = pay(client, "9876540003", "500");
        Paid held = pay(client, "9876540004", "500");
        Http settled = reconcile("ref,reference,amount,status,time\n" + line("UP-1", one, "100.00", "SUCCESS")
                + line("UP-2", two, "100.00", "SUCCESS") + line("UP-3", failed, "100.00", "FAILED")
                + line("UP-4", held, "100.00", "PENDING"));
        assertThat(settled.status()).as(settled.body()).isEqualTo(201);
        assertThat(status(failed)).isEqualTo("REFUNDED");
        long commission = jdbc.sql("""
                select coalesce(sum(amount_minor), 0) from transfers where code = 'COMMISSION' and kind = 'POSTED'
                  and credit_account_id = (select id from accounts where kind = 'WALLET' and partner_id = :p and currency = 'INR')""")
                .param("p", client.partnerId).query(Long.class).single();
        long tds = jdbc.sql("""
                select coalesce(sum(amount_minor), 0) from transfers where code = 'TDS'
                  and debit_account_id = (select id from accounts where kind = 'WALLET' and partner_id = :p and currency = 'INR')""")
                .param("p", client.partnerId).query(Long.class).single();
        assertThat(commission).isEqualTo(upstream.commission(one) + upstream.commission(two));

        String path = "/admin/statements/partners/" + client.partnerId + "?currency=INR&date=";
        Http statement = admin().get(path + today);
        assertThat(statement.status()).as(statement.body()).isEqualTo(200);
        Map<String, Long> figures = new HashMap<>();
        for (JsonNode f : statement.json().get("figures")) {
            figures.put(f.get("line").asString(), f.get("amountMinor").asLong());
        }
        assertThat(figures.get("opening")).isEqualTo(1_000_000);
        assertThat(figures.get("topUps")).isEqualTo(50_000);
        assertThat(figures.get("payments")).isEqualTo(-4 * AMOUNT);
        assertThat(figures.get("refunds")).isEqualTo(AMOUNT);
        assertThat(figures.get("commission")).isEqualTo(commission);
        assertThat(figures.get("tds")).isEqualTo(-tds);
        assertThat(figures.get("other")).isZero();
        // opening + top-ups - payments + refunds + commission - TDS = closing = the wallet's available balance now
        long closing = figures.get("opening") + figures.get("topUps") + figures.get("payments") + figures.get("refunds")
                + figures.get("commission") + figures.get("tds");
        assertThat(figures.get("closing")).isEqualTo(closing);
        assertThat(closing).isEqualTo(client.availableInr());
        assertThat(closing).isEqualTo(1_050_000 - 3 * AMOUNT + commission - tds);

        // yesterday closed where today opened
        String yesterday = LocalDate.parse(today).minusDays(1).toString();
        JsonNode before = admin().get(path + yesterday).json();
        assertThat(before.get("figures").get(0).get("amountMinor").asLong()).isZero();
        assertThat(before.toString()).contains("\"line\":\"closing\",\"amountMinor\":1000000");

        Http csv = admin().get(path + today + "&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("attachment", client.partnerId, today);
        assertThat(csv.body()).startsWith("subject,date,currency,line,amount_minor,amount\r\n")
                .contains("partner:" + client.partnerId + "," + today + ",INR,opening,1000000,")
                .contains(",INR,payments,-40000,")
                .contains(",INR,refunds,10000,")
                .contains(",INR,closing," + closing + ",");

        // an upstream's statements of the day answer (one per currency of its UPSTREAM accounts), as JSON and CSV
        Http up = admin().get("/admin/statements/upstreams/" + upstream.connector + "?date=" + today);
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.json().isArray()).isTrue();
        Http upCsv = admin().get("/admin/statements/upstreams/" + upstream.connector + "?date=" + today + "&format=csv");
        assertThat(upCsv.body()).startsWith("subject,date,currency,line,amount_minor,amount");

        // bad input named, never a 500
        assertThat(admin().get("/admin/statements/partners/NOSUCH?currency=INR&date=" + today).status()).isEqualTo(404);
        Http badCurrency = admin().get("/admin/statements/partners/" + client.partnerId + "?currency=EUR&date=" + today);
        assertThat(badCurrency.status()).isEqualTo(400);
        assertThat(badCurrency.body()).contains("currency");
        assertThat(admin().get(path + "yesterday").status()).isEqualTo(400);
        assertThat(admin().get("/admin/statements/upstreams/ghost-" + upstream.tag + "?date=" + today).status()).isEqualTo(404);
    }
}
