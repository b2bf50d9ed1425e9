/**
 * The health contributor of the Resque worker pool.
 */
package io.github.resquepool.health;
