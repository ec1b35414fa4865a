-- 0002: where the members of an Akka.NET cluster find each other with nothing but the store URL.
-- Each member publishes its address and refreshes it while it lives; a joining process lists the addresses
-- refreshed recently (database clock) and uses them as seed nodes. A member that died without removing its
-- row simply stops being listed once its refresh is older than the reader's alive window.
-- published_at is kept on refresh, so the oldest living member comes first: the natural first seed.

CREATE TABLE cluster_seeds (
    address      TEXT NOT NULL PRIMARY KEY,
    role         TEXT NOT NULL,
    published_at REAL NOT NULL,
    refreshed_at REAL NOT NULL
) STRICT;
