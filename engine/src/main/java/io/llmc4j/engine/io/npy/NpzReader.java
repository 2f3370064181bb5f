package io.llmc4j.engine.io.npy;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a NumPy {@code .npz} archive: a zip (stored or deflated) whose members are {@code <key>.npy}.
 * Keys are member names without the {@code .npy} suffix ({@code int/w4_sym/scale}). Arrays are decoded
 * on demand by {@link NpyReader}; each call returns a fresh heap tensor.
 *
 * <p>Holds the zip file open until {@link #close()}. Not thread-safe for concurrent reads.
 */
public final class NpzReader implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;
    private final Set<String> keys;

    private NpzReader(Path file, ZipFile zip, Set<String> keys) {
        this.file = file;
        this.zip = zip;
        this.keys = keys;
    }

    /** Opens {@code file} and lists its arrays. */
    public static NpzReader open(Path file) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open npz archive " + file, e);
        }
        Set<String> keys = new LinkedHashSet<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            if (e.isDirectory()) continue;
            String name = e.getName();
            keys.add(name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name);
        }
        return new NpzReader(file, zip, Collections.unmodifiableSet(keys));
    }

    /** The array names, in archive order. */
    public Set<String> keys() {
        return keys;
    }

    public boolean contains(String key) {
        return keys.contains(key);
    }

    /** The array {@code key}; throws naming the archive and the key when it is absent or malformed. */
    public Tensor get(String key) {
        String source = file + "[" + key + "]";
        ZipEntry entry = zip.getEntry(key + ".npy");
        if (entry == null) entry = zip.getEntry(key);
        if (entry == null) throw new NpyException(source, "no such array; the archive holds " + keys.size() + " arrays");
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new NpyException(source, "cannot read archive member", e);
        }
        return NpyReader.read(bytes, source);
    }

    /** The array {@code key}, its bytes reinterpreted as {@code dtype} (see {@link NpyReader#reinterpret}). */
    public Tensor get(String key, DType dtype) {
        return NpyReader.reinterpret(get(key), dtype);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close npz archive " + file, e);
        }
    }
}
