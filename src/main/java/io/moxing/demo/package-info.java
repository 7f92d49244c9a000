/**
 * Scenarios anyone can run on real data, each in a scratch data directory and on its own port, so they
 * never touch the user's models, data or deployments.
 */
package io.moxing.demo;
