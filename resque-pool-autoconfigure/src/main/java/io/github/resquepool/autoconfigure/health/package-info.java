/**
 * Auto-configuration of the health contributor of the Resque worker pool.
 */
package io.github.resquepool.autoconfigure.health;
