package billswitch.api;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.List;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors raised outside Spring MVC (by the servlet container) still answer in the catalog's shape. */
@RestController
class FallbackErrorController implements ErrorController {
    private final List<DialectErrors> dialects;

    FallbackErrorController(List<DialectErrors> dialects) {
        this.dialects = dialects;
    }

    @RequestMapping("/error")
    ResponseEntity<String> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ErrorCode error = errorFor(status instanceof Integer i ? i : 500);
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return ApiExceptionHandler.render(dialects, path == null ? null : path.toString(), new BillSwitchException(error));
    }

    /** The catalog's error for an HTTP status the container chose. */
    static ErrorCode errorFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 400 && status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }
}
