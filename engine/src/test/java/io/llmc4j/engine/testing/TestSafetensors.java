package io.llmc4j.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal safetensors reader for tests, until the real reader lands: reads the whole file onto the
 * heap, parses the JSON header and views each tensor (F32, BF16, F16) in place. Not for production.
 */
public final class TestSafetensors {
    private TestSafetensors() {
    }

    public static Map<String, Tensor> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        MemorySegment all = MemorySegment.ofArray(bytes);
        long headerLength = all.get(Tensor.I64, 0);
        if (headerLength < 2 || headerLength > bytes.length - 8)
            throw new IOException(file + ": header length " + headerLength + " does not fit in " + bytes.length + " bytes");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonNode root = new ObjectMapper().readTree(header);
        long dataStart = 8 + headerLength;
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var it = root.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode info = e.getValue();
            DType dtype = DType.fromSafetensors(info.get("dtype").asText());
            long[] dims = new long[info.get("shape").size()];
            for (int i = 0; i < dims.length; i++) dims[i] = info.get("shape").get(i).asLong();
            long begin = info.get("data_offsets").get(0).asLong(), end = info.get("data_offsets").get(1).asLong();
            out.put(e.getKey(), Tensor.wrap(all.asSlice(dataStart + begin, end - begin), dtype, dims));
        }
        return out;
    }
}
