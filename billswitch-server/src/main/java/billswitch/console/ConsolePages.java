package billswitch.console;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AdminRole;
import billswitch.shared.BillSwitchException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page knows: who is logged in and what their role lets them change (pages hide what a role may
 * not do; the server refuses it whatever the page shows), and which section is open. Also the one way a page turns a
 * refused change into errors shown next to its fields.
 */
@ControllerAdvice(basePackages = "billswitch.console")
public class ConsolePages {

    @ModelAttribute
    void common(@AuthenticationPrincipal Object principal, HttpServletRequest request, Model model) {
        model.addAttribute("path", request.getRequestURI());
        if (principal instanceof AdminIdentity me) {
            model.addAttribute("me", me);
            model.addAttribute("canOperate", me.is(AdminRole.OPERATIONS, AdminRole.ADMIN));
            model.addAttribute("canFund", me.is(AdminRole.FINANCE, AdminRole.ADMIN));
            model.addAttribute("isAdmin", me.is(AdminRole.ADMIN));
        }
    }

    /**
     * A refused change as the form shows it: {@code errors} maps a field's name to its message (the error catalog's
     * {@code fields}), and {@code formError} is the message above the form.
     */
    public static void refused(Model model, BillSwitchException e) {
        Map<String, String> fields = e.fields();
        model.addAttribute("errors", fields == null ? Map.of() : fields);
        model.addAttribute("formError", e.getMessage());
    }
}
