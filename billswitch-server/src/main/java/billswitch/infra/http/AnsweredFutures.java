package billswitch.infra.http;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Payment endpoints return a {@code CompletableFuture<ResponseEntity<String>>}: an upstream that answers
 * later holds no thread. Spring MVC answers every future through an asynchronous dispatch (the request
 * handed to another thread and run through the filters and the dispatcher a second time), even one that is
 * already complete, as it is whenever the upstream answered at once. This answers a completed future on
 * the request's own thread, as if the controller had returned its value (a failure is thrown, to the same
 * exception handlers); a future still running goes the asynchronous way as before.
 */
@Configuration(proxyBeanMethods = false)
class AnsweredFutures {
    private static final ResolvableType ANSWER = ResolvableType.forClassWithGenerics(CompletableFuture.class,
            ResolvableType.forClassWithGenerics(ResponseEntity.class, String.class));

    @Bean
    static BeanPostProcessor answeredFuturesFirst() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    HandlerMethodReturnValueHandler later = find(handlers, DeferredResultMethodReturnValueHandler.class);
                    HandlerMethodReturnValueHandler entity = find(handlers, ResponseEntityReturnValueHandler.class);
                    handlers.addFirst(new Handler(later, entity));
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    private static HandlerMethodReturnValueHandler find(List<HandlerMethodReturnValueHandler> handlers, Class<?> type) {
        return handlers.stream().filter(type::isInstance).findFirst()
                .orElseThrow(() -> new IllegalStateException("Spring MVC has no " + type.getSimpleName()));
    }

    /** The return type a completed future's value is handled as. */
    @SuppressWarnings("unused")
    private static ResponseEntity<String> answer() {
        return null;
    }

    static final class Handler implements HandlerMethodReturnValueHandler {
        private final HandlerMethodReturnValueHandler later;
        private final HandlerMethodReturnValueHandler entity;
        private final MethodParameter answerType;
        /**
         * Whether each controller method returns an answer future: asked on every request (Spring MVC asks
         * each handler in turn and keeps no answer), and working it out from the generic type each time was
         * 5% of the request threads' samples.
         */
        private final Map<ReturnKind, Boolean> supported = new ConcurrentHashMap<>();

        /**
         * What the answer depends on: the method, and the kind and type of the parameter describing what it
         * returned (the asynchronous dispatch of a future's result asks with another kind, for its value).
         */
        private record ReturnKind(Method method, Class<?> kind, Class<?> type, int nesting) {
        }

        Handler(HandlerMethodReturnValueHandler later, HandlerMethodReturnValueHandler entity) {
            this.later = later;
            this.entity = entity;
            try {
                Method answer = AnsweredFutures.class.getDeclaredMethod("answer");
                this.answerType = new MethodParameter(answer, -1);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            Method method = returnType.getMethod();
            if (method == null) {
                return ANSWER.isAssignableFrom(ResolvableType.forMethodParameter(returnType));
            }
            return supported.computeIfAbsent(new ReturnKind(method, returnType.getClass(), returnType.getParameterType(),
                    returnType.getNestingLevel()), k -> ANSWER.isAssignableFrom(ResolvableType.forMethodParameter(returnType)));
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter returnType, ModelAndViewContainer mav,
                                      NativeWebRequest request) throws Exception {
            if (value instanceof CompletableFuture<?> future && future.isDone() && !future.isCancelled()) {
                Object answer;
                try {
                    answer = future.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                entity.handleReturnValue(answer, answerType, mav, request);
                return;
            }
            later.handleReturnValue(value, returnType, mav, request);
        }
    }
}
