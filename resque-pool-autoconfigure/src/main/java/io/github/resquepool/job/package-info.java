/**
 * Resque jobs as Spring bean methods: the name of a job in a payload is looked up in an
 * allow-list of handlers, never loaded as a class.
 *
 * <ul>
 * <li>{@link io.github.resquepool.job.ResqueJob} marks a bean method as the handler of
 * one Resque class name; {@link io.github.resquepool.job.ResqueJobMethodProcessor} finds
 * those methods and registers them in the
 * {@link io.github.resquepool.job.JobRegistry}.</li>
 * <li>{@link io.github.resquepool.job.JobHandler} binds a payload's {@code args} to the
 * method's parameters through the application's {@code JsonMapper}, without lossy
 * coercions, and invokes it.</li>
 * <li>{@link io.github.resquepool.job.JobInvoker} runs one job through the
 * {@link io.github.resquepool.job.JobInterceptor JobInterceptors} with the semantics of
 * Ruby Resque's job hooks and reports a {@link io.github.resquepool.job.JobResult}.</li>
 * </ul>
 *
 * <p>
 * Nothing here touches Redis.
 */
package io.github.resquepool.job;
