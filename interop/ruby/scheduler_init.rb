# frozen_string_literal: true
#
# Initializer for the real resque-scheduler CLI (`resque-scheduler -I this-file`):
# points Resque at REDIS_URL and defines the one job class the scheduler
# process knows (Interop::Sched); every other class stays unknown to it.
require "redis"
require "resque"
Resque.redis = Redis.new(url: ENV.fetch("REDIS_URL", "redis://127.0.0.1:6390/0"))

module Interop
  class Sched
    @queue = :sched
    def self.perform(*args); end
  end
end
