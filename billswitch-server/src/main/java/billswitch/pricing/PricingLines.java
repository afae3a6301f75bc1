package billswitch.pricing;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console's text form of a plan version's rules and a biller's CCF slabs, one per line, turned into the admin
 * API's JSON (so {@link PricingJson} checks both the same way) and written back from what is stored. Amounts are
 * minor units (paise: 1000 is ₹10.00), percentages basis points (100 is 1%). A rule:
 * <pre>
 *   operator:bescom commission=percent:50,min:100,cap:5000 fee=flat:500
 *   category:electricity fee=slabs:0-100000:500;100000-:0+25bps
 * </pre>
 * A charge is {@code flat:N}, {@code percent:BPS} or {@code slabs:S;S;...}, then optionally {@code ,min:N} and
 * {@code ,cap:N}. A slab is {@code FROM-TO:CHARGE} (TO empty: no upper edge; FROM inclusive, TO exclusive) whose
 * charge is a flat amount, {@code Nbps}, or both joined by {@code +}. A CCF slab line is {@code [MODE] FROM-TO:CHARGE}
 * (no mode: any mode without slabs of its own). Blank lines and lines starting with # are skipped. A line that cannot
 * be read is refused as INVALID_REQUEST on the field {@code rules} (or {@code slabs}), naming the line.
 */
public final class PricingLines {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SLAB = Pattern.compile("^([0-9]+)-([0-9]*):(.+)$");
    private static final Pattern NUMBER = Pattern.compile("^[0-9]{1,18}$");
    private static final Pattern PATH_INDEX = Pattern.compile("^(rules|slabs)\\[([0-9]+)\\]\\.?(.*)$");

    private final Map<String, String> problems = new LinkedHashMap<>();
    private final List<Integer> lineNumbers = new ArrayList<>();

    private PricingLines() {
    }

    /** A version as the admin API takes it: {"effectiveFrom" (when given), "rules": [...]}, with the line of each rule. */
    public record Version(ObjectNode json, List<Integer> lines) {
    }

    /** The rules typed one per line, and the start (blank: now; 2026-12-08T00:00 means UTC), as the API's JSON. */
    public static Version version(String effectiveFrom, String text) {
        PricingLines in = new PricingLines();
        ObjectNode body = JSON.createObjectNode();
        if (effectiveFrom != null && !effectiveFrom.isBlank()) {
            String from = effectiveFrom.strip();
            body.put("effectiveFrom", from.matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$") ? from + ":00Z" : from);
        }
        ArrayNode rules = body.putArray("rules");
        String[] lines = text == null ? new String[0] : text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            ObjectNode rule = in.rule(line, i + 1);
            if (rule != null) {
                rules.add(rule);
                in.lineNumbers.add(i + 1);
            }
        }
        in.refuse("rules", "The plan version");
        return new Version(body, List.copyOf(in.lineNumbers));
    }

    /** A biller's CCF slabs typed one per line, as the API's JSON ({"slabs": [...]}), with the line of each slab. */
    public static Version ccfSlabs(String text) {
        PricingLines in = new PricingLines();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode slabs = body.putArray("slabs");
        String[] lines = text == null ? new String[0] : text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String mode = null;
            String range = parts[parts.length - 1];
            if (parts.length == 2) {
                mode = parts[0];
            } else if (parts.length != 1) {
                in.problem("slabs", i + 1, "write [MODE] FROM-TO:CHARGE, e.g. UPI 0-:0 or 0-100000:1500");
                continue;
            }
            ObjectNode slab = in.slab(range, i + 1, "slabs");
            if (slab != null) {
                if (mode != null) {
                    slab.put("paymentMode", mode);
                }
                slabs.add(slab);
                in.lineNumbers.add(i + 1);
            }
        }
        in.refuse("slabs", "The CCF slabs");
        return new Version(body, List.copyOf(in.lineNumbers));
    }

    /**
     * The API's refusal of JSON that came from lines, as the form shows it: {@code rules[2].fee.bps} becomes the field
     * {@code rules} (or {@code slabs}) saying "line 4: fee.bps must not be negative"; other fields stay as they are.
     */
    public static BillSwitchException onLines(BillSwitchException e, List<Integer> lines) {
        if (e.fields() == null || e.fields().isEmpty()) {
            return e;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        e.fields().forEach((field, message) -> {
            Matcher m = PATH_INDEX.matcher(field);
            if (m.matches()) {
                int index = Integer.parseInt(m.group(2));
                String where = index < lines.size() ? "line " + lines.get(index) : m.group(1) + "[" + index + "]";
                String what = m.group(3).isEmpty() ? "" : m.group(3) + " ";
                fields.merge(m.group(1), where + ": " + what + message, (a, b) -> a + "; " + b);
            } else {
                fields.merge(field, message, (a, b) -> a + "; " + b);
            }
        });
        return new BillSwitchException(e.code(), "Refused: " + String.join("; ", fields.entrySet().stream()
                .map(f -> (f.getKey().equals("rules") || f.getKey().equals("slabs") ? "" : f.getKey() + " ")
                        + f.getValue()).toList()) + ".", fields);
    }

    /** A stored rule as one line of this form. */
    public static String line(PricingRule rule) {
        StringBuilder s = new StringBuilder(rule.operatorId() != null ? "operator:" + rule.operatorId()
                : "category:" + rule.categoryId());
        if (rule.commission() != null) {
            s.append(" commission=").append(charge(rule.commission()));
        }
        if (rule.fee() != null) {
            s.append(" fee=").append(charge(rule.fee()));
        }
        return s.toString();
    }

    /** A stored CCF slab as one line of this form. */
    public static String line(CcfSlab slab) {
        return (slab.paymentMode() == null ? "" : slab.paymentMode().name() + " ") + slab(slab.slab());
    }

    private static String charge(Charge c) {
        StringBuilder s = new StringBuilder(switch (c.type()) {
            case FLAT -> "flat:" + c.flatMinor();
            case PERCENT -> "percent:" + c.bps();
            case SLABS -> "slabs:" + String.join(";", c.slabs().stream().map(PricingLines::slab).toList());
        });
        if (c.minMinor() != null) {
            s.append(",min:").append(c.minMinor());
        }
        if (c.capMinor() != null) {
            s.append(",cap:").append(c.capMinor());
        }
        return s.toString();
    }

    private static String slab(Slab s) {
        String charge = s.bps() == 0 ? Long.toString(s.flatMinor())
                : s.flatMinor() == 0 ? s.bps() + "bps" : s.flatMinor() + "+" + s.bps() + "bps";
        return s.fromMinor() + "-" + (s.toMinor() == null ? "" : s.toMinor()) + ":" + charge;
    }

    private ObjectNode rule(String line, int n) {
        String[] parts = line.split("\\s+");
        ObjectNode rule = JSON.createObjectNode();
        String target = parts[0];
        if (target.startsWith("operator:") && target.length() > 9) {
            rule.put("operatorId", target.substring(9));
        } else if (target.startsWith("category:") && target.length() > 9) {
            rule.put("categoryId", target.substring(9));
        } else {
            problem("rules", n, "start with operator:ID or category:ID, e.g. operator:bescom commission=percent:50");
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (eq < 0 || !(name.equals("commission") || name.equals("fee"))) {
                problem("rules", n, "'" + part + "' is not commission=CHARGE or fee=CHARGE");
                return null;
            }
            if (rule.has(name)) {
                problem("rules", n, name + " is given twice");
                return null;
            }
            ObjectNode charge = charge(part.substring(eq + 1), n);
            if (charge == null) {
                return null;
            }
            rule.set(name, charge);
        }
        return rule;
    }

    private ObjectNode charge(String text, int n) {
        String[] parts = text.split(",");
        ObjectNode c = JSON.createObjectNode();
        String kind = parts[0];
        if (kind.startsWith("flat:")) {
            c.put("type", "FLAT");
            if (!number(c, "flatMinor", kind.substring(5), n, "rules")) {
                return null;
            }
        } else if (kind.startsWith("percent:")) {
            c.put("type", "PERCENT");
            String bps = kind.substring(8);
            if (!number(c, "bps", bps.endsWith("bps") ? bps.substring(0, bps.length() - 3) : bps, n, "rules")) {
                return null;
            }
        } else if (kind.startsWith("slabs:") && kind.length() > 6) {
            c.put("type", "SLABS");
            ArrayNode slabs = c.putArray("slabs");
            for (String s : kind.substring(6).split(";")) {
                ObjectNode slab = slab(s, n, "rules");
                if (slab == null) {
                    return null;
                }
                slabs.add(slab);
            }
        } else {
            problem("rules", n, "'" + text + "': a charge is flat:PAISE, percent:BPS or slabs:FROM-TO:CHARGE;...");
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("min:")) {
                if (!number(c, "minMinor", p.substring(4), n, "rules")) {
                    return null;
                }
            } else if (p.startsWith("cap:")) {
                if (!number(c, "capMinor", p.substring(4), n, "rules")) {
                    return null;
                }
            } else {
                problem("rules", n, "'" + p + "' is not min:PAISE or cap:PAISE");
                return null;
            }
        }
        return c;
    }

    private ObjectNode slab(String text, int n, String field) {
        Matcher m = SLAB.matcher(text);
        if (!m.matches()) {
            problem(field, n, "'" + text + "' is not a slab FROM-TO:CHARGE (e.g. 0-100000:500 or 100000-:25bps)");
            return null;
        }
        ObjectNode s = JSON.createObjectNode();
        if (!number(s, "fromMinor", m.group(1), n, field)) {
            return null;
        }
        if (!m.group(2).isEmpty() && !number(s, "toMinor", m.group(2), n, field)) {
            return null;
        }
        for (String term : m.group(3).split("\\+")) {
            boolean bps = term.endsWith("bps");
            String name = bps ? "bps" : "flatMinor";
            if (s.has(name)) {
                problem(field, n, "'" + m.group(3) + "': at most one flat amount and one Nbps");
                return null;
            }
            if (!number(s, name, bps ? term.substring(0, term.length() - 3) : term, n, field)) {
                return null;
            }
        }
        return s;
    }

    private boolean number(ObjectNode o, String name, String text, int n, String field) {
        if (!NUMBER.matcher(text).matches()) {
            problem(field, n, "'" + text + "' is not a whole number"
                    + (name.equals("bps") ? " of basis points (100 = 1%)" : " of minor units (paise)"));
            return false;
        }
        o.put(name, Long.parseLong(text));
        return true;
    }

    private void problem(String field, int line, String reason) {
        problems.merge(field, "line " + line + ": " + reason, (a, b) -> a + "; " + b);
    }

    private void refuse(String field, String what) {
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, what + " was not read: " + problems.get(field) + ".",
                    problems);
        }
    }
}
