package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.cli.CliTesting.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option value that is wrong on its own is bad usage: exit 2 before any work (nothing loaded,
 * generated or written), two lines on standard error — the first names the flag as typed, never a
 * Java field — and nothing on standard output.
 */
class UsageErrorsTest {
    /** A camelCase word, as Java fields are named (maxSeqLength); flags and messages are kebab-case or plain words. */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b[a-z]+[A-Z][A-Za-z]*\\b");

    @TempDir
    Path root;

    static Stream<Arguments> badValues() {
        List<Arguments> cases = new ArrayList<>();
        String[] oneshot = {"oneshot", "--scheme", "W8A8", "--output", "OUT"};
        for (String[] option : new String[][] {{"--batch-size", "0"}, {"--num-samples", "0"}, {"--offset", "-1"}, {"--max-seq-len", "0"},
                {"--max-seq-len", "-3"}, {"--targets-per-subgraph", "0"}, {"--max-shard-size", "0"}, {"--offload", "tape"},
                {"--pipeline", "parallel"}, {"--kernels", "cuda"}, {"--batch-size", "two"}})
            cases.add(Arguments.of(option[0], concat(oneshot, option)));
        cases.add(Arguments.of("--scheme", new String[] {"oneshot", "--scheme", "W5A5", "--output", "OUT"}));
        for (String[] option : new String[][] {{"--batch-size", "0"}, {"--num-samples", "0"}, {"--offset", "-2"}, {"--max-seq-len", "0"}})
            cases.add(Arguments.of(option[0], concat(new String[] {"eval"}, option)));
        for (String[] option : new String[][] {{"--batch-size", "0"}, {"--limit", "0"}, {"--max-seq-len", "0"}})
            cases.add(Arguments.of(option[0], concat(new String[] {"logits", "--tokens", "ids.jsonl", "--out", "OUT"}, option)));
        for (String[] option : new String[][] {{"--max-new-tokens", "-1"}, {"--temperature", "-0.5"}, {"--temperature", "NaN"}})
            cases.add(Arguments.of(option[0], concat(new String[] {"generate"}, option)));
        cases.add(Arguments.of("--prompt", new String[] {"generate", "--prompt", "once", "--prompt-ids", "1"}));
        for (String[] option : new String[][] {{"--tokens", "0"}, {"--targets-per-subgraph", "0"}})
            cases.add(Arguments.of(option[0], concat(new String[] {"trace"}, option)));
        for (String[] option : new String[][] {{"--calibration-samples", "0"}, {"--eval-samples", "0"}, {"--max-seq-len", "0"}, {"--scheme", "W3"}})
            cases.add(Arguments.of(option[0], concat(new String[] {"demo", "--output", "OUT"}, option)));
        cases.add(Arguments.of("--workers", new String[] {"quantize-files", "--scheme", "W8A16", "--output", "OUT", "--workers", "0"}));
        cases.add(Arguments.of("--scheme", new String[] {"quantize-files", "--scheme", "W9", "--output", "OUT"}));
        cases.add(Arguments.of("--max-shard-bytes", new String[] {"synth", "--preset", "tiny", "--out", "OUT", "--max-shard-bytes", "0"}));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badValues")
    void aBadOptionValueIsUsageNamingTheFlag(String flag, String[] args) {
        Path out = root.resolve("out");
        String[] resolved = Stream.of(args).map(a -> a.equals("OUT") ? out.toString() : a).toArray(String[]::new);
        CliResult result = run(CliTesting.isolated(root), resolved);
        assertEquals(Llmc.EXIT_USAGE, result.exitCode(), result::toString);
        List<String> lines = result.errLines();
        assertEquals(2, lines.size(), result::toString);
        assertTrue(lines.getFirst().startsWith("llmc " + args[0] + ": ") && lines.getFirst().contains(flag), result::toString);
        assertFalse(JAVA_NAME.matcher(lines.getFirst()).find(), () -> "a Java name in the message: " + result);
        assertEquals("Try 'llmc " + args[0] + " --help' for more information.", lines.get(1));
        assertEquals("", result.out(), result::toString);
        assertFalse(Files.exists(out), "nothing written");
        assertFalse(Files.exists(root.resolve("cache")), "no default model generated: nothing ran");
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
