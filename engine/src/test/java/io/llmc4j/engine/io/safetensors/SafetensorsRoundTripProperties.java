package io.llmc4j.engine.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SafetensorsRoundTripProperties {

    /** A tensor with random dtype, shape (rank 0..4, dims 0..6), random bits, and sometimes a transposed view. */
    @Provide
    Arbitrary<Tensor> tensors() {
        Arbitrary<DType> dtypes = Arbitraries.of(DType.class);
        Arbitrary<long[]> shapes = Arbitraries.longs().between(0, 6).array(long[].class).ofMaxSize(4);
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Boolean> transposed = Arbitraries.of(true, false);
        return Combinators.combine(dtypes, shapes, seeds, transposed).as((dtype, dims, seed, transpose) -> {
            Tensor t = TestFiles.randomTensor(dtype, dims, new Random(seed));
            return transpose && dims.length >= 2 ? t.transpose(0, dims.length - 1) : t;
        });
    }

    @Provide
    Arbitrary<Map<String, Tensor>> tensorMaps() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('.', '_', '0', '9', 'é', '中', '\u00A0')
                .ofMinLength(1).ofMaxLength(12).filter(n -> !n.equals("__metadata__"));
        return Arbitraries.maps(names, tensors()).ofMaxSize(10);
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('"', '\\', '\n', 'ü').ofMaxLength(10);
        return Arbitraries.maps(text, text).ofMaxSize(3);
    }

    @Property(tries = 60)
    void randomTensorMapsRoundTripBitExactly(@ForAll("tensorMaps") Map<String, Tensor> tensors,
                                              @ForAll("metadata") Map<String, String> metadata) {
        Path dir = temporaryDirectory();
        try {
            Path file = dir.resolve("p.safetensors");
            SafetensorsWriter.write(file, tensors, metadata);
            try (SafetensorsFile read = SafetensorsFile.open(file)) {
                assertEquals(tensors.keySet(), Set.copyOf(read.names()));
                assertEquals(metadata, read.metadata());
                for (var entry : tensors.entrySet()) {
                    Tensor back = read.get(entry.getKey());
                    assertEquals(entry.getValue().dtype(), back.dtype(), entry.getKey());
                    assertEquals(entry.getValue().shape(), back.shape(), entry.getKey());
                    assertArrayEquals(TestFiles.bytesOf(entry.getValue()), TestFiles.bytesOf(back), entry.getKey());
                }
                assertEquals(0, read.header().dataStart() % 8);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    @Property(tries = 30)
    void shardedCheckpointsRoundTripForAnyShardLimit(@ForAll("tensorMaps") Map<String, Tensor> tensors,
                                                     @ForAll("shardLimits") long maxShardBytes) {
        Path dir = temporaryDirectory();
        try {
            SafetensorsShardedWriter.write(dir, tensors, Map.of("format", "pt"), maxShardBytes);
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
                assertEquals(tensors.keySet(), Set.copyOf(checkpoint.names()));
                for (var entry : tensors.entrySet())
                    assertArrayEquals(TestFiles.bytesOf(entry.getValue()), TestFiles.bytesOf(checkpoint.get(entry.getKey())),
                            entry.getKey() + " with shards of " + maxShardBytes);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    @Provide
    Arbitrary<Long> shardLimits() {
        return Arbitraries.longs().between(1, 4096);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("safetensors-property");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
