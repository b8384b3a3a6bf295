-- newsbot schema 2: short-lived state the replicas behind one load balancer
-- share (search pages, duplicate-delivery marks, member rate limits).

CREATE TABLE shared_state (
	bucket  text COLLATE "C" NOT NULL,
	key     text COLLATE "C" NOT NULL,
	value   bytea NOT NULL DEFAULT '',
	expires timestamptz NOT NULL,
	PRIMARY KEY (bucket, key)
);
CREATE INDEX shared_state_expires ON shared_state (expires);

CREATE TABLE rate_hits (
	bucket text COLLATE "C" NOT NULL,
	key    text COLLATE "C" NOT NULL,
	at     timestamptz NOT NULL
);
CREATE INDEX rate_hits_key ON rate_hits (bucket, key, at);
