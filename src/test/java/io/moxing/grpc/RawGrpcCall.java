package io.moxing.grpc;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One unary gRPC call written frame by frame on its own HTTP/2 connection over a plain socket, for what
 * grpc-java's client never sends (a call without {@code te: trailers}, a frame flagged compressed with no
 * {@code grpc-encoding}). The answer's header blocks are read with Netty's HPACK decoder (the one inside
 * grpc-netty-shaded), since the server compresses them.
 */
final class RawGrpcCall {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int GOAWAY = 7;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int STREAM = 1;

    private RawGrpcCall() {}

    /**
     * Sends {@code message} (its 5-byte gRPC prefix included) to {@code path} and returns the answer's headers and
     * trailers together ({@code grpc-status} among them), or {@code rst_stream} / {@code goaway} with the error
     * code when the server answered with one of those instead.
     */
    static Map<String, String> call(int port, String path, boolean teTrailers, byte[] message) throws IOException {
        return call(port, path, teTrailers, null, message);
    }

    /** The same, saying the message is compressed with {@code grpcEncoding} (no such header when null). */
    static Map<String, String> call(int port, String path, boolean teTrailers, String grpcEncoding, byte[] message)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            literal(headers, ":method", "POST");
            literal(headers, ":scheme", "http");
            literal(headers, ":path", path);
            literal(headers, ":authority", "127.0.0.1:" + port);
            literal(headers, "content-type", "application/grpc");
            if (teTrailers) literal(headers, "te", "trailers");
            if (grpcEncoding != null) literal(headers, "grpc-encoding", grpcEncoding);
            frame(out, HEADERS, END_HEADERS, STREAM, headers.toByteArray());
            frame(out, DATA, END_STREAM, STREAM, message);
            out.flush();
            return answer(new DataInputStream(socket.getInputStream()), out);
        }
    }

    /** The 5-byte gRPC message prefix (compressed flag, big-endian length) followed by {@code body}. */
    static byte[] message(boolean compressed, int length, byte[] body) {
        byte[] m = new byte[5 + body.length];
        m[0] = (byte) (compressed ? 1 : 0);
        m[1] = (byte) (length >>> 24);
        m[2] = (byte) (length >>> 16);
        m[3] = (byte) (length >>> 8);
        m[4] = (byte) length;
        System.arraycopy(body, 0, m, 5, body.length);
        return m;
    }

    private static Map<String, String> answer(DataInputStream in, OutputStream out) throws IOException {
        DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
        Map<String, String> answer = new HashMap<>();
        while (true) {
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = in.readNBytes(length);
            if (type == SETTINGS && (flags & ACK) == 0) {
                frame(out, SETTINGS, ACK, 0, new byte[0]);
            } else if (type == HEADERS && stream == STREAM) {
                for (Map.Entry<CharSequence, CharSequence> h : decode(hpack, payload, flags)) {
                    answer.put(h.getKey().toString(), h.getValue().toString());
                }
                if ((flags & END_STREAM) != 0) return answer;
            } else if (type == RST_STREAM && stream == STREAM) {
                answer.put("rst_stream", Integer.toString(readInt(payload, 0)));
                return answer;
            } else if (type == GOAWAY) {
                answer.put("goaway", Integer.toString(readInt(payload, 4)));
                return answer;
            }
        }
    }

    private static Http2Headers decode(DefaultHttp2HeadersDecoder hpack, byte[] payload, int flags) throws IOException {
        int from = 0;
        int to = payload.length;
        if ((flags & PADDED) != 0) to -= 1 + (payload[from++] & 0xff);
        if ((flags & PRIORITY) != 0) from += 5;
        if ((flags & END_HEADERS) == 0) throw new IOException("a header block split over CONTINUATION frames is not read here");
        try {
            return hpack.decodeHeaders(STREAM, Unpooled.wrappedBuffer(payload, from, to - from));
        } catch (Http2Exception e) {
            throw new IOException(e);
        }
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload);
    }

    /** An HPACK "literal header field without indexing, new name", no Huffman; names and values here are short. */
    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0);
        string(block, name);
        string(block, value);
    }

    private static void string(ByteArrayOutputStream block, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length > 126) throw new IllegalArgumentException("too long for a one-byte HPACK length: " + s);
        block.write(b.length);
        block.writeBytes(b);
    }
}
