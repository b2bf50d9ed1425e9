CREATE TABLE IF NOT EXISTS resque_outbox (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  token VARCHAR(36) NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  queue_name VARCHAR(1000) NOT NULL,
  class_name VARCHAR(1000) NOT NULL,
  delayed_until BIGINT,
  payload LONGTEXT NOT NULL,
  lock_name VARCHAR(1100),
  lock_ttl_ms BIGINT,
  attempts INT DEFAULT 0 NOT NULL,
  claimed_by VARCHAR(255),
  claimed_until BIGINT NOT NULL,
  INDEX resque_outbox_claimed_until (claimed_until)
) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
