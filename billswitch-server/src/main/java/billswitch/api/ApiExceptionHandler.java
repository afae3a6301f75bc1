package billswitch.api;

import billswitch.shared.BillSwitchException;
import billswitch.shared.DatabaseOutage;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception that reaches Spring MVC into the catalog's error shape: expected failures
 * keep their code; anything unexpected is logged and answered INTERNAL_ERROR, never with a stack trace.
 * Dialect adapters register their own, higher-precedence handlers for their paths.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final List<DialectErrors> dialects;

    ApiExceptionHandler(List<DialectErrors> dialects) {
        this.dialects = dialects;
    }

    /**
     * The error in the shape of whichever API the request was made to. BUSY, DATABASE_UNAVAILABLE and
     * RATE_LIMITED also say when to try again (Retry-After, the HTTP way of saying so beside every dialect's own
     * code).
     */
    public static ResponseEntity<String> render(List<DialectErrors> dialects, String path, BillSwitchException e) {
        ResponseEntity<String> answer = null;
        for (DialectErrors dialect : dialects) {
            if (path != null && dialect.serves(path)) {
                answer = dialect.render(e);
                break;
            }
        }
        if (answer == null) {
            answer = ErrorBody.response(e);
        }
        String retryAfter = ErrorBody.retryAfter(e.code());
        return retryAfter != null ? ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, retryAfter).body(answer.getBody()) : answer;
    }

    private ResponseEntity<String> render(HttpServletRequest request, BillSwitchException e) {
        return render(dialects, request.getRequestURI(), e);
    }

    @ExceptionHandler(BillSwitchException.class)
    ResponseEntity<String> expected(BillSwitchException e, HttpServletRequest request) {
        return render(request, e);
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<String> notFound(HttpServletRequest request) {
        return render(request, new BillSwitchException(ErrorCode.NOT_FOUND));
    }

    /** The payment is still with the operator after the async timeout: the partner asks again, same reference. */
    @ExceptionHandler(AsyncRequestTimeoutException.class)
    ResponseEntity<String> stillWaiting(HttpServletRequest request) {
        return render(request, new BillSwitchException(ErrorCode.REQUEST_IN_PROGRESS,
                "The operator has not answered yet; ask again with the same reference."));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return render(request, new BillSwitchException(ErrorCode.METHOD_NOT_ALLOWED, e.getMethod() + " is not allowed here."));
    }

    @ExceptionHandler(HttpMediaTypeException.class)
    ResponseEntity<String> mediaType(HttpServletRequest request) {
        return render(request, new BillSwitchException(ErrorCode.UNSUPPORTED_MEDIA_TYPE));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<String> unreadable(HttpServletRequest request) {
        return render(request, new BillSwitchException(ErrorCode.MALFORMED_JSON));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<String> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return render(request, new BillSwitchException(ErrorCode.INVALID_REQUEST,
                "Query parameter '" + e.getParameterName() + "' is required.", Map.of(e.getParameterName(), "is required")));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<String> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return render(request, new BillSwitchException(ErrorCode.INVALID_REQUEST,
                "Header '" + e.getHeaderName() + "' is required."));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<String> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return render(request, new BillSwitchException(ErrorCode.INVALID_REQUEST,
                "Parameter '" + e.getName() + "' has the wrong type.", Map.of(e.getName(), "wrong type")));
    }

    /** The database down or failing over, wherever it was met: 503, retry with the same reference. */
    public static BillSwitchException outage(Throwable e, String where) {
        log.warn("Database unavailable on {}: {}", where, rootMessage(e));
        return new BillSwitchException(ErrorCode.DATABASE_UNAVAILABLE);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e, HttpServletRequest request) {
        if (DatabaseOutage.causedBy(e)) {
            return render(request, outage(e, request.getMethod() + " " + request.getRequestURI()));
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return render(request, new BillSwitchException(ErrorCode.INTERNAL_ERROR));
    }
}
