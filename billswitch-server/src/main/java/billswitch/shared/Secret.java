package billswitch.shared;

import java.util.Objects;

/** A value that must never reach a log: its toString is masked. */
public final class Secret<T> {
    private final T value;

    private Secret(T value) {
        this.value = Objects.requireNonNull(value);
    }

    public static <T> Secret<T> of(T value) {
        return new Secret<>(value);
    }

    public T reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret<?> other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
