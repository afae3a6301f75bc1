package billswitch.console;

import billswitch.shared.BillSwitchException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * A console page's errors as a page, never the API's JSON nor a stack trace: a refused change that its own page did not
 * show next to its fields (the catalog's message and status), and a change the role may not make (403). Before the
 * API's handler, for the console's controllers only.
 */
@ControllerAdvice(basePackages = "billswitch.console")
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

    @ExceptionHandler(BillSwitchException.class)
    String refused(BillSwitchException e, Model model, HttpServletResponse response) {
        response.setStatus(e.code().httpStatus());
        model.addAttribute("code", e.code().name());
        model.addAttribute("message", e.getMessage());
        model.addAttribute("fields", e.fields());
        return "console/error";
    }

    @ExceptionHandler(AccessDeniedException.class)
    String forbidden(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        return "console/forbidden";
    }
}
