package billswitch.console.catalog;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AuditLog;
import billswitch.catalog.CatalogAdmin;
import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.console.ConsolePages;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
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

/**
 * The console's categories and locations: created and edited with every field the admin API takes (id, name, group
 * or abbreviation, country, provider id, enabled), through {@link CatalogAdmin} as POST and PATCH
 * /admin/categories|locations do; a refused field is shown next to it.
 */
@Controller
@RequestMapping("/console/catalog")
class CategoryPages {
    private static final String CHANGERS = "hasAnyRole('OPERATIONS', 'ADMIN')";

    private final CatalogAdmin catalog;
    private final AuditLog audit;

    CategoryPages(CatalogAdmin catalog, AuditLog audit) {
        this.catalog = catalog;
        this.audit = audit;
    }

    /** Which of the two a page shows: its path word, its title, and its third field. */
    enum Kind {
        CATEGORY("categories", "category", "group", "Group"), LOCATION("locations", "location", "abbreviation", "Abbreviation");

        final String path;
        final String word;
        final String third;
        final String thirdLabel;

        Kind(String path, String word, String third, String thirdLabel) {
            this.path = path;
            this.word = word;
            this.third = third;
            this.thirdLabel = thirdLabel;
        }

        static Kind of(String path) {
            return path.equals("categories") ? CATEGORY : path.equals("locations") ? LOCATION : null;
        }
    }

    @GetMapping("/{kind:categories|locations}/new")
    @PreAuthorize(CHANGERS)
    String blank(@PathVariable String kind, Model model) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("enabled", "true");
        return page(model, Kind.of(kind), form, true);
    }

    @GetMapping("/{kind:categories|locations}/{id}")
    String show(@PathVariable String kind, @PathVariable String id, Model model) {
        Kind k = Kind.of(kind);
        Map<String, String> form = new LinkedHashMap<>();
        if (k == Kind.CATEGORY) {
            Category c = catalog.category(id);
            form.put("id", c.id());
            form.put("name", c.name());
            form.put("group", c.group());
            form.put("country", c.country());
            form.put("providerId", String.valueOf(c.providerId()));
            form.put("enabled", String.valueOf(c.enabled()));
        } else {
            Location l = catalog.location(id);
            form.put("id", l.id());
            form.put("name", l.name());
            form.put("abbreviation", l.abbreviation());
            form.put("country", l.country());
            form.put("providerId", String.valueOf(l.providerId()));
            form.put("enabled", String.valueOf(l.enabled()));
        }
        return page(model, k, form, false);
    }

    @PostMapping("/{kind:categories|locations}")
    @PreAuthorize(CHANGERS)
    String create(@PathVariable String kind, @RequestParam Map<String, String> fields, @AuthenticationPrincipal AdminIdentity me,
                  HttpServletRequest request, Model model) {
        Kind k = Kind.of(kind);
        Map<String, String> form = form(fields);
        try {
            String id = form.get("id");
            if (k == Kind.CATEGORY) {
                Category c = category(form, id);
                audit.change(me, "catalog.category.create", line(request), "category:" + c.id(), () -> null,
                        () -> catalog.createCategory(c), v -> v);
            } else {
                Location l = location(form, id);
                audit.change(me, "catalog.location.create", line(request), "location:" + l.id(), () -> null,
                        () -> catalog.createLocation(l), v -> v);
            }
            return "redirect:/console/catalog/" + k.path + "/" + id + "?saved";
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            return page(model, k, form, true);
        }
    }

    @PostMapping("/{kind:categories|locations}/{id}")
    @PreAuthorize(CHANGERS)
    String edit(@PathVariable String kind, @PathVariable String id, @RequestParam Map<String, String> fields,
                @AuthenticationPrincipal AdminIdentity me, HttpServletRequest request, Model model) {
        Kind k = Kind.of(kind);
        Map<String, String> form = form(fields);
        form.put("id", id);
        try {
            if (k == Kind.CATEGORY) {
                Category c = category(form, id);
                audit.change(me, "catalog.category.change", line(request), "category:" + id, () -> catalog.category(id),
                        () -> catalog.editCategory(id, stored -> c), v -> v);
            } else {
                Location l = location(form, id);
                audit.change(me, "catalog.location.change", line(request), "location:" + id, () -> catalog.location(id),
                        () -> catalog.editLocation(id, stored -> l), v -> v);
            }
            return "redirect:/console/catalog/" + k.path + "/" + id + "?saved";
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            return page(model, k, form, false);
        }
    }

    private static Map<String, String> form(Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String name : new String[] {"id", "name", "group", "abbreviation", "country", "providerId"}) {
            String v = fields.get(name);
            form.put(name, v == null ? "" : v.trim());
        }
        form.put("enabled", String.valueOf(fields.containsKey("enabled")));
        return form;
    }

    private static Category category(Map<String, String> form, String id) {
        required(form, "group");
        return new Category(id, form.get("name"), form.get("group"), form.get("country"), providerId(form),
                Boolean.parseBoolean(form.get("enabled")));
    }

    private static Location location(Map<String, String> form, String id) {
        required(form, "abbreviation");
        return new Location(id, form.get("name"), form.get("abbreviation"), form.get("country"), providerId(form),
                Boolean.parseBoolean(form.get("enabled")));
    }

    /** What the form must have before the rules ({@code CatalogRules}) judge it, as the admin API's JSON reading does. */
    private static void required(Map<String, String> form, String third) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (String name : new String[] {"id", "name", third, "country", "providerId"}) {
            if (form.get(name).isEmpty()) {
                problems.put(name, "is required");
            }
        }
        if (!problems.containsKey("providerId")) {
            try {
                Integer.parseInt(form.get("providerId"));
            } catch (NumberFormatException e) {
                problems.put("providerId", "must be a whole number");
            }
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The form has " + problems.size() + " invalid field(s).",
                    problems);
        }
    }

    private static int providerId(Map<String, String> form) {
        return Integer.parseInt(form.get("providerId"));
    }

    private String page(Model model, Kind kind, Map<String, String> form, boolean creating) {
        model.addAttribute("kind", kind.word);
        model.addAttribute("kindPath", kind.path);
        model.addAttribute("third", kind.third);
        model.addAttribute("thirdLabel", kind.thirdLabel);
        model.addAttribute("form", form);
        model.addAttribute("creating", creating);
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "console/catalog/entry";
    }

    private static String line(HttpServletRequest request) {
        return "console " + request.getMethod() + " " + request.getRequestURI();
    }
}
