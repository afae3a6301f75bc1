package billswitch.console;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The console's login page and the page a refused change lands on (the home, the overview: {@link OverviewPage}). */
@Controller
@RequestMapping("/console")
class HomeController {

    @GetMapping("/login")
    String login() {
        return "console/login";
    }

    @RequestMapping("/forbidden")
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String forbidden() {
        return "console/forbidden";
    }
}
