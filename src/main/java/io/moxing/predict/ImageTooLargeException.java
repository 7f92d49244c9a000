package io.moxing.predict;

import io.moxing.core.UserException;

/** An image whose header declares more pixels than the limit: refused before a byte of it is decoded. */
public final class ImageTooLargeException extends UserException {
    public ImageTooLargeException(String source, long width, long height, long maxPixels) {
        super("image_too_large", source + ": the image declares " + width + "x" + height + " = " + width * height
                + " pixels, over the limit of " + maxPixels + " pixels; send it resized (the model takes a small image)");
    }

    /** Images that are each within the limit but together over what one request may decode. */
    ImageTooLargeException(String message) {
        super("image_too_large", message);
    }
}
