package dev.largo.worker.engine.model.bert;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import dev.largo.worker.engine.io.TensorData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a BERT encoder exported to ONNX by {@code torch.onnx} (as transformers.js / optimum export them) back
 * into a Hugging Face {@code BertModel} checkpoint. Biases, LayerNorms and embeddings are initializers under
 * their Hugging Face names; each linear weight is an unnamed {@code onnx::MatMul_N} initializer holding the
 * transposed weight [in, out], found through the MatMul node named after its module
 * ({@code /encoder/layer.0/attention/self/query/MatMul} is {@code encoder.layer.0.attention.self.query}).
 *
 * <p>The ONNX protobuf is read with the generated ONNX classes ({@code ai.onnx.proto.OnnxMl} of Tribuo's
 * {@code tribuo-util-onnx}) over protobuf-java, not by hand: ONNX Runtime's API runs a model but does not
 * expose its initializers.
 */
public final class OnnxBertConverter {

    /** torch.onnx's name for a MatMul of module {@code a.b.c}: {@code /a/b/c/MatMul}. */
    private static final Pattern MATMUL_NODE = Pattern.compile("/(.+)/MatMul");
    private static final String UNNAMED = "onnx::";
    /** A buffer, not a parameter: transformers rebuilds it. */
    private static final String POSITION_IDS = "embeddings.position_ids";

    private OnnxBertConverter() {
    }

    /**
     * The checkpoint's tensors (float32, Hugging Face names without the {@code bert.} prefix, linear weights
     * [out, in]).
     *
     * @throws IllegalArgumentException when the graph is not laid out as described (a weight with no named
     *     MatMul, an unused unnamed initializer, a non-float parameter, external data)
     */
    public static Map<String, TensorData> convert(InputStream onnx) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(onnx);
        in.setSizeLimit(Integer.MAX_VALUE); // the default 64 MiB is smaller than the model
        OnnxMl.GraphProto graph = OnnxMl.ModelProto.parseFrom(in).getGraph();
        Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
        for (OnnxMl.TensorProto tensor : graph.getInitializerList()) {
            initializers.put(tensor.getName(), tensor);
        }
        Map<String, String> moduleByWeight = new HashMap<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            Matcher matcher = MATMUL_NODE.matcher(node.getName());
            if (node.getOpType().equals("MatMul") && matcher.matches() && node.getInputCount() == 2
                    && node.getInput(1).startsWith(UNNAMED) && initializers.containsKey(node.getInput(1))) {
                String module = matcher.group(1).replace('/', '.');
                String previous = moduleByWeight.put(node.getInput(1), module);
                if (previous != null && !previous.equals(module)) {
                    throw new IllegalArgumentException("initializer " + node.getInput(1) + " is the weight of both "
                            + previous + " and " + module);
                }
            }
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Set<String> unused = new LinkedHashSet<>();
        for (OnnxMl.TensorProto tensor : initializers.values()) {
            String name = tensor.getName();
            if (name.equals(POSITION_IDS)) {
                continue;
            }
            if (name.startsWith(UNNAMED)) {
                String module = moduleByWeight.get(name);
                if (module == null) {
                    unused.add(name);
                } else {
                    tensors.put(module + ".weight", transposed(tensor));
                }
            } else {
                tensors.put(name, TensorData.ofFloats(floats(tensor), dims(tensor)));
            }
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("unnamed initializers " + unused + " feed no MatMul named after a module");
        }
        return tensors;
    }

    /** A MatMul weight [in, out] as the linear's weight [out, in]. */
    private static TensorData transposed(OnnxMl.TensorProto tensor) {
        long[] dims = dims(tensor);
        if (dims.length != 2) {
            throw new IllegalArgumentException("MatMul weight " + tensor.getName() + " has shape "
                    + java.util.Arrays.toString(dims) + ", expected [in, out]");
        }
        int in = Math.toIntExact(dims[0]);
        int out = Math.toIntExact(dims[1]);
        float[] source = floats(tensor);
        float[] target = new float[source.length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                target[o * in + i] = source[i * out + o];
            }
        }
        return TensorData.ofFloats(target, out, in);
    }

    private static float[] floats(OnnxMl.TensorProto tensor) {
        if (tensor.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException("initializer " + tensor.getName() + " has ONNX data type "
                    + tensor.getDataType() + ", expected FLOAT");
        }
        if (tensor.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException("initializer " + tensor.getName() + " keeps its data in an external file");
        }
        long count = 1;
        for (long dim : dims(tensor)) {
            count = Math.multiplyExact(count, dim);
        }
        float[] values = new float[Math.toIntExact(count)];
        if (!tensor.getRawData().isEmpty()) {
            if (tensor.getRawData().size() != count * Float.BYTES) {
                throw new IllegalArgumentException("initializer " + tensor.getName() + " has " + tensor.getRawData().size()
                        + " bytes for " + count + " floats");
            }
            FloatBuffer buffer = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            buffer.get(values);
        } else if (tensor.getFloatDataCount() == count) {
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
        } else {
            throw new IllegalArgumentException("initializer " + tensor.getName() + " holds "
                    + tensor.getFloatDataCount() + " floats, its shape needs " + count);
        }
        return values;
    }

    private static long[] dims(OnnxMl.TensorProto tensor) {
        return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }
}
