# frozen_string_literal: true
#
# resque-retry's attempt-count keys (Resque::Plugins::Retry#redis_retry_key) for the argument
# lists the Java side must match. Needs no Redis.
#
#   RESQUE_LIB=... RESQUE_SCHEDULER_LIB=... RESQUE_RETRY_LIB=... ruby interop/ruby/capture_retry_keys.rb
#
# Writes captured/retry/retry_keys.json: [{"args_json": <the payload's args>, "key": <key>}, ...]

require_relative "common"
Interop.need_resque!
Interop.need_scheduler!
Interop.add_lib("RESQUE_RETRY_LIB", "resque-retry.rb")
require "resque"
require "resque-retry"

module Retry
  class Flaky
    extend Resque::Plugins::Retry
    @queue = :retry
  end
end

CASES = [
  [],
  [7, "x"],
  [42, "EUR", { "a" => 1 }],
  [1.0e-05, 10_000_000.0, 0.1, -0.0, 1.0e+20],
  [nil, true, false, ""],
  [[1, [2, []]], [], "y"],
  ["with space\tand\nnewline", "é€日本😀", "#{'#'}{x} \#$y \\ \" \u0001 \u007f \u2028"],
  [{ "k" => [1, nil, 2.5], "n" => { "d" => "q\"" }, "e" => {} }],
  [18_446_744_073_709_551_616, -9_223_372_036_854_775_808],
  ["a" * 300],
].freeze

out = CASES.map do |args|
  # through JSON as a worker sees them
  decoded = JSON.parse(JSON.generate(args))
  { "args_json" => JSON.generate(args), "key" => Retry::Flaky.redis_retry_key(*decoded) }
end
dir = ENV["OUT_DIR"] || File.expand_path("../captured/retry", __dir__)
FileUtils.mkdir_p(dir)
File.write(File.join(dir, "retry_keys.json"), JSON.pretty_generate(out) + "\n")
File.write(File.join(dir, "VERSIONS"), "ruby #{RUBY_VERSION}\nresque #{Resque::VERSION}\nresque-retry #{ResqueRetry::VERSION}\njson #{JSON::VERSION}\n")
puts JSON.pretty_generate(out)
