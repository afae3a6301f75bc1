package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.it.ReadmeExamples.Example;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How ReadmeExamplesIT reads the README: which blocks, which commands, and what a '# ->' sample admits. */
class ReadmeExamplesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Optional<String> match(String sample, String actual) {
        return ReadmeExamples.mismatch(new ReadmeExamples.SampleParser(sample).parseValue(), JSON.readTree(actual));
    }

    @Test
    void onlyTheShBlocksOfTheApiSectionsRunAndBashDecidesWhereACommandEnds() {
        String readme = """
                # Title
                ```sh
                ./mvnw verify
                ```
                ## Sandbox mode
                ```sh
                A='x'   # it's a comment, quotes and all
                # a comment line, it's skipped
                curl -s localhost:8080/a -H "$A" \\
                  -d '{"a":
                  1}'
                # -> 201 {"id":"1",
                #     "more":true}
                ```
                ```json
                {"not":"run"}
                ```
                <!-- readme-test: skip (needs an id) -->
                ```sh
                curl localhost:8080/x/<id>
                ```
                ## Benchmark
                ```sh
                ./mvnw package
                ```
                ## Running for real
                ```sh
                sysctl -w vm.dirty_background_bytes=4194304
                ```
                ## Later
                ```sh
                echo "a # b" \\
                  c
                ```
                """;
        List<Example> examples = ReadmeExamples.parse(readme);
        assertThat(examples).extracting(Example::command).containsExactly(
                "A='x'   # it's a comment, quotes and all",
                "curl -s localhost:8080/a -H \"$A\" \\\n  -d '{\"a\":\n  1}'",
                "echo \"a # b\" \\\n  c");
        assertThat(examples.get(0).expectation()).isNull();
        ReadmeExamples.Expectation expected = examples.get(1).expectation();
        assertThat(expected.status()).isEqualTo(201);
        assertThat(match("{\"id\":\"1\",\"more\":true}", "{\"id\":\"1\",\"more\":true}")).isEmpty();
        assertThat(ReadmeExamples.mismatch(expected.sample(), JSON.readTree("{\"id\":\"1\",\"more\":true}"))).isEmpty();
        assertThat(ReadmeExamples.mismatch(expected.sample(), JSON.readTree("{\"id\":\"2\",\"more\":true}"))).isPresent();
        assertThat(examples.get(2).section()).isEqualTo("## Later");
    }

    @Test
    void aBrokenReadmeIsSaidToBeBroken() {
        assertThatThrownBy(() -> ReadmeExamples.parse("## A\n```sh\n# -> 200\n```\n")).hasMessageContaining("follows no command");
        assertThatThrownBy(() -> ReadmeExamples.parse("## A\n```sh\necho 'open\n```\n")).hasMessageContaining("does not end");
        assertThatThrownBy(() -> ReadmeExamples.parse("## A\n```sh\necho\n# -> 200 {\"a\":}\n```\n"))
                .hasMessageContaining("not readable");
    }

    @Test
    void aSampleShowsExactlyWhatItShowsAndDotsStandForTheRest() {
        assertThat(match("{\"a\":1}", "{\"a\":1}")).isEmpty();
        assertThat(match("{\"a\":1}", "{\"a\":1,\"b\":2}")).get().asString().contains("members the sample does not show");
        assertThat(match("{\"a\":1,...}", "{\"a\":1,\"b\":2}")).isEmpty();
        assertThat(match("{\"a\":1,...}", "{\"b\":2}")).get().asString().contains("$.a is missing");
        assertThat(match("{\"a\":...}", "{\"a\":{\"deep\":[1]}}")).isEmpty();
        assertThat(match("{\"a\":{...}}", "{\"a\":{\"deep\":[1]}}")).isEmpty();
        assertThat(match("{\"a\":{...}}", "{\"a\":[1]}")).get().asString().contains("not an object");
        assertThat(match("{\"n\":9980597}", "{\"n\":9980597}")).isEmpty();
        assertThat(match("{\"n\":9980597}", "{\"n\":9980598}")).isPresent();
        assertThat(match("{\"n\":1000006}", "{\"n\":\"1000006\"}")).isPresent();
        assertThat(match("{\"b\":true,\"z\":null}", "{\"b\":true,\"z\":null}")).isEmpty();
        assertThat(match("{\"b\":true}", "{\"b\":false}")).isPresent();
    }

    @Test
    void stringsMatchWholeByPrefixOrAsAPlaceholder() {
        assertThat(match("{\"s\":\"SBX1000003A...\"}", "{\"s\":\"SBX1000003A2\"}")).isEmpty();
        assertThat(match("{\"s\":\"SBX1000003A...\"}", "{\"s\":\"SBX1000004A2\"}")).isPresent();
        assertThat(match("{\"s\":\"...\"}", "{\"s\":\"anything\"}")).isEmpty();
        assertThat(match("{\"s\":\"...\"}", "{\"s\":5}")).isPresent();
        assertThat(match("{\"s\":\"<the new secret>\"}", "{\"s\":\"4f7b\"}")).isEmpty();
        assertThat(match("{\"s\":\"<the new secret>\"}", "{\"s\":null}")).isPresent();
        assertThat(match("{\"s\":\"SUCCESS\"}", "{\"s\":\"FAILED\"}")).get().asString().contains("$.s is \"FAILED\", not \"SUCCESS\"");
    }

    @Test
    void arraysHaveExactlyTheElementsShownUnlessDotsFollow() {
        assertThat(match("{\"orders\":[]}", "{\"orders\":[]}")).isEmpty();
        assertThat(match("{\"orders\":[]}", "{\"orders\":[{\"id\":\"1\"}]}")).get().asString().contains("has 1 elements");
        assertThat(match("[...]", "[1,2,3]")).isEmpty();
        assertThat(match("[{\"id\":\"a\",...},...]", "[{\"id\":\"a\",\"x\":1},{\"id\":\"b\"}]")).isEmpty();
        assertThat(match("[{\"id\":\"b\",...},...]", "[{\"id\":\"a\",\"x\":1},{\"id\":\"b\"}]")).get().asString()
                .contains("$[0].id");
    }

    @Test
    void theReadmeItselfReadsWellAndRunsNoBuildBenchmarkOrHostCommand() throws IOException {
        List<Example> examples = ReadmeExamples.parse(Files.readString(Path.of("README.md")));
        assertThat(examples).hasSizeGreaterThan(30);
        assertThat(examples).extracting(Example::section).doesNotContain(ReadmeExamples.BENCHMARK, ReadmeExamples.RUNNING_FOR_REAL,
                ReadmeExamples.GOING_LIVE);
        assertThat(examples).extracting(Example::command).noneMatch(c -> c.contains("./mvnw") || c.contains("sysctl"));
        assertThat(examples).filteredOn(e -> e.expectation() != null).hasSizeGreaterThan(30);
    }
}
