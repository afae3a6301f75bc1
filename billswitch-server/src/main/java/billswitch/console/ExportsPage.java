package billswitch.console;

import billswitch.export.Exports;
import billswitch.partner.PartnerService;
import billswitch.payment.OrderStatus;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Exports: payments for any filter and a wallet's statement as CSV, streamed by {@link Exports} (the admin API's
 * exports), whoever is logged in (READ_ONLY too). A bad filter shows the form again with the error next to its field,
 * before any CSV is written.
 */
@Controller
@RequestMapping("/console/exports")
class ExportsPage {
    private final Exports exports;
    private final PartnerService partners;

    ExportsPage(Exports exports, PartnerService partners) {
        this.exports = exports;
        this.partners = partners;
    }

    /** The payments form as sent (all text: shown back as typed). */
    record PaymentsForm(String id, String reference, String account, String partner, String operator, String status,
                        String from, String to) {
    }

    /** The statement form as sent. */
    record StatementForm(String partner, String currency, String from, String to) {
    }

    @GetMapping
    String page(Model model) {
        return form(model, new PaymentsForm(null, null, null, null, null, null, null, null),
                new StatementForm(null, "INR", null, null));
    }

    @GetMapping("/payments.csv")
    String payments(@ModelAttribute("p") PaymentsForm f, Model model, HttpServletResponse response) throws IOException {
        Map<String, String> errors = new LinkedHashMap<>();
        Long id = PaymentPages.number(f.id(), "id", "must be a transaction id (digits)", errors);
        OrderStatus status = null;
        if (!PaymentPages.blank(f.status())) {
            try {
                status = OrderStatus.valueOf(f.status());
            } catch (IllegalArgumentException e) {
                errors.put("status", "must be one of " + Arrays.toString(OrderStatus.values()));
            }
        }
        Instant from = PaymentPages.time(f.from(), "from", errors);
        Instant to = PaymentPages.time(f.to(), "to", errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.put("to", "must be after From");
        }
        if (!errors.isEmpty()) {
            return refused(model, response, errors, f, new StatementForm(null, "INR", null, null));
        }
        exports.write(new Exports.PaymentFilter(text(f.reference()), id, text(f.account()), text(f.partner()),
                text(f.operator()), status, from, to), () -> csv(response, "payments.csv"));
        return null;
    }

    @GetMapping("/statement.csv")
    String statement(@ModelAttribute("s") StatementForm f, Model model, HttpServletResponse response) throws IOException {
        Map<String, String> errors = new LinkedHashMap<>();
        if (PaymentPages.blank(f.partner())) {
            errors.put("statementPartner", "which partner's wallet");
        } else if (partners.find(f.partner().trim()).isEmpty()) {
            errors.put("statementPartner", "no partner " + f.partner().trim());
        }
        Currency currency = null;
        try {
            currency = Currency.parse(f.currency());
        } catch (BillSwitchException e) {
            errors.put("currency", "must be one of " + Arrays.toString(Currency.values()));
        }
        Instant from = PaymentPages.time(f.from(), "statementFrom", errors);
        Instant to = PaymentPages.time(f.to(), "statementTo", errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.put("statementTo", "must be after From");
        }
        if (!errors.isEmpty()) {
            return refused(model, response, errors, new PaymentsForm(null, null, null, null, null, null, null, null), f);
        }
        String name = "statement-" + f.partner().trim() + "-" + currency + ".csv";
        exports.write(new Exports.StatementFilter(f.partner().trim(), currency, from, to), () -> csv(response, name));
        return null;
    }

    private String refused(Model model, HttpServletResponse response, Map<String, String> errors, PaymentsForm p,
                           StatementForm s) {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("errors", errors);
        model.addAttribute("formError", "Nothing was exported: check the highlighted fields.");
        return form(model, p, s);
    }

    private static String form(Model model, PaymentsForm p, StatementForm s) {
        model.addAttribute("p", p);
        model.addAttribute("s", s);
        model.addAttribute("statuses", Arrays.stream(OrderStatus.values()).map(Enum::name).toList());
        model.addAttribute("currencies", Arrays.stream(Currency.values()).map(Enum::name).toList());
        return "console/exports";
    }

    /** The CSV headers, then the body's stream (once the export has its slot and its rows: see Exports.Destination). */
    private static java.io.OutputStream csv(HttpServletResponse response, String filename) throws IOException {
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition",
                "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        return response.getOutputStream();
    }

    private static String text(String s) {
        return PaymentPages.blank(s) ? null : s.trim();
    }
}
