# frozen_string_literal: true
#
# Reverse check: does a real Ruby Resque worker run a job that Java enqueued?
#
#   REDIS_URL=redis://127.0.0.1:6390/0 RESQUE_LIB=/tmp/gems/resque/lib \
#     ruby interop/ruby/run_java_payload.rb QUEUE [--push payload.json] [--all]
#
# If the class named by the job at the head of the queue does not exist, it is
# defined on the fly (modules included) as a class whose perform(*args)
# appends {"class", "args", "inspect"} to the plain Redis list
# "interop:performed" (outside the namespace), so a test can read back what
# Ruby received. Set FAIL=1 to make such classes raise instead. Names Ruby
# cannot define (e.g. "com.acme.Job") stay undefined, and the worker records
# the NameError failure exactly like production. JOBS_FILE=path.rb loads your
# own job classes first. See one_job.rb for the other options and exit codes.

require_relative "common"
Interop.need_resque!
require "resque"
require_relative "one_job"

load ENV["JOBS_FILE"] if ENV["JOBS_FILE"]

module Interop
  def self.define_recording_class(name)
    return if name.to_s.empty? || !name.match?(/\A[A-Z]\w*(::[A-Z]\w*)*\z/)

    owner = Object
    parts = name.split("::")
    parts[0..-2].each do |mod|
      owner = owner.const_defined?(mod, false) ? owner.const_get(mod, false) : owner.const_set(mod, Module.new)
    end
    return if owner.const_defined?(parts.last, false)

    klass = Class.new do
      define_singleton_method(:perform) do |*args|
        raise ArgumentError, "FAIL=1: #{name} raises on purpose" if ENV["FAIL"] == "1"

        Redis.new(url: ENV.fetch("REDIS_URL", "redis://127.0.0.1:6390/0"))
             .rpush("interop:performed", JSON.generate("class" => name, "args" => args, "inspect" => args.inspect))
      end
    end
    owner.const_set(parts.last, klass)
  end
end

Interop::OneJob.run(ARGV, script: $PROGRAM_NAME) do |head|
  klass = (JSON.parse(head)["class"] rescue nil)
  Interop.define_recording_class(klass) if klass.is_a?(String)
end
