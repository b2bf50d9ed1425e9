/**
 * The sample's Redis when none is configured: an embedded Redis started before the
 * context, so the README's first command needs nothing but a JDK.
 */
package io.github.resquepool.sample.redis;
