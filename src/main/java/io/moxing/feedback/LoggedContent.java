package io.moxing.feedback;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * What a logged request holds before it is sealed: the rows a model read and what it answered. Tensors
 * are the model's inputs exactly as it saw them (normalised) and its outputs; text is a language model's
 * prompt and written text, PII-redacted before it gets here. The encoding is a kind byte, then the parts
 * with their lengths, so that a record opens without knowing the model.
 */
public sealed interface LoggedContent {
    byte TENSORS = 1;
    byte TEXT = 2;

    /** How many predicted rows the record holds. */
    int rows();

    byte[] encode();

    /** Rows of a tensor model: {@code rows × inputWidth} inputs and {@code rows × outputWidth} outputs. */
    record Tensors(int rows, int inputWidth, float[] inputs, int outputWidth, float[] outputs) implements LoggedContent {
        public Tensors {
            if (inputs.length != (long) rows * inputWidth || outputs.length != (long) rows * outputWidth) {
                throw new IllegalArgumentException("inputs and outputs must hold rows × width values");
            }
        }

        public float[] input(int row) {
            return java.util.Arrays.copyOfRange(inputs, row * inputWidth, (row + 1) * inputWidth);
        }

        public float[] output(int row) {
            return java.util.Arrays.copyOfRange(outputs, row * outputWidth, (row + 1) * outputWidth);
        }

        @Override
        public byte[] encode() {
            // a 1,000-row request of 28×28 images is 3 MB: one bulk copy, not a stream call per value
            ByteBuffer buffer = ByteBuffer.allocate(13 + 4 * (inputs.length + outputs.length));
            buffer.put(TENSORS).putInt(rows).putInt(inputWidth).putInt(outputWidth);
            buffer.asFloatBuffer().put(inputs).put(outputs);
            return buffer.array();
        }
    }

    /** One language-model request: its prompt and the text written, both already redacted. */
    record Text(String prompt, String text) implements LoggedContent {
        @Override
        public int rows() {
            return 1;
        }

        @Override
        public byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(TEXT);
                writeString(out, prompt);
                writeString(out, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    static LoggedContent decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte kind = in.readByte();
            if (kind == TEXT) return new Text(readString(in), readString(in));
            if (kind != TENSORS) throw new IllegalArgumentException("unknown logged record kind " + kind);
            ByteBuffer buffer = ByteBuffer.wrap(encoded, 1, encoded.length - 1);
            int rows = buffer.getInt(), inputWidth = buffer.getInt(), outputWidth = buffer.getInt();
            float[] inputs = new float[Math.multiplyExact(rows, inputWidth)];
            float[] outputs = new float[Math.multiplyExact(rows, outputWidth)];
            buffer.asFloatBuffer().get(inputs).get(outputs);
            return new Tensors(rows, inputWidth, inputs, outputWidth, outputs);
        } catch (IOException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("a logged record is truncated: " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
