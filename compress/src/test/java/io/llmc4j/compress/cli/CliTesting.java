package io.llmc4j.compress.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Runs {@link Llmc} in-process with captured output, over tiny synthetic models in temporary directories. */
final class CliTesting {
    static final Ops OPS = new Ops(KernelsFactory.createDefault());
    static final long MODEL_SEED = 7;

    private CliTesting() {
    }

    /** What one run printed and returned. */
    record CliResult(int exitCode, String out, String err) {
        /** Non-blank lines of standard error. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /** Runs {@code llmc args...} in {@code environment}. */
    static CliResult run(CliEnvironment environment, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Llmc.run(environment, new PrintWriter(out), new PrintWriter(err), args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /** An environment under {@code root} with no shared/ folder and no launcher repository: defaults are synthetic. */
    static CliEnvironment isolated(Path root) {
        try {
            return new CliEnvironment(Files.createDirectories(root.resolve("work")), Optional.empty(), root.resolve("cache"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Synthetic preset "tiny" (seed {@link #MODEL_SEED}, F32) written to {@code dir}. */
    static Path tinyModel(Path dir) {
        return SyntheticCheckpoint.write(dir, SyntheticModels.TINY, MODEL_SEED, DType.F32, Long.MAX_VALUE);
    }

    static LoadedModel open(Path model) {
        return LoadedModel.open(model, OPS);
    }

    /** Writes {@code {"input_ids": [...]}} lines. */
    static Path tokens(Path file, long[]... rows) {
        StringBuilder text = new StringBuilder();
        for (long[] row : rows) {
            text.append("{\"input_ids\": [");
            for (int i = 0; i < row.length; i++) text.append(i == 0 ? "" : ", ").append(row[i]);
            text.append("]}\n");
        }
        return writeString(file, text.toString());
    }

    static Path writeString(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites {@code model}'s config.json after {@code edit}. */
    static void editConfig(Path model, Consumer<ObjectNode> edit) {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode config = (ObjectNode) json.readTree(model.resolve("config.json").toFile());
            edit.accept(config);
            json.writeValue(model.resolve("config.json").toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File names in {@code dir}, sorted. */
    static List<String> listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
