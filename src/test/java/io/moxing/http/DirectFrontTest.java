package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.moxing.http.DirectFront.Kind;
import io.moxing.http.DirectFront.Route;
import org.junit.jupiter.api.Test;

/**
 * Which requests the direct front takes: the plain forms of the hot routes, with the names their paths give; every
 * other form is left to Javalin's routes (ServingHardeningTest checks that both answer alike).
 */
class DirectFrontTest {

    @Test
    void thePlainFormsOfTheHotRoutesAreTakenWithTheirNames() {
        assertEquals(new Route(Kind.PREDICT, "cnn-28", null), Route.of("POST", "/v1/models/cnn-28/predict"));
        assertEquals(new Route(Kind.EXPLAIN, "cnn-28", null), Route.of("POST", "/v1/models/cnn-28/explain"));
        assertEquals(new Route(Kind.INFER, "cnn-28", null), Route.of("POST", "/v2/models/cnn-28/infer"));
        assertEquals(new Route(Kind.INFER, "a.b_c~D-9", "12"), Route.of("POST", "/v2/models/a.b_c~D-9/versions/12/infer"));
        assertEquals(new Route(Kind.LIVE, null, null), Route.of("GET", "/v2/health/live"));
        assertEquals(new Route(Kind.READY, null, null), Route.of("GET", "/v2/health/ready"));
    }

    @Test
    void everyOtherFormIsLeftToJavalin() {
        for (String path : new String[] {
                "/v1/models/cnn-28/predict/", "/v2/models/cnn-28/infer/", "/v2/health/live/",
                "/v1/models//predict", "/v1/models/predict", "/v1/models/cnn-28", "/v1/models/cnn-28/predictx",
                "/v1/models/cnn-28/predict/x", "/v1/models/a/b/predict", "/v1/models/cnn%2D28/predict",
                "/v1/models/./predict", "/v1/models/../predict", "/v1/models/.x/predict", "/v1/models/-x/predict",
                "/v1/models/é/predict", "/v1/models/a b/predict",
                "/v2/models/cnn-28/versions/1/infer/", "/v2/models/cnn-28/versions//infer", "/v2/models/cnn-28/versions/1",
                "/v2/models/cnn-28/versions/1/2/infer", "/v2/models/cnn-28/version/1/infer", "/v2/models/cnn-28/inferx",
                "/v2/models/cnn-28", "/v2/models/", "/v2/models/cnn-28/ready", "/V1/models/cnn-28/predict",
                "/v1/chat/completions", "/v1/embeddings", "/"}) {
            assertNull(Route.of("POST", path), path);
        }
        // the method each route is for, only: HEAD, a wrong method's 405 and OPTIONS are Javalin's
        assertNull(Route.of("GET", "/v1/models/cnn-28/predict"));
        assertNull(Route.of("PUT", "/v2/models/cnn-28/infer"));
        assertNull(Route.of("HEAD", "/v2/health/live"));
        assertNull(Route.of("POST", "/v2/health/live"));
        assertNull(Route.of("OPTIONS", "/v2/models/cnn-28/infer"));
    }
}
