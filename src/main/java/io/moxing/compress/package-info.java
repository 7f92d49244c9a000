/**
 * Model compression: a registered version made smaller by structured pruning, distillation into a smaller spec,
 * or weight-only int8, evaluated against the original on the same test split and registered as a new version
 * only when the accuracy gate lets it through. bf16 is measured, and refused while the engine cannot run it.
 * Domain code: no HTTP, SQL or command-line types; {@code cli.CompressCommand} is the way in.
 */
package io.moxing.compress;
