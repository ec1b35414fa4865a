-- 0003: what `sweep status` shows about the cluster; the same table and meanings as
-- Migrations/Sqlite/0003_cluster_members.sql. Every node of a running cluster writes one row about itself every
-- second; a clean exit deletes it, a dead node's row goes stale and is shown as unreachable, then forgotten.
-- unreachable holds the addresses the node currently finds unreachable, separated by spaces.

CREATE TABLE cluster_members (
    address      text COLLATE "C" NOT NULL PRIMARY KEY,
    node_id      text COLLATE "C" NOT NULL,
    roles        text NOT NULL,
    status       text NOT NULL,
    unreachable  text NOT NULL,
    slots        integer NOT NULL,
    units_done   integer NOT NULL,
    cells_done   integer NOT NULL,
    started_at   double precision NOT NULL,
    refreshed_at double precision NOT NULL
);
