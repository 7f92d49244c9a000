/**
 * Running deployed models for the HTTP layer without knowing HTTP: targets loaded and retired as the
 * deployments in the database change, dynamic batching, text writers for language models, metrics.
 */
package io.moxing.serve;
