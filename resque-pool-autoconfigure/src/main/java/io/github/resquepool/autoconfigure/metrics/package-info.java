/**
 * Auto-configuration of the Micrometer meters and observations of the Resque worker pool.
 */
package io.github.resquepool.autoconfigure.metrics;
