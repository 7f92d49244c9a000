package io.moxing.console.view;

/** The pages seen by anyone: the sign-in form, an error, a section still to be built. */
public final class CommonViews {
    private CommonViews() {}

    /** @param signInToken the form's token, also set as a short-lived cookie (a forged sign-in lacks it) */
    public record SignInPage(Frame frame, String signInToken) {}

    /** A refusal or failure shown as a page, with where to go from here. */
    public record ErrorPage(Frame frame, int status, String code, String message, String backHref) {}

    /** One named value of a list of facts (a run's, a version's card). */
    public record Fact(String name, String value) {}

    /** A section listed in the navigation whose page is not built yet. */
    public record ComingPage(Frame frame, String section) {}
}
