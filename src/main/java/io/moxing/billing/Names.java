package io.moxing.billing;

import io.moxing.core.UserException;
import java.util.regex.Pattern;

/** The names tenants and plans may have: short, lower-case, safe in URLs, file names and invoices. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private Names() {}

    static String check(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UserException("invalid_field", what + " name '" + name
                    + "' must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
