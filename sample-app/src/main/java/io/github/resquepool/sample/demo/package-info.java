/**
 * The demo: endpoints that enqueue a mix of jobs and show the queues, and the few jobs
 * enqueued at start so a newcomer sees workers at work.
 */
package io.github.resquepool.sample.demo;
