/**
 * Enqueueing Resque jobs from Java, byte for byte as Ruby does, and working with failed
 * jobs as resque-web does.
 */
package io.github.resquepool.client;
