package io.moxing.grpc;

import io.grpc.Decompressor;
import io.grpc.DecompressorRegistry;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * grpc-java's gzip, except that a message flagged compressed whose bytes are not gzip is the client's mistake.
 * grpc-java's own reads the gzip header inside its deframer, where a {@link ZipException} becomes a
 * RuntimeException: the call ends UNKNOWN and the transport logs a stack trace, per call, for anyone who can
 * reach the port. Thrown here as INVALID_ARGUMENT, it reaches the client as that and {@link ClientMistakeLogs}
 * knows it. Corrupt data after a valid header is met while the request is parsed, where {@link TolerantMarshaller}
 * answers it.
 */
final class CheckedGzip implements Decompressor {
    /** The default registry (gzip and identity, both advertised as before) with this gzip in place of grpc-java's. */
    static DecompressorRegistry registry() {
        return DecompressorRegistry.getDefaultInstance().with(new CheckedGzip(), true);
    }

    @Override
    public String getMessageEncoding() {
        return "gzip";
    }

    @Override
    public InputStream decompress(InputStream is) throws IOException {
        try {
            return new GZIPInputStream(is); // reads and checks the header now
        } catch (ZipException | java.io.EOFException e) {
            throw Status.INVALID_ARGUMENT.withDescription("invalid_gzip: the message is flagged gzip-compressed but is not"
                    + " gzip data").asRuntimeException();
        }
    }
}
