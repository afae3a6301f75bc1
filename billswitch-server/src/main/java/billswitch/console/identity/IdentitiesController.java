package billswitch.console.identity;

import billswitch.admin.AdminIdentities;
import billswitch.admin.AdminIdentity;
import billswitch.admin.AdminRole;
import billswitch.console.ConsolePages;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin identities (ADMIN only, as in the admin API): list, create and rotate (the token shown once), disable. */
@Controller
@RequestMapping("/console/identities")
@PreAuthorize("hasRole('ADMIN')")
public class IdentitiesController {
    private final AdminIdentities identities;

    IdentitiesController(AdminIdentities identities) {
        this.identities = identities;
    }

    @GetMapping
    public String list(Model model) {
        model.addAttribute("identities", identities.list());
        model.addAttribute("roles", AdminRole.values());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", Map.of());
        }
        return "console/identities";
    }

    @PostMapping
    public String create(@AuthenticationPrincipal AdminIdentity me, @RequestParam Map<String, String> form,
                         HttpServletRequest request, HttpServletResponse response, Model model) {
        String name = form.getOrDefault("name", "").trim();
        String role = form.getOrDefault("role", "");
        try {
            if (Arrays.stream(AdminRole.values()).noneMatch(r -> r.name().equals(role))) {
                String rule = "must be one of " + Arrays.toString(AdminRole.values());
                throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "role " + rule, Map.of("role", rule));
            }
            return shownOnce(identities.create(me, line(request), name, AdminRole.valueOf(role)), "created", model);
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            if (e.code() == ErrorCode.IDENTITY_EXISTS) {
                model.addAttribute("errors", Map.of("name", e.getMessage()));
            }
            response.setStatus(e.code().httpStatus());
            model.addAttribute("form", form);
            return list(model);
        }
    }

    @PostMapping("/{name}/rotate-token")
    public String rotate(@AuthenticationPrincipal AdminIdentity me, @PathVariable String name,
                         HttpServletRequest request, Model model) {
        return shownOnce(identities.rotate(me, line(request), name), "given a new token", model);
    }

    @PostMapping("/{name}/disable")
    public String disable(@AuthenticationPrincipal AdminIdentity me, @PathVariable String name,
                          HttpServletRequest request, RedirectAttributes redirect) {
        AdminIdentities.IdentityView disabled = identities.disable(me, line(request), name);
        redirect.addFlashAttribute("notice", "Identity " + disabled.name() + " is " + disabled.status() + ".");
        return "redirect:/console/identities";
    }

    private static String shownOnce(AdminIdentities.Issued issued, String what, Model model) {
        model.addAttribute("identity", issued.identity());
        model.addAttribute("title", "Identity " + issued.identity().name() + " " + what);
        Map<String, String> secrets = new java.util.LinkedHashMap<>();
        secrets.put("Name", issued.identity().name());
        secrets.put("Role", issued.identity().role());
        secrets.put("Token", issued.token());
        model.addAttribute("secrets", secrets);
        return "console/shown-once";
    }

    private static String line(HttpServletRequest request) {
        return "console " + request.getMethod() + " " + request.getRequestURI();
    }
}
