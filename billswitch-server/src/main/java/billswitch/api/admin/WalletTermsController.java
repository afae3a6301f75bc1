package billswitch.api.admin;

import billswitch.admin.AuditLog;
import billswitch.infra.http.JsonBody;
import billswitch.partner.WalletSettings;
import billswitch.shared.Currency;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A partner's wallet terms per currency (FINANCE or ADMIN change them, audited with the wallet before and after):
 * the credit limit, how far below zero the wallet may go (a limit below what the wallet owes now is refused
 * INVALID_REQUEST), and the low-balance threshold (0: no wallet.low_balance webhook).
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class WalletTermsController {
    private final WalletSettings wallets;
    private final AuditLog audit;

    WalletTermsController(WalletSettings wallets, AuditLog audit) {
        this.wallets = wallets;
        this.audit = audit;
    }

    @GetMapping("/partners/{id}/wallets/{currency}")
    AdminController.WalletView wallet(@PathVariable String id, @PathVariable String currency) {
        return AdminController.WalletView.of(wallets.wallet(id, Currency.parse(currency)));
    }

    @PutMapping("/partners/{id}/wallets/{currency}/credit-limit")
    AdminController.WalletView creditLimit(@PathVariable String id, @PathVariable String currency,
                                           @RequestBody(required = false) byte[] body) {
        Currency c = Currency.parse(currency);
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("creditLimitMinor"));
        Long limit = in.requiredLong("creditLimitMinor");
        in.validate();
        return audit.change(AdminRequest.actor(), "wallet.credit-limit", AdminRequest.line(), target(id, c),
                () -> wallets.wallet(id, c), () -> AdminController.WalletView.of(wallets.setCreditLimit(id, c, limit)),
                v -> v);
    }

    @PutMapping("/partners/{id}/wallets/{currency}/low-balance-threshold")
    AdminController.WalletView lowBalanceThreshold(@PathVariable String id, @PathVariable String currency,
                                                   @RequestBody(required = false) byte[] body) {
        Currency c = Currency.parse(currency);
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("thresholdMinor"));
        Long threshold = in.requiredLong("thresholdMinor");
        in.validate();
        return audit.change(AdminRequest.actor(), "wallet.low-balance-threshold", AdminRequest.line(), target(id, c),
                () -> wallets.wallet(id, c),
                () -> AdminController.WalletView.of(wallets.setLowBalanceThreshold(id, c, threshold)), v -> v);
    }

    static String target(String partnerId, Currency currency) {
        return "partner:" + partnerId;
    }
}
