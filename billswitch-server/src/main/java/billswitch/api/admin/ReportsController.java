package billswitch.api.admin;

import billswitch.margin.Margins;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /admin/reports/margins?from=&to=&by=operator|connector|partner: the margin report ({@link Margins}) as JSON,
 * or as CSV with {@code Accept: text/csv} or {@code ?format=csv}. Any authenticated identity may read it.
 */
@RestController
@RequestMapping("/admin/reports")
class ReportsController {
    private final Margins margins;

    ReportsController(Margins margins) {
        this.margins = margins;
    }

    @GetMapping("/margins")
    Object margins(HttpServletResponse response,
                   @RequestParam(required = false) String from,
                   @RequestParam(required = false) String to,
                   @RequestParam(required = false) String by,
                   @RequestParam(required = false) String format,
                   @RequestHeader(name = "Accept", required = false) String accept) throws IOException {
        boolean csv = "csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.contains("text/csv"));
        Margins.Report report = margins.report(from, to, by);
        if (!csv) {
            return report;
        }
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"margins-" + report.by().param() + "-"
                + report.from() + "-" + report.to() + ".csv\"");
        Margins.writeCsv(report, new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        return null;
    }
}
