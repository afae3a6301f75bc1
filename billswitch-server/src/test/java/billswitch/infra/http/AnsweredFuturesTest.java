package billswitch.infra.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;

class AnsweredFuturesTest {
    /** Records what each delegate was asked to handle. */
    private static final class Recording implements HandlerMethodReturnValueHandler {
        final List<Object> handled = new ArrayList<>();
        final List<Class<?>> asTypes = new ArrayList<>();

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return true;
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter type, org.springframework.web.method.support.ModelAndViewContainer mav,
                                      org.springframework.web.context.request.NativeWebRequest request) {
            handled.add(value);
            asTypes.add(type.getParameterType());
        }
    }

    private final Recording later = new Recording();
    private final Recording entity = new Recording();
    private final AnsweredFutures.Handler handler = new AnsweredFutures.Handler(later, entity);

    CompletableFuture<ResponseEntity<String>> payment() {
        return null;
    }

    CompletableFuture<String> somethingElse() {
        return null;
    }

    private MethodParameter returnTypeOf(String name) throws NoSuchMethodException {
        Method m = AnsweredFuturesTest.class.getDeclaredMethod(name);
        return new MethodParameter(m, -1);
    }

    @Test
    void onlyFuturesOfResponseEntitiesOfStrings() throws Exception {
        assertThat(handler.supportsReturnType(returnTypeOf("payment"))).isTrue();
        assertThat(handler.supportsReturnType(returnTypeOf("somethingElse"))).isFalse();
    }

    @Test
    void aCompletedFutureIsAnsweredAsItsValue() throws Exception {
        ResponseEntity<String> answer = ResponseEntity.ok("{}");
        handler.handleReturnValue(CompletableFuture.completedFuture(answer), returnTypeOf("payment"), null, null);
        assertThat(entity.handled).containsExactly(answer);
        assertThat(entity.asTypes).containsExactly(ResponseEntity.class);
        assertThat(later.handled).isEmpty();
    }

    @Test
    void aFailedFutureThrowsItsCauseForTheExceptionHandlers() throws Exception {
        BillSwitchException refused = new BillSwitchException(ErrorCode.INSUFFICIENT_FUNDS);
        CompletableFuture<ResponseEntity<String>> failed = CompletableFuture.<ResponseEntity<String>>completedFuture(null)
                .thenApply(x -> {
                    throw refused;
                });
        assertThatThrownBy(() -> handler.handleReturnValue(failed, returnTypeOf("payment"), null, null)).isSameAs(refused);
        assertThat(entity.handled).isEmpty();
        assertThat(later.handled).isEmpty();
    }

    @Test
    void aFutureStillRunningGoesTheAsynchronousWay() throws Exception {
        CompletableFuture<ResponseEntity<String>> running = new CompletableFuture<>();
        handler.handleReturnValue(running, returnTypeOf("payment"), null, null);
        assertThat(later.handled).containsExactly(running);
        assertThat(entity.handled).isEmpty();
    }
}
