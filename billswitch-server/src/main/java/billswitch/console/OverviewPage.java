package billswitch.console;

import billswitch.ledger.LedgerVerifier;
import billswitch.payment.PaymentStatistics;
import billswitch.routing.RoutingAdmin;
import billswitch.webhook.WebhookEvents;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's home: payments over the last hour, day or week ({@link PaymentStatistics}), the open backlog, the
 * webhook outbox's backlog, our float with each upstream, and the ledger's last verification (run again from here by
 * operations). The chart's figures go to overview.js as a JSON block; the same figures are in the page's tables.
 */
@Controller
@RequestMapping("/console")
class OverviewPage {
    private static final List<String> STATUSES = List.of("SUCCESS", "FAILED", "REFUNDED", "NEEDS_REVIEW", "UNKNOWN",
            "PENDING", "INITIATED");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PaymentStatistics statistics;
    private final WebhookEvents webhooks;
    private final RoutingAdmin routing;
    private final LedgerVerifier verifier;

    OverviewPage(PaymentStatistics statistics, WebhookEvents webhooks, RoutingAdmin routing, LedgerVerifier verifier) {
        this.statistics = statistics;
        this.webhooks = webhooks;
        this.routing = routing;
        this.verifier = verifier;
    }

    @GetMapping({"", "/"})
    String overview(@RequestParam(defaultValue = "hour") String range, @RequestParam(required = false) String partner,
                    Model model) {
        PaymentStatistics.Range r = switch (range.toLowerCase(Locale.ROOT)) {
            case "hour" -> PaymentStatistics.Range.HOUR;
            case "day" -> PaymentStatistics.Range.DAY;
            case "week" -> PaymentStatistics.Range.WEEK;
            default -> null;
        };
        if (r == null) {
            model.addAttribute("errors", Map.of("range", "must be hour, day or week"));
            r = PaymentStatistics.Range.HOUR;
        }
        String partnerId = partner == null || partner.isBlank() ? null : partner.trim();
        PaymentStatistics.Overview o = statistics.overview(r, partnerId);
        model.addAttribute("range", r.name().toLowerCase(Locale.ROOT));
        model.addAttribute("partner", partnerId);
        model.addAttribute("o", o);
        model.addAttribute("webhooks", webhooks.backlog());
        model.addAttribute("now", Instant.now());
        model.addAttribute("connectors", routing.connectors());
        model.addAttribute("verified", verifier.last().orElse(null));
        model.addAttribute("chartJson", chart(o));
        return "console/overview";
    }

    /** Runs the ledger's verification now (a read of every account and transfer: operations and admins only). */
    @PostMapping("/ledger/verify")
    @PreAuthorize("hasAnyRole('OPERATIONS','ADMIN')")
    String verify() {
        verifier.verify();
        return "redirect:/console#ledger";
    }

    /** The chart's data: payments per bucket by status, and the success rate per operator (a JSON block, not code). */
    static String chart(PaymentStatistics.Overview o) {
        // every bucket of the range, those without payments too: a time axis without gaps
        ChronoUnit unit = o.range().bucket().equals("minute") ? ChronoUnit.MINUTES : ChronoUnit.HOURS;
        Map<Instant, Integer> index = new LinkedHashMap<>();
        for (Instant t = o.from().truncatedTo(unit); !t.isAfter(o.to()); t = t.plus(1, unit)) {
            index.put(t, index.size());
        }
        List<Instant> labels = new ArrayList<>(index.keySet());
        Map<String, long[]> byStatus = new LinkedHashMap<>();
        for (String s : STATUSES) {
            byStatus.put(s, new long[labels.size()]);
        }
        for (PaymentStatistics.Bucket b : o.buckets()) {
            Integer i = index.get(b.at());
            if (i != null) {
                byStatus.computeIfAbsent(b.status(), s -> new long[labels.size()])[i] += b.payments();
            }
        }
        byStatus.values().removeIf(counts -> java.util.Arrays.stream(counts).allMatch(c -> c == 0));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bucket", o.range().bucket());
        data.put("labels", labels.stream().map(Instant::toString).toList());
        data.put("statuses", byStatus);
        data.put("total", o.payments());
        data.put("operators", o.operators().stream().map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", g.name());
            m.put("payments", g.payments());
            m.put("successRate", g.successRate() == null ? null : Math.round(g.successRate() * 1000) / 10.0);
            return m;
        }).toList());
        // inside <script>: no "</script>" can close the block early
        return JSON.writeValueAsString(data).replace("<", "\\u003c");
    }
}
