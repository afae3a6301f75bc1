package billswitch.api;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The native and admin APIs' error shape: {"error":{"code","message","fields"}} with the catalog's
 * HTTP status. Dialects have their own shapes.
 */
public record ErrorBody(Error error) {

    public record Error(String code, String message, Map<String, String> fields) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public static ErrorBody of(BillSwitchException e) {
        return new ErrorBody(new Error(e.code().name(), e.getMessage(), e.fields()));
    }

    public static ResponseEntity<String> response(BillSwitchException e) {
        return ResponseEntity.status(e.code().httpStatus()).contentType(MediaType.APPLICATION_JSON)
                .body(MAPPER.writeValueAsString(of(e)));
    }

    /** The error's JSON bytes, for answers written below the servlet layer. */
    static byte[] bytes(BillSwitchException e) {
        return MAPPER.writeValueAsBytes(of(e));
    }

    /** Seconds after which to try again, for the errors that say so (Retry-After); null for the others. */
    static String retryAfter(ErrorCode code) {
        return switch (code) {
            case BUSY, DATABASE_UNAVAILABLE, RATE_LIMITED -> "1";
            default -> null;
        };
    }

    /** Writes the error straight to a servlet response, for filters that answer before any controller. */
    public static void write(HttpServletResponse response, BillSwitchException e) throws IOException {
        response.setStatus(e.code().httpStatus());
        String retryAfter = retryAfter(e.code());
        if (retryAfter != null) {
            response.setHeader("Retry-After", retryAfter);
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(MAPPER.writeValueAsBytes(of(e)));
    }
}
