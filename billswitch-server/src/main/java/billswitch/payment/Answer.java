package billswitch.payment;

/**
 * The exact response a dialect gave for a money-moving request: kept with the order so a replay of the
 * same request gets it back byte for byte.
 */
public record Answer(int httpStatus, String body) {
}
