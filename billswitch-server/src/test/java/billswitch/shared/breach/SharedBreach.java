package billswitch.shared.breach;

/** Breaks "shared/ holds values": a value that reaches into a framework. For ArchitectureTest only. */
public class SharedBreach {
    public Object framework() {
        return org.springframework.util.StringUtils.hasText("x");
    }
}
