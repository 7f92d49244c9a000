/** Model specs (declarative JSON), the built-in templates, and the compiler from a spec to a DJL block with shape checks, parameter and FLOP counts. */
package io.moxing.model;
