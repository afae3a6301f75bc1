package billswitch;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jar's Start-Class: on a Java older than {@value #REQUIRED} it says which Java BillSwitch needs, where
 * one is installed, and exits 1, instead of failing with an {@code UnsupportedClassVersionError}; on
 * {@value #REQUIRED}+ it runs {@link BillSwitchApplication#main}.
 *
 * <p>This one class is compiled for Java 17 (its own maven-compiler-plugin execution, see the server's
 * pom.xml), the oldest Java Spring Boot's JarLauncher itself runs on; everything else is Java 21. So it
 * names no other class of ours except by reflection, and uses nothing newer than Java 17.
 */
public final class Launcher {
    static final int REQUIRED = 21;
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        int feature = Runtime.version().feature();
        if (feature < REQUIRED) {
            System.err.println(tooOld(feature, args));
            System.exit(1);
        }
        Method main = Class.forName("billswitch.BillSwitchApplication", true, Launcher.class.getClassLoader())
                .getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static String tooOld(int feature, String[] args) {
        String home = System.getProperty("java.home", "?");
        StringBuilder text = new StringBuilder("BillSwitch needs Java " + REQUIRED + " or newer; this is Java "
                + feature + " (" + home + ").\n");
        List<Path> found = installedJdks();
        String command = commandLine(args);
        if (found.isEmpty()) {
            text.append("Install a JDK ").append(REQUIRED).append("+ and run it with that JDK's java:\n  ")
                    .append("/path/to/jdk-").append(REQUIRED).append("+/bin/java ").append(command);
        } else {
            text.append("Run it with a JDK >= ").append(REQUIRED).append(", e.g. one found on this machine:\n  ")
                    .append(found.get(0).resolve("bin").resolve("java")).append(' ').append(command);
            for (Path other : found.subList(1, found.size())) {
                text.append("\n  (also ").append(other).append(')');
            }
        }
        return text.toString();
    }

    /** The JVM's own arguments as given (JVM options, -jar and the jar, the program's arguments), quoted for a shell. */
    private static String commandLine(String[] args) {
        List<String> all = ProcessHandle.current().info().arguments().map(List::of)
                .orElseGet(() -> {
                    List<String> guess = new ArrayList<>(List.of("-jar", "billswitch.jar"));
                    guess.addAll(List.of(args));
                    return guess;
                });
        StringBuilder line = new StringBuilder();
        for (String arg : all) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(arg.matches("[A-Za-z0-9_./:=,+@%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    /** JDKs of {@value #REQUIRED}+ where they are usually installed: JAVA_HOME, /usr/lib/jvm, SDKMAN, /opt. */
    private static List<Path> installedJdks() {
        List<Path> candidates = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            candidates.add(Path.of(javaHome));
        }
        String userHome = System.getProperty("user.home", "");
        for (Path dir : List.of(Path.of("/usr/lib/jvm"), Path.of(userHome, ".sdkman", "candidates", "java"),
                Path.of("/opt"), Path.of("/Library/Java/JavaVirtualMachines"))) {
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        candidates.add(entry);
                        candidates.add(entry.resolve("Contents").resolve("Home"));
                    }
                } catch (IOException | SecurityException e) {
                    // not readable: look elsewhere
                }
            }
        }
        List<Path> found = new ArrayList<>();
        for (Path candidate : candidates) {
            Path real;
            try {
                real = candidate.toRealPath();
            } catch (IOException | SecurityException e) {
                continue;
            }
            if (!found.contains(real) && featureOf(real).filter(f -> f >= REQUIRED).isPresent()
                    && Files.isExecutable(real.resolve("bin").resolve("java"))) {
                found.add(real);
            }
        }
        return found;
    }

    /** A JDK's feature release, from the {@code release} file every JDK since 9 carries; empty if none is readable. */
    public static Optional<Integer> featureOf(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(release));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
