package io.moxing.demo;

import io.moxing.data.Dataset;
import io.moxing.data.TensorFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One split of a grey 28×28-style image data set, read once, handed out as the PNG files a user would upload. */
final class Photos {
    private final TensorFile x;
    private final float[] labels;
    private final int height;
    private final int width;

    Photos(Dataset data, String split) {
        this.x = TensorFile.read(data.directory().resolve(split + ".x"));
        this.labels = TensorFile.read(data.directory().resolve(split + ".y")).toFloats();
        this.height = data.manifest().sampleShape().get(1);
        this.width = data.manifest().sampleShape().get(2);
    }

    int count() {
        return labels.length;
    }

    int label(int i) {
        return (int) labels[i];
    }

    float[] labels() {
        return labels;
    }

    byte[] png(int i) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = new byte[width * height];
        x.data().duplicate().position(x.data().position() + i * x.sampleSize()).get(pixels);
        image.getRaster().setDataElements(0, 0, width, height, pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
