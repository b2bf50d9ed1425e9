/**
 * Auto-configuration of the Resque dashboard under {@code resque.web.*}: its properties,
 * its controllers, filter, interceptor and static assets in a servlet web application
 * with Spring MVC, and the request matchers for the application's Spring Security rules.
 */
package io.github.resquepool.autoconfigure.dashboard;
