package io.llmc4j.bench;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.ops.accel.AcceleratorUnavailableException;
import io.llmc4j.engine.ops.accel.CpuAccelerator;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.gpu.DeviceAccelerator;
import io.llmc4j.gpu.DeviceBackend;
import io.llmc4j.gpu.DeviceBuffer;
import io.llmc4j.gpu.GemmCall;
import io.llmc4j.gpu.GemmTile;
import io.llmc4j.gpu.cuda.CudaProvider;
import io.llmc4j.gpu.opencl.OpenClBackend;
import io.llmc4j.gpu.opencl.OpenClProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Accelerator backends side by side in one run: the Vector API path ({@link CpuAccelerator}, the
 * baseline of every ratio), OpenCL and CUDA where they open. Per backend: Linear {@code X·Wᵀ} (F32
 * and BF16 weights, weights cached on the device as in calibration), the Gram update {@code XᵀX}
 * and abs-max reductions over both axes, each through the {@link Accelerator} API (host tensors in
 * and out, transfers included), and for devices the same GEMMs on device-resident buffers (kernel
 * throughput, no transfers) as TFLOP/s and a fraction of {@code --peak-tflops}.
 *
 * <pre>
 *   AccelBench [--threads N] [--shapes 512x2048x2048] [--gram 2048x1024] [--reduce 4096x4096] [--rounds 5]
 *              [--warmup-seconds 2] [--devices cpu,opencl,cuda] [--peak-tflops 67]
 * </pre>
 */
public final class AccelBench {
    private AccelBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parse(args);
        int threads = options.integer("threads", Runtime.getRuntime().availableProcessors()), rounds = options.integer("rounds", 5);
        List<int[]> shapes = options.sizes("shapes", "512x2048x2048", 3);
        int[] gram = options.sizes("gram", "2048x1024", 2).getFirst(), reduce = options.sizes("reduce", "4096x4096", 2).getFirst();
        double peak = Double.parseDouble(options.text("peak-tflops", "67"));
        warmupSeconds = Double.parseDouble(options.text("warmup-seconds", "2"));
        System.out.println(Machine.banner("AccelBench", threads, 0, rounds, "operation"));
        Map<String, Accelerator> backends = open(options.text("devices", "cpu,opencl,cuda"), threads);
        try {
            Map<String, Map<String, Samples>> results = new LinkedHashMap<>();
            for (var e : backends.entrySet()) {
                Map<String, Samples> r = new LinkedHashMap<>();
                for (int[] s : shapes) {
                    r.put("linear F32 " + s[0] + "x" + s[1] + "x" + s[2] + " GFLOP/s", linear(e.getValue(), s, DType.F32, rounds));
                    r.put("linear BF16-W " + s[0] + "x" + s[1] + "x" + s[2] + " GFLOP/s", linear(e.getValue(), s, DType.BF16, rounds));
                }
                r.put("gram " + gram[0] + "x" + gram[1] + " GFLOP/s", gram(e.getValue(), gram, rounds));
                for (int axis = 0; axis < 2; axis++)
                    r.put("abs-max " + reduce[0] + "x" + reduce[1] + " axis " + axis + " GB/s", reduce(e.getValue(), reduce, axis, rounds));
                results.put(e.getKey(), r);
                if (e.getValue() instanceof DeviceAccelerator device) resident(device.backend(), shapes, gram, rounds, peak);
            }
            print(results);
        } finally {
            backends.values().forEach(Accelerator::close);
        }
    }

    private static Map<String, Accelerator> open(String devices, int threads) {
        Map<String, Accelerator> out = new LinkedHashMap<>();
        for (String name : devices.split(",")) {
            try {
                switch (name.strip()) {
                    case "cpu" -> out.put("cpu (Vector API, " + threads + " threads)", CpuAccelerator.withThreads(threads));
                    case "opencl" -> {
                        DeviceAccelerator a = DeviceAccelerator.of(new OpenClBackend(OpenClProvider.choose(false, System.getenv("LLMC_OPENCL_DEVICE"))));
                        out.put(a.name(), a);
                    }
                    case "cuda" -> {
                        DeviceAccelerator a = DeviceAccelerator.of(CudaProvider.backend());
                        out.put(a.name(), a);
                    }
                    default -> throw new IllegalArgumentException("--devices: unknown '" + name + "'");
                }
            } catch (AcceleratorUnavailableException e) {
                System.out.println(name + ": unavailable (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    private static Tensor normal(long seed, DType dtype, long... dims) {
        Random random = new Random(seed);
        Tensor t = Tensor.allocate(DType.F32, dims);
        float[] values = new float[(int) t.elementCount()];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
        MemorySegment.copy(values, 0, t.segment(), Tensor.F32, 0, values.length);
        return dtype == DType.F32 ? t : t.to(dtype);
    }

    /**
     * For device backends: a read-only view, as mapped checkpoint weights are, so that they stay
     * cached on the device. The CPU gets the writable heap tensor, its fastest case (a read-only heap
     * segment hides its array and takes the CPU kernels' slower copying path).
     */
    private static Tensor weightFor(Accelerator a, Tensor t) {
        if (!(a instanceof DeviceAccelerator)) return t;
        return Tensor.wrap(t.segment().asReadOnly(), t.dtype(), t.shape().toArray());
    }

    private static double warmupSeconds = 2;

    private static Samples time(int rounds, double work, Runnable call) {
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        call.run();   // warm-up (JIT, kernel build, weight upload), at least one call
        while (System.nanoTime() < warmEnd) call.run();
        Samples s = new Samples();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            call.run();
            s.add(work / (System.nanoTime() - start));
        }
        return s;
    }

    private static Samples linear(Accelerator a, int[] s, DType weightType, int rounds) {
        Tensor x = normal(1, DType.F32, s[0], s[1]), w = weightFor(a, normal(2, weightType, s[2], s[1]));
        return time(rounds, 2.0 * s[0] * s[1] * s[2], () -> a.linear(x, w, null));
    }

    private static Samples gram(Accelerator a, int[] s, int rounds) {
        Tensor x = normal(3, DType.F32, s[0], s[1]), h = Tensor.allocate(DType.F32, s[1], s[1]);
        return time(rounds, 2.0 * s[0] * s[1] * s[1], () -> a.gramUpdate(x, h, 1f, 1f));
    }

    private static Samples reduce(Accelerator a, int[] s, int axis, int rounds) {
        Tensor x = normal(4, DType.F32, s[0], s[1]);
        return time(rounds, 4.0 * s[0] * s[1], () -> a.reduce(Reduction.ABS_MAX, x, axis));
    }

    /** Kernel throughput on device-resident buffers: the products of the shapes and the Gram update, each tile, no transfers. */
    private static void resident(DeviceBackend backend, List<int[]> shapes, int[] gram, int rounds, double peak) {
        for (GemmTile tile : List.of(GemmTile.SMALL, GemmTile.WIDE)) {
            for (int[] s : shapes)
                for (boolean bf16 : new boolean[] {false, true}) resident(backend, s[0], s[1], s[2], false, bf16, tile, rounds, peak);
            resident(backend, gram[1], gram[0], gram[1], true, false, tile, rounds, peak);
        }
    }

    private static void resident(DeviceBackend backend, int m, int k, int n, boolean isGram, boolean bf16, GemmTile tile, int rounds, double peak) {
        try (DeviceBuffer a = filled(backend, 4L * m * k); DeviceBuffer b = filled(backend, isGram ? 4 : (bf16 ? 2L : 4L) * k * n);
             DeviceBuffer c = backend.allocate(4L * m * n)) {
            // Gram: A = Xᵀ and B = X over one buffer X [k tokens, m]; Linear: B = Wᵀ over W [n, k].
            GemmCall call = isGram ? new GemmCall(m, n, k, a, 0, 1, m, a, 0, m, 1, false, c, 0, null, 1f, 0f)
                    : new GemmCall(m, n, k, a, 0, k, 1, b, 0, 1, k, bf16, c, 0, null, 1f, 0f);
            Supplier<Double> once = () -> {
                long start = System.nanoTime();
                backend.gemm(call, tile);
                backend.finish();
                return call.flops() / (System.nanoTime() - start);
            };
            long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            once.get();
            while (System.nanoTime() < warmEnd) once.get();
            Samples gflops = new Samples();
            for (int i = 0; i < rounds; i++) gflops.add(once.get());
            String what = (isGram ? "gram XtX " + k + "x" + m : "linear " + m + "x" + k + "x" + n + (bf16 ? " BF16-W" : " F32")) + " tile " + tile.size();
            System.out.printf("  %s device-resident %-36s %10.1f / %10.1f GFLOP/s (best / median), %.4f of %.0f TFLOP/s peak%n",
                    backend.name(), what, gflops.best(), gflops.median(), gflops.best() / 1000 / peak, peak);
        }
    }

    /** Device memory holding small values (the kernels' speed does not depend on them). */
    private static DeviceBuffer filled(DeviceBackend backend, long bytes) {
        DeviceBuffer buffer = backend.allocate(bytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(bytes);
            for (long i = 0; i + 4 <= bytes; i += 4) host.set(Tensor.F32, i, 0.001f * (i % 1000));
            backend.upload(host, buffer, 0);
        }
        return buffer;
    }

    private static void print(Map<String, Map<String, Samples>> results) {
        String baseline = results.keySet().stream().filter(k -> k.startsWith("cpu")).findFirst().orElse(null);
        System.out.printf("%n%-44s %-42s %-22s %s%n", "operation (through the Accelerator API)", "backend", "best / median", "ratio to cpu (median)");
        for (var e : results.entrySet())
            for (var op : e.getValue().entrySet()) {
                Samples base = baseline == null ? null : results.get(baseline).get(op.getKey());
                String ratio = base == null || e.getKey().equals(baseline) ? "-" : String.format("%.2f", op.getValue().median() / base.median());
                System.out.printf("%-44s %-42s %-22s %s%n", op.getKey(), e.getKey(), op.getValue(), ratio);
            }
    }
}
