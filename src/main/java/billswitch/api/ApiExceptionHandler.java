package billswitch.api;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
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

    @ExceptionHandler(BillSwitchException.class)
    ResponseEntity<String> expected(BillSwitchException e) {
        return ErrorBody.response(e);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<String> notFound() {
        return ErrorBody.response(ErrorCode.NOT_FOUND);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
        return ErrorBody.response(new BillSwitchException(ErrorCode.METHOD_NOT_ALLOWED,
                e.getMethod() + " is not allowed here."));
    }

    @ExceptionHandler(HttpMediaTypeException.class)
    ResponseEntity<String> mediaType() {
        return ErrorBody.response(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<String> unreadable() {
        return ErrorBody.response(ErrorCode.MALFORMED_JSON);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<String> missingParameter(MissingServletRequestParameterException e) {
        return ErrorBody.response(new BillSwitchException(ErrorCode.INVALID_REQUEST,
                "Query parameter '" + e.getParameterName() + "' is required.", Map.of(e.getParameterName(), "is required")));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<String> missingHeader(MissingRequestHeaderException e) {
        return ErrorBody.response(new BillSwitchException(ErrorCode.INVALID_REQUEST,
                "Header '" + e.getHeaderName() + "' is required."));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<String> typeMismatch(MethodArgumentTypeMismatchException e) {
        return ErrorBody.response(new BillSwitchException(ErrorCode.INVALID_REQUEST,
                "Parameter '" + e.getName() + "' has the wrong type.", Map.of(e.getName(), "wrong type")));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e) {
        log.error("Unexpected error", e);
        return ErrorBody.response(ErrorCode.INTERNAL_ERROR);
    }
}
