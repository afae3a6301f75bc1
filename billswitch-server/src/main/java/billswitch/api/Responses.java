package billswitch.api;

import billswitch.payment.Answer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A stored or fresh {@link Answer} as the HTTP response every API sends it as. */
public final class Responses {
    private Responses() {
    }

    public static ResponseEntity<String> json(Answer answer) {
        return ResponseEntity.status(answer.httpStatus()).contentType(MediaType.APPLICATION_JSON).body(answer.body());
    }
}
