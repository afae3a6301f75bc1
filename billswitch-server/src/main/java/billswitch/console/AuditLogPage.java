package billswitch.console;

import billswitch.admin.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log ({@link AuditLog#list}, as GET /admin/audit): who did what, when, and the target before and after,
 * shown as the keys that changed with both JSON documents beside them; filtered by actor, action, target and date,
 * newest first, a page at a time.
 */
@Controller
@RequestMapping("/console/audit")
class AuditLogPage {
    static final int PAGE = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuditLog audit;

    AuditLogPage(AuditLog audit) {
        this.audit = audit;
    }

    record Filter(String actor, String action, String target, String from, String to, String before) {
    }

    /** One changed key (a dotted path into the JSON): its value before and after (null: absent). */
    record Change(String key, String before, String after) {
    }

    /** An entry as the page shows it. */
    record Row(String id, Instant at, String actor, String actorRole, String action, String request, String target,
               List<Change> changes, String before, String after) {
        static Row of(AuditLog.Entry e) {
            return new Row(e.id(), e.at(), e.actor(), e.actorRole(), e.action(), e.request(), e.target(),
                    AuditLogPage.changes(e.before(), e.after()), pretty(e.before()), pretty(e.after()));
        }
    }

    @GetMapping
    String list(@ModelAttribute("f") Filter f, Model model) {
        Map<String, String> errors = new LinkedHashMap<>();
        Instant from = PaymentPages.time(f.from(), "from", errors);
        Instant to = PaymentPages.time(f.to(), "to", errors);
        Long before = null;
        if (!PaymentPages.blank(f.before())) {
            if (f.before().matches("^[0-9]{1,18}$")) {
                before = Long.parseLong(f.before());
            } else {
                errors.put("before", "must be a page's next id");
            }
        }
        if (from != null && to != null && from.isAfter(to)) {
            errors.put("to", "must not be before from");
        }
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            model.addAttribute("formError", "Check the highlighted fields.");
            return "console/audit";
        }
        List<AuditLog.Entry> entries = audit.list(new AuditLog.Query(trim(f.actor()), trim(f.target()), trim(f.action()),
                from, to, before, PAGE));
        model.addAttribute("rows", entries.stream().map(Row::of).toList());
        model.addAttribute("next", entries.size() == PAGE ? entries.get(PAGE - 1).id() : null);
        return "console/audit";
    }

    private static String trim(String s) {
        return PaymentPages.blank(s) ? null : s.trim();
    }

    /** The keys whose values differ between before and after, objects followed down to their leaves. */
    static List<Change> changes(JsonNode before, JsonNode after) {
        Map<String, String> was = new LinkedHashMap<>();
        Map<String, String> is = new LinkedHashMap<>();
        flatten("", before, was);
        flatten("", after, is);
        Set<String> keys = new LinkedHashSet<>(was.keySet());
        keys.addAll(is.keySet());
        List<Change> changes = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(was.get(k), is.get(k))) {
                changes.add(new Change(k.isEmpty() ? "(value)" : k, was.get(k), is.get(k)));
            }
        }
        return changes;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> p : node.properties()) {
                flatten(prefix.isEmpty() ? p.getKey() : prefix + "." + p.getKey(), p.getValue(), into);
            }
            return;
        }
        into.put(prefix, node.isString() ? node.stringValue() : node.toString());
    }

    private static String pretty(JsonNode node) {
        return node == null ? null : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }
}
