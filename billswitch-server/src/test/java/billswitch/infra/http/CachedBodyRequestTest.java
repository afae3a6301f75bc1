package billswitch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class CachedBodyRequestTest {

    private static MockHttpServletRequest declared(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/recharges");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    /** A request whose length is not declared (chunked), or declared as {@code length} whatever the content. */
    private static MockHttpServletRequest declaring(String body, long length) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/recharges") {
            @Override
            public long getContentLengthLong() {
                return length;
            }

            @Override
            public int getContentLength() {
                return (int) length;
            }
        };
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    private static String bodyOf(HttpServletRequest request) {
        return new String(CachedBodyRequest.body(request), StandardCharsets.UTF_8);
    }

    @Test
    void aBodyOfDeclaredLengthIsKeptByteForByteAndReadAgainByTheController() throws Exception {
        MockHttpServletRequest request = declared("{\"amount\":\"10.00\"}");
        CachedBodyRequest cached = CachedBodyRequest.of(request, 64);
        assertThat(bodyOf(request)).isEqualTo("{\"amount\":\"10.00\"}");
        assertThat(cached.body()).hasSize(18);
        assertThat(cached.getContentLengthLong()).isEqualTo(18);
        assertThat(cached.getInputStream().readAllBytes()).isEqualTo(cached.body());
        assertThat(cached.getReader().readLine()).isEqualTo("{\"amount\":\"10.00\"}");
    }

    @Test
    void aBodyWithoutDeclaredLengthIsReadToItsEndWithinTheLimit() throws Exception {
        MockHttpServletRequest request = declaring("x".repeat(64), -1);
        CachedBodyRequest.of(request, 64);
        assertThat(bodyOf(request)).isEqualTo("x".repeat(64));
    }

    @Test
    void aBodyThatEndsBeforeItsDeclaredLengthIsWhatArrivedNotPaddedWithZeros() throws Exception {
        MockHttpServletRequest request = declaring("{\"a\":1}", 40);
        CachedBodyRequest.of(request, 64);
        assertThat(bodyOf(request)).isEqualTo("{\"a\":1}");
    }

    @Test
    void aBodyPastTheLimitIsRefusedWhetherItsLengthIsDeclaredOrNot() {
        assertThatThrownBy(() -> CachedBodyRequest.of(declared("x".repeat(65)), 64))
                .isInstanceOfSatisfying(BillSwitchException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
        MockHttpServletRequest chunked = declaring("x".repeat(65), -1);
        assertThatThrownBy(() -> CachedBodyRequest.of(chunked, 64))
                .isInstanceOfSatisfying(BillSwitchException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
        assertThat(chunked.getAttribute(CachedBodyRequest.BODY)).isNull();
    }
}
