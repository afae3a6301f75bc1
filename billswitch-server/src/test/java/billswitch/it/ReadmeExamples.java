package billswitch.it;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The README's shell examples, as {@link ReadmeExamplesIT} runs and checks them.
 *
 * <p>Which examples: every {@code ```sh} block from the first {@code ## } heading on, in document order,
 * except the blocks of the sections {@value #BENCHMARK}, {@value #RUNNING_FOR_REAL} and {@value #GOING_LIVE} (the last
 * runs against a server outside sandbox mode: {@link GoingLiveIT}; the others build, benchmark
 * and tune a host) and a block whose nearest non-blank line before it is a {@value #SKIP} comment. The
 * commands before the first {@code ## } heading (build and test) are not run either.
 *
 * <p>A block is cut into commands the way bash reads them: a command goes on past the end of a line inside
 * quotes or after a trailing backslash. A comment line {@code # -> ...} after a command is what the README
 * tells the reader that command answers, and what the test checks:
 * <pre>
 * # -> 201 {"partner":{...},"credentials":{"apiKey":"bsk_...",...}}   any words after the JSON are the reader's
 * </pre>
 * an optional HTTP status, then optionally a sample of the JSON answer in which {@code ...} stands for what is
 * left out: as a member or an element, for any further ones (without it an object has exactly the members
 * shown, an array exactly the elements shown); as a value, for any value; at the end of a string, for any
 * string starting so; a string {@code "<in angle brackets>"} for any string. A sample goes on over the next
 * comment lines ({@code #} and two spaces or more) until its braces close.
 */
final class ReadmeExamples {
    static final String BENCHMARK = "## Benchmark";
    static final String RUNNING_FOR_REAL = "## Running for real";
    static final String GOING_LIVE = "## Going live";
    static final String SKIP = "<!-- readme-test: skip";
    private static final Set<String> EXCLUDED_SECTIONS = Set.of(BENCHMARK, RUNNING_FOR_REAL, GOING_LIVE);
    private static final Pattern EXPECTATION = Pattern.compile("^#\\s*->\\s*(?:(\\d{3})\\b)?\\s*(.*)$");
    private static final Pattern CONTINUATION = Pattern.compile("^#\\s{2,}\\S.*$");

    private ReadmeExamples() {
    }

    /** One command of the README, with the line it starts on and what the README says it answers (if it says). */
    record Example(int line, String section, String command, Expectation expectation) {
        @Override
        public String toString() {
            return "README.md line " + line + " (" + section + "): " + command;
        }
    }

    /** What a {@code # ->} line promises: an HTTP status and a sample of the answer, either of them optional. */
    record Expectation(int line, String text, Integer status, Sample sample) {
    }

    static List<Example> parse(String readme) {
        return parse(readme, section -> !EXCLUDED_SECTIONS.contains(section));
    }

    /** The examples of one section only (by its "## " heading), as {@link #parse} cuts them. */
    static List<Example> section(String readme, String heading) {
        return parse(readme, heading::equals);
    }

    private static List<Example> parse(String readme, java.util.function.Predicate<String> sections) {
        List<String> lines = readme.lines().toList();
        List<Example> examples = new ArrayList<>();
        String section = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                section = line.strip();
                continue;
            }
            if (!line.startsWith("```")) {
                continue;
            }
            String info = line.substring(3).strip();
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            boolean runs = (info.equals("sh") || info.startsWith("sh ")) && section != null
                    && sections.test(section) && !skipMarked(lines, i);
            if (runs) {
                examples.addAll(commands(lines, i + 1, end, section));
            }
            i = end;
        }
        return examples;
    }

    private static boolean skipMarked(List<String> lines, int fence) {
        for (int j = fence - 1; j >= 0; j--) {
            if (!lines.get(j).isBlank()) {
                return lines.get(j).strip().startsWith(SKIP);
            }
        }
        return false;
    }

    private static List<Example> commands(List<String> lines, int from, int to, String section) {
        List<Example> examples = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        int start = -1;
        Shell shell = new Shell();
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            if (command.isEmpty()) {
                Matcher expected = EXPECTATION.matcher(line.strip());
                if (expected.matches()) {
                    if (examples.isEmpty() || examples.get(examples.size() - 1).expectation() != null) {
                        throw new IllegalArgumentException("README.md line " + (i + 1) + ": a '# ->' line follows no command");
                    }
                    StringBuilder text = new StringBuilder(expected.group(2));
                    int last = i;
                    while (sampleIncomplete(text.toString()) && last + 1 < to && CONTINUATION.matcher(lines.get(last + 1)).matches()) {
                        last++;
                        text.append(' ').append(lines.get(last).substring(1).strip());
                    }
                    Example previous = examples.remove(examples.size() - 1);
                    examples.add(new Example(previous.line(), previous.section(), previous.command(),
                            expectation(i + 1, line.strip(), expected.group(1), text.toString())));
                    i = last;
                    continue;
                }
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                start = i + 1;
            }
            command.append(line).append('\n');
            if (shell.complete(line)) {
                examples.add(new Example(start, section, command.toString().stripTrailing(), null));
                command.setLength(0);
            }
        }
        if (!command.isEmpty()) {
            throw new IllegalArgumentException("README.md line " + start + ": the command does not end (an open quote?)");
        }
        return examples;
    }

    private static boolean sampleIncomplete(String text) {
        String t = text.strip();
        if (!t.startsWith("{") && !t.startsWith("[")) {
            return false;
        }
        try {
            new SampleParser(t).parseValue();
            return false;
        } catch (IncompleteSample e) {
            return true;
        } catch (IllegalArgumentException e) {
            return false;                                              // unreadable: said so with its line below
        }
    }

    private static Expectation expectation(int line, String whole, String status, String rest) {
        String t = rest.strip();
        Sample sample = null;
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                sample = new SampleParser(t).parseValue();
            } catch (IncompleteSample | IllegalArgumentException e) {
                throw new IllegalArgumentException("README.md line " + line + ": the sample answer is not readable: "
                        + e.getMessage() + ": " + rest, e);
            }
        }
        if (status == null && sample == null) {
            throw new IllegalArgumentException("README.md line " + line + ": '# ->' needs an HTTP status or a JSON sample: " + whole);
        }
        return new Expectation(line, whole, status == null ? null : Integer.valueOf(status), sample);
    }

    /** Where bash is in a command, line by line: inside single or double quotes, or after a trailing backslash. */
    static final class Shell {
        private boolean single;
        private boolean dbl;

        /** Reads one more line; true when the command ends with it. */
        boolean complete(String line) {
            boolean continued = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                continued = false;
                if (single) {
                    single = c != '\'';
                } else if (dbl) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        dbl = false;
                    }
                } else if (c == '\\') {
                    if (i == line.length() - 1) {
                        continued = true;
                    }
                    i++;
                } else if (c == '\'') {
                    single = true;
                } else if (c == '"') {
                    dbl = true;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    break;                                             // a comment, to the end of the line
                }
            }
            return !single && !dbl && !continued;
        }
    }

    // ----- samples: JSON with "..." for what is left out -----

    sealed interface Sample permits ObjectSample, ArraySample, TextSample, LiteralSample, AnySample {
    }

    record ObjectSample(Map<String, Sample> members, boolean open) implements Sample {
    }

    record ArraySample(List<Sample> elements, boolean open) implements Sample {
    }

    record TextSample(String text) implements Sample {
    }

    /** A number, true, false or null, as written. */
    record LiteralSample(String json) implements Sample {
    }

    record AnySample() implements Sample {
    }

    static final class IncompleteSample extends RuntimeException {
        IncompleteSample() {
            super("the sample ends before its braces close");
        }
    }

    static final class SampleParser {
        private final String text;
        private int pos;

        SampleParser(String text) {
            this.text = text;
        }

        Sample parseValue() {
            skipSpace();
            if (pos >= text.length()) {
                throw new IncompleteSample();
            }
            char c = text.charAt(pos);
            if (text.startsWith("...", pos)) {
                pos += 3;
                return new AnySample();
            }
            if (c == '{') {
                return object();
            }
            if (c == '[') {
                return array();
            }
            if (c == '"') {
                return new TextSample(string());
            }
            Matcher literal = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|true|false|null").matcher(text).region(pos, text.length());
            if (literal.lookingAt()) {
                pos = literal.end();
                return new LiteralSample(literal.group());
            }
            throw new IllegalArgumentException("unexpected '" + c + "' at " + pos);
        }

        private Sample object() {
            pos++;
            Map<String, Sample> members = new LinkedHashMap<>();
            boolean open = false;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return new ObjectSample(members, false);
            }
            while (true) {
                skipSpace();
                if (text.startsWith("...", pos)) {
                    pos += 3;
                    open = true;
                } else {
                    if (peek() != '"') {
                        throw new IllegalArgumentException("a member name expected at " + pos);
                    }
                    String name = string();
                    skipSpace();
                    expect(':');
                    members.put(name, parseValue());
                }
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return new ObjectSample(members, open);
                }
                if (c != ',') {
                    throw new IllegalArgumentException("',' or '}' expected at " + (pos - 1));
                }
            }
        }

        private Sample array() {
            pos++;
            List<Sample> elements = new ArrayList<>();
            boolean open = false;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return new ArraySample(elements, false);
            }
            while (true) {
                skipSpace();
                if (text.startsWith("...", pos)) {
                    pos += 3;
                    open = true;
                } else {
                    elements.add(parseValue());
                }
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return new ArraySample(elements, open);
                }
                if (c != ',') {
                    throw new IllegalArgumentException("',' or ']' expected at " + (pos - 1));
                }
            }
        }

        private String string() {
            pos++;
            StringBuilder s = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return s.toString();
                }
                if (c == '\\') {
                    char e = peek();
                    pos++;
                    s.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    s.append(c);
                }
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("'" + c + "' expected at " + pos);
            }
            pos++;
        }

        private char peek() {
            if (pos >= text.length()) {
                throw new IncompleteSample();
            }
            return text.charAt(pos);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }

    /** Where the answer departs from the sample (a JSON path and why), or empty when it matches. */
    static Optional<String> mismatch(Sample sample, JsonNode actual) {
        return mismatch(sample, actual, "$");
    }

    private static Optional<String> mismatch(Sample sample, JsonNode actual, String path) {
        if (actual == null || actual.isMissingNode()) {
            return Optional.of(path + " is missing");
        }
        switch (sample) {
            case AnySample any -> {
                return Optional.empty();
            }
            case ObjectSample object -> {
                if (!actual.isObject()) {
                    return Optional.of(path + " is " + actual + ", not an object");
                }
                for (Map.Entry<String, Sample> member : object.members().entrySet()) {
                    Optional<String> m = mismatch(member.getValue(), actual.get(member.getKey()), path + "." + member.getKey());
                    if (m.isPresent()) {
                        return m;
                    }
                }
                if (!object.open()) {
                    List<String> extra = new ArrayList<>(actual.propertyNames());
                    extra.removeAll(object.members().keySet());
                    if (!extra.isEmpty()) {
                        return Optional.of(path + " has members the sample does not show (end it with ,... if it leaves some out): " + extra);
                    }
                }
                return Optional.empty();
            }
            case ArraySample array -> {
                if (!actual.isArray()) {
                    return Optional.of(path + " is " + actual + ", not an array");
                }
                int n = array.elements().size();
                if (array.open() ? actual.size() < n : actual.size() != n) {
                    return Optional.of(path + " has " + actual.size() + " elements, the sample " + (array.open() ? "at least " : "") + n);
                }
                for (int i = 0; i < n; i++) {
                    Optional<String> m = mismatch(array.elements().get(i), actual.get(i), path + "[" + i + "]");
                    if (m.isPresent()) {
                        return m;
                    }
                }
                return Optional.empty();
            }
            case TextSample text -> {
                String t = text.text();
                if (t.startsWith("<") && t.endsWith(">")) {
                    return actual.isString() ? Optional.empty() : Optional.of(path + " is " + actual + ", not a string");
                }
                if (t.endsWith("...")) {
                    String prefix = t.substring(0, t.length() - 3);
                    return actual.isString() && actual.stringValue().startsWith(prefix) ? Optional.empty()
                            : Optional.of(path + " is " + actual + ", not a string starting with \"" + prefix + "\"");
                }
                return actual.isString() && actual.stringValue().equals(t) ? Optional.empty()
                        : Optional.of(path + " is " + actual + ", not \"" + t + "\"");
            }
            case LiteralSample literal -> {
                String j = literal.json();
                boolean same = switch (j) {
                    case "true" -> actual.isBoolean() && actual.booleanValue();
                    case "false" -> actual.isBoolean() && !actual.booleanValue();
                    case "null" -> actual.isNull();
                    default -> actual.isNumber() && actual.decimalValue().compareTo(new BigDecimal(j)) == 0;
                };
                return same ? Optional.empty() : Optional.of(path + " is " + actual + ", not " + j);
            }
        }
    }
}
