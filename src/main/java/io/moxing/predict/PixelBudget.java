package io.moxing.predict;

/**
 * The pixels the images of one request may declare: each at most {@code perImage}, all of them together at most
 * {@code perRequest}. The body limit bounds a request's bytes, but a few kilobytes of PNG can declare millions of
 * pixels, so without a total a form of a thousand small, maximal images costs minutes of decoding. Used by one
 * request's thread; not shared. An image is charged from its header, before it is decoded.
 */
final class PixelBudget {
    /** The default total: four of the largest images allowed. */
    static final int IMAGES_AT_THE_LIMIT = 4;
    private final long perImage;
    private final long perRequest;
    private long spent;

    private PixelBudget(long perImage, long perRequest) {
        this.perImage = perImage;
        this.perRequest = perRequest;
    }

    /** A budget of {@code perImage} pixels an image and four such images a request. */
    static PixelBudget of(long perImage) {
        return new PixelBudget(perImage, perImage > Long.MAX_VALUE / IMAGES_AT_THE_LIMIT ? Long.MAX_VALUE
                : perImage * IMAGES_AT_THE_LIMIT);
    }

    /** Refuses an image over the limit of one image from its header, with {@link ImageTooLargeException}. */
    void checkImage(String source, long width, long height) {
        // sides below 2^32 (as headers give them) cannot wrap a long when multiplied
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE || width * height > perImage) {
            throw new ImageTooLargeException(source, width, height, perImage);
        }
    }

    /** Takes the declared pixels of an image about to be decoded, or refuses it with {@link ImageTooLargeException}. */
    void take(String source, long width, long height) {
        checkImage(source, width, height);
        if (width * height > perRequest - spent) {
            throw new ImageTooLargeException("the request's images declare more than " + perRequest + " pixels together ("
                    + source + " brings it to " + (spent + width * height) + "); send fewer or smaller images per request");
        }
        spent += width * height;
    }
}
