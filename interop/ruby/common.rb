# frozen_string_literal: true
#
# Shared set-up for the interop capture scripts.
#
#   RESQUE_LIB            path to resque's lib/ (required)
#   RESQUE_SCHEDULER_LIB  path to resque-scheduler's lib/ (required by scripts that call need_scheduler!)
#   REDIS_URL             default redis://127.0.0.1:6390/0 -- the capture scripts FLUSHDB it!
#   OUT_DIR               where captured files go (each script has its own default)
#
# Captured values are written as exact bytes: one file per value, no trailing
# newline (File.binwrite), and "*.keys.json" snapshots of whole Redis states
# (JSON object: key -> {type, ttl, value}; strings inside are the raw values).

require "json"
require "fileutils"

module Interop
  module_function

  def lib_dir!(var, marker)
    dir = ENV[var]
    abort "#{var} is not set (path to the gem's lib/ folder)" if dir.nil? || dir.empty?
    abort "#{var}=#{dir}: #{marker} not found there" unless File.file?(File.join(dir, marker))
    File.expand_path(dir)
  end

  # position :front is what `ruby -I` does; :back keeps installed gems
  # (e.g. Rails' own active_job/queue_adapters/resque_adapter.rb) in front.
  def add_lib(var, marker, position: :front)
    dir = lib_dir!(var, marker)
    $LOAD_PATH.delete(dir)
    position == :front ? $LOAD_PATH.unshift(dir) : $LOAD_PATH.push(dir)
    dir
  end

  def need_resque!(position: :front)
    add_lib("RESQUE_LIB", "resque.rb", position: position)
  end

  def need_scheduler!(position: :front)
    add_lib("RESQUE_SCHEDULER_LIB", "resque-scheduler.rb", position: position)
  end

  def redis_url
    ENV.fetch("REDIS_URL", "redis://127.0.0.1:6390/0")
  end

  # A plain (not namespaced) client used to read what really is in Redis.
  def raw
    require "redis"
    @raw ||= Redis.new(url: redis_url)
  end

  def connect_resque!
    require "redis"
    Resque.redis = Redis.new(url: redis_url) # Resque wraps it in the "resque" namespace
  end

  def flush!
    raw.flushdb
  end

  def out_dir(default)
    dir = ENV.fetch("OUT_DIR", default)
    FileUtils.mkdir_p(dir)
    dir
  end

  # Exact bytes, no trailing newline.
  def write_raw(path, bytes)
    FileUtils.mkdir_p(File.dirname(path))
    File.binwrite(path, bytes.to_s.b)
  end

  def write_text(path, text)
    FileUtils.mkdir_p(File.dirname(path))
    File.write(path, text.end_with?("\n") ? text : "#{text}\n")
  end

  def write_json(path, obj)
    FileUtils.mkdir_p(File.dirname(path))
    File.binwrite(path, JSON.pretty_generate(obj) + "\n")
  end

  # Snapshot of every key matching pattern, values as raw strings.
  # zset: [[member, score-as-redis-wrote-it], ...]; set: sorted members.
  def snapshot(pattern = "*")
    raw.keys(pattern).sort.to_h do |k|
      type = raw.type(k)
      value = case type
              when "string" then raw.get(k)
              when "list"   then raw.lrange(k, 0, -1)
              when "set"    then raw.smembers(k).sort
              when "zset"   then raw.call("ZRANGE", k, 0, -1, "WITHSCORES").each_slice(2).to_a
              when "hash"   then raw.hgetall(k)
              else "<#{type}>"
              end
      [k, { "type" => type, "ttl" => raw.ttl(k), "value" => value }]
    end
  end

  def write_snapshot(path, pattern = "*")
    write_json(path, snapshot(pattern))
  end

  # Runs the block while `redis-cli MONITOR` writes its transcript to path.
  def with_monitor(path)
    FileUtils.mkdir_p(File.dirname(path))
    pid = Process.spawn("redis-cli", "-u", redis_url, "monitor", out: path, err: File::NULL)
    sleep 0.5
    yield
  ensure
    sleep 0.5
    if pid
      Process.kill("TERM", pid)
      Process.wait(pid)
    end
  end

  def versions
    v = { "ruby" => RUBY_DESCRIPTION, "json" => JSON::VERSION, "redis-server" => raw.info["redis_version"] }
    v["redis-rb"] = Redis::VERSION if defined?(Redis::VERSION)
    v["redis-namespace"] = Redis::Namespace::VERSION if defined?(Redis::Namespace::VERSION)
    v["multi_json"] = "#{MultiJson::VERSION} (adapter #{MultiJson.adapter})" if defined?(MultiJson)
    v["resque"] = Resque::VERSION if defined?(Resque::VERSION)
    v["resque-scheduler"] = Resque::Scheduler::VERSION if defined?(Resque::Scheduler::VERSION)
    v["activejob"] = ActiveJob::VERSION::STRING if defined?(ActiveJob::VERSION)
    v["activesupport"] = ActiveSupport::VERSION::STRING if defined?(ActiveSupport::VERSION)
    v["rufus-scheduler"] = Rufus::Scheduler::VERSION if defined?(Rufus::Scheduler::VERSION)
    v["fugit"] = Fugit::VERSION if defined?(Fugit::VERSION)
    %w[RESQUE_LIB RESQUE_SCHEDULER_LIB].each { |e| v[e] = "#{ENV[e]} #{ENV["#{e}_COMMIT"]}".strip if ENV[e] }
    v
  end

  DEBIAN_PACKAGES = %w[ruby3.1 ruby-json ruby-redis ruby-redis-namespace ruby-multi-json ruby-mono-logger
                       ruby-sinatra ruby-rack ruby-rufus-scheduler ruby-fugit ruby-activejob ruby-activesupport
                       ruby-globalid ruby-activemodel redis-server redis-tools].freeze

  def debian_versions
    out = IO.popen(["dpkg-query", "-W", "-f", "${Package} ${Version}\n", *DEBIAN_PACKAGES], err: File::NULL, &:read)
    out.to_s.lines.map(&:strip).select { |l| l.split.size == 2 } # skip packages not installed
  rescue SystemCallError
    []
  end

  def write_versions(dir)
    lines = versions.map { |k, val| "#{k}: #{val}" }
    deb = debian_versions
    lines += ["", "Debian packages:"] + deb.map { |l| "  #{l}" } unless deb.empty?
    write_text(File.join(dir, "VERSIONS"), lines.join("\n"))
  end
end
