package billswitch.shared;

/**
 * What the replay memory keeps of one signed request: its signed timestamp (Unix ms) and 128 bits of a digest of
 * its scheme, key id and signature. The same signed request always makes the same mark; two different ones, in
 * practice, never do.
 */
public record ReplayMark(long sentAt, long hi, long lo) {
}
