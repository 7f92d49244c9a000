/**
 * The web console, an adapter at the edge like {@code http}: pages rendered by the server ({@code moxing serve}, under
 * {@code /console}) from jte templates precompiled at build time, a stylesheet, a little plain JavaScript and Chart.js
 * from its webjar, all served from the jar. Operators sign in with the admin token, tenants with one of their API keys;
 * the session lives on the server ({@link SessionStore}), its random id only in an HttpOnly, SameSite=Strict cookie,
 * and every form that changes something carries the session's CSRF token ({@link Guard}). Each page reads and writes
 * through the same domain services as the API ({@code BillingAdmin}, {@code Deployments}, {@code Rollback}), and the
 * playground calls the API itself, metered to the tenant. No domain package imports this one.
 */
package io.moxing.console;
