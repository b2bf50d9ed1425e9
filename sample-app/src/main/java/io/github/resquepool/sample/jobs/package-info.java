/**
 * The sample's jobs: plain Spring beans whose {@code @ResqueJob} methods Ruby and Java
 * enqueue alike (billing, mail, images, reports), and a listener that logs failures.
 */
package io.github.resquepool.sample.jobs;
