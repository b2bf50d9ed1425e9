/**
 * Auto-configuration and properties of the Resque worker pool ({@code resque.pool.*}),
 * and the failure analyzers that explain a start that fails because of them.
 */
package io.github.resquepool.autoconfigure;
