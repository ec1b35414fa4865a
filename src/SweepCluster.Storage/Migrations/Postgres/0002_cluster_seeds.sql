-- 0002: where the members of an Akka.NET cluster find each other with nothing but the store URL; the same
-- table and meanings as Migrations/Sqlite/0002_cluster_seeds.sql.
-- Each member publishes its address and refreshes it while it lives; a joining process lists the addresses
-- refreshed recently (database clock) and uses them as seed nodes. A member that died without removing its
-- row simply stops being listed once its refresh is older than the reader's alive window.
-- published_at is kept on refresh, so the oldest living member comes first: the natural first seed.
-- address is COLLATE "C" like every id: addresses published at the same instant then list in byte order, as
-- they do in SQLite.

CREATE TABLE cluster_seeds (
    address      text COLLATE "C" NOT NULL PRIMARY KEY,
    role         text NOT NULL,
    published_at double precision NOT NULL,
    refreshed_at double precision NOT NULL
);
