package io.llmc4j.engine.ops;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Plain scalar implementation of {@link Kernels}, accumulating in double. It is the oracle the fast
 * kernels are tested against, not a production path. Stateless and thread-safe.
 */
public final class ReferenceKernels implements Kernels {

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        long in = x.shape().last();
        if (weight.rank() != 2 || weight.dim(1) != in)
            throw new IllegalArgumentException("linear: weight " + weight.shape() + " does not match input features " + in);
        long out = weight.dim(0);
        Tensor xs = x.contiguous();
        Tensor w = weight.contiguous();
        long rows = x.elementCount() / Math.max(in, 1);
        long[] outDims = x.shape().toArray();
        outDims[outDims.length - 1] = out;
        Tensor y = Tensor.allocate(DType.F32, outDims);
        for (long r = 0; r < rows; r++) {
            for (long o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias.getFloat(o);
                for (long i = 0; i < in; i++) acc += (double) xs.getFlat(r * in + i) * w.getFlat(o * in + i);
                y.setFlat(r * out + o, acc);
            }
        }
        return y;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0))
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape() + " do not chain");
        long m = a.dim(0), k = a.dim(1), n = b.dim(1);
        Tensor c = Tensor.allocate(DType.F32, m, n);
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) {
                double acc = 0;
                for (long p = 0; p < k; p++) acc += (double) a.getFloat(i, p) * b.getFloat(p, j);
                c.setFloat((float) acc, i, j);
            }
        return c;
    }

    @Override
    public Tensor embedding(Tensor ids, Tensor table) {
        long hidden = table.dim(1), vocab = table.dim(0);
        long[] idValues = ids.toLongArray();
        long[] outDims = new long[ids.rank() + 1];
        System.arraycopy(ids.shape().toArray(), 0, outDims, 0, ids.rank());
        outDims[ids.rank()] = hidden;
        Tensor out = Tensor.allocate(DType.F32, outDims);
        for (int t = 0; t < idValues.length; t++) {
            long id = idValues[t];
            if (id < 0 || id >= vocab) throw new IndexOutOfBoundsException("token id " + id + " outside vocabulary of " + vocab);
            for (long h = 0; h < hidden; h++) out.setFlat(t * hidden + h, table.getFloat(id, h));
        }
        return out;
    }

    @Override
    public Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        Tensor xs = x.contiguous();
        long n = x.shape().last();
        long rows = x.elementCount() / Math.max(n, 1);
        Tensor out = Tensor.allocate(DType.F32, x.shape().toArray());
        for (long r = 0; r < rows; r++) {
            double sumSquares = 0;
            for (long i = 0; i < n; i++) {
                double v = xs.getFlat(r * n + i);
                sumSquares += v * v;
            }
            double inv = 1.0 / Math.sqrt(sumSquares / n + eps);
            for (long i = 0; i < n; i++) out.setFlat(r * n + i, xs.getFlat(r * n + i) * inv * weight.getFloat(i));
        }
        return out;
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary(a, b, true);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary(a, b, false);
    }

    private static Tensor binary(Tensor a, Tensor b, boolean add) {
        Tensor as = a.contiguous(), bs = b.contiguous();
        long n = a.elementCount(), m = b.elementCount();
        if (!isSuffix(b.shape(), a.shape()))
            throw new IllegalArgumentException((add ? "add" : "mul") + ": shape " + b.shape() + " does not broadcast to " + a.shape());
        Tensor out = Tensor.allocate(DType.F32, a.shape().toArray());
        for (long i = 0; i < n; i++) {
            double x = as.getFlat(i), y = bs.getFlat(m == 0 ? 0 : i % m);
            out.setFlat(i, add ? x + y : x * y);
        }
        return out;
    }

    private static boolean isSuffix(Shape suffix, Shape of) {
        if (suffix.rank() > of.rank()) return false;
        for (int i = 1; i <= suffix.rank(); i++) if (suffix.dim(-i) != of.dim(-i)) return false;
        return true;
    }

    @Override
    public Tensor scale(Tensor a, float factor) {
        return map(a, v -> v * factor);
    }

    @Override
    public Tensor silu(Tensor x) {
        return map(x, v -> v / (1 + Math.exp(-v)));
    }

    @Override
    public Tensor gelu(Tensor x) {
        return map(x, v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
    }

    private static Tensor map(Tensor x, java.util.function.DoubleUnaryOperator f) {
        Tensor xs = x.contiguous();
        Tensor out = Tensor.allocate(DType.F32, x.shape().toArray());
        for (long i = 0; i < x.elementCount(); i++) out.setFlat(i, f.applyAsDouble(xs.getFlat(i)));
        return out;
    }

    @Override
    public Tensor softmax(Tensor x) {
        Tensor xs = x.contiguous();
        long n = x.shape().last(), rows = x.elementCount() / Math.max(n, 1);
        Tensor out = Tensor.allocate(DType.F32, x.shape().toArray());
        for (long r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (long i = 0; i < n; i++) max = Math.max(max, xs.getFlat(r * n + i));
            double sum = 0;
            for (long i = 0; i < n; i++) sum += Math.exp(xs.getFlat(r * n + i) - max);
            for (long i = 0; i < n; i++) out.setFlat(r * n + i, Math.exp(xs.getFlat(r * n + i) - max) / sum);
        }
        return out;
    }

    @Override
    public Tensor rope(Tensor x, Tensor cos, Tensor sin) {
        long batch = x.dim(0), tokens = x.dim(1), heads = x.dim(2), dim = x.dim(3), half = dim / 2;
        Tensor out = Tensor.allocate(DType.F32, batch, tokens, heads, dim);
        for (long b = 0; b < batch; b++)
            for (long t = 0; t < tokens; t++)
                for (long h = 0; h < heads; h++)
                    for (long d = 0; d < dim; d++) {
                        double v = x.getFloat(b, t, h, d);
                        double rotated = d < half ? -x.getFloat(b, t, h, d + half) : x.getFloat(b, t, h, d - half);
                        out.setFloat((float) (v * cos.getFloat(b, t, d) + rotated * sin.getFloat(b, t, d)), b, t, h, d);
                    }
        return out;
    }

    @Override
    public Tensor softcap(Tensor x, float cap) {
        if (!(cap > 0)) throw new IllegalArgumentException("softcap: cap must be positive, got " + cap);
        return map(x, v -> cap * Math.tanh(v / cap));
    }

    @Override
    public Tensor clampedSwiglu(Tensor gate, Tensor up, float alpha, float limit) {
        if (!gate.shape().equals(up.shape())) throw new IllegalArgumentException("clampedSwiglu: gate " + gate.shape() + " and up " + up.shape() + " differ");
        Tensor g = gate.contiguous(), u = up.contiguous();
        Tensor out = Tensor.allocate(DType.F32, gate.shape().toArray());
        for (long i = 0; i < out.elementCount(); i++) {
            double x = Math.min(g.getFlat(i), limit), y = Math.max(-limit, Math.min(limit, u.getFlat(i)));
            out.setFlat(i, (y + 1) * x / (1 + Math.exp(-alpha * x)));
        }
        return out;
    }

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, float scale, int window, float softcap, Tensor sinks) {
        long batch = q.dim(0), tokens = q.dim(1), qHeads = q.dim(2), dim = q.dim(3), kvHeads = k.dim(2);
        if (qHeads % kvHeads != 0) throw new IllegalArgumentException("attention: " + qHeads + " query heads not a multiple of " + kvHeads + " kv heads");
        long group = qHeads / kvHeads;
        Tensor out = Tensor.allocate(DType.F32, batch, tokens, qHeads, dim);
        double[] scores = new double[(int) tokens];
        for (long b = 0; b < batch; b++)
            for (long h = 0; h < qHeads; h++) {
                long kvh = h / group;
                for (long i = 0; i < tokens; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (long j = 0; j <= i; j++) {
                        boolean keep = (mask == null || mask.getFloat(b, j) != 0) && (window <= 0 || j > i - window);
                        double s = Double.NEGATIVE_INFINITY;
                        if (keep) {
                            s = 0;
                            for (long d = 0; d < dim; d++) s += (double) q.getFloat(b, i, h, d) * k.getFloat(b, j, kvh, d);
                            s *= scale;
                            if (softcap > 0) s = softcap * Math.tanh(s / softcap);
                        }
                        scores[(int) j] = s;
                        max = Math.max(max, s);
                    }
                    double sink = sinks == null ? Double.NEGATIVE_INFINITY : sinks.getFloat(h);
                    if (max != Double.NEGATIVE_INFINITY) max = Math.max(max, sink);
                    double sum = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(sink - max);
                    for (long j = 0; j <= i; j++) {
                        scores[(int) j] = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(scores[(int) j] - max);
                        sum += scores[(int) j];
                    }
                    for (long d = 0; d < dim; d++) {
                        double acc = 0;
                        for (long j = 0; j <= i; j++) acc += scores[(int) j] * v.getFloat(b, j, kvh, d);
                        out.setFloat((float) (sum == 0 ? 0 : acc / sum), b, i, h, d);
                    }
                }
            }
        return out;
    }

    @Override
    public Tensor reduce(Reduction reduction, Tensor x, int axis) {
        int a = x.shape().normalizeAxis(axis);
        int[] order = new int[x.rank()];
        for (int i = 0, j = 0; i < x.rank(); i++) if (i != a) order[j++] = i;
        order[x.rank() - 1] = a;
        Tensor moved = x.permute(order).contiguous();
        long n = x.dim(a), rows = x.elementCount() / Math.max(n, 1);
        Shape outShape = moved.shape().without(-1);
        Tensor out = Tensor.allocate(DType.F32, outShape.toArray());
        for (long r = 0; r < rows; r++) {
            double acc = switch (reduction) {
                case SUM, ABS_MAX -> 0;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
            };
            for (long i = 0; i < n; i++) {
                double v = moved.getFlat(r * n + i);
                acc = switch (reduction) {
                    case SUM -> acc + v;
                    case MAX -> Math.max(acc, v);
                    case MIN -> Math.min(acc, v);
                    case ABS_MAX -> Math.max(acc, Math.abs(v));
                };
            }
            out.setFlat(r, acc);
        }
        return out;
    }

    @Override
    public Tensor convert(Tensor x, DType dtype) {
        return x.to(dtype);
    }
}
