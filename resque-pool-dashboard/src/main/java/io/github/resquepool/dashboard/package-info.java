/**
 * The Resque dashboard: one small controller per area (overview, queues, workers, pools,
 * failed and bulk, delayed, schedule, stats), each marked
 * {@link io.github.resquepool.dashboard.ResqueWebController}, rendering Mustache
 * templates from this package's {@code templates} folder through
 * {@link io.github.resquepool.dashboard.DashboardPages}, which escape every value; JSON
 * answers are records written by Jackson; the style sheet and script are static assets.
 * {@link io.github.resquepool.dashboard.ResqueWebFilter} and
 * {@link io.github.resquepool.dashboard.ResqueWebInterceptor} guard every request:
 * authentication and role, same-origin actions, read-only mode, the plain spelling of
 * paths and a strict Content-Security-Policy.
 */
package io.github.resquepool.dashboard;
