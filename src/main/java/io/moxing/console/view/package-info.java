/**
 * The data each console page's template is rendered from: immutable records, public because the precompiled
 * templates (generated from {@code src/main/jte}) live in jte's own package. Nothing here computes anything.
 */
package io.moxing.console.view;
