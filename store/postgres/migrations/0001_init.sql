-- newsbot schema 1: the articles, their log, the small records, leases.
-- Keys sort as bytes (COLLATE "C"), as they do in the bbolt store.

CREATE TABLE meta (
	key   text COLLATE "C" PRIMARY KEY,
	value text NOT NULL
);
-- Names this database, so a replica notices an index built from another one.
INSERT INTO meta (key, value) VALUES ('database_id', gen_random_uuid()::text);

CREATE TABLE articles (
	id     text COLLATE "C" PRIMARY KEY,
	-- guild, source and quotes repeat what data holds, for stats without decoding.
	guild  text NOT NULL DEFAULT '',
	source text NOT NULL DEFAULT '',
	quotes integer NOT NULL DEFAULT 0,
	data   bytea NOT NULL
);

CREATE TABLE pending (
	id text COLLATE "C" PRIMARY KEY
);

-- Every change to articles, in commit order (writers serialise on an advisory
-- lock), for replicas that follow it to keep their index current.
CREATE TABLE article_log (
	seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	article_id text COLLATE "C" NOT NULL,
	deleted    boolean NOT NULL DEFAULT false,
	quotes     integer NOT NULL DEFAULT 0,
	at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE records (
	bucket text COLLATE "C" NOT NULL,
	key    text COLLATE "C" NOT NULL,
	value  bytea NOT NULL,
	PRIMARY KEY (bucket, key)
);

CREATE TABLE leases (
	name    text PRIMARY KEY,
	holder  text NOT NULL,
	expires timestamptz NOT NULL
);
