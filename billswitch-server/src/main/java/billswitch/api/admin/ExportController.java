package billswitch.api.admin;

import billswitch.api.TimeRange;
import billswitch.export.Exports;
import billswitch.partner.PartnerService;
import billswitch.payment.OrderStatus;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payments and wallet statements as CSV, streamed ({@link Exports}); any authenticated identity (READ_ONLY too) may
 * export. Bad filters are refused INVALID_REQUEST, naming each field, before any CSV is written.
 */
@RestController
@RequestMapping("/admin/exports")
class ExportController {
    private final Exports exports;
    private final PartnerService partners;

    ExportController(Exports exports, PartnerService partners) {
        this.exports = exports;
        this.partners = partners;
    }

    @GetMapping("/payments.csv")
    void payments(HttpServletResponse response,
                  @RequestParam(required = false) String reference,
                  @RequestParam(required = false) String transactionId,
                  @RequestParam(required = false) String accountNumber,
                  @RequestParam(required = false) String partner,
                  @RequestParam(required = false) String operator,
                  @RequestParam(required = false) String status,
                  @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to) throws IOException {
        Map<String, String> problems = new LinkedHashMap<>();
        TimeRange range = range(from, to, problems);
        Long id = null;
        if (transactionId != null) {
            if (transactionId.matches("^[0-9]{1,18}$")) {
                id = Long.parseLong(transactionId);
            } else {
                problems.put("transactionId", "must be a transaction id");
            }
        }
        OrderStatus wanted = null;
        if (status != null) {
            try {
                wanted = OrderStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                problems.put("status", "must be one of " + Arrays.toString(OrderStatus.values()));
            }
        }
        refuse(problems);
        csv(response, "payments.csv");
        exports.write(new Exports.PaymentFilter(blankToNull(reference), id, blankToNull(accountNumber),
                blankToNull(partner), blankToNull(operator), wanted, range.from(), range.to()), response.getOutputStream());
    }

    @GetMapping("/statements.csv")
    void statement(HttpServletResponse response,
                   @RequestParam(required = false) String partner,
                   @RequestParam(required = false) String currency,
                   @RequestParam(required = false) String from,
                   @RequestParam(required = false) String to) throws IOException {
        Map<String, String> problems = new LinkedHashMap<>();
        TimeRange range = range(from, to, problems);
        if (partner == null || partner.isBlank()) {
            problems.put("partner", "is required");
        }
        Currency c = null;
        try {
            c = Currency.parse(currency);
        } catch (BillSwitchException e) {
            problems.put("currency", "must be one of " + Arrays.toString(Currency.values()));
        }
        refuse(problems);
        partners.require(partner);
        csv(response, "statement-" + partner + "-" + c + ".csv");
        exports.write(new Exports.StatementFilter(partner, c, range.from(), range.to()), response.getOutputStream());
    }

    private static TimeRange range(String from, String to, Map<String, String> problems) {
        try {
            return TimeRange.parse(from, to);
        } catch (BillSwitchException e) {
            problems.putAll(e.fields());
            return null;
        }
    }

    private static void refuse(Map<String, String> problems) {
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Invalid query parameters: " + problems + ".", problems);
        }
    }

    private static void csv(HttpServletResponse response, String filename) {
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
