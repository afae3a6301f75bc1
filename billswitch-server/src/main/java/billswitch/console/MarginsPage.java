package billswitch.console;

import billswitch.margin.Margins;
import billswitch.shared.BillSwitchException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The margin report ({@link Margins}, as GET /admin/reports/margins): for a period of days in the books' zone, per
 * operator, upstream or partner, what settled payments earned and where their money went, with totals per currency
 * and the same figures as CSV. Whoever is logged in may read it (READ_ONLY too), as the admin API's report and the
 * exports. A bad period is shown next to its field.
 */
@Controller
@RequestMapping("/console/reports")
class MarginsPage {
    /** The groupings the report offers, as the page names them. */
    record Grouping(String param, String label) {
    }

    static final List<Grouping> GROUPINGS = List.of(new Grouping("operator", "Operator"),
            new Grouping("connector", "Upstream"), new Grouping("partner", "Partner"));

    private final Margins margins;

    MarginsPage(Margins margins) {
        this.margins = margins;
    }

    /** The form as sent (all text: shown back as typed). */
    record Form(String from, String to, String by) {
    }

    @GetMapping("/margins")
    String page(@ModelAttribute("f") Form f, Model model, HttpServletResponse response) {
        model.addAttribute("groupings", GROUPINGS);
        try {
            Margins.Report report = margins.report(f.from(), f.to(), f.by());
            model.addAttribute("report", report);
            model.addAttribute("f", new Form(report.from().toString(), report.to().toString(), report.by().param()));
            model.addAttribute("keyLabel", label(report.by().param()));
        } catch (BillSwitchException e) {
            ConsolePages.refused(model, e);
            model.addAttribute("formError", "No report: check the highlighted fields.");
            response.setStatus(e.code().httpStatus());
        }
        return "console/margins";
    }

    /** The same report as CSV (the admin API's file); a bad period shows the page with its errors instead. */
    @GetMapping("/margins.csv")
    String csv(@ModelAttribute("f") Form f, Model model, HttpServletResponse response) throws IOException {
        Margins.Report report;
        try {
            report = margins.report(f.from(), f.to(), f.by());
        } catch (BillSwitchException e) {
            return page(f, model, response);
        }
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"margins-" + report.by().param() + "-"
                + report.from() + "-" + report.to() + ".csv\"");
        Margins.writeCsv(report, new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        return null;
    }

    private static String label(String param) {
        return GROUPINGS.stream().filter(g -> g.param().equals(param)).map(Grouping::label).findFirst().orElse(param);
    }
}
