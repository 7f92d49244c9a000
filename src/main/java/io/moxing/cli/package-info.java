/** The moxing command (picocli): an adapter at the edge; domain packages never import it. */
package io.moxing.cli;
